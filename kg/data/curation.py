"""Keep the curated files canonical, and copy near-miss quotes from their texts.

``canonical_turtle`` writes one seed file in the project's one form: prefixes,
then entities sorted by IRI, then each statement in the order its quote
appears in its text, right under the direct triple it gives evidence for.
``kg fmt`` rewrites every seed file that way; a test fails when one drifts.

Formatting keeps what the curator wrote: each literal's lexical form
(``"007"``, ``"1"^^xsd:boolean`` beside ``"true"^^xsd:boolean``, a date's
timezone), language tags, and every ``# comment`` (``kg.data.comments``
says where each goes). What cannot be written back (a blank node, a
literal's base direction) is refused with the file named, before any file
is rewritten.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.core.atomic import write_atomic
from kg.core.errors import DataError
from kg.data.comments import Comments, turtle_comments
from kg.data.evidence import is_verbatim, locate_quote
from kg.data.load import new_graph, parse_turtle, read_text
from kg.core.namespaces import KZO
from kg.core.prefixes import CONTRACT_PREFIXES
from kg.core.paths import DataPaths

_FIRST_PREDICATES = [RDF.type, RDFS.label, SKOS.altLabel, KZO.surfaceForm, KZO.iso3166Alpha3, KZO.iso3166Part3Code]
_STATEMENT_PREDICATES = [
    RDF.type, RDF.subject, RDF.predicate, RDF.object,
    KZO.date, KZO.startDate, KZO.endDate, KZO.sharePercent, KZO["count"], KZO.atEvent,
    PROV.wasDerivedFrom, KZO.quote, KZO.quoteEnglish, KZO.note, KZO.disagreesWith,
]


def _term(graph: Graph, node) -> str:
    if isinstance(node, BNode):
        raise DataError("blank nodes are not allowed in seed files; give the node an IRI")
    if isinstance(node, Literal):
        if node.language or node.datatype is None:
            return node.n3()
        return node.n3(graph.namespace_manager)
    return node.n3(graph.namespace_manager)


def _object_key(node) -> tuple:
    if isinstance(node, Literal):
        return (1, node.language or "", str(node.datatype or ""), str(node))
    return (0, "", "", str(node))


def _block(graph: Graph, subject, order: list) -> str:
    predicates = sorted(
        set(graph.predicates(subject)),
        key=lambda p: (order.index(p) if p in order else len(order), _term(graph, p)),
    )
    parts = []
    for predicate in predicates:
        objects = sorted(graph.objects(subject, predicate), key=_object_key)
        name = "a" if predicate == RDF.type else _term(graph, predicate)
        rendered = (" ,\n" + " " * 8).join(_term(graph, o) for o in objects)
        parts.append(f"{name} {rendered}")
    return _term(graph, subject) + " " + (" ;\n    ").join(parts) + " .\n"


def canonical_turtle(graph: Graph, texts: dict[URIRef, str] | None = None, comments: Comments | None = None) -> str:
    """The canonical Turtle text of one seed file's graph, with the file's ``comments`` kept."""
    texts = texts or {}
    comments = comments or Comments()
    owned = {iri: list(lines) for iri, lines in comments.owned.items()}

    def remarks(subject) -> str:
        """The comments that belong to ``subject``, written once, above its first block."""
        lines = owned.pop(str(subject), [])
        return "".join(line + "\n" for line in lines)

    out = [f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in sorted(CONTRACT_PREFIXES.items())]
    if comments.header:
        out.append("\n" + "".join(line + "\n" for line in comments.header))
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    facts_with_statement = {
        (graph.value(s, RDF.subject), graph.value(s, RDF.predicate), graph.value(s, RDF.object)) for s in statements
    }
    others = sorted(
        {s for s in graph.subjects() if s not in statements},
        key=lambda s: str(s),
    )
    blocks = []
    for subject in others:
        # Fact triples are written next to their statement, not in the entity block.
        kept = new_graph()
        for p, o in graph.predicate_objects(subject):
            if (subject, p, o) not in facts_with_statement:
                kept.add((subject, p, o))
        if len(kept):
            blocks.append(remarks(subject) + _block(kept, subject, _FIRST_PREDICATES))

    def position(statement) -> tuple:
        source = graph.value(statement, PROV.wasDerivedFrom)
        quote = graph.value(statement, KZO.quote)
        text = texts.get(source)
        where = text.find(str(quote)) if text is not None and quote is not None else -1
        return (str(source), where if where >= 0 else 10**9, str(statement))

    written_facts = set()
    for statement in sorted(statements, key=position):
        fact = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate), graph.value(statement, RDF.object))
        lines = ""
        if fact not in written_facts and None not in fact and fact in graph:
            written_facts.add(fact)
            lines += remarks(fact[0]) + " ".join(_term(graph, t) for t in fact) + " .\n"
        blocks.append(lines + remarks(statement) + _block(graph, statement, _STATEMENT_PREDICATES))
    trailer = [line for lines in owned.values() for line in lines] + comments.trailer  # owners no longer here
    if trailer:
        blocks.append("".join(line + "\n" for line in trailer))
    return "".join(out) + "\n" + "\n".join(blocks)


def _texts(paths: DataPaths, graph: Graph) -> dict[URIRef, str]:
    texts = {}
    for source, file_name in graph.subject_objects(KZO.fileName):
        path = paths.texts / str(file_name)
        if path.is_file():
            texts[source] = read_text(path)
    return texts


def _all_sources(paths: DataPaths) -> Graph:
    graph = new_graph()
    for path in paths.seed_files():
        part = new_graph()
        parse_turtle(path, part)
        for source in part.subjects(RDF.type, KZO.Source):
            for p, o in part.predicate_objects(source):
                graph.add((source, p, o))
    return graph


class _SeedFile:
    """One seed file as read: its text, its graph (lexical forms as written) and its comments."""

    def __init__(self, path: Path):
        self.path = path
        self.text = read_text(path)
        self.graph = new_graph()
        parse_turtle(path, self.graph)
        self.comments = turtle_comments(self.text)

    def canonical(self, texts: dict) -> str:
        try:
            return canonical_turtle(self.graph, texts, self.comments)
        except DataError as error:
            if error.path is not None:
                raise
            raise DataError(error.message, self.path) from None


def _rewrite_all(planned: list[tuple[Path, str]]) -> None:
    """Write every planned file, only once all of them were checked (a refusal leaves every file as it was)."""
    for path, text in planned:
        write_atomic(path, text)


def format_seeds(paths: DataPaths, check: bool = False) -> list[Path]:
    """Rewrite every seed file canonically; return the files that were (or would be) changed.

    Every file is read and formatted before any is written: a file that
    cannot be formatted is named and nothing is changed.
    """
    texts = _texts(paths, _all_sources(paths))
    planned = []
    for path in paths.seed_files():
        seed = _SeedFile(path)
        canonical = seed.canonical(texts)
        if seed.text != canonical:
            planned.append((path, canonical))
    if not check:
        _rewrite_all(planned)
    return [path for path, _ in planned]


def fix_quotes(paths: DataPaths, dry_run: bool = False) -> list[str]:
    """Replace each near-miss quote by the exact span of its text; return what changed."""
    texts = _texts(paths, _all_sources(paths))
    changes = []
    planned = []
    for path in paths.seed_files():
        seed = _SeedFile(path)
        graph = seed.graph
        dirty = False
        for statement, quote in list(graph.subject_objects(KZO.quote)):
            source = graph.value(statement, PROV.wasDerivedFrom)
            text = texts.get(source)
            if text is None or is_verbatim(text, str(quote)):
                continue
            exact = locate_quote(text, str(quote))
            if exact is None:
                continue
            changes.append(f"{path.relative_to(paths.root)}: {statement.n3(graph.namespace_manager)}: quote copied from the text")
            graph.remove((statement, KZO.quote, quote))
            graph.add((statement, KZO.quote, Literal(exact, lang=quote.language)))
            dirty = True
        if dirty:
            planned.append((path, seed.canonical(texts)))
    if not dry_run:
        _rewrite_all(planned)
    return changes
