"""What ``kg query`` does once its options are read.

No click here: the click command (``kg.cli.query``) and the quick start
(``kg.cli.quick``) both call ``run_query_command`` with the same options, so
the answer, the notices and the exit code cannot differ between the two.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from ..errors import QueryError
from ..paths import DataPaths
from ..query import (QueryRequest, check_query, choose_format, parse_parameter, query_base_iri, read_query,
                     run_query, set_parameters)
from .failures import say


def run_query_command(*, sparql: str | None, query_file: str | None, name: str | None, params: tuple[str, ...],
                      fmt: str | None, output: str | None, limit: int | None, labels: bool, lang: str,
                      timeout: float, max_rows: int | None, allow_service: bool, endpoint: str | None,
                      graph: str | None, user: str | None, password: str | None, paths: DataPaths,
                      ask_password: Callable[[], str | None] | None = None) -> int:
    """Answer the query on stdout (or atomically in ``output``); return the exit code.

    Raises KGError for anything the user can fix. ``ask_password``, if given,
    is called for the endpoint's password once the query has passed its
    checks, so nobody types a password for a query that cannot run.
    """
    if graph and not endpoint:
        raise QueryError("--graph goes with --endpoint (the built graph has one graph)")
    text = set_parameters(read_query(sparql, query_file, name), [parse_parameter(p) for p in params])
    shape = check_query(text, allow_service=allow_service, remote=endpoint is not None)
    chosen_format = choose_format(shape.form, fmt, output, sys.stdout.isatty())
    if labels and chosen_format not in ("table", "csv"):
        raise QueryError(f"--labels shows labels in table and csv output, not in {chosen_format}")
    timeout = timeout or None
    if endpoint:
        from ..endpoint import Endpoint

        if ask_password is not None:
            password = ask_password()
        remote, export, cache = Endpoint(endpoint, graph, user, password, timeout), None, None
    else:
        remote, export, cache = None, paths.turtle_export, paths.cache
    request = QueryRequest(
        text=text, form=shape.form, fmt=chosen_format, export=export, cache=cache, endpoint=remote, limit=limit,
        max_rows=max_rows, labels=labels, lang=lang, timeout=timeout,
        table_width=terminal_width() if not output else None, base_iri=query_base_iri(query_file),
    )
    outcome = _answer(request, output)
    sys.stdout.flush()  # the answer before any notice, when both go to one place
    if outcome.form == "ask":
        return 0 if outcome.boolean else 1
    if outcome.total == 0:
        say("(no results)")
    elif outcome.shown < outcome.total:
        what = "triples" if outcome.form in ("construct", "describe") else "rows"
        say(f"(showing the first {outcome.shown} of {outcome.total} {what}: --limit {limit})")
    return 0


def _answer(request: QueryRequest, output: str | None):
    """Run the query, streaming its answer to stdout or atomically into ``output``."""
    if output and output != "-":
        from ..atomic import atomic_writer

        with atomic_writer(output) as stream:
            outcome = run_query(request, lambda text: stream.write(text.encode("utf-8")))
        say(f"wrote {output}")
        return outcome
    return run_query(request, sys.stdout.write)


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when stdout is not a terminal."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size().columns

