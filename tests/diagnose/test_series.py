"""Harmonic series that no candidate explains."""

from __future__ import annotations

import numpy as np

from openphm.diagnose.patterns import Line
from openphm.diagnose.series import explained_mask, unexplained_series

DF = 0.1
F = np.arange(0.0, 800.0, DF)


def _log_p(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).exponential(size=F.size)


def test_series_is_found_at_its_fundamental() -> None:
    log_p = _log_p(0)
    for k in range(1, 5):
        log_p[round(k * 131.7 / DF)] = 14.0
    ratio = np.ones(F.size)
    none = np.zeros(F.size, dtype=bool)
    s = unexplained_series(F, ratio, ratio, log_p, none, 30.0, (0.0, 6000.0))
    assert s is not None
    assert abs(s.fundamental_hz - 131.7) < DF
    assert s.orders == s.fundamental_hz / 30.0
    assert s.score > 5.0
    assert not s.has_shaft_sidebands
    assert f"{s.fundamental_hz:.2f} Hz" in s.describe()


def test_noise_gives_a_low_score() -> None:
    ratio = np.ones(F.size)
    s = unexplained_series(F, ratio, ratio, _log_p(1), np.zeros(F.size, bool), 30.0, (0, 1e3))
    assert s is not None
    assert s.score < 1.5


def test_explained_lines_do_not_count() -> None:
    log_p = _log_p(2)
    for k in range(1, 5):
        log_p[round(k * 107.5 / DF)] = 14.0
    ratio = np.ones(F.size)
    lines = [(Line(f"{k}xBPFO", "harmonic", k, k * 3.585), 0.01) for k in range(1, 5)]
    mask = explained_mask(F, 30.0, lines, 0.002)
    s = unexplained_series(F, ratio, ratio, log_p, mask, 30.0, (0.0, 6000.0))
    assert s is not None
    assert s.score < 1.5


def test_mask_covers_shaft_harmonics_and_slip_range() -> None:
    mask = explained_mask(F, 30.0, [(Line("1xBPFI", "harmonic", 1, 5.4), 0.01)], 0.002)
    assert mask[round(60.0 / DF)] and mask[round(162.0 * 1.009 / DF)]
    assert not mask[round(45.0 / DF)]
