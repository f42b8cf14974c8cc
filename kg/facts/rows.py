"""The row ``kg timeline`` lists: one statement node, flattened from what ``kg.facts.parts.read_statements``
reads off the store (or ``kg build`` kept), by ``kg.facts.parts.rows_of_statements``."""

from __future__ import annotations

from dataclasses import dataclass



@dataclass(frozen=True)
class FactRow:
    """One piece of evidence for one fact: a statement node, flattened."""

    statement: str
    subject: str
    subject_label: str
    predicate: str
    predicate_label: str
    object: str
    object_label: str
    date: str
    start_date: str
    end_date: str
    share_percent: str
    count: str
    at_event: str
    note: str
    source: str
    source_file: str
    quote: str
    quote_english: str



