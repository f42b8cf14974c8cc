"""The Python API: ``kg.load()``, and what a notebook asks of the graph.

Every method reuses the layer the command line uses for the same question:
``query`` the SPARQL layer's checks and engine (``kg query``), ``entity``
the lookup and card of ``kg show``, ``to_networkx`` the network of the
analysis commands, ``facts`` and ``nodes`` the records of the CSV export.
It reads the built graph (``exports/kazakhstan.ttl``), as ``kg query`` does:
the packaged graph by default, or the data directory given.

This module is imported by ``import kg``, so by every ``kg`` command: it
imports rdflib, pyoxigraph and pandas only inside the methods that use them.
"""

from __future__ import annotations

import os
from collections import namedtuple
from functools import cached_property

from kg.core.errors import KGError
from kg.core.paths import DataPaths, data_paths

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
)}


def load(data: str | os.PathLike[str] | None = None) -> KnowledgeGraph:
    """The graph: the one packaged with ``kg`` by default, or the data directory ``data``.

    Without ``data`` the same rule as the command line decides: ``$KG_DATA``,
    else the working copy holding the current directory, else the packaged
    graph (``kg.core.paths.data_paths``).

    >>> graph = load()
    >>> graph.query("ASK { kz:Kazakhstan kzo:memberOf kz:UN }")
    True
    """
    return KnowledgeGraph(data_paths(data))


def python_value(term):
    """A pyoxigraph term as a plain Python value: an IRI or a text as ``str``, a number as
    ``int``, ``Decimal`` or ``float``, a boolean as ``bool``; a date stays its ISO string.

    >>> import pyoxigraph
    >>> python_value(pyoxigraph.Literal("42", datatype=pyoxigraph.NamedNode(_XSD + "integer")))
    42
    >>> python_value(pyoxigraph.NamedNode("https://w3id.org/kzkg/id/Russia"))
    'https://w3id.org/kzkg/id/Russia'
    >>> python_value(pyoxigraph.Literal("1992", datatype=pyoxigraph.NamedNode(_XSD + "gYear")))
    '1992'
    """
    if term is None:
        return None
    kind = type(term).__name__
    if kind == "BlankNode":
        return f"_:{term.value}"
    if kind != "Literal":
        return term.value
    datatype = term.datatype.value if term.datatype is not None else ""
    try:
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == _XSD + "decimal":
            from decimal import Decimal

            return Decimal(term.value)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
    except ValueError:  # an ill-typed literal keeps its text
        pass
    return term.value


class EntityCard(namedtuple("EntityCard", ["iri", "label", "card", "text"])):
    """An entity as ``kg show`` prints it: ``str(card)`` is that text; ``card`` (a
    ``kg.facts.cards.Card``) holds the parts."""

    __slots__ = ()

    def __str__(self) -> str:
        return self.text

    def _repr_pretty_(self, printer, cycle) -> None:  # IPython and Jupyter show the card itself
        printer.text(self.text)


class KnowledgeGraph:
    """The built graph of one data directory (``kg.load()`` makes one)."""

    def __init__(self, paths: DataPaths):
        self.paths = paths

    def __repr__(self) -> str:
        where = "the graph packaged with kg" if self.paths.packaged else str(self.paths.root)
        return f"<KnowledgeGraph: {where}>"

    @cached_property
    def _local(self):
        from kg.sparql.runner import LocalGraph

        return LocalGraph(self.paths.turtle_export, self.paths.cache)

    @cached_property
    def _rdflib(self):
        from kg.data.store import graph_of

        return graph_of(self._local.store)

    def query(self, sparql: str):
        """Run a SPARQL query on the built graph, with the safety of ``kg query``.

        SELECT gives a list of rows, each a dict of plain Python values (None
        where a variable is unbound); ASK gives a bool; CONSTRUCT and DESCRIBE
        an rdflib Graph. Updates, SERVICE and FROM are refused (KGError); the
        prefixes of ``kg prefixes`` are predeclared.

        >>> rows = load().query("SELECT ?code WHERE { kz:Russia kzo:iso3166Alpha3 ?code }")
        >>> rows
        [{'code': 'RUS'}]
        """
        import pyoxigraph

        from kg.sparql.text import check_query

        shape = check_query(sparql)
        answer = self._local.query(sparql, shape.form)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return bool(answer)
        if isinstance(answer, pyoxigraph.QuerySolutions):
            names = [variable.value for variable in answer.variables]
            return [{name: python_value(solution[name]) for name in names} for solution in answer]
        from kg.data.store import rdflib_graph

        return rdflib_graph(answer)

    def to_rdflib(self):
        """The whole graph as an rdflib ``Graph`` (what ``exports/kazakhstan.ttl`` holds)."""
        graph = type(self._rdflib)()
        for prefix, namespace in self._rdflib.namespaces():
            graph.bind(prefix, namespace)
        graph += self._rdflib
        return graph

    def to_networkx(self):
        """The network of facts as a networkx ``MultiDiGraph``: entities are nodes (labels in
        en, kk, ru, class, ISO code), each fact an edge with its relation, dates and evidence."""
        from kg.network.store import load_network

        return load_network(self.paths).network

    def facts(self, lang: str = "en") -> list[dict]:
        """One record per fact and source: subject, predicate, object (IRIs, labels in ``lang``,
        class, ISO code), dates as ISO days with their precision, qualifiers, the source, and the
        quote; a fact from a reference outside the texts has no quote, but its citation and address.

        >>> records = load().facts()
        >>> sorted({record["evidence"] for record in records})
        ['reference', 'text']
        """
        from kg.render.records import fact_records

        return fact_records(self._local.store, lang)

    def nodes(self, lang: str = "en") -> list[dict]:
        """One record per entity: IRI, labels in en, kk and ru, class, ISO codes, Wikidata link, other names."""
        from kg.render.records import node_records

        return node_records(self._rdflib, lang)

    def entity(self, name: str, lang: str = "en") -> EntityCard:
        """The entity found by any name: IRI, local name, label or other name in any language,
        a surface form of the texts, or a Kazakh word form (``Ресеймен``); its card as ``kg show``
        prints it. EntityNotFound (a KGError) says which names come close.

        >>> print(load().entity("Ресеймен").iri)
        https://w3id.org/kzkg/id/Russia
        """
        from rdflib import URIRef

        from kg.facts.cards import entity_card, render_card
        from kg.facts.entities import label
        from kg.facts.parts import card_part
        from kg.network.store import resolve_in_store

        store = self._local.store
        iri = resolve_in_store(store, name)
        graph = card_part(store, iri)
        card = entity_card(graph, URIRef(iri))
        return EntityCard(iri, label(graph, URIRef(iri), lang), card, render_card(graph, card, lang))

    def facts_frame(self, lang: str = "en"):
        """``facts()`` as a pandas DataFrame (the optional extra: ``pip install 'kazakhstan-kg[pandas]'``).

        Dates stay ISO strings beside a precision column: pandas has no year or
        month precision, and "1992" is not 1 January 1992. ``pd.to_datetime``
        turns them into timestamps where a day is wanted.
        """
        from kg.render.records import FACT_COLUMNS

        return _frame(self.facts(lang), FACT_COLUMNS)

    def nodes_frame(self, lang: str = "en"):
        """``nodes()`` as a pandas DataFrame."""
        from kg.render.records import NODE_COLUMNS

        return _frame(self.nodes(lang), NODE_COLUMNS)


def _frame(records: list[dict], columns: list[str]):
    try:
        import pandas
    except ImportError:
        raise KGError("a DataFrame needs pandas: pip install 'kazakhstan-kg[pandas]'") from None
    return pandas.DataFrame.from_records(records, columns=columns)
