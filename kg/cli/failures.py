"""Library errors as one-line messages and documented exit codes.

No click here: the click group (``KGGroup``) reports every failure through
``report_failure``, and ``kg query`` writes its notices with ``say``.
"""

from __future__ import annotations

import errno
import os
import sys

from kg.core.errors import KGError, Terminated, ValidationFailed
from kg.core.terminal import visible

#: What ``report_failure`` knows how to say; anything else is a bug, shown with its traceback.
REPORTED = (KGError, KeyboardInterrupt, OSError)


def report_failure(error: BaseException) -> int:
    """Say on stderr what went wrong and return the exit code."""
    if isinstance(error, ValidationFailed):
        for problem in error.problems:
            say(str(problem))
        say(f"Error: {len(error.problems)} validation problem(s); nothing was written.")
        return 1
    if isinstance(error, KGError):
        say(f"Error: {error}")
        return error.exit_code
    if isinstance(error, Terminated):
        import signal

        say(f"Stopped by {signal.Signals(error.signum).name}.")
        return 128 + error.signum
    if isinstance(error, KeyboardInterrupt):
        say("Interrupted.")
        return 130
    if isinstance(error, OSError):
        if error.errno == errno.EPIPE:  # the reader went away (``kg query | head -1``): not a failure
            _silence_stdout()
            return 0
        say(f"Error: {error.filename or ''}{': ' if error.filename else ''}{error.strerror or error}")
        return 2
    raise error


def say(line: str) -> None:
    """One line on stderr, at once: failures here, and the notices of ``kg query``."""
    if sys.stderr is None:  # started with stderr closed: nowhere to say it
        return
    # A path that is not UTF-8 holds lone surrogates: show its bytes as \xNN.
    line = line.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    sys.stderr.write(visible(line) + "\n")  # messages quote servers and data: no escape reaches the terminal
    sys.stderr.flush()


def _silence_stdout() -> None:
    """Drop what is left to flush, so the interpreter's exit does not fail on the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
