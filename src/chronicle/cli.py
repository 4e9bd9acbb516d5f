"""The ``chronicle`` command line: a thin Typer layer over the Python API.

Each stage owns its commands in ``<stage>/commands.py``; this module only assembles them, so the
code behind any command is one import away.
"""

from __future__ import annotations

import typer

from chronicle.clean import commands as clean_commands
from chronicle.evaluate import bodies_commands, reader_commands
from chronicle.evaluate import commands as evaluate_commands
from chronicle.extract import commands as extract_commands
from chronicle.extract.learned import commands as learned_commands
from chronicle.ingest import commands as ingest_commands
from chronicle.ingest import watch as watch_commands
from chronicle.link import commands as link_commands
from chronicle.scale import commands as scale_commands
from chronicle.serve import commands as serve_commands
from chronicle.store import commands as store_commands

app = typer.Typer(
    name="chronicle",
    help="Turn news articles into a structured, sourced record of events.",
    no_args_is_help=True,
    add_completion=False,
)



@app.callback()
def _root() -> None:
    """Turn news articles into a structured, sourced record of events."""


for module in (
    ingest_commands,
    watch_commands,
    clean_commands,
    extract_commands,
    learned_commands,
    store_commands,
    link_commands,
    evaluate_commands,
    bodies_commands,
    reader_commands,
    serve_commands,
    scale_commands,
):
    module.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
