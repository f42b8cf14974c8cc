"""Hardening of the command line against odd input: each test names what once broke (issue 15)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from kg.cli import main
from tests.helpers.data import copy_data


def run_kg(*args, data=None, env=None, **options) -> subprocess.CompletedProcess:
    """``kg`` in a fresh process (for what CliRunner cannot fake: closed descriptors, odd argv bytes)."""
    command = [sys.executable, "-m", "kg.cli"]
    if data is not None:
        command += ["--data", data]
    options = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **options}
    return subprocess.run([*command, *args], timeout=120, env={**os.environ, **(env or {})}, **options)


# Finding 10: tracebacks from odd input -----------------------------------------------------------


def test_query_on_stdin_not_utf8_is_one_line(kg):
    result = kg("query", "-", input=b"ASK {} \xff")
    assert result.exit_code == 2
    assert result.output == "Error: standard input: not UTF-8 text (byte 7)\n"


def test_query_argument_not_utf8_is_one_line(built_data):
    result = run_kg("query", b"ASK {} \xff", data=str(built_data.root))
    assert result.returncode == 2
    assert result.stderr == b"Error: the query argument: not UTF-8 text (byte 7)\n"


def test_query_file_dev_zero_is_refused_before_memory_runs_out(kg):
    result = kg("query", "-f", "/dev/zero")
    assert result.exit_code == 2
    assert result.output == "Error: /dev/zero: larger than 16 MB, which is not a query kg reads\n"


def test_stdout_closed_is_one_line_and_output_file_still_works(built_data, tmp_path):
    closed = {"stdout": None, "stdin": subprocess.DEVNULL}

    def closed_stdout():
        os.close(1)

    result = run_kg("query", "ASK {}", data=str(built_data.root), preexec_fn=closed_stdout, **closed)
    assert result.returncode == 2
    assert result.stderr == b"Error: standard output is closed: redirect it (> FILE) or give -o FILE\n"
    target = tmp_path / "answer.txt"
    result = run_kg("query", "-o", str(target), "ASK {}", data=str(built_data.root), preexec_fn=closed_stdout,
                    **closed)
    assert result.returncode == 0, result.stderr
    assert target.read_text() == "true\n"


@pytest.mark.parametrize("term", ["<<( kz:Kazakhstan kzo:memberOf kz:UN )>>", "<< kz:Kazakhstan kzo:memberOf kz:UN >>"])
@pytest.mark.parametrize("command", ["validate", "build", "fmt"])
def test_seed_holding_a_triple_term_is_refused_with_file_and_line(kg_small, term, command):
    path = kg_small.paths.seeds / "facts" / "zz-test.ttl"
    path.write_text("@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"
                    f"kz:Kazakhstan kzo:note {term} .\n", encoding="utf-8")
    result = kg_small(command)
    assert result.exit_code == 2, result.output
    assert "zz-test.ttl:3: holds a triple term" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [["validate"], ["build"], ["fmt", "--check"]])
def test_ill_typed_date_prints_no_stray_rdflib_traceback(kg_small, command):
    path = kg_small.paths.seeds / "facts" / "zz-test.ttl"
    path.write_text(
        "@prefix kz: <https://w3id.org/kzkg/id/> .\n@prefix kzo: <https://w3id.org/kzkg/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'kz:Kazakhstan kzo:note "1992-13-45"^^xsd:date .\n', encoding="utf-8")
    # In a fresh process: under pytest, its logging capture would swallow rdflib's message.
    result = run_kg(*command, data=str(kg_small.paths.root))
    assert b"Traceback" not in result.stderr and b"Failed to convert Literal" not in result.stderr, result.stderr


# Finding 9: the query child's OSError and RuntimeError paths -------------------------------------


def test_export_path_that_is_a_directory_is_one_line(kg_small):
    assert kg_small("build").exit_code == 0
    export = kg_small.paths.turtle_export
    export.unlink()
    export.mkdir()
    result = kg_small("query", "ASK {}")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and len(result.output.splitlines()) == 1
    assert "kazakhstan.ttl" in result.output


def test_truncated_query_store_is_one_line_or_rebuilt(kg_small, monkeypatch):
    monkeypatch.setenv("KG_QUERY_STORE", "disk")
    assert kg_small("build").exit_code == 0
    assert kg_small("query", "ASK {}").exit_code == 0
    for store in kg_small.paths.cache.glob("store-*"):
        for file in store.iterdir():
            if file.is_file() and file.name != ".complete":
                file.write_bytes(b"")
    result = kg_small("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    assert "Traceback" not in result.output
    assert (result.exit_code, result.output) == (0, "true\n") or (
        result.exit_code == 2 and len(result.output.splitlines()) == 1), result.output


def test_disk_full_while_the_query_store_is_built_is_one_line(built_data, tmp_path):
    paths = copy_data(tmp_path / "data")
    shutil.copytree(built_data.exports, paths.exports, dirs_exist_ok=True)
    shutil.rmtree(paths.cache, ignore_errors=True)

    def small_files():
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

    result = run_kg("query", "ASK {}", data=str(paths.root), env={"KG_QUERY_STORE": "disk"}, preexec_fn=small_files)
    # The store is only a cache: without room for it the export is read into memory (hardB, issue 15 finding 9).
    assert (result.returncode, result.stdout) == (0, b"true\n"), result.stderr
    assert b"Traceback" not in result.stderr
    assert not list(paths.cache.glob(".store-*"))


def test_data_directory_whose_name_is_not_utf8_is_queried(built_data, tmp_path):
    root = os.path.join(os.fsencode(tmp_path), b"data-\xff")
    shutil.copytree(os.fsencode(built_data.root), root, ignore=lambda _, names: [n for n in names if n == b".kg-cache"])
    for mode in ("auto", "disk"):
        result = run_kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }", data=root, env={"KG_QUERY_STORE": mode})
        assert (result.returncode, result.stdout, result.stderr) == (0, b"true\n", b""), result.stderr
    missing = run_kg("show", "Nowhere", data=root + b"/nope")
    assert missing.returncode == 2 and b"data-\\xff/nope" in missing.stderr and b"Traceback" not in missing.stderr


# Finding 15: empty arguments fell back silently ---------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--data", "", "show", "Russia"],
    ["export", "html", "--focus", "", "-o", "view.html"],
    ["show", ""],
    ["query", "--endpoint", "", "ASK {}"],
    ["query", "--graph", "", "ASK {}"],
    ["query", "-o", "", "ASK {}"],
    ["query", "-f", ""],
    ["query", "--name", ""],
    ["path", "", "Russia"],
], ids=lambda args: "-".join(a for a in args if a.startswith("-") or a in ("show", "path")) or "empty")
def test_empty_argument_is_refused_not_taken_as_absent(kg, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = kg.runner.invoke(main, args) if args[0] == "--data" else kg(*args)
    assert result.exit_code == 2, result.output
    assert "must not be empty" in result.output
    assert list(tmp_path.iterdir()) == []


def test_library_refuses_an_empty_data_directory_and_focus(built_data):
    from kg.core.errors import KGError
    from kg.core.paths import data_paths
    from kg.data.querystore import open_export_store
    from kg.render.html import ViewSpec, html_from_store

    with pytest.raises(KGError, match="empty path"):
        data_paths("")
    with pytest.raises(KGError):
        html_from_store(open_export_store(built_data), ViewSpec(focus=""), lambda: None)


# Finding 19: names typed in decomposed Unicode were not matched ----------------------------------

DECOMPOSED_RUSSIA = "Ресеи\u0306"  # й typed as и + combining breve


def test_decomposed_name_finds_the_entity(kg):
    assert DECOMPOSED_RUSSIA != "Ресей"
    for args in (["show", DECOMPOSED_RUSSIA], ["path", DECOMPOSED_RUSSIA, "Kazakhstan"],
                 ["neighbors", DECOMPOSED_RUSSIA]):
        result = kg(*args)
        assert result.exit_code == 0, (args, result.output)
    assert kg("show", DECOMPOSED_RUSSIA).stdout.startswith("Russia")


def test_decomposed_name_focuses_the_html_view(kg, tmp_path):
    result = kg("export", "html", "--focus", DECOMPOSED_RUSSIA, "-o", str(tmp_path / "view.html"))
    assert result.exit_code == 0, result.output


def test_decomposed_param_literal_matches_the_data(kg):
    query = 'SELECT ?e WHERE { VALUES ?name { "x" } ?e rdfs:label ?name }'
    result = kg("query", "--format", "csv", "--param", f'name="{DECOMPOSED_RUSSIA}"@kk', query)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ["https://w3id.org/kzkg/id/Russia"]


def test_every_name_matcher_folds_to_nfc():
    from kg.data.evidence import fold_for_search

    assert fold_for_search(DECOMPOSED_RUSSIA) == fold_for_search("Ресей")
    assert fold_for_search("Cafe\u0301") == fold_for_search("Café")


# Finding 10: a cache file of the wrong type -------------------------------------------------------


def test_cache_file_that_is_a_fifo_is_ignored_not_opened(kg_small, monkeypatch):
    monkeypatch.setenv("KG_QUERY_STORE", "disk")
    assert kg_small("build").exit_code == 0
    shutil.rmtree(kg_small.paths.cache, ignore_errors=True)
    kg_small.paths.cache.mkdir()
    os.mkfifo(kg_small.paths.cache / "export.digest")  # opening it for reading would wait for a writer forever
    result = run_kg("query", "ASK { kz:Kazakhstan kzo:memberOf kz:UN }", data=str(kg_small.paths.root),
                    env={"KG_QUERY_STORE": "disk"})
    assert (result.returncode, result.stdout) == (0, b"true\n"), result.stderr

