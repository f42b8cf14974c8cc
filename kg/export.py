"""Moved to ``kg.exports`` (every export format lives there); this module
stays only so that older imports keep working."""

from .exports import serialize_ntriples, serialize_turtle

__all__ = ["serialize_ntriples", "serialize_turtle"]
