"""The options that say which store a command works on, and opening it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.store import Store

Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="OPENPHM_HOME",
        help="The store's folder (catalogue and waveform files; default ./openphm-data).",
        show_default=False,
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="OPENPHM_DATABASE_URL",
        help="Catalogue database, e.g. postgresql+psycopg://user:pw@127.0.0.1/openphm "
        "(default: SQLite in the store's folder).",
        show_default=False,
    ),
]


def open_store(home: Path | None, database_url: str | None) -> Store:
    """The store the options name, created and migrated when new."""
    return Store.open(home, database_url)
