"""The ``kg`` command line. It reads options and calls the library; nothing more.

One module per group of commands (``data``, ``read``, ``query``, ``export``,
``network``), each importable alone; ``app`` composes them into the ``kg``
group. Exit codes: 0 success; 1 the data does not conform, or an ASK query
answered no; 2 usage or input error; 4 a query stopped by --timeout or
--max-rows; 130 interrupted (Ctrl-C); 129 and 143 stopped by SIGHUP and SIGTERM.
"""

from __future__ import annotations

from kg.cli.app import main

__all__ = ["main", "run"]


def run() -> None:
    """The ``kg`` console script."""
    main()
