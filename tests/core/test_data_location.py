"""Which data a command uses: --data, KG_DATA, the nearest working copy, the packaged graph.

The packaged graph is what an installed wheel carries in ``kg/bundled``;
here a built copy of the data stands in for it (``packaged_root`` patched),
so the rule and the refusals are tested without installing anything
(``tests/integration/test_distribution.py`` installs the real wheel).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core import paths as paths_module
from kg.core.errors import DataError, ReadOnlyData
from kg.core.paths import DataPaths, data_paths, find_working_copy


def _working_copy(root: Path) -> Path:
    (root / "seeds").mkdir(parents=True)
    (root / "ontology.ttl").write_text("", encoding="utf-8")
    return root


def test_data_option_wins_over_everything(tmp_path):
    chosen = data_paths(tmp_path / "given", environ={"KG_DATA": str(tmp_path / "env")}, cwd=_working_copy(tmp_path / "wc"))
    assert chosen == DataPaths((tmp_path / "given").resolve())


def test_kg_data_wins_over_the_working_copy(tmp_path):
    chosen = data_paths(environ={"KG_DATA": str(tmp_path / "env")}, cwd=_working_copy(tmp_path / "wc"))
    assert chosen.root == (tmp_path / "env").resolve()


def test_the_nearest_parent_holding_ontology_and_seeds_is_found(tmp_path):
    copy = _working_copy(tmp_path / "outer")
    _working_copy(tmp_path / "outer" / "inner")
    deep = tmp_path / "outer" / "inner" / "seeds" / "facts"
    deep.mkdir(parents=True)
    assert data_paths(environ={}, cwd=deep).root == (copy / "inner").resolve()
    assert find_working_copy(tmp_path) is None


def test_a_directory_with_only_an_ontology_is_not_a_working_copy(tmp_path):
    (tmp_path / "ontology.ttl").write_text("", encoding="utf-8")
    packaged = _working_copy(tmp_path / "packaged")
    chosen = data_paths(environ={}, cwd=tmp_path, packaged=packaged)
    assert chosen == DataPaths(packaged.resolve(), packaged=True)


def test_outside_any_working_copy_the_packaged_graph_is_used(tmp_path):
    packaged = _working_copy(tmp_path / "site-packages" / "kg" / "bundled")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    chosen = data_paths(environ={}, cwd=outside, packaged=packaged)
    assert chosen.packaged and chosen.root == packaged.resolve()


def test_no_data_anywhere_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.setattr(paths_module, "REPO_ROOT", tmp_path / "no-checkout")
    with pytest.raises(DataError, match="no data found"):
        data_paths(environ={}, cwd=tmp_path, packaged=False)


def test_the_packaged_graph_caches_outside_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    packaged = DataPaths(tmp_path / "bundled", packaged=True)
    assert packaged.cache == tmp_path / "cache" / "kazakhstan-kg"
    assert DataPaths(tmp_path).cache == tmp_path / ".kg-cache"


def test_packaged_root_reads_the_package_through_importlib_resources():
    # A checkout has no kg/bundled (the wheel build puts it there): no packaged graph.
    bundled = Path(paths_module.__file__).resolve().parent.parent / "bundled"
    assert (paths_module.packaged_root() is not None) == (bundled / "ontology.ttl").is_file()


# --- the CLI on the packaged graph -------------------------------------------


@pytest.fixture
def on_packaged_graph(built_data, tmp_path, monkeypatch):
    """Run kg from a directory outside any working copy, with ``built_data`` as the packaged graph."""
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.delenv("KG_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(paths_module, "packaged_root", lambda: built_data.root)

    def run(*args: str):
        return CliRunner().invoke(main, list(args))

    return run


@pytest.mark.parametrize("command", ["build", "validate", "fmt", "fix-quotes"])
def test_writing_commands_refuse_the_packaged_graph_in_one_line(on_packaged_graph, command):
    result = on_packaged_graph(command)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: kg {command} needs a working copy of the data, not the graph packaged with kg: "
        f"run `kg init DIR`, then `kg --data DIR {command}`\n"
    )


@pytest.mark.parametrize("args, expected", [
    (["query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"], "n\n"),
    (["show", "Russia"], "Russia  <https://w3id.org/kzkg/id/Russia>"),
    (["stats", "--format", "csv"], "triples_curated"),
    (["conflicts"], "disagreement(s)"),
    (["timeline", "--entity", "SemipalatinskTestSite", "--format", "csv"], "closed"),
    (["neighbors", "ШЫҰ", "--format", "csv"], "kz:Kazakhstan"),
    (["rank", "--top", "3", "--format", "csv"], "Kazakhstan"),
    (["export", "nodes-csv"], "id,label,label_en"),
    (["export", "html", "--focus", "Russia"], "<html"),
    (["path", "Belarus", "Kyrgyzstan", "--format", "csv"], "Belarus"),
    (["communities", "--class", "State", "--format", "csv"], "Kazakhstan"),
    (["queries"], "cq-01"),
])
def test_reading_commands_work_on_the_packaged_graph(on_packaged_graph, args, expected, tmp_path):
    result = on_packaged_graph(*args)
    assert result.exit_code == 0, result.output
    assert expected in result.output
    assert not (Path(os.getcwd()) / ".kg-cache").exists()


def test_kg_init_writes_a_working_copy_that_builds(on_packaged_graph, tmp_path):
    target = tmp_path / "my-graph"
    result = on_packaged_graph("init", str(target))
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"wrote ontology.ttl, seeds/ and the source texts into {target}\nnext: kg --data {target} build\n"
    )
    assert (target / "seeds" / "texts").is_dir() and (target / "ontology.ttl").is_file()
    built = on_packaged_graph("--data", str(target), "build")
    assert built.exit_code == 0, built.output
    assert (target / "exports" / "kazakhstan.ttl").is_file()


def test_kg_init_never_overwrites_a_working_copy(on_packaged_graph, tmp_path):
    target = _working_copy(tmp_path / "taken")
    result = on_packaged_graph("init", str(target))
    assert result.exit_code == 2
    assert result.output == f"Error: {target}: already holds ontology.ttl or seeds/; choose an empty directory\n"


def test_read_only_data_is_a_kg_error_with_exit_code_2():
    with pytest.raises(ReadOnlyData) as caught:
        DataPaths(Path("/nowhere"), packaged=True).require_working_copy("build")
    assert caught.value.exit_code == 2
