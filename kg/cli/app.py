"""The click application: the ``kg`` group, with every command registered on it.

Exit codes are listed in ``kg/cli/__init__.py``.
"""

from __future__ import annotations

import click

from .. import __version__
from .common import KGGroup, data_option_callback

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=KGGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="kg")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=str),
    envvar="KG_DATA",
    default=None,
    expose_value=False,
    is_eager=True,
    callback=data_option_callback,
    help="Data directory holding ontology.ttl, seeds/ and exports/ (default: the repository; env KG_DATA).",
)
def main() -> None:
    """A knowledge graph of Kazakhstan's foreign relations, curated from five
    Kazakh texts with a verbatim quote for every fact.

    \b
    Start with:
        kg build                      validate, then write exports/
        kg show Russia                an entity's card, with evidence
        kg query 'SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org }'
    """


# Commands register themselves on ``main`` when their module is imported.
from . import analysis, core, query, serve, views  # noqa: E402,F401
