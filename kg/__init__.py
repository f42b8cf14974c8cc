"""kazakhstan-kg: a curated knowledge graph of Kazakhstan's foreign relations.

The library loads the ontology and the curated seeds, materializes what a
plain SPARQL query should not have to infer, validates the data against the
contract, and exports it. ``kg.cli`` is the command line on top of it.
"""

__version__ = "0.1.0"
