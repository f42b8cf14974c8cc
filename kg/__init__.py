"""kazakhstan-kg: a curated knowledge graph of Kazakhstan's foreign relations.

The graph travels with the package. In Python::

    import kg
    graph = kg.load()                 # the packaged graph, or kg.load("path/to/data")
    graph.query("SELECT ...")         # rows as dicts of plain Python values
    graph.entity("Russia")            # the card kg show prints
    graph.facts()                     # one record per fact and source, with its quote

``kg.api`` is that interface (walkthrough: docs/python.md); ``kg.cli`` is the
command line on top of the same library.
"""

from kg.core.release import VERSION as __version__
from kg.api import KnowledgeGraph, load

__all__ = ["KnowledgeGraph", "load", "__version__"]
