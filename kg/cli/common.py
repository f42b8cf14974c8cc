"""What every command shares: the data directory, error translation, output formats."""

from __future__ import annotations

import errno
import os
import sys

import click

from ..errors import KGError, ValidationFailed
from ..paths import DataPaths, data_paths


def data_option_callback(ctx: click.Context, _param, value):
    ctx.obj = data_paths(value)
    return value


def get_paths() -> DataPaths:
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, DataPaths):
        root.obj = data_paths()
    return root.obj


class KGGroup(click.Group):
    """Turns library errors into one-line messages and documented exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as failure:
            for problem in failure.problems:
                click.echo(str(problem), err=True)
            click.echo(f"Error: {len(failure.problems)} validation problem(s); nothing was written.", err=True)
            ctx.exit(1)
        except KGError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _silence_stdout()
            ctx.exit(0)
        except OSError as error:
            if error.errno == errno.EPIPE:
                _silence_stdout()
                ctx.exit(0)
            click.echo(f"Error: {error.filename or ''}{': ' if error.filename else ''}{error.strerror or error}", err=True)
            ctx.exit(2)


def _silence_stdout() -> None:
    """After the reader went away (``kg query | head -1``), drop what is left to flush."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def lang_option(default: str = "en"):
    return click.option(
        "--lang",
        type=click.Choice(["en", "kk", "ru"]),
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


def emit(text: str, output: str | None = None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output and output != "-":
        from ..atomic import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
