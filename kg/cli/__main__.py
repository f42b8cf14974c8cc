"""``python -m kg.cli``: the same command line as ``kg``."""

from kg.cli import run

run()
