"""Fixtures of the store's tests: a fresh store on SQLite and on PostgreSQL.

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
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from openphm.store import Store

BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class StoreTarget:
    """Where a test's store lives: its home folder and database URL (None: SQLite in home)."""

    backend: str
    home: Path
    url: str | None

    def open(self) -> Store:
        """Open (and migrate) the store."""
        return Store.open(self.home, self.url)


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


@pytest.fixture
def point(store: Store) -> int:
    """Id of a point ``plant/fan/DE-H`` that hears bearing ``DE``, in a fresh store."""
    store.add_site("plant")
    store.add_machine("plant", "fan", profile="electric-motor", iso_group=2)
    store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
    return store.add_point(
        "plant/fan", "DE-H", sensor="accelerometer", unit="g", components=["DE"]
    ).id
