"""A service app on a fresh store (SQLite and PostgreSQL) and one client per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from openphm.service.app import create_app
from openphm.service.settings import ServiceSettings
from openphm.store import Store
from tests.conftest import StoreTarget

#: Roles a test client can have; None sends no credentials.
ROLES = (None, "viewer", "engineer", "admin")


@pytest.fixture
def service_store(store_target: StoreTarget) -> Iterator[Store]:
    """A fresh store with one user per role."""
    opened = store_target.open()
    for role in ROLES[1:]:
        opened.add_user(role, role)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def app(service_store: Store) -> FastAPI:
    """The app on the fresh store, with a small upload limit (1 MiB) to test it."""
    settings = ServiceSettings(home=service_store.home, max_upload_bytes=1024 * 1024)
    return create_app(settings, service_store)


@pytest.fixture
def client_for(app: FastAPI, service_store: Store) -> Callable[[str | None], TestClient]:
    """A client that sends the API token of a user of the given role (None: no token)."""

    def make(role: str | None) -> TestClient:
        headers = {}
        if role is not None:
            headers["Authorization"] = f"Bearer {service_store.add_token(role).secret}"
        return TestClient(app, headers=headers)

    return make
