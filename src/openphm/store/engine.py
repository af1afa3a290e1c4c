"""Where the store lives and how it connects: the home folder, the database URL, the SQLite pragmas.

The catalogue is SQLite in WAL mode in ``$OPENPHM_HOME`` (default ``./openphm-data``) out of the
box, or the database ``OPENPHM_DATABASE_URL`` names (``postgresql+psycopg://...``). Waveform files
always live under the home folder, whichever database holds the catalogue.

SQLite is opened with ``journal_mode=WAL`` (readers never block the writer), ``synchronous=FULL``
(a commit that returned survives a power cut, not only a killed process), ``foreign_keys=ON`` and a
busy timeout, and write transactions start with ``BEGIN IMMEDIATE`` so that two processes writing at
once queue on the busy timeout instead of failing on a lock upgrade (SQLite's "database is locked").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from openphm.core.errors import ConfigError

#: Environment variable naming the store's home folder.
HOME_ENV = "OPENPHM_HOME"
#: Environment variable naming the catalogue's database URL.
DATABASE_URL_ENV = "OPENPHM_DATABASE_URL"
#: Home folder when neither the caller nor the environment names one.
DEFAULT_HOME = Path("openphm-data")
#: File name of the SQLite catalogue inside the home folder.
SQLITE_NAME = "openphm.db"
#: How long a SQLite connection waits for another writer before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 60_000
#: Execution option that marks a write transaction (``BEGIN IMMEDIATE`` on SQLite).
WRITE_OPTION = "openphm_write"


def resolve_home(home: str | os.PathLike[str] | None = None) -> Path:
    """The store's home folder: the argument, else ``$OPENPHM_HOME``, else ``./openphm-data``.

    Parameters
    ----------
    home : str or path-like, optional
        Folder given by the caller.

    Returns
    -------
    pathlib.Path
        The folder, absolute (not created here).

    Examples
    --------
    >>> resolve_home("/tmp/plant").as_posix()
    '/tmp/plant'
    """
    chosen = home if home is not None else os.environ.get(HOME_ENV) or DEFAULT_HOME
    return Path(chosen).expanduser().absolute()


def resolve_url(home: Path, url: str | URL | None = None) -> URL:
    """The catalogue's database URL: the argument, else ``$OPENPHM_DATABASE_URL``, else SQLite.

    Parameters
    ----------
    home : pathlib.Path
        The store's home folder, which holds the SQLite file by default.
    url : str or sqlalchemy.engine.URL, optional
        URL given by the caller.

    Returns
    -------
    sqlalchemy.engine.URL
        The parsed URL.

    Raises
    ------
    ConfigError
        If the URL cannot be parsed or names a database other than SQLite or PostgreSQL.

    Examples
    --------
    >>> resolve_url(Path("/tmp/plant"), "sqlite:///x.db").get_backend_name()
    'sqlite'
    """
    chosen = url if url is not None else os.environ.get(DATABASE_URL_ENV) or None
    if chosen is None:
        return URL.create("sqlite", database=str(home / SQLITE_NAME))
    try:
        parsed = make_url(chosen)
    except Exception as exc:
        raise ConfigError(f"database URL {str(chosen)!r} cannot be parsed: {exc}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"database URL {parsed.render_as_string(hide_password=True)!r}: openphm's store runs on"
            " SQLite or PostgreSQL (postgresql+psycopg://user:password@host/db)"
        )
    return parsed


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver must not open transactions on its own: the "begin" listener decides how.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _sqlite_begin(connection: Any) -> None:
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: URL) -> Engine:
    """An engine for the catalogue, with the SQLite pragmas and transaction rules of this module.

    Parameters
    ----------
    url : sqlalchemy.engine.URL
        The database URL (see :func:`resolve_url`).

    Returns
    -------
    sqlalchemy.engine.Engine
        The engine; use ``engine.execution_options(openphm_write=True)`` for write transactions.

    Examples
    --------
    >>> from sqlalchemy.engine import URL
    >>> make_engine(URL.create("sqlite", database=":memory:")).dialect.name
    'sqlite'
    """
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)
