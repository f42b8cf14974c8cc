#!/usr/bin/env python3
"""Grow the real graph to a given size, deterministically, for benchmarks.

``generate(out, triples, seed)`` writes a complete data directory (what
``kg --data OUT validate`` and ``kg --data OUT build`` read) whose built
export, ``exports/kazakhstan.ttl``, holds about ``triples`` triples.

How the shape is kept
---------------------
The generator starts from the curated seeds themselves (parsed with
pyoxigraph), so it follows the data as it grows rather than a model of it:

* Replicas. Replica 0 is the real data, unchanged. Replica k >= 1 copies every
  entity ``kz:X`` as ``kz:X__rk`` and every statement node ``kz:st-...`` as
  ``kz:st-...__rk``: same classes, same properties, same qualifiers, so the
  class mix, the property mix and the statements-per-fact ratio are those of
  the seeds. Labels and alternative labels get the suffix `` k`` in every
  language, so every name stays unique (@en, @kk and @ru where the seed has
  one). ``owl:sameAs`` stays on replica 0 only: copies are not the Wikidata
  entity. ISO codes are kept (the shapes check that a code is valid, not
  that it is unique).
* Shared nodes. ``kz:Kazakhstan`` and the ``kzo:Source`` nodes are not
  copied. Kazakhstan's own facts are repeated in every replica, pointing at
  that replica's entities, so it stays the hub it is in the real data;
  statements keep their ``prov:wasDerivedFrom`` source and their verbatim
  ``kzo:quote``, so every quote is still a substring of its text.
* Wiring. In replica k the object of each entity-to-entity fact is, with
  probability 0.3, the same entity's copy in another replica, drawn from a
  ``random.Random`` seeded by (seed, k): the replicas form one connected
  network instead of islands. A fact's statements follow its triple, so
  every statement still reifies an asserted fact, and the object keeps its
  class, so every domain and range still holds.
* The last replica may be partial: a stratified sample of each class's
  entities, with their facts and statements (objects outside the sample are
  wired to full replicas), so the size is met to within about 1%.

Calibration
-----------
The export is the ontology + the seeds + the triples ``kg`` materializes
(superclass types, superproperties, both directions of symmetric
properties). The generator counts that set exactly while it writes, with
the same closures as ``kg/materialize.py`` (on the real seeds it gives the
same number as ``kg validate``: 5,034 at the time of writing). To pick the
number of replicas it first counts 1 and 3 replicas without writing, fits
``export = base + per_replica * replicas`` (base: the ontology and the
shared nodes), and solves for the requested size. The exact count of what
was written, with the dataset description kg adds, is returned as ``export_triples_estimate``.

Output: ``ontology.ttl``, ``seeds/texts/`` and ``seeds/sources.ttl`` are byte
copies; every other seed file becomes ``seeds/<same folder>/<name>-NNNN.ttl``
chunks of at most 50,000 subjects and 16 MB, one subject per block starting
its line (``kz:Name ...``), plain Turtle with no blank nodes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.core.paths import DataPaths  # noqa: E402  (no rdflib: the generator stays fast)
from kg.core.prefixes import KZ_IRI, KZO_IRI, PREFIXES  # noqa: E402

RDF = PREFIXES["rdf"]
RDF_TYPE = RDF + "type"
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD_STRING = PREFIXES["xsd"] + "string"
STATEMENT = RDF + "Statement"
SOURCE = KZO_IRI + "Source"
HUB = KZ_IRI + "Kazakhstan"
#: Names whose copies get the replica number appended.
LABELS = {RDFS + "label", PREFIXES["skos"] + "altLabel"}
#: Kept on the original only: a copy is not the same real-world thing.
ORIGINAL_ONLY = {OWL + "sameAs"}
#: kzo: properties that are not facts; mirrors ontology.ttl's kzo:NonFactProperty (a test checks).
NOT_FACTS = {KZO_IRI + n for n in ("iso3166Alpha3", "iso3166Part3Code", "surfaceForm", "fileName")}

REWIRE_PROBABILITY = 0.3
MAX_SUBJECTS_PER_FILE = 50_000
MAX_BYTES_PER_FILE = 16_000_000
COPIED_SEED_FILES = ("sources.ttl",)
REIFICATION = (RDF + "subject", RDF + "predicate", RDF + "object")

_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Longest namespace first, so a prefix never shadows a longer one.
_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_HEADER = "".join(f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n" for prefix in sorted(PREFIXES)) + "\n"


# --- Turtle terms -------------------------------------------------------------


def iri_term(iri: str) -> str:
    """An IRI as Turtle: prefixed where the local name is plainly safe, else <...>."""
    for prefix, base in _PREFIX_ORDER:
        if iri.startswith(base) and _SAFE_LOCAL.fullmatch(iri[len(base):]):
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>"


def escape_string(value: str) -> str:
    r"""The body of a "..." Turtle string that parses back to exactly ``value``.

    >>> escape_string('a "b"\\\n\u00a0c')
    'a \\"b\\"\\\\\\n\xa0c'
    """
    value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if _CONTROL.search(value):
        value = _CONTROL.sub(lambda match: f"\\u{ord(match.group()):04X}", value)
    return value


def literal_tail(literal) -> str:
    """What follows the closing quote: @lang, ^^datatype, or nothing for xsd:string."""
    if literal.language:
        return "@" + literal.language
    if literal.datatype.value == XSD_STRING:
        return ""
    return "^^" + iri_term(literal.datatype.value)


def term(node) -> str:
    import pyoxigraph

    if isinstance(node, pyoxigraph.NamedNode):
        return iri_term(node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return "_:" + node.value
    return '"' + escape_string(node.value) + '"' + literal_tail(node)


def predicate_term(iri: str) -> str:
    return "a" if iri == RDF_TYPE else iri_term(iri)


# --- The template: the real seeds, analysed once -------------------------------

# How the object of one triple is written in replica k.
CONSTANT, LABEL, WIRED, ENTITY_REF, STATEMENT_REF = range(5)


@dataclass
class TripleTemplate:
    predicate: str  # as written (rdf:type is "a")
    kind: int
    object: str  # the constant, or the literal's escaped body, or the IRI's written form
    tail: str = ""  # a literal's @lang/^^datatype; for IRIs, ">" when written in full
    fact: int | None = None  # the fact this triple states or reifies (inclusion, wiring)
    reference: str | None = None  # the IRI an ENTITY_REF or STATEMENT_REF points to
    original_only: bool = False
    inferred: tuple = ()  # ("type", class) or (predicate, swapped) pairs it materializes


@dataclass
class Block:
    """One run of triples about one subject, in the order of the seed file."""

    stream: str  # output path stem, e.g. "entities/states"
    subject: str  # IRI
    written: str  # the subject as written in replica 0
    replicated: bool
    statement_fact: int | None
    triples: list[TripleTemplate] = field(default_factory=list)


@dataclass
class Template:
    blocks: list[Block]
    fact_keys: list[tuple]  # fact id -> (subject IRI, predicate IRI, object as written)
    fact_objects: list[str | None]  # fact id -> its object's IRI (None for a literal)
    statement_facts: dict[str, int]  # statement node -> the fact it reifies
    hub_facts: list[int]  # facts whose subject is shared (Kazakhstan)
    fact_subject: dict[int, str]
    entity_class: dict[str, str]  # replicated entity -> its class (first declared type)
    base_triples: set[int]  # hashes: ontology, copied files, and what they materialize
    copied_files: list[Path]
    description_triples: int = 0  # the dataset's VoID/DCAT description kg adds (kg.data.describe)


def _closures(ontology: list) -> tuple[dict, dict, set]:
    """Superclasses, superproperties (transitive) and symmetric properties, as kg.materialize reads them."""
    import pyoxigraph

    direct: dict[str, dict[str, set[str]]] = {RDFS + "subClassOf": {}, RDFS + "subPropertyOf": {}}
    symmetric = set()
    for triple in ontology:
        if not isinstance(triple.subject, pyoxigraph.NamedNode) or not isinstance(triple.object, pyoxigraph.NamedNode):
            continue
        relation = triple.predicate.value
        if relation in direct:
            direct[relation].setdefault(triple.subject.value, set()).add(triple.object.value)
        elif relation == RDF_TYPE and triple.object.value == OWL + "SymmetricProperty":
            symmetric.add(triple.subject.value)

    def close(edges: dict[str, set[str]]) -> dict[str, list[str]]:
        closed = {}
        for start in edges:
            seen: set[str] = set()
            stack = list(edges[start])
            while stack:
                parent = stack.pop()
                if parent not in seen:
                    seen.add(parent)
                    stack.extend(edges.get(parent, ()))
            closed[start] = sorted(seen)
        return closed

    return close(direct[RDFS + "subClassOf"]), close(direct[RDFS + "subPropertyOf"]), symmetric


class _Inference:
    """What one triple adds to the export, as (predicate, swapped) steps; cached per predicate."""

    def __init__(self, ontology: list):
        self.superclasses, self.superproperties, self.symmetric = _closures(ontology)
        self._cache: dict[tuple[str, bool], tuple] = {}

    def of(self, predicate: str, obj_iri: str | None, object_is_iri: bool) -> tuple:
        if predicate == RDF_TYPE:
            return tuple(("type", iri_term(parent)) for parent in self.superclasses.get(obj_iri or "", ()))
        if not predicate.startswith(KZO_IRI):
            return ()
        key = (predicate, object_is_iri)
        if key not in self._cache:
            start = (predicate, False)
            seen = {start}
            stack = [start]
            while stack:
                current, swapped = stack.pop()
                steps = [(parent, swapped) for parent in self.superproperties.get(current, ())]
                if current in self.symmetric and object_is_iri:
                    steps.append((current, not swapped))
                for step in steps:
                    if step not in seen:
                        seen.add(step)
                        stack.append(step)
            self._cache[key] = tuple(sorted((predicate_term(p), s) for p, s in seen - {start}))
        return self._cache[key]


def _count_into(seen: set[int], subject: str, predicate: str, obj: str, inferred: tuple) -> None:
    """Add one written triple, and what kg materializes from it, to the export's count.

    Hashes stand for triples to keep 1M of them in ~100 MB; a collision among
    64-bit hashes at this size is vanishingly unlikely.
    """
    seen.add(hash((subject, predicate, obj)))
    for step, detail in inferred:
        if step == "type":  # detail: a superclass
            seen.add(hash((subject, "a", detail)))
        elif detail:  # detail: the direction is swapped (a symmetric property)
            seen.add(hash((obj, step, subject)))
        else:
            seen.add(hash((subject, step, obj)))


def _iri(node) -> str | None:
    import pyoxigraph

    return node.value if isinstance(node, pyoxigraph.NamedNode) else None


def _parse(path: Path) -> list:
    import pyoxigraph

    return list(pyoxigraph.parse(path.read_bytes(), pyoxigraph.RdfFormat.TURTLE))


def load_template(source: DataPaths) -> Template:
    """Read the real ontology and seeds and turn them into replicable blocks."""
    import pyoxigraph

    ontology = _parse(source.ontology)
    inference = _Inference(ontology)
    base: set[int] = set()
    for triple in ontology:
        obj = triple.object
        obj_iri = obj.value if isinstance(obj, pyoxigraph.NamedNode) else None
        inferred = inference.of(triple.predicate.value, obj_iri, not isinstance(obj, pyoxigraph.Literal))
        _count_into(base, term(triple.subject), predicate_term(triple.predicate.value), term(obj), inferred)

    copied = [source.seeds / name for name in COPIED_SEED_FILES if (source.seeds / name).is_file()]
    parsed: dict[Path, list] = {path: _parse(path) for path in source.seed_files()}
    types: dict[str, set[str]] = {}
    for triples in parsed.values():
        for triple in triples:
            if triple.predicate.value == RDF_TYPE and isinstance(triple.subject, pyoxigraph.NamedNode):
                types.setdefault(triple.subject.value, set()).add(triple.object.value)
            if isinstance(triple.subject, pyoxigraph.BlankNode) or isinstance(triple.object, pyoxigraph.BlankNode):
                raise ValueError("the seeds hold blank nodes, which the generator does not copy")
    statements = {iri for iri, classes in types.items() if STATEMENT in classes}
    sources = {iri for iri, classes in types.items() if SOURCE in classes}
    shared = sources | {HUB}

    def replicated(node) -> bool:
        return isinstance(node, pyoxigraph.NamedNode) and node.value.startswith(KZ_IRI) and node.value not in shared

    def is_fact(triple) -> bool:
        predicate = triple.predicate.value
        subject = triple.subject.value
        return predicate.startswith(KZO_IRI) and predicate not in NOT_FACTS and subject not in statements and subject not in sources

    # Facts: the (subject, predicate, object) of every fact triple and of every
    # statement, each with its object's IRI (None for a literal).
    objects: dict[tuple, str | None] = {}
    reified: dict[str, dict[str, object]] = {}
    for triples in parsed.values():
        for triple in triples:
            if is_fact(triple):
                objects[(triple.subject.value, triple.predicate.value, term(triple.object))] = _iri(triple.object)
            elif triple.subject.value in statements and triple.predicate.value in REIFICATION:
                reified.setdefault(triple.subject.value, {})[triple.predicate.value] = triple.object
    statement_key: dict[str, tuple] = {}
    for node, parts in reified.items():
        if len(parts) == len(REIFICATION):
            subject, predicate, obj = (parts[name] for name in REIFICATION)
            statement_key[node] = (subject.value, predicate.value, term(obj))
            objects.setdefault(statement_key[node], _iri(obj))
    fact_keys = sorted(objects)
    fact_ids = {key: index for index, key in enumerate(fact_keys)}
    statement_facts = {node: fact_ids[key] for node, key in statement_key.items()}

    blocks: list[Block] = []
    for path, triples in parsed.items():
        if path in copied:
            for triple in triples:
                obj = triple.object
                obj_iri = obj.value if isinstance(obj, pyoxigraph.NamedNode) else None
                inferred = inference.of(triple.predicate.value, obj_iri, not isinstance(obj, pyoxigraph.Literal))
                _count_into(base, term(triple.subject), predicate_term(triple.predicate.value), term(obj), inferred)
            continue
        stream = path.relative_to(source.seeds).with_suffix("").as_posix()
        for triple in triples:
            subject = triple.subject.value
            if not blocks or blocks[-1].subject != subject or blocks[-1].stream != stream:
                blocks.append(
                    Block(
                        stream=stream,
                        subject=subject,
                        written=iri_term(subject),
                        replicated=replicated(triple.subject),
                        statement_fact=statement_facts.get(subject),
                    )
                )
            block = blocks[-1]
            predicate = triple.predicate.value
            obj = triple.object
            obj_iri = obj.value if isinstance(obj, pyoxigraph.NamedNode) else None
            fact = fact_ids[(subject, predicate, term(obj))] if is_fact(triple) else None
            template = TripleTemplate(
                predicate=predicate_term(predicate),
                kind=CONSTANT,
                object=term(obj),
                fact=fact,
                original_only=(predicate in ORIGINAL_ONLY and block.replicated) or (not block.replicated and fact is None),
                inferred=inference.of(predicate, obj_iri, not isinstance(obj, pyoxigraph.Literal)),
            )
            if isinstance(obj, pyoxigraph.Literal) and predicate in LABELS and block.replicated:
                template.kind, template.object, template.tail = LABEL, escape_string(obj.value), literal_tail(obj)
            elif replicated(obj):
                written = iri_term(obj.value)
                head, tail = (written[:-1], ">") if written.endswith(">") else (written, "")
                template.object, template.tail, template.reference = head, tail, obj.value
                if fact is not None:
                    template.kind = WIRED
                elif predicate == RDF + "object" and block.statement_fact is not None:
                    template.kind, template.fact = WIRED, block.statement_fact
                elif obj.value in statements:
                    template.kind = STATEMENT_REF
                else:
                    template.kind = ENTITY_REF
            block.triples.append(template)

    entity_class = {
        iri: sorted(classes)[0]
        for iri, classes in types.items()
        if iri.startswith(KZ_IRI) and iri not in shared and iri not in statements
    }
    return Template(
        blocks=blocks,
        fact_keys=fact_keys,
        fact_objects=[objects[key] for key in fact_keys],
        statement_facts=statement_facts,
        hub_facts=[index for index, key in enumerate(fact_keys) if key[0] in shared],
        fact_subject={index: key[0] for index, key in enumerate(fact_keys)},
        entity_class=entity_class,
        base_triples=base,
        copied_files=copied,
        description_triples=_description_triples(source),
    )


def _description_triples(source: DataPaths) -> int:
    """How many triples the dataset's description adds: as many for every size, since a replica
    brings no new class (its counts change, not its shape)."""
    import pyoxigraph

    from kg.data.store import DESCRIPTION_GRAPH, materialized_store

    store = materialized_store(source)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(DESCRIPTION_GRAPH)))


# --- One replica ---------------------------------------------------------------


@dataclass
class Replica:
    """What replica ``number`` holds and where its facts point."""

    number: int
    present: set[str] | None  # replicated entities in it; None: all of them
    included: set[int] | None  # facts in it; None: all of them
    wiring: dict[int, int]  # fact -> the replica its object is taken from


def plan_replica(template: Template, number: int, full: int, fraction: float, seed: int) -> Replica:
    """Sample (for the partial replica) and wire replica ``number``; replicas 0..full-1 are whole."""
    rng = random.Random(f"{seed}:{number}")
    present = included = None
    if number >= full:
        present = set()
        by_class: dict[str, list[str]] = {}
        for iri, cls in sorted(template.entity_class.items()):
            by_class.setdefault(cls, []).append(iri)
        for cls in sorted(by_class):
            members = by_class[cls]
            present.update(rng.sample(members, round(fraction * len(members))))
        hub = set(template.hub_facts)
        included = set()
        for fact in range(len(template.fact_keys)):
            if fact in hub:
                if rng.random() < fraction:
                    included.add(fact)
            elif template.fact_subject[fact] in present:
                included.add(fact)
    wiring = {}
    others = [replica for replica in range(full) if replica != number]
    for fact, obj_iri in enumerate(template.fact_objects):
        if obj_iri not in template.entity_class:
            continue  # a literal, or a shared node such as Kazakhstan
        target = number
        missing = present is not None and obj_iri not in present
        if others and (missing or rng.random() < REWIRE_PROBABILITY):
            target = rng.choice(others)
        wiring[fact] = target
    return Replica(number=number, present=present, included=included, wiring=wiring)


def _replica_name(head: str, tail: str, number: int) -> str:
    return head + tail if number == 0 else f"{head}__r{number}{tail}"


def render_replica(template: Template, replica: Replica, seen: set[int], emit) -> int:
    """Write one replica's blocks through ``emit(stream, text)``; count its triples into ``seen``."""
    number = replica.number
    present, included, wiring = replica.present, replica.included, replica.wiring
    suffix = "" if number == 0 else f" {number}"
    written = 0
    for block in template.blocks:
        if block.replicated:
            if block.statement_fact is not None:
                if included is not None and block.statement_fact not in included:
                    continue
            elif present is not None and block.subject not in present:
                continue
            if block.written.endswith(">"):
                subject = _replica_name(block.written[:-1], ">", number)
            else:
                subject = _replica_name(block.written, "", number)
        else:
            subject = block.written
        lines = []
        for triple in block.triples:
            if triple.original_only and number:
                continue
            if triple.fact is not None and included is not None and triple.fact not in included:
                continue
            kind = triple.kind
            if kind == CONSTANT:
                obj = triple.object
            elif kind == LABEL:
                obj = f'"{triple.object}{suffix}"{triple.tail}'
            elif kind == WIRED:
                obj = _replica_name(triple.object, triple.tail, wiring.get(triple.fact, number))
            elif kind == ENTITY_REF:
                here = present is None or triple.reference in present
                obj = _replica_name(triple.object, triple.tail, number if here else 0)
            else:  # STATEMENT_REF: the other statement, if this replica holds it
                obj = _replica_name(triple.object, triple.tail, number)
                if included is not None and template.statement_facts.get(triple.reference) not in included:
                    continue
            lines.append((triple.predicate, obj))
            _count_into(seen, subject, triple.predicate, obj, triple.inferred)
        if not lines:
            continue
        parts = [subject, " ", lines[0][0], " ", lines[0][1]]
        previous = lines[0][0]
        for predicate, obj in lines[1:]:
            if predicate == previous:
                parts += [" ,\n        ", obj]
            else:
                parts += [" ;\n    ", predicate, " ", obj]
                previous = predicate
        parts.append(" .\n\n")
        emit(block.stream, "".join(parts))
        written += len(lines)
    return written


# --- Output files ----------------------------------------------------------------


class ChunkedWriter:
    """Blocks into seeds/<stream>-NNNN.ttl files of bounded subjects and bytes."""

    def __init__(self, seeds: Path):
        self.seeds = seeds
        self.open: dict[str, list] = {}  # stream -> [handle, chunk, subjects, bytes]
        self.files: list[Path] = []

    def _new_file(self, stream: str, chunk: int) -> list:
        path = self.seeds / f"{stream}-{chunk:04d}.ttl"
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("wb")
        header = _HEADER.encode("utf-8")
        handle.write(header)
        self.files.append(path)
        return [handle, chunk, 0, len(header)]

    def __call__(self, stream: str, text: str) -> None:
        data = text.encode("utf-8")
        state = self.open.get(stream)
        if state is None:
            state = self.open[stream] = self._new_file(stream, 0)
        elif state[2] >= MAX_SUBJECTS_PER_FILE or state[3] + len(data) > MAX_BYTES_PER_FILE:
            state[0].close()
            state = self.open[stream] = self._new_file(stream, state[1] + 1)
        state[0].write(data)
        state[2] += 1
        state[3] += len(data)

    def close(self) -> None:
        for state in self.open.values():
            state[0].close()


# --- Sizing and the entry point ---------------------------------------------------


def count_export(template: Template, full: int, fraction: float, seed: int) -> int:
    """The export's size for ``full`` whole replicas and one ``fraction`` replica, without writing."""
    seen = set(template.base_triples)
    for number in range(full + (1 if fraction > 0 else 0)):
        render_replica(template, plan_replica(template, number, full, fraction, seed), seen, lambda stream, text: None)
    return len(seen) + template.description_triples


def choose_replicas(template: Template, triples: int, seed: int) -> tuple[int, float, dict]:
    """Whole replicas and the partial fraction that give about ``triples`` exported triples."""
    one = count_export(template, 1, 0.0, seed)
    three = count_export(template, 3, 0.0, seed)
    per_replica = (three - one) / 2
    base = one - per_replica
    replicas = max(1.0, (triples - base) / per_replica)
    full = math.floor(replicas)
    fraction = round(replicas - full, 4)
    return full, fraction, {"export_one_replica": one, "export_per_replica": per_replica, "export_base": base}


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty (use --force to replace its ontology.ttl, seeds/ and exports/)")
        for name in ("seeds", "exports", ".kg-cache"):
            if (out / name).is_dir():
                shutil.rmtree(out / name)
        if (out / "ontology.ttl").exists():
            (out / "ontology.ttl").unlink()
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, triples: int, seed: int, force: bool = False, source: Path | None = None) -> dict:
    """Write a data directory at ``out`` whose export holds about ``triples`` triples.

    ``source`` is the data directory to grow (default: the repository's).
    Raises FileExistsError when ``out`` is not empty and ``force`` is false.
    Returns what was made: replicas, counts, files, bytes, seconds.
    """
    started = time.perf_counter()
    out = Path(out)
    _prepare(out, force)
    real = DataPaths(Path(source).resolve() if source else REPO)
    template = load_template(real)
    full, fraction, calibration = choose_replicas(template, triples, seed)

    target = DataPaths(out.resolve())
    shutil.copyfile(real.ontology, target.ontology)
    shutil.copytree(real.texts, target.texts)
    for path in template.copied_files:
        shutil.copyfile(path, target.seeds / path.relative_to(real.seeds))

    seen = set(template.base_triples)
    writer = ChunkedWriter(target.seeds)
    written = 0
    replicas = full + (1 if fraction > 0 else 0)
    try:
        for number in range(replicas):
            written += render_replica(template, plan_replica(template, number, full, fraction, seed), seen, writer)
    finally:
        writer.close()
    files = sorted(writer.files)
    return {
        "triples_requested": triples,
        "seed": seed,
        "replicas": full + fraction,
        "full_replicas": full,
        "partial_fraction": fraction,
        "export_triples_estimate": len(seen) + template.description_triples,
        "seed_triples_written": written,
        "files": len(files),
        "bytes": sum(path.stat().st_size for path in files),
        "largest_file_bytes": max((path.stat().st_size for path in files), default=0),
        "seconds": round(time.perf_counter() - started, 3),
        **calibration,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Grow the real graph to about N exported triples, deterministically from a seed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "example:\n"
            "  .venv/bin/python bench/scale.py --triples 100000 --seed 1 --out /tmp/kg-100k\n"
            "  .venv/bin/kg --data /tmp/kg-100k validate"
        ),
    )
    parser.add_argument("--triples", type=int, required=True, help="target size of the built export (exports/kazakhstan.ttl)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the wiring and sampling (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="data directory to write (must be empty or absent)")
    parser.add_argument("--force", action="store_true", help="replace ontology.ttl, seeds/ and exports/ in a non-empty --out")
    parser.add_argument("--source", type=Path, default=None, help="data directory to grow (default: the repository)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if args.triples <= 0:
        parser.error("--triples must be positive")
    try:
        summary = generate(args.out, args.triples, args.seed, force=args.force, source=args.source)
    except FileExistsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"wrote {args.out}: {summary['replicas']:g} replicas, {summary['seed_triples_written']:,} seed triples "
            f"in {summary['files']} files ({summary['bytes'] / 1e6:.1f} MB); export ~{summary['export_triples_estimate']:,} "
            f"triples (asked {args.triples:,}); {summary['seconds']:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
