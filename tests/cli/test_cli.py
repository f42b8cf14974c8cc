"""The CLI as people use it: help everywhere, version, show, stats, query, conflicts."""

from __future__ import annotations

import json

import click
import pytest

from kg import __version__
from kg.cli import main


def _commands(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(main))


@pytest.mark.parametrize("path, command", COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_an_example(kg, path, command):
    result = kg(*path, "--help")
    assert result.exit_code == 0
    assert command.help and command.help.strip().splitlines()[0]
    assert "kg " in command.help, f"kg {' '.join(path)} --help has no example"


def test_version(kg):
    result = kg("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"kg, version {__version__}"


@pytest.mark.parametrize("name", ["Russia", "Ресей", "Ресеймен", "kz:Russia", "https://w3id.org/kzkg/id/Russia", "russia"])
def test_show_finds_russia_by_any_name(kg, name):
    result = kg("show", name)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Russia  <https://w3id.org/kzkg/id/Russia>")
    assert "label@kk: Ресей" in result.output
    assert "label@ru: Россия" in result.output


def test_show_card_has_relations_dates_quotes_and_sources(kg):
    result = kg("show", "Russia")
    out = result.output
    assert "signed" in out
    assert "date 1992-05-25" in out
    assert "[001_c575254485e987ed.txt]" in out
    assert "kk: «" in out and "en: “" in out


def test_show_sco_by_kazakh_abbreviation(kg):
    result = kg("show", "ШЫҰ", "--lang", "kk")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Шанхай ынтымақтастық ұйымы  <https://w3id.org/kzkg/id/SCO>"


def test_show_unknown_entity_suggests(kg):
    result = kg("show", "Rusia")
    assert result.exit_code == 2
    assert "no entity matches 'Rusia'" in result.output
    assert "kz:Russia" in result.output
    assert "Traceback" not in result.output


def test_stats_counts_match_the_data(kg):
    result = kg("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["facts"] >= 200
    assert set(stats["by_source"]) >= {"source-000", "source-001", "source-002", "source-003", "source-004"}
    assert all(v["facts"] > 0 for k, v in stats["by_source"].items() if k.startswith("source-00"))
    assert stats["by_class"]["State"] >= 30
    assert stats["by_property"]["memberOf"] >= 1
    table = kg("stats", "--format", "table").output
    assert "Facts per source" in table and "Entities per class" in table and "Facts per property" in table


def test_query_select_over_built_graph(kg):
    result = kg("query", "--format", "csv", "SELECT ?o WHERE { kz:Kazakhstan kzo:memberOf ?o } ORDER BY ?o")
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()
    assert rows[0] == "o"
    assert {"https://w3id.org/kzkg/id/UN", "kz:UN"} & set(rows[1:])


def test_query_ask_exit_codes(kg):
    assert kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }").exit_code == 0
    assert kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:NATO }").exit_code == 1


def test_query_construct(kg):
    result = kg("query", "CONSTRUCT { kz:Kazakhstan kzo:memberOf ?o } WHERE { kz:Kazakhstan kzo:memberOf ?o }")
    assert result.exit_code == 0
    assert "kzo:memberOf" in result.output


def test_conflicts_lists_disagreeing_claims(kg):
    result = kg("conflicts")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    count = int(first.split()[0])
    assert count >= 5
    # claims that cannot both be true: text 002's three dates for one closure, and its corrections
    assert "source: 002_df0a2fa518fe6822.txt" in result.output
    assert "Semipalatinsk Test Site  [date=1989]" in result.output
    rows = json.loads(kg("conflicts", "--format", "json").output)
    assert len(rows) == count
    # counts from texts of different times are a series (kg timeline --counts), never listed here
    assert "diplomatic relations (number of states)" not in result.output
    assert not any("number" in side["fact"] for row in rows for side in (row["first"], row["second"]))
