"""Shared pytest fixtures: the reference-data root and session-wide cached loads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


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
