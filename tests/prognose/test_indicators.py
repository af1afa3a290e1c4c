"""Health indicators and the selection metrics (Coble and Hines 2009)."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import DataError
from openphm.prognose.indicators import (
    INDICATORS,
    fuse_indicators,
    monotonicity,
    prognosability,
    snapshot_indicators,
    trendability,
)


def test_indicators_of_a_sine() -> None:
    fs = 1000.0
    t = np.arange(1000) / fs
    hi = snapshot_indicators(np.sin(2 * np.pi * 10 * t)[None, :], fs)
    assert set(hi) == set(INDICATORS)
    assert hi["rms"][0] == pytest.approx(1 / np.sqrt(2))
    assert hi["kurtosis"][0] == pytest.approx(1.5)
    assert hi["spectral_entropy"][0] < 0.05
    assert hi["band_1"][0] == pytest.approx(1 / np.sqrt(2), rel=1e-6)
    with pytest.raises(DataError):
        snapshot_indicators(np.ones((2, 4)), fs)


def test_selection_metrics() -> None:
    assert monotonicity(np.arange(10.0)) == 1.0
    assert monotonicity([1, 2, 1, 2, 1]) == 0.0
    rising = [k * np.linspace(0, 1, n) ** 2 for k, n in ((1, 30), (3, 50), (2, 80))]
    assert trendability(rising) > 0.99
    assert trendability([np.arange(10.0), -np.arange(10.0)]) == pytest.approx(1.0)
    assert prognosability([[1, 5, 10], [2, 6, 10]]) == pytest.approx(1.0)
    assert prognosability([[1, 2], [1, 20]]) < 0.5


def test_fusion_rises_with_damage() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(0, 1, (100, 3))
    x[80:] += 5.0
    f = fuse_indicators(x, 50)
    assert f[:50].mean() < 1.5 < f[80:].mean()
