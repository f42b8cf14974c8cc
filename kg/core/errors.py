"""Exceptions raised by the library. The CLI turns them into one-line messages."""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base class of every foreseeable failure."""

    exit_code = 2


class DataError(KGError):
    """Input data that cannot be read: a syntax error, bad encoding, an unreadable file."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.location() + message)

    def location(self) -> str:
        if self.path is None:
            return ""
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
        return where + ": "


class ValidationFailed(KGError):
    """The data does not conform; ``problems`` lists each failure."""

    exit_code = 1

    def __init__(self, problems: list):
        self.problems = problems
        super().__init__(f"{len(problems)} validation problem(s)")


class EntityNotFound(KGError):
    """No entity matches the IRI, local name or label the user gave."""

    def __init__(self, name: str, suggestions: list[str] | None = None):
        self.name = name
        self.suggestions = suggestions or []
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"no entity matches {name!r}{hint}")


class QueryError(KGError):
    """A SPARQL query that cannot run: a syntax error, a refused form, a timeout."""

    def __init__(self, message: str, exit_code: int = 2):
        self.exit_code = exit_code
        super().__init__(message)


class OutputError(KGError):
    """A file that cannot be written."""


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived while a command ran; ``signum`` says which.

    A KeyboardInterrupt, so everything that cleans up after Ctrl-C (a query's
    child process, a temporary file) cleans up after these too.
    """

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signum)


class ReadOnlyData(KGError):
    """A command that writes or checks seeds was run on the graph packaged with ``kg``."""
