"""kg build: deterministic, and the committed exports are what a fresh build gives."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kg.core.paths import REPO_ROOT

from tests.helpers.data import Kg, copy_data


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_twice_gives_byte_identical_exports(built_data, tmp_path):
    # The session's build is the first; a second copy is built, then built again over its own exports.
    second = copy_data(tmp_path / "b")
    assert Kg(second)("build").exit_code == 0
    assert _tree(second.exports) == _tree(built_data.exports)
    assert Kg(second)("build").exit_code == 0
    assert _tree(second.exports) == _tree(built_data.exports)


def test_committed_exports_are_fresh(built_data):
    """The exports in the repository are what `kg build` gives from the current seeds."""
    fresh = _tree(built_data.exports)
    committed = _tree(REPO_ROOT / "exports")
    stale = sorted(name for name in fresh if committed.get(name) != fresh[name])
    assert not stale, f"exports/ is stale ({', '.join(stale)}): run `kg build` and commit exports/"


def test_export_holds_ontology_data_and_materialized_triples(built_data):
    graph = Graph().parse(built_data.turtle_export)
    ask = lambda q: graph.query("PREFIX kzo: <https://w3id.org/kzkg/ontology#> PREFIX kz: <https://w3id.org/kzkg/id/> " + q).askAnswer  # noqa: E731
    assert ask("ASK { kzo:memberOf a owl:ObjectProperty }")
    assert ask("ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    # superproperty: signed gives partyTo
    assert ask("ASK { kz:Russia kzo:signed kz:Treaty-1992-05-25-KZ-RU . kz:Russia kzo:partyTo kz:Treaty-1992-05-25-KZ-RU }")
    # superclass type: a declaration is a treaty
    assert ask("ASK { kz:AlmatyDeclaration-1991 a kzo:Declaration , kzo:Treaty }")
    # symmetric property in both directions
    assert ask("ASK { kz:Kazakhstan kzo:borders kz:Russia . kz:Russia kzo:borders kz:Kazakhstan }")


def test_build_output_names_the_files(kg):
    result = kg("build")
    assert result.exit_code == 0, result.output
    assert "wrote exports/kazakhstan.ttl" in result.output
    assert "wrote exports/kazakhstan.html" in result.output
