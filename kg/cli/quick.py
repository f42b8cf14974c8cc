"""The quick start of ``kg query``: the everyday invocations, without click.

Importing click takes about 45 ms on this project's machine, as long as
loading and answering a query on the curated graph. ``answer_quickly`` reads
the arguments of the common local ``kg query`` forms itself and runs the same
``run_query_command`` as the click command. Whatever it does not recognize
with certainty (help, ``--endpoint``, an unknown or malformed option, a value
click would reject) it leaves to click by returning None, so every message
about the command line itself still comes from click.

``tests/test_quick.py`` holds the two in step: every option of the click
command is either read here, with the same names, kind and default, or
listed in ``LEFT_TO_CLICK``, and generated command lines give the same
parameters both ways.
"""

from __future__ import annotations

import os

from ..prefixes import LANGUAGES

# How each option's value is read. A reader returns the value, or None when
# the text is anything but plainly valid (click then gives the message).
_TEXT = str


def _choice(choices):
    return lambda text: text if text in choices else None


def _count(minimum: int):
    return lambda text: int(text) if text.isascii() and text.isdigit() and int(text) >= minimum else None


def _seconds(text: str) -> float | None:
    whole, _, fraction = text.partition(".")
    plain = whole.isascii() and whole.isdigit() and (not fraction or (fraction.isascii() and fraction.isdigit()))
    return float(text) if plain and not text.endswith(".") else None


FLAG, VALUE, MULTIPLE = "flag", "value", "multiple"


def query_options() -> dict:
    """Option string -> (parameter name, kind, reader), for the options read here."""
    from ..query import ALL_FORMATS

    formats = _choice(ALL_FORMATS)
    return {
        "-f": ("query_file", VALUE, _TEXT), "--file": ("query_file", VALUE, _TEXT),
        "-n": ("name", VALUE, _TEXT), "--name": ("name", VALUE, _TEXT),
        "-p": ("params", MULTIPLE, _TEXT), "--param": ("params", MULTIPLE, _TEXT),
        "-F": ("fmt", VALUE, formats), "--format": ("fmt", VALUE, formats),
        "-o": ("output", VALUE, _TEXT), "--output": ("output", VALUE, _TEXT),
        "--limit": ("limit", VALUE, _count(0)),
        "--labels": ("labels", FLAG, None),
        "--lang": ("lang", VALUE, _choice(LANGUAGES)),
        "--timeout": ("timeout", VALUE, _seconds),
        "--max-rows": ("max_rows", VALUE, _count(1)),
        "--allow-service": ("allow_service", FLAG, None),
    }


def query_defaults() -> dict:
    """The parameters when an option is not given."""
    from ..query import DEFAULT_TIMEOUT

    return {
        "sparql": None, "query_file": None, "name": None, "params": (), "fmt": None, "output": None,
        "limit": None, "labels": False, "lang": "en", "timeout": DEFAULT_TIMEOUT, "max_rows": None,
        "allow_service": False, "endpoint": None, "graph": None,
    }


#: Options of ``kg query`` that always go through click: remote queries
#: (a network round trip dwarfs the import) and help.
LEFT_TO_CLICK = frozenset({"--endpoint", "--graph", "--user", "--password", "-h", "--help"})

#: Set when the shell asks click to complete a ``kg`` command line.
COMPLETION_VARIABLE = "_KG_COMPLETE"

#: Environment variables click reads for ``kg query``'s options.
CREDENTIAL_VARIABLES = {"user": "KG_SPARQL_USER", "password": "KG_SPARQL_PASSWORD"}


class LeaveToClick(Exception):
    """The command line is not one the quick start reads with certainty."""


def parse_query_command_line(argv: list[str]) -> tuple[str | None, dict] | None:
    """``(data directory option, query parameters)`` of a ``kg [--data DIR] query …`` line, or None."""
    try:
        data_dir, rest = _group_options(argv)
        return data_dir, _query_parameters(rest)
    except LeaveToClick:
        return None


def _group_options(argv: list[str]) -> tuple[str | None, list[str]]:
    if COMPLETION_VARIABLE in os.environ:
        raise LeaveToClick("shell completion is click's")
    data_dir = None
    index = 0
    while index < len(argv) and argv[index] != "query":
        argument = argv[index]
        if argument == "--data" and index + 1 < len(argv):
            data_dir, index = argv[index + 1], index + 2
        elif argument.startswith("--data="):
            data_dir, index = argument[len("--data="):], index + 1
        else:
            raise LeaveToClick(argument)
    if index == len(argv):
        raise LeaveToClick("no query command")
    chosen = data_dir if data_dir is not None else (os.environ.get("KG_DATA") or None)
    if chosen is not None and (chosen == "" or (os.path.exists(chosen) and not (
            os.path.isdir(chosen) and os.access(chosen, os.R_OK)))):
        raise LeaveToClick("click explains a --data that is not a readable directory")
    return data_dir, argv[index + 1:]


def _query_parameters(arguments: list[str]) -> dict:
    options = query_options()
    parameters = query_defaults()
    parameters["params"] = []
    positional = []
    remaining = list(arguments)
    while remaining:
        argument = remaining.pop(0)
        if argument == "--":
            positional.extend(remaining)
            break
        if argument == "-" or not argument.startswith("-"):
            positional.append(argument)
            continue
        option, value = _split_option(argument, options)
        if option not in options:
            raise LeaveToClick(option)
        parameter, kind, reader = options[option]
        if kind == FLAG:
            if value is not None:
                raise LeaveToClick(argument)
            parameters[parameter] = True
            continue
        if value is None:
            if not remaining:
                raise LeaveToClick(f"{option} needs a value")
            value = remaining.pop(0)
        read = reader(value)
        if read is None:
            raise LeaveToClick(f"{option} {value}")
        if kind == MULTIPLE:
            parameters[parameter].append(read)
        else:
            parameters[parameter] = read
    if len(positional) > 1:
        raise LeaveToClick("more than one query")
    parameters["sparql"] = positional[0] if positional else None
    parameters["params"] = tuple(parameters["params"])
    for parameter, variable in CREDENTIAL_VARIABLES.items():
        parameters[parameter] = os.environ.get(variable) or None
    return parameters


def _split_option(argument: str, options: dict) -> tuple[str, str | None]:
    """``--name=value``, ``-Fcsv`` and ``--labels`` as (option, attached value or None)."""
    if argument.startswith("--"):
        option, equals, value = argument.partition("=")
        return option, value if equals else None
    option = argument[:2]
    if len(argument) > 2 and options.get(option, (None, FLAG))[1] != FLAG:
        return option, argument[2:]
    return (argument, None) if len(argument) > 2 else (option, None)


def answer_quickly(argv: list[str]) -> int | None:
    """Run ``kg query`` without click and return its exit code; None when click should run instead."""
    parsed = parse_query_command_line(argv)
    if parsed is None:
        return None
    data_dir, parameters = parsed
    from ..paths import data_paths
    from .failures import REPORTED, report_failure
    from .query_command import run_query_command

    try:
        return run_query_command(**parameters, paths=data_paths(data_dir))
    except REPORTED as error:
        return report_failure(error)
