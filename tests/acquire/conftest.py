"""Fixtures of the acquisition tests."""

from __future__ import annotations

import pytest
from acquire_writers import Signals, known_signals


@pytest.fixture
def signals() -> Signals:
    """Three known channels at 2560 Hz."""
    return known_signals()
