"""Similarity RUL on a library of closed-form paths."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import DataError
from openphm.prognose.interface import History, run_history
from openphm.prognose.similarity import SimilarityRul


def path(life: float) -> History:
    t = np.arange(0.0, life + 1, 1.0)
    return History(t, np.exp(3.0 * t / life))  # every unit ends at e^3


def test_a_unit_like_the_library_gets_its_rul() -> None:
    model = SimilarityRul(window=20).fit([path(life) for life in (80, 100, 120, 140)])
    unit = path(100.0)
    d = run_history(model, unit, [60.0])[0]
    assert d.median() == pytest.approx(40.0, abs=8.0)
    lo, hi = d.interval(0.9)
    assert lo <= 40.0 <= hi


def test_too_few_observations_and_no_library() -> None:
    model = SimilarityRul(window=20).fit([path(100.0)])
    d = run_history(model, History(np.arange(5.0), np.ones(5)))[0]
    assert d.status == "no_degradation"
    with pytest.raises(DataError):
        SimilarityRul().fit([path(50.0).until(10.0)])
