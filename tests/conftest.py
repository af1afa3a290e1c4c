"""Shared pytest fixtures (the reference-data root) and the hypothesis profile of CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

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
