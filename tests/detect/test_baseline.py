"""Robust baselines, limits, regimes and the per-regime set."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.detect import (
    POOLED,
    Baseline,
    BaselineSet,
    Limits,
    RegimeBins,
    assess,
    fit_baseline,
    fit_baseline_set,
)


def test_mad_baseline_of_gaussian_values_estimates_sigma() -> None:
    rng = np.random.default_rng(1)
    x = 2.0 + 0.5 * rng.standard_normal(20_000)
    for method in ("mad", "quantile"):
        b = fit_baseline(x, method=method)
        assert b.centre == pytest.approx(2.0, abs=0.02)
        assert b.scale == pytest.approx(0.5, rel=0.03)


def test_outliers_do_not_move_a_robust_baseline() -> None:
    x = np.r_[np.linspace(0.9, 1.1, 40), [50.0, 80.0, 1e3]]
    b = fit_baseline(x)
    assert b.centre == pytest.approx(1.0, abs=0.01)
    assert b.scale < 0.1


def test_constant_baseline_has_floor_width() -> None:
    b = fit_baseline(np.full(20, 2.0))
    assert b.scale == pytest.approx(0.02)  # 1 % of the centre
    assert fit_baseline(np.zeros(20)).scale == pytest.approx(1e-12)
    lim = b.limits
    assert lim.alert_high is not None and lim.alert_high > 2.0


def test_limits_follow_direction_and_sigmas() -> None:
    b = Baseline(
        centre=10.0, scale=1.0, count=30, direction="both", alert_sigmas=3, danger_sigmas=5
    )
    lim = b.limits
    assert (lim.alert_high, lim.danger_high, lim.alert_low, lim.danger_low) == (13, 15, 7, 5)
    up = Baseline(centre=10.0, scale=1.0, count=30).limits
    assert up.alert_low is None and up.danger_high == 16.0
    low = Baseline(centre=10.0, scale=1.0, count=30, direction="lower").limits
    assert low.alert_high is None and low.alert_low == 6.0
    assert b.zscore(12.5) == pytest.approx(2.5)


def test_level_of_counts_a_limit_as_reached() -> None:
    lim = Limits("both", alert_high=4.0, danger_high=6.0, alert_low=-4.0, danger_low=-6.0)
    assert [lim.level_of(v) for v in (0.0, 4.0, 6.0, -4.0, -7.0)] == [
        "normal",
        "alert",
        "danger",
        "alert",
        "danger",
    ]
    assert lim.limit_of("alert", -5.0) == -4.0
    assert lim.limit_of("danger", 5.0) == 6.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"direction": "upper"},
        {"direction": "upper", "alert_high": 2.0, "danger_high": 1.0},
        {"direction": "lower", "alert_low": 1.0, "danger_low": 0.0, "alert_high": 3.0},
        {"direction": "sideways", "alert_high": 1.0, "danger_high": 2.0},
    ],
)
def test_bad_limits_are_config_errors(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        Limits(**kwargs)  # type: ignore[arg-type]


def test_fit_baseline_rejects_bad_input() -> None:
    with pytest.raises(DataError, match="no healthy values"):
        fit_baseline([])
    with pytest.raises(DataError, match="non-finite"):
        fit_baseline([1.0, np.nan])
    with pytest.raises(ConfigError, match="method"):
        fit_baseline([1.0, 2.0], method="mean")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="alert_sigmas"):
        fit_baseline([1.0, 2.0], alert_sigmas=6, danger_sigmas=4)


def test_fit_does_not_change_the_callers_array() -> None:
    x = np.array([3.0, 1.0, 2.0])
    fit_baseline(x)
    assert x.tolist() == [3.0, 1.0, 2.0]


def test_baseline_needs_min_count_before_ready() -> None:
    assert not fit_baseline(np.ones(9)).ready
    assert fit_baseline(np.ones(10)).ready
    assert fit_baseline(np.ones(3), min_count=3).ready


def test_regime_keys_are_stable() -> None:
    bins = RegimeBins(speed_edges_hz=(10, 20, 30), load_edges=(0.0, 50.0))
    assert bins.regime_of(20.0, 10.0) == "speed:20-30|load:0-50"
    assert bins.regime_of(5.0, 60.0) == "speed:<10|load:>=50"
    assert bins.regime_of(float("nan"), None) == "speed:unknown|load:unknown"
    assert RegimeBins().regime_of(12.3, 4.0) == "speed:all|load:all"
    assert RegimeBins(speed_edges_hz=(12.5, 25)).regime_of(12.5) == "speed:12.5-25|load:all"


@pytest.mark.parametrize("edges", [(20.0, 10.0), (1.0, 1.0), (float("inf"),)])
def test_bad_regime_edges(edges: tuple[float, ...]) -> None:
    with pytest.raises(ConfigError, match="speed_edges_hz"):
        RegimeBins(speed_edges_hz=edges)


def test_baseline_set_falls_back_to_pooled_then_learning() -> None:
    bins = RegimeBins(speed_edges_hz=(10.0, 20.0))
    slow, fast = bins.regime_of(12.0), bins.regime_of(25.0)
    values = np.r_[np.linspace(0.9, 1.1, 15), np.linspace(1.9, 2.1, 5)]
    keys = [slow] * 15 + [fast] * 5
    s = fit_baseline_set(values, keys, bins)
    assert s.baseline_for(slow)[1] == slow
    assert s.baseline_for(fast)[1] == POOLED  # own baseline has 5 < 10 values
    assert assess(s, slow, 1.0).status == "normal"
    assert assess(s, slow, 3.0).status == "danger"
    assert assess(s, fast, 2.0).baseline_regime == POOLED

    empty = BaselineSet(bins)
    a = assess(empty, slow, 1.0)
    assert (a.status, a.zscore, a.baseline_regime) == ("learning", None, None)
    few = fit_baseline_set(values[:5], keys[:5], bins)
    assert assess(few, slow, 1.0).status == "learning"


def test_baseline_set_fit_settings_and_replacement() -> None:
    bins = RegimeBins()
    key = bins.regime_of(None)
    s = fit_baseline_set(
        np.arange(12.0), [key] * 12, bins, fit=functools.partial(fit_baseline, method="quantile")
    )
    assert s.get(key) is not None and s.get(key).method == "quantile"  # type: ignore[union-attr]
    new = Baseline(centre=0.0, scale=1.0, count=50)
    s2 = s.with_baseline(key, new)
    assert s2.get(key) == new and s.get(key) != new
    assert s2.with_baseline(POOLED, new).pooled == new
    with pytest.raises(DataError, match="regime keys"):
        fit_baseline_set([1.0, 2.0], [key], bins)
    with pytest.raises(ConfigError, match="duplicate"):
        BaselineSet(bins, baselines=((key, new), (key, new)))
