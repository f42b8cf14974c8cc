"""The network view of the graph: entities as nodes, evidenced facts as edges.

Statement and source nodes are folded into edge attributes (relation, dates,
sources, quotes), so network tools and the HTML view see states,
organizations, treaties and the rest linked directly. Built once here and
used by the HTML view, the GraphML/GEXF exports and the analysis commands.
``kg.network.store`` builds the same network from the Oxigraph query store, for
data too large for rdflib; rdflib is therefore imported only inside the
functions that read an rdflib Graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.facts.entities import ENTITY_CLASS_IRIS, LANGUAGES, describe_source, entities, label, local_name
from kg.core.prefixes import KZO_IRI

if TYPE_CHECKING:
    from rdflib import Graph, URIRef


@dataclass(frozen=True)
class EvidenceItem:
    statement: str
    source: str
    quote: str
    quote_english: str
    date: str  # kzo:date, else kzo:startDate, else kzo:endDate, as curated
    note: str
    start_date: str = ""  # kzo:startDate as curated ("2010", "2011-06", "2011-06-28")
    end_date: str = ""

    def interval(self) -> tuple[str | None, str | None] | None:
        """When the fact held, as xsd:date bounds (None: open), or None when undated.

        A fact dated with kzo:date (signed, joined, hosted) holds from that day
        on; one with kzo:startDate/kzo:endDate holds over that interval.
        """
        if self.start_date or self.end_date:
            start = date_bounds(self.start_date)[0] if self.start_date else None
            end = date_bounds(self.end_date)[1] if self.end_date else None
            return (start, end) if start or end else None
        if self.date:
            start = date_bounds(self.date)[0]
            return (start, None) if start else None
        return None


def most_specific_class_iri(types: set[str]) -> str:
    """``most_specific_class`` from the IRIs of an entity's types."""
    for cls in ENTITY_CLASS_IRIS:
        if cls in types:
            return cls
    return KZO_IRI + "Place"


def _year(value: str) -> int | None:
    digits = value[:4]
    return int(digits) if digits.isdigit() else None


_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_bounds(value: str) -> tuple[str | None, str | None]:
    """The first and last day an xsd:date, gYearMonth or gYear stands for.

    >>> date_bounds("2010")
    ('2010-01-01', '2010-12-31')
    >>> date_bounds("2012-02")
    ('2012-02-01', '2012-02-29')
    >>> date_bounds("1992-03-02")
    ('1992-03-02', '1992-03-02')
    >>> date_bounds("about 1990")
    (None, None)
    """
    import calendar

    match = _DATE.match(value.strip())
    if not match:
        return None, None
    year, month, day = match.groups()
    if day:
        return value.strip(), value.strip()
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def merge_intervals(intervals) -> list[tuple[str | None, str | None]]:
    """Merge overlapping intervals of ISO dates (None: open), sorted by start.

    >>> merge_intervals([("2011-06-28", "2011-06-30"), ("1992-03-02", None), (None, "1990-01-01")])
    [(None, '1990-01-01'), ('1992-03-02', None)]
    """
    merged: list[list] = []
    for start, end in sorted(intervals, key=lambda i: (i[0] or "", i[1] or "9999")):
        if merged and (merged[-1][1] is None or (start or "") <= merged[-1][1]):
            if merged[-1][1] is not None and (end is None or end > merged[-1][1]):
                merged[-1][1] = end
            continue
        merged.append([start, end])
    return [(start, end) for start, end in merged]


def evidence_note(notes: list[str], share: str | None) -> str:
    """A statement's kzo:note values and kzo:sharePercent as one line."""
    shown = sorted(notes)
    if share is not None:
        shown.insert(0, f"share {share} %")
    return "; ".join(shown)


def fact_attributes(predicate: str, labels: dict[str, str], evidence: list[EvidenceItem], keep_evidence: bool = True) -> dict:
    """An edge's attributes: the relation, its labels, and what its statements' ``evidence`` says.

    ``keep_evidence=False`` leaves the evidence list itself out (kg.network.store
    without quotes); every other attribute is the same.
    """
    dates = sorted(e.date for e in evidence if e.date)
    years = [y for y in (_year(d) for d in dates) if y is not None]
    attributes = {
        "relation": local_name(predicate),
        "relation_iri": predicate,
        "label_en": labels["en"],
        "label_kk": labels["kk"],
        "label_ru": labels["ru"],
        "start": dates[0] if dates else "",
        "end": dates[-1] if dates else "",
        "year": min(years) if years else None,
        "sources": " | ".join(sorted({e.source for e in evidence})),
        "statements": " | ".join(e.statement for e in evidence),
        "spells": merge_intervals(i for i in (e.interval() for e in evidence) if i),
    }
    if keep_evidence:
        attributes["evidence"] = evidence
    return attributes
