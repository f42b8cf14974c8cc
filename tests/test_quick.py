"""The quick start of ``kg query`` (kg/cli/quick.py) against the click command.

The quick start reads the everyday ``kg query`` command lines without click.
It must never read one differently from click: either it gives exactly the
parameters click gives, or it leaves the line to click. And on the real data
both ways must print the same answer, the same notices and exit alike.
"""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.cli.quick import (FLAG, LEFT_TO_CLICK, MULTIPLE, answer_quickly, parse_query_command_line, query_defaults,
                          query_options)

QUERY_COMMAND = main.commands["query"]


@pytest.fixture(autouse=True)
def _no_credentials_in_the_environment(monkeypatch):
    for variable in ("KG_SPARQL_USER", "KG_SPARQL_PASSWORD", "KG_DATA"):
        monkeypatch.delenv(variable, raising=False)


def click_parameters(arguments: list[str]) -> dict | None:
    """What click makes of ``kg query ARGUMENTS``, or None when it refuses the line."""
    try:
        with QUERY_COMMAND.make_context("query", list(arguments)) as context:
            return dict(context.params)
    except click.exceptions.Exit:
        return None  # --help
    except click.UsageError:
        return None


# The option table ----------------------------------------------------------


def test_every_option_of_the_click_command_is_read_quickly_or_left_to_click():
    quick = query_options()
    for parameter in QUERY_COMMAND.params:
        if not isinstance(parameter, click.Option):
            continue
        names = set(parameter.opts) | set(parameter.secondary_opts)
        if names <= LEFT_TO_CLICK:
            continue
        for name in names:
            assert name in quick, f"{name} is neither read quickly nor left to click"
            dest, kind, _ = quick[name]
            assert dest == parameter.name
            assert (kind == FLAG) == parameter.is_flag
            assert (kind == MULTIPLE) == parameter.multiple


def test_the_quick_start_reads_no_option_click_does_not_have():
    known = {name for parameter in QUERY_COMMAND.params for name in parameter.opts}
    assert set(query_options()) <= known
    assert LEFT_TO_CLICK - {"-h", "--help"} <= known


def test_defaults_are_click_defaults():
    assert parse_query_command_line(["query"]) == (None, click_parameters([]))
    defaults = query_defaults()
    for parameter in QUERY_COMMAND.params:
        if parameter.name in defaults:
            assert click_parameters([])[parameter.name] == defaults[parameter.name], parameter.name


# Command lines -------------------------------------------------------------

WORDS = [
    "-f", "--file", "-n", "--name", "-p", "--param", "-F", "--format", "-o", "--output", "--limit", "--labels",
    "--lang", "--timeout", "--max-rows", "--allow-service", "--endpoint", "--graph", "--user", "--password",
    "--help", "-h", "--", "-", "--bogus", "-x", "--labels=yes", "--format=csv", "--format=", "--limit=3",
    "--timeout=1.5", "-Fjson", "-Fxml", "-Fcsv", "-ncountries", "-f-", "csv", "json", "table", "turtle", "TABLE",
    "kk", "ru", "en", "de", "0", "1", "12", "-1", "1.5", "1.", ".5", "1e3", "inf", "nan", " 3", "٣", "+3", "3_0",
    "state=Russia", "q.rq", "SELECT * WHERE { ?s ?p ?o }", "ASK { ?s ?p ?o }", "", "--data", "query",
]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), max_size=7))
def test_a_command_line_read_quickly_gives_exactly_the_parameters_click_gives(arguments):
    quick = parse_query_command_line(["query", *arguments])
    if quick is None:
        return  # left to click: whatever click says is what the user sees
    data_dir, parameters = quick
    assert data_dir is None
    assert parameters == click_parameters(arguments), arguments


@pytest.mark.parametrize("arguments", [
    ["query", "--help"], ["query", "-h"], ["query", "--endpoint", "http://localhost:8890/sparql", "ASK {}"],
    ["query", "--format", "excel", "ASK {}"], ["query", "--limit", "-1"], ["query", "ASK {}", "ASK {}"],
    ["query", "--timeout"], ["show", "Russia"], ["--version"], [], ["--data"], ["queries"], ["query-x"],
    ["--help", "query"], ["query", "--labels=yes"],
])
def test_lines_the_quick_start_leaves_to_click(arguments):
    assert parse_query_command_line(arguments) is None
    assert answer_quickly(arguments) is None


@pytest.mark.parametrize("user, password", [("dba", "secret"), ("dba", ""), ("", "secret")])
def test_credentials_from_the_environment_are_read_as_click_reads_them(monkeypatch, user, password):
    monkeypatch.setenv("KG_SPARQL_USER", user)
    monkeypatch.setenv("KG_SPARQL_PASSWORD", password)
    assert parse_query_command_line(["query", "ASK {}"])[1] == click_parameters(["ASK {}"])


def test_shell_completion_is_left_to_click(monkeypatch):
    monkeypatch.setenv("_KG_COMPLETE", "bash_complete")
    assert parse_query_command_line(["query", "ASK {}"]) is None


def test_the_data_option_before_the_command(tmp_path):
    assert parse_query_command_line(["--data", str(tmp_path), "query", "ASK {}"])[0] == str(tmp_path)
    assert parse_query_command_line([f"--data={tmp_path}", "query", "ASK {}"])[0] == str(tmp_path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a directory")
    assert parse_query_command_line(["--data", str(a_file), "query", "ASK {}"]) is None  # click explains


# Same answers --------------------------------------------------------------

ANSWERED = [
    ["SELECT ?organization WHERE { kz:Kazakhstan kzo:memberOf ?organization } ORDER BY ?organization"],
    ["SELECT ?organization WHERE { kz:Kazakhstan kzo:memberOf ?organization } ORDER BY ?organization",
     "--labels", "--lang", "kk", "--format", "table"],
    ["SELECT ?organization WHERE { kz:Kazakhstan kzo:memberOf ?organization } ORDER BY ?organization",
     "-Fjson", "--limit=1"],
    ["--name", "state-evidence", "--param", "state=Russia", "--format", "tsv"],
    ["-n", "treaties-by-year", "-F", "xml"],
    ["ASK { kz:Kazakhstan kzo:memberOf kz:UN }"],
    ["ASK { kz:Kazakhstan kzo:memberOf kz:Kazakhstan }"],
    ["DESCRIBE kz:UN", "--format", "nt"],
    ["CONSTRUCT { kz:Kazakhstan kzo:memberOf ?o } WHERE { kz:Kazakhstan kzo:memberOf ?o }", "-F", "json-ld"],
    ["SELECT ?x WHERE { ?x kzo:memberOf kz:NoSuchThing }"],
    ["SELEC ?x WHERE { ?x ?y ?z }"],
    ["INSERT DATA { kz:a kz:b kz:c }"],
    ["SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"],
    ["--name", "members-off"],
    ["--param", "state", "--name", "state-evidence"],
    ["SELECT * WHERE { ?s ?p ?o }", "--max-rows", "3"],
    ["SELECT * WHERE { ?s ?p ?o }", "--labels", "--format", "json"],
    [],
    ["-f", "no-such-file.rq"],
]


@pytest.mark.parametrize("arguments", ANSWERED, ids=lambda a: " ".join(a)[:60] or "(nothing)")
def test_the_quick_start_answers_as_click_does(built_data, capsys, arguments):
    line = ["--data", str(built_data.root), "query", *arguments]
    expected = CliRunner().invoke(main, line)
    assert expected.exception is None or isinstance(expected.exception, SystemExit), expected.exception

    exit_code = answer_quickly(line)
    quick = capsys.readouterr()
    assert exit_code is not None, "the quick start should read this line"
    # Bytes: CliRunner's .stdout turns the \r\n of CSV into \n.
    assert (exit_code, quick.out.encode(), quick.err.encode()) == (
        expected.exit_code, expected.stdout_bytes, expected.stderr_bytes)


def test_the_quick_start_writes_output_files_atomically_as_click_does(built_data, tmp_path, capsys):
    query = "SELECT ?organization WHERE { kz:Kazakhstan kzo:memberOf ?organization } ORDER BY ?organization"
    by_click, by_quick = tmp_path / "click.json", tmp_path / "quick.json"
    assert CliRunner().invoke(main, ["--data", str(built_data.root), "query", query, "-o", str(by_click)]).exit_code == 0
    assert answer_quickly(["--data", str(built_data.root), "query", query, "-o", str(by_quick)]) == 0
    assert capsys.readouterr().err == f"wrote {by_quick}\n"
    assert by_quick.read_bytes() == by_click.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["click.json", "quick.json"]  # no temporary left


def test_a_missing_export_is_reported_the_same_way(tmp_path, capsys):
    line = ["--data", str(tmp_path), "query", "ASK { ?s ?p ?o }"]
    expected = CliRunner().invoke(main, line)
    assert answer_quickly(line) == expected.exit_code == 2
    assert capsys.readouterr().err == expected.stderr
    assert "run `kg build` first" in expected.stderr


def _run_on_a_terminal(code: str, cwd) -> tuple[bytes, int]:
    """Run ``python -c code`` with a pseudo-terminal as its stdout; its output and exit code."""
    import os
    import pty
    import sys

    pid, terminal = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        os.chdir(cwd)
        os.execv(sys.executable, [sys.executable, "-c", code])
    output = b""
    while True:
        try:
            chunk = os.read(terminal, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    os.close(terminal)
    _, status = os.waitpid(pid, 0)
    return output, os.waitstatus_to_exitcode(status)


def test_on_a_terminal_the_quick_start_prints_the_table_click_prints(built_data):
    """The default format and the table width depend on the terminal, which CliRunner is not."""
    from kg.paths import REPO_ROOT

    line = ["--data", str(built_data.root), "query", "--name", "state-evidence", "--param", "state=Russia",
            "--labels", "--lang", "kk"]
    by_quick = _run_on_a_terminal(f"import sys; sys.argv = ['kg', *{line!r}]; from kg.cli import run; run()",
                                  REPO_ROOT)
    by_click = _run_on_a_terminal(f"import sys; sys.argv = ['kg', *{line!r}]; from kg.cli import main; main()",
                                  REPO_ROOT)
    assert by_quick == by_click
    assert by_quick[1] == 0
    assert "Ресей" in by_quick[0].decode("utf-8") and "-----" in by_quick[0].decode("utf-8")
