"""CUSUM and EWMA: closed-form run lengths and limits, streaming equals batch."""

from __future__ import annotations

import math

import numpy as np
import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.detect import (
    Baseline,
    CusumState,
    EwmaState,
    detect_onset,
    ewma_limit,
    fit_baseline,
    run_chart,
    start_chart,
    update,
)

UNIT = Baseline(centre=0.0, scale=1.0, count=100)


@pytest.mark.parametrize("method", ["cusum", "ewma"])
def test_constant_series_never_alarms(method: str) -> None:
    x = np.full(500, 3.7)
    assert detect_onset(x, n_baseline=50, method=method) is None  # type: ignore[arg-type]
    chart = start_chart(fit_baseline(x[:50], direction="both"), method)  # type: ignore[arg-type]
    _, stat, _, alarm = run_chart(chart, x)
    assert not alarm.any() and np.all(stat == 0.0)


@pytest.mark.parametrize(("d", "k", "h"), [(1.0, 0.5, 5.0), (2.0, 0.5, 4.0), (3.0, 0.25, 8.0)])
def test_cusum_finds_a_noiseless_step_after_the_closed_form_run_length(
    d: float, k: float, h: float
) -> None:
    # S_n = n (d - k) > h first at n = floor(h / (d - k)) + 1.
    x = np.r_[np.zeros(20), np.full(50, d)]
    _, _, _, alarm = run_chart(CusumState(0.0, 1.0, k=k, h=h), x)
    first = int(np.argmax(alarm))
    assert first - 20 + 1 == math.floor(h / (d - k)) + 1


def test_cusum_mean_delay_of_a_one_sigma_step_matches_the_tables() -> None:
    # Montgomery Table 9.3: k = 0.5, h = 5, shift 1 sigma -> ARL about 10.4.
    rng = np.random.default_rng(7)
    delays = []
    for _ in range(400):
        _, _, _, alarm = run_chart(CusumState(0.0, 1.0), 1.0 + rng.standard_normal(200))
        delays.append(int(np.argmax(alarm)) + 1)
    assert 9.0 < np.mean(delays) < 12.0


def test_cusum_lower_and_both_sides() -> None:
    x = np.r_[np.zeros(10), np.full(10, -2.0)]
    assert not run_chart(CusumState(0.0, 1.0), x)[3].any()
    assert run_chart(CusumState(0.0, 1.0, direction="lower"), x)[3].any()
    assert run_chart(CusumState(0.0, 1.0, direction="both"), x)[3].any()
    assert run_chart(CusumState(0.0, 1.0, direction="both"), -x)[3].any()


def test_ewma_limit_matches_the_formula() -> None:
    lam, width = 0.1, 2.7
    chart = EwmaState(0.0, 1.0, lam=lam, width=width)
    _, _, lim, _ = run_chart(chart, np.zeros(300))
    t = np.arange(1, 301)
    expected = width * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    np.testing.assert_allclose(lim, expected, rtol=1e-12)
    assert lim[-1] == pytest.approx(width * math.sqrt(lam / (2 - lam)))
    assert ewma_limit(1, lam, width) == pytest.approx(width * lam)


def test_ewma_statistic_is_the_weighted_sum() -> None:
    rng = np.random.default_rng(3)
    x = 5.0 + 2.0 * rng.standard_normal(40)
    lam = 0.3
    _, stat, _, _ = run_chart(EwmaState(5.0, 2.0, lam=lam), x)
    z = (x - 5.0) / 2.0
    n = len(z)
    expected = lam * sum((1 - lam) ** (n - 1 - j) * z[j] for j in range(n))
    assert stat[-1] == pytest.approx(expected)


def test_streaming_equals_batch_and_states_are_immutable() -> None:
    rng = np.random.default_rng(5)
    x = np.r_[rng.normal(0, 1, 80), rng.normal(1.5, 1, 40)]
    for method in ("cusum", "ewma"):
        onset = detect_onset(x, n_baseline=50, method=method)  # type: ignore[arg-type]
        assert onset is not None
        chart = start_chart(onset.baseline, method)  # type: ignore[arg-type]
        first = chart
        found = None
        for i, v in enumerate(x[50:], start=50):
            chart, alarm = update(chart, float(v))
            if alarm:
                found = i
                break
        assert found == onset.index and chart == onset.state
        assert first.count == 0


def test_nan_leaves_the_state_unchanged() -> None:
    s = CusumState(0.0, 1.0, high=6.0, count=4)
    assert update(s, float("nan")) == (s, True)
    e = EwmaState(0.0, 1.0)
    assert update(e, float("nan")) == (e, False)


def test_onset_input_errors() -> None:
    with pytest.raises(DataError, match="none to watch"):
        detect_onset(np.zeros(10), n_baseline=10)
    with pytest.raises(ConfigError, match="n_baseline"):
        detect_onset(np.zeros(10), n_baseline=1)
    with pytest.raises(ConfigError, match="method"):
        detect_onset(np.zeros(10), n_baseline=5, method="shewhart")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        CusumState(0.0, 0.0)
    with pytest.raises(ConfigError):
        EwmaState(0.0, 1.0, lam=0.0)
    with pytest.raises(ConfigError):
        CusumState(0.0, 1.0, h=-1.0)
