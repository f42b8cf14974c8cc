"""The scale generator (bench/scale.py): a grown graph that kg accepts, shaped like the real one.

One ~10k-triple graph is generated per module and checked through the CLI
(validate, build) and by reading its files with pyoxigraph. Expectations
are computed from the real seeds, never hard-coded.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.core.paths import REPO_ROOT, DataPaths
from kg.core.prefixes import KZ_IRI, KZO_IRI, PREFIXES
from tests.helpers.scale import load_scale

TARGET = 10_000
RDF_TYPE = PREFIXES["rdf"] + "type"
NON_ENTITY_CLASSES = {PREFIXES["rdf"] + "Statement", KZO_IRI + "Source"}
REPLICA = re.compile(r"__r(\d+)$")


scale = load_scale()


def seed_triples(root: Path) -> list:
    """Every triple of a data directory's seeds (not the ontology), parsed strictly."""
    triples = []
    for path in DataPaths(root).seed_files():
        triples.extend(pyoxigraph.parse(path.read_bytes(), pyoxigraph.RdfFormat.TURTLE))
    return triples


def entity_classes(triples) -> Counter:
    """How many entities each class has (statements and sources are not entities)."""
    types: dict[str, set[str]] = {}
    for triple in triples:
        if triple.predicate.value == RDF_TYPE:
            types.setdefault(triple.subject.value, set()).add(triple.object.value)
    return Counter(cls for classes in types.values() if not classes & NON_ENTITY_CLASSES for cls in classes)


def file_bytes(root: Path) -> dict[str, bytes]:
    """The generated files (not the exports a test may have built) by relative path."""
    paths = [root / "ontology.ttl", *sorted((root / "seeds").rglob("*"))]
    return {str(path.relative_to(root)): path.read_bytes() for path in paths if path.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale") / "data"
    summary = scale.generate(out, TARGET, seed=1)
    return out, summary


def run_kg(root: Path, *args: str):
    return CliRunner().invoke(main, ["--data", str(root), *args], catch_exceptions=False)


def test_generated_data_validates(generated):
    out, _ = generated
    result = run_kg(out, "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: the data conforms")


def test_built_export_has_about_the_requested_triples(generated):
    out, summary = generated
    result = run_kg(out, "build")
    assert result.exit_code == 0, result.output
    export = DataPaths(out).turtle_export
    count = sum(1 for _ in pyoxigraph.parse(export.read_bytes(), pyoxigraph.RdfFormat.TURTLE))
    assert abs(count - TARGET) <= 0.10 * TARGET, count
    # The generator's own count mirrors kg's materialization; a gap means the calibration is stale.
    assert abs(count - summary["export_triples_estimate"]) <= 0.01 * count, (count, summary)


def test_one_replica_counts_as_the_real_export():
    from kg.data.graph import load_graph

    real = load_graph(DataPaths(REPO_ROOT))
    template = scale.load_template(DataPaths(REPO_ROOT))
    assert scale.count_export(template, 1, 0.0, seed=1) == len(real.full)


def test_same_seed_gives_the_same_bytes_and_another_seed_other_wiring(generated, tmp_path):
    out, _ = generated
    again = tmp_path / "again"
    scale.generate(again, TARGET, seed=1)
    assert file_bytes(again) == file_bytes(out)

    other = tmp_path / "other"
    scale.generate(other, TARGET, seed=2)
    ours, theirs = file_bytes(out), file_bytes(other)
    assert ours.keys() == theirs.keys()
    assert any(ours[name] != theirs[name] for name in ours if name.startswith("seeds/facts/"))


def test_copies_are_byte_identical(generated):
    out, _ = generated
    real, made = DataPaths(REPO_ROOT), DataPaths(out)
    assert made.ontology.read_bytes() == real.ontology.read_bytes()
    assert (made.seeds / "sources.ttl").read_bytes() == (real.seeds / "sources.ttl").read_bytes()
    for text in sorted(real.texts.iterdir()):
        assert (made.texts / text.name).read_bytes() == text.read_bytes()


def test_class_mix_follows_the_real_seeds(generated):
    out, summary = generated
    real = entity_classes(seed_triples(REPO_ROOT))
    made = entity_classes(seed_triples(out))
    assert made.keys() == real.keys()
    real_total, made_total = sum(real.values()), sum(made.values())
    # As many entities as replicas of the real seeds (the partial one rounds each class's sample).
    assert summary["replicas"] > 1 and made_total > real_total
    assert abs(made_total - summary["replicas"] * real_total) <= 0.05 * made_total, (made_total, summary)
    for cls in real:
        share_real, share_made = real[cls] / real_total, made[cls] / made_total
        assert abs(share_made - share_real) < 0.03, (cls, share_real, share_made)


def _entity_edges(triples):
    """(subject, object) of every fact between two kz: entities."""
    typed = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE}
    statements = {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value in NON_ENTITY_CLASSES}
    for triple in triples:
        if (
            triple.predicate.value.startswith(KZO_IRI)
            and isinstance(triple.object, pyoxigraph.NamedNode)
            and triple.object.value.startswith(KZ_IRI)
            and triple.subject.value in typed
            and triple.subject.value not in statements
        ):
            yield triple.subject.value, triple.object.value


def test_kazakhstan_is_the_hub(generated):
    out, _ = generated
    degree = Counter()
    for subject, obj in set(_entity_edges(seed_triples(out))):
        degree[subject] += 1
        degree[obj] += 1
    (top, _), (second, second_degree) = degree.most_common(2)
    assert top == KZ_IRI + "Kazakhstan"
    assert degree[top] > 2 * second_degree


def test_replicas_are_wired_together(generated):
    out, _ = generated

    def replica(iri: str) -> int | None:
        if iri == KZ_IRI + "Kazakhstan":
            return None
        match = REPLICA.search(iri)
        return int(match.group(1)) if match else 0

    pairs = [(replica(s), replica(o)) for s, o in _entity_edges(seed_triples(out))]
    between = [(a, b) for a, b in pairs if a is not None and b is not None]
    crossing = sum(1 for a, b in between if a != b) / len(between)
    # About REWIRE_PROBABILITY of the full replicas' links, and more in the partial one.
    assert 0.15 < crossing < 0.6, crossing


def test_every_quote_is_verbatim_in_its_source_text(generated):
    out, _ = generated
    triples = seed_triples(out)
    texts = {
        t.subject.value: (DataPaths(out).texts / t.object.value).read_text(encoding="utf-8")
        for t in triples
        if t.predicate.value == KZO_IRI + "fileName"
    }
    derived = {t.subject.value: t.object.value for t in triples if t.predicate.value == PREFIXES["prov"] + "wasDerivedFrom"}
    quotes = [(t.subject.value, t.object) for t in triples if t.predicate.value == KZO_IRI + "quote"]
    assert len(quotes) > len({q.value for _, q in quotes})  # copies reuse the real quotes
    for statement, quote in quotes:
        assert quote.language == "kk"
        assert quote.value in texts[derived[statement]], statement


def test_copies_have_numbered_names_and_no_blank_nodes(generated):
    out, _ = generated
    triples = seed_triples(out)
    assert not any(isinstance(node, pyoxigraph.BlankNode) for t in triples for node in (t.subject, t.object))
    label_predicates = {PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel"}
    copies = 0
    for triple in triples:
        match = REPLICA.search(triple.subject.value)
        if match and triple.predicate.value in label_predicates:
            copies += 1
            assert triple.object.value.endswith(" " + match.group(1)), triple
    assert copies > 0


def test_every_subject_starts_a_line(generated):
    """kg reports problems at file:line by finding ``kz:Name`` at the start of a line."""
    out, _ = generated
    for path in DataPaths(out).seed_files():
        if path.name == "sources.ttl":
            continue
        text = path.read_text(encoding="utf-8")
        starts = set(re.findall(r"^(kz:\S+) ", text, flags=re.MULTILINE))
        subjects = {t.subject.value for t in pyoxigraph.parse(text.encode(), pyoxigraph.RdfFormat.TURTLE)}
        assert {KZ_IRI + name[3:] for name in starts} == subjects, path


def test_not_facts_mirror_the_validator():
    from tests.helpers.rdflib_checks import NOT_FACTS

    assert scale.NOT_FACTS == {str(term) for term in NOT_FACTS}


def test_refuses_a_non_empty_directory_unless_forced(tmp_path, capsys):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError):
        scale.generate(out, TARGET, seed=1)
    assert scale.main(["--triples", str(TARGET), "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err

    assert scale.main(["--triples", str(TARGET), "--out", str(out), "--force"]) == 0
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / "ontology.ttl").is_file()


def test_help_has_an_example(capsys):
    with pytest.raises(SystemExit) as exit_info:
        scale.main(["--help"])
    assert exit_info.value.code == 0
    assert "bench/scale.py --triples 100000 --seed 1 --out" in capsys.readouterr().out
