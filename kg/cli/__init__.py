"""The ``kg`` command line. It reads options and calls the library; nothing more.

Exit codes: 0 success; 1 the data does not conform, or an ASK query answered
no; 2 usage or input error; 4 a query stopped by --timeout or --max-rows;
130 interrupted (Ctrl-C).

This package's ``__init__`` imports nothing heavy, click included: ``run``
(the console script) answers the everyday ``kg query`` invocations through
``kg.cli.quick`` and only imports the click application (``kg.cli.app``) for
everything else. ``kg.cli.main``, the click group, is loaded on first use.
"""

from __future__ import annotations

import sys


def run() -> None:
    """The ``kg`` console script."""
    from .quick import answer_quickly

    exit_code = answer_quickly(sys.argv[1:])
    if exit_code is not None:
        sys.exit(exit_code)
    from .app import main

    main()


def __getattr__(name: str):
    if name == "main":  # the click group, for CliRunner and for embedding
        from .app import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
