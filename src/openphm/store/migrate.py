"""Alembic migrations, configured from the package: no ``alembic.ini`` for users to keep.

:func:`upgrade` brings a database to the newest schema (:meth:`Store.open` calls it); concurrent
openers are serialised (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL).
:func:`schema_differences` compares the migrated schema with :mod:`openphm.store.models` (tests
require none); :func:`new_revision` writes a new migration script for a developer who changed
the models (``python -c "from openphm.store.migrate import new_revision; new_revision('...')"``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from openphm.store.engine import WRITE_OPTION
from openphm.store.models import Base

#: Folder of the Alembic environment and its version scripts.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Key of PostgreSQL's advisory lock held while migrating.
_PG_LOCK = 0x0DE7_A5E1


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the package's migrations.

    Parameters
    ----------
    connection : sqlalchemy.Connection, optional
        Connection the environment runs on (``env.py`` reads it from ``config.attributes``).

    Returns
    -------
    alembic.config.Config
        The configuration.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision of the package's migrations.

    Returns
    -------
    str
        Its identifier.
    """
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.

    Returns
    -------
    str or None
        The revision, None for a database never migrated.
    """
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Upgrade a database to the newest schema (a no-op when it is already there).

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.
    """
    if current_revision(engine) == head_revision():
        return
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        command.upgrade(alembic_config(conn), "head")


def schema_differences(engine: Engine) -> list[Any]:
    """Differences between a database's schema and the models (Alembic's ``compare_metadata``).

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The database.

    Returns
    -------
    list
        Alembic's diff entries; empty when the migrations build exactly the models' schema.
    """
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def new_revision(message: str, engine: Engine) -> None:
    """Write a migration script for the difference between a database at head and the models.

    Parameters
    ----------
    message : str
        What the migration does (it also names the file).
    engine : sqlalchemy.Engine
        A database upgraded to the current head (a scratch SQLite file does).
    """
    with engine.begin() as conn:
        command.revision(alembic_config(conn), message=message, autogenerate=True)
