"""Shared pytest fixtures (the reference-data root, a fresh store on SQLite and on PostgreSQL)
and the hypothesis profile of CI.

PostgreSQL comes from ``OPENPHM_TEST_DATABASE_URL``; each test gets a schema of its own (the URL's
``search_path`` points at it), dropped afterwards. Without the variable the PostgreSQL cases skip,
except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from openphm.store import Store
from openphm.store.engine import SQLITE_NAME

# CI must judge the code, not the luck of the draw: there, property tests replay the same examples
# every run (a failure found locally is kept in .hypothesis/ and replayed first).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def refdata() -> Path:
    """Root of the reference data (``OPENPHM_DATA``).

    Skips the test when the data are absent, except in CI (``CI=true``) where absence is a failure.
    """
    root = os.environ.get("OPENPHM_DATA", "")
    if root and Path(root).is_dir():
        return Path(root)
    message = f"reference data not found (OPENPHM_DATA={root!r})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must provide it")
    pytest.skip(message)


BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class StoreTarget:
    """Where a test's store lives: its home folder and database URL (None: SQLite in home)."""

    backend: str
    home: Path
    url: str | None

    def open(self) -> Store:
        """Open (and migrate) the store; SQLite named explicitly, so that a developer's
        ``OPENPHM_DATABASE_URL`` cannot send the SQLite case elsewhere."""
        sqlite = f"sqlite:///{self.home / SQLITE_NAME}"
        return Store.open(self.home, self.url or sqlite)


def _postgres_base_url() -> str:
    url = os.environ.get("OPENPHM_TEST_DATABASE_URL", "")
    if url:
        return url
    message = "PostgreSQL not configured (OPENPHM_TEST_DATABASE_URL is unset)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + "; CI must provide it")
    pytest.skip(message)


@pytest.fixture(params=BACKENDS)
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreTarget]:
    """A clean place for a store, on each backend."""
    if request.param == "sqlite":
        yield StoreTarget("sqlite", tmp_path / "home", None)
        return
    base = make_url(_postgres_base_url())
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield StoreTarget("postgresql", tmp_path / "home", url.render_as_string(False))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(store_target: StoreTarget) -> Iterator[Store]:
    """A fresh, migrated store, on SQLite and on PostgreSQL."""
    opened = store_target.open()
    try:
        yield opened
    finally:
        opened.close()
