"""Every detection result round-trips through JSON and pickles."""

from __future__ import annotations

import json
import pickle
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openphm.core.errors import DataError
from openphm.detect import (
    AlarmRule,
    AlarmState,
    AlarmTransition,
    Assessment,
    Baseline,
    BaselineSet,
    CusumState,
    EwmaState,
    Onset,
    RegimeBins,
    assess,
    detect_onset,
    fit_baseline,
    fit_baseline_set,
)

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
positive = st.floats(min_value=1e-6, max_value=1e6)
directions = st.sampled_from(["upper", "lower", "both"])

baselines = st.builds(
    lambda c, s, n, m, d, a, extra: Baseline(c, s, n, m, d, a, a + extra),
    finite,
    positive,
    st.integers(0, 10_000),
    st.sampled_from(["mad", "quantile"]),
    directions,
    st.floats(min_value=0.5, max_value=10),
    st.floats(min_value=0.0, max_value=10),
)
cusums = st.builds(
    CusumState,
    finite,
    positive,
    k=st.floats(0, 3),
    h=st.floats(0.1, 20),
    direction=directions,
    high=st.floats(0, 100),
    low=st.floats(0, 100),
    count=st.integers(0, 10**9),
)
ewmas = st.builds(
    EwmaState,
    finite,
    positive,
    lam=st.floats(0.01, 1.0),
    width=st.floats(0.1, 5),
    direction=directions,
    ewma=st.floats(-1e3, 1e3),
    count=st.integers(0, 10**6),
)
alarm_states = st.builds(
    AlarmState,
    level=st.sampled_from(["normal", "alert", "danger"]),
    over_alert=st.integers(0, 100),
    over_danger=st.integers(0, 100),
    under_alert=st.integers(0, 100),
    under_danger=st.integers(0, 100),
)
transitions = st.builds(
    AlarmTransition,
    st.sampled_from(["raised", "escalated", "de-escalated", "cleared"]),
    st.sampled_from(["normal", "alert", "danger"]),
    st.sampled_from(["normal", "alert", "danger"]),
    st.floats(allow_nan=False),
    finite,
)
bins = st.builds(
    lambda s, n: RegimeBins(speed_edges_hz=tuple(sorted(set(s))), load_edges=tuple(range(n))),
    st.lists(st.floats(0, 500), max_size=5),
    st.integers(0, 4),
)


def _json_round_trip(obj: Any) -> None:
    text = json.dumps(obj.to_dict(), allow_nan=False)
    back = type(obj).from_dict(json.loads(text))
    assert back == obj
    assert pickle.loads(pickle.dumps(obj)) == obj


@given(st.one_of(baselines, cusums, ewmas, alarm_states, transitions, bins))
def test_results_round_trip(obj: Any) -> None:
    _json_round_trip(obj)


@given(baselines, st.floats(0, 3), st.integers(1, 5), st.integers(1, 5))
def test_rules_and_limits_round_trip(b: Baseline, hyst: float, m: int, c: int) -> None:
    rule = AlarmRule.from_baseline(b, hysteresis_sigmas=hyst, min_count=m, clear_count=c)
    _json_round_trip(rule)
    _json_round_trip(b.limits)


def test_composite_results_round_trip() -> None:
    rng = np.random.default_rng(2)
    x = np.r_[rng.normal(1, 0.1, 60), rng.normal(1.5, 0.1, 20)]
    for method in ("cusum", "ewma"):
        onset = detect_onset(x, n_baseline=50, method=method)  # type: ignore[arg-type]
        assert isinstance(onset, Onset)
        _json_round_trip(onset)
    regimes = RegimeBins(speed_edges_hz=(10.0, 20.0))
    keys = [regimes.regime_of(s) for s in rng.uniform(5, 25, 80)]
    s = fit_baseline_set(x, keys, regimes)
    assert isinstance(s, BaselineSet)
    _json_round_trip(s)
    a = assess(s, keys[0], 1.2)
    assert isinstance(a, Assessment)
    _json_round_trip(a)
    _json_round_trip(assess(BaselineSet(regimes), keys[0], 1.2))


def test_non_finite_floats_travel_as_strings() -> None:
    t = AlarmTransition("raised", "normal", "alert", float("inf"), 1.0)
    assert t.to_dict()["value"] == "inf"
    assert AlarmTransition.from_dict(t.to_dict()) == t


def test_from_dict_names_the_bad_field() -> None:
    data = fit_baseline(np.arange(20.0)).to_dict()
    with pytest.raises(DataError, match=r"Baseline\.centre"):
        Baseline.from_dict({**data, "centre": "high"})
    with pytest.raises(DataError, match=r"unknown field.*colour"):
        Baseline.from_dict({**data, "colour": 1})
    with pytest.raises(DataError, match=r"Baseline\.direction"):
        Baseline.from_dict({**data, "direction": "up"})
    with pytest.raises(DataError, match="cannot build Baseline"):
        Baseline.from_dict({"scale": 1.0})
