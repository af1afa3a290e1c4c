"""Fixtures of the store's tests (the ``store`` fixture itself is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from openphm.store import Store


@pytest.fixture
def point(store: Store) -> int:
    """Id of a point ``plant/fan/DE-H`` that hears bearing ``DE``, in a fresh store."""
    store.add_site("plant")
    store.add_machine("plant", "fan", profile="electric-motor", iso_group=2)
    store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
    return store.add_point(
        "plant/fan", "DE-H", sensor="accelerometer", unit="g", components=["DE"]
    ).id
