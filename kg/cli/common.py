"""What every command shares: the data directory, error translation, output formats."""

from __future__ import annotations

import errno
import io
import sys

import click

from kg.core.paths import DataPaths, data_paths
from kg.core.prefixes import LANGUAGES
from kg.cli.failures import REPORTED, report_failure


class ClosedOutput(io.TextIOBase):
    """Stands for a standard output that was closed before kg started.

    Python sets ``sys.stdout`` to None then, and the first ``isatty()`` or
    ``write`` raised AttributeError with a traceback. Writing here raises the
    OSError a closed descriptor gives, which the CLI reports in one line; a
    command that writes only to ``-o FILE`` still works.
    """

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed: redirect it (> FILE) or give -o FILE")

    def isatty(self) -> bool:
        return False


#: Options where an empty value means something: an empty password is a password.
EMPTY_ALLOWED = frozenset({"password"})


def refuse_empty_values(command: click.Command) -> None:
    """Make every text option and argument of ``command`` (and its subcommands) refuse "".

    The library reads a missing value as "not given", and so did ``if value:``
    with an empty one: ``--data ''`` built the repository's own exports, and
    ``--focus ''`` drew the whole graph. An empty value is now a usage error
    wherever it is typed, in one place rather than in each command.
    """
    for param in command.params:
        if param.name in EMPTY_ALLOWED or getattr(param, "is_flag", False):
            continue
        if not isinstance(param.type, (click.types.StringParamType, click.Path)):
            continue
        param.callback = _refusing_empty(param.callback)
    for sub in getattr(command, "commands", {}).values():
        refuse_empty_values(sub)


def _refusing_empty(callback):
    def check(ctx: click.Context, param: click.Parameter, value):
        values = value if isinstance(value, tuple) else (value,)
        if any(v == "" for v in values):
            raise click.BadParameter("must not be empty", ctx=ctx, param=param)
        return callback(ctx, param, value) if callback is not None else value

    return check


_DATA_OPTION = "kg_data_option"


def data_option_callback(ctx: click.Context, _param, value):
    ctx.meta[_DATA_OPTION] = value
    return value


def get_paths() -> DataPaths:
    """The data this command uses (``kg.core.paths.data_paths`` decides), located once per run."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, DataPaths):
        root.obj = data_paths(ctx.meta.get(_DATA_OPTION))
    return root.obj


class KGGroup(click.Group):
    """Turns library errors into one-line messages and documented exit codes."""

    def invoke(self, ctx: click.Context):
        if sys.stdout is None:  # started with stdout closed (`kg query … >&-`)
            sys.stdout = ClosedOutput()
        try:
            return super().invoke(ctx)
        except REPORTED as error:
            ctx.exit(report_failure(error))


def lang_option(default: str = "en"):
    return click.option(
        "--lang",
        type=click.Choice(list(LANGUAGES)),
        default=default,
        show_default=True,
        help="Language of the labels shown.",
    )


def format_option(choices=("table", "csv", "tsv", "json"), default=None):
    """The one output-format option every result-printing command shares."""
    return click.option(
        "--format",
        "-F",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        help="Output format (default: table on a terminal, csv otherwise)." if default is None else "Output format.",
    )


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "table" if sys.stdout.isatty() else "csv"


def emit(text: str | bytes, output: str | None = None) -> None:
    """Print ``text``, or write it atomically to ``output``; bytes (an export file) go to stdout unchanged."""
    if output and output != "-":
        from kg.core.atomic import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text if isinstance(text, bytes) else for_stdout(text), nl=False)


def for_stdout(text: str) -> str:
    """``text`` as it may reach standard output: on a terminal, with no escape sequence left to obey."""
    if sys.stdout.isatty():
        from kg.core.terminal import visible

        return visible(text.replace("\r\n", "\n"))
    return text


def network_data(evidence: bool = True):
    """The network of facts with its lookups, read from the last build (warns when seeds/ is newer)."""
    from kg.network.store import STALE_WARNING, load_network

    data = load_network(get_paths(), evidence)
    if data.stale:
        click.echo(f"Warning: {STALE_WARNING}", err=True)
    return data


def print_table(table, fmt: str | None) -> None:
    """Print a library ``Table`` (headers and rows) in the chosen format."""
    from kg.render.tables import render_rows

    if not table.rows:
        click.echo("(no results)", err=True)
    fmt = resolve_format(fmt)
    rows = table.rows
    if fmt == "table":  # a quote spanning two lines of its text would break the columns
        rows = [[" ".join(str(cell).split()) if isinstance(cell, str) else cell for cell in row] for row in rows]
    emit(render_rows(table.headers, rows, fmt))


def built_store():
    """The query store of the last build (warns when seeds/ is newer than exports/)."""
    from kg.data.querystore import STALE_WARNING, export_is_stale, open_export_store

    paths = get_paths()
    store = open_export_store(paths)
    if export_is_stale(paths):
        click.echo(f"Warning: {STALE_WARNING}", err=True)
    return store

