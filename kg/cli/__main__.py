"""``python -m kg.cli``: the same command line as ``kg``."""

from . import run

run()
