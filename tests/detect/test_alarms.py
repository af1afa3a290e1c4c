"""The alarm level state machine: counts, hysteresis, transitions and no flapping."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openphm.core.errors import ConfigError
from openphm.detect import LEVELS, AlarmRule, AlarmState, Baseline, Limits, step

UPPER = Limits("upper", alert_high=4.0, danger_high=6.0)


def _run(rule: AlarmRule, values: list[float] | np.ndarray) -> list[tuple[str, str, str]]:
    state, out = AlarmState(), []
    for v in values:
        new, changes = step(rule, state, float(v))
        for c in changes:
            assert c.from_level == state.level and c.to_level == new.level
        out += [(c.kind, c.from_level, c.to_level) for c in changes]
        state = new
    return out


def test_min_count_consecutive_values_raise() -> None:
    rule = AlarmRule(UPPER, min_count=3, clear_count=2)
    assert _run(rule, [5, 5, 3, 5, 5]) == []
    assert _run(rule, [5, 5, 5]) == [("raised", "normal", "alert")]


def test_escalate_deescalate_and_clear_with_limits() -> None:
    rule = AlarmRule(UPPER, hysteresis=0.5, min_count=1, clear_count=1)
    state, events = AlarmState(), []
    for v in (4.0, 6.5, 5.7, 5.4, 3.6, 3.4):
        state, changes = step(rule, state, v)
        events += [(c.kind, c.to_level, c.value, c.limit) for c in changes]
    assert events == [
        ("raised", "alert", 4.0, 4.0),
        ("escalated", "danger", 6.5, 6.0),
        ("de-escalated", "alert", 5.4, 5.5),
        ("cleared", "normal", 3.4, 3.5),
    ]


def test_normal_straight_to_danger_and_back() -> None:
    rule = AlarmRule(UPPER, min_count=2, clear_count=2)
    assert _run(rule, [7, 7, 1, 1]) == [
        ("raised", "normal", "danger"),
        ("cleared", "danger", "normal"),
    ]


def test_lower_direction_and_both() -> None:
    low = AlarmRule(Limits("lower", alert_low=1.0, danger_low=0.5), hysteresis=0.2, min_count=1)
    assert _run(low, [0.9, 1.1, 1.1, 1.1, 1.3, 1.3, 1.3]) == [
        ("raised", "normal", "alert"),
        ("cleared", "alert", "normal"),
    ]
    both = AlarmRule(
        Limits("both", alert_high=2.0, danger_high=3.0, alert_low=-2.0, danger_low=-3.0),
        min_count=1,
        clear_count=1,
    )
    assert _run(both, [-2.5, 0.0, 3.5])[1:] == [
        ("cleared", "alert", "normal"),
        ("raised", "normal", "danger"),
    ]


def test_a_noisy_value_around_the_limit_does_not_flap() -> None:
    rng = np.random.default_rng(11)
    baseline = Baseline(centre=1.0, scale=0.1, count=50)
    alert = baseline.limits.alert_high
    assert alert is not None
    values = alert + 0.03 * rng.standard_normal(2000)  # noise of 0.3 sigma around the limit
    naive = _run(AlarmRule(baseline.limits, min_count=1, clear_count=1), values)
    assert len(naive) > 100  # without hysteresis or counts it flaps
    steady = _run(AlarmRule.from_baseline(baseline, hysteresis_sigmas=1.0), values)
    assert steady == [("raised", "normal", "alert")]


def test_nan_changes_nothing() -> None:
    state = AlarmState("alert", over_alert=3)
    assert step(AlarmRule(UPPER), state, float("nan")) == (state, ())


def test_bad_rules_and_states() -> None:
    with pytest.raises(ConfigError, match="hysteresis"):
        AlarmRule(UPPER, hysteresis=-1.0)
    with pytest.raises(ConfigError, match="min_count"):
        AlarmRule(UPPER, min_count=0)
    with pytest.raises(ConfigError, match="level"):
        AlarmState("panic")  # type: ignore[arg-type]


values_strategy = st.lists(
    st.floats(min_value=-10, max_value=10, allow_nan=False), min_size=1, max_size=80
)
rule_strategy = st.builds(
    AlarmRule,
    limits=st.just(UPPER),
    hysteresis=st.floats(min_value=0.0, max_value=2.0),
    min_count=st.integers(1, 4),
    clear_count=st.integers(1, 4),
)


@given(rule_strategy, values_strategy)
def test_transitions_are_consistent(rule: AlarmRule, values: list[float]) -> None:
    state = AlarmState()
    for v in values:
        new, changes = step(rule, state, v)
        assert len(changes) <= 1
        for c in changes:
            # Never normal to cleared, and each kind matches the direction of the change.
            assert c.from_level == state.level != c.to_level == new.level
            up = LEVELS.index(c.to_level) > LEVELS.index(c.from_level)
            expected = {
                (True, "normal"): "raised",
                (True, "alert"): "escalated",
                (False, "normal"): "cleared",
                (False, "alert"): "de-escalated",
            }[(up, c.from_level if up else c.to_level)]
            assert c.kind == expected
        if not changes:
            assert new.level == state.level
        state = new


@given(
    st.floats(min_value=0.1, max_value=2.0),
    st.floats(min_value=2.0, max_value=7.0),
    st.lists(st.floats(min_value=0.0, max_value=0.999), min_size=1, max_size=80),
)
def test_no_flapping_within_the_hysteresis_band(
    hysteresis: float, low: float, fractions: list[float]
) -> None:
    # Values that stay within a band narrower than the hysteresis never make the level drop.
    rule = AlarmRule(UPPER, hysteresis=hysteresis, min_count=1, clear_count=1)
    values = [low + hysteresis * f for f in fractions]
    kinds = [k for k, _, _ in _run(rule, values)]
    assert "cleared" not in kinds and "de-escalated" not in kinds
    assert len(kinds) <= 2
