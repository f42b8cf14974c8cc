"""The click application: the ``kg`` group, composed from one module per group of commands.

Exit codes are listed in ``kg/cli/__init__.py`` and the README.
"""

from __future__ import annotations

import click

from kg.core.release import VERSION as __version__
from kg.cli import data, export, network, query, read
from kg.cli.common import KGGroup, data_option_callback, refuse_empty_values

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
    help="Data directory holding ontology.ttl, seeds/ and exports/ (env KG_DATA; default: the current "
    "directory or its nearest parent holding ontology.ttl and seeds/, else the graph packaged with kg).",
)
def main() -> None:
    """A knowledge graph of Kazakhstan's foreign relations, curated from five
    Kazakh texts with a verbatim quote for every fact.

    \b
    Start with:
        kg build                      validate, then write exports/
        kg init my-graph              a working copy of the packaged graph
        kg show Russia                an entity's card, with evidence
        kg query 'SELECT ?org WHERE { kz:Kazakhstan kzo:memberOf ?org }'
    """


for command in [*data.COMMANDS, *read.COMMANDS, *query.COMMANDS, export.export, *network.COMMANDS]:
    main.add_command(command)
refuse_empty_values(main)
