"""The monitor's RUL of a point from its own trend: onset, threshold, closed-form growth, state."""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest

from openphm.core.errors import ConfigError, ModelError
from openphm.prognose.point_rul import PointRulSettings, PointRulState, step_point_rul

HOUR = 3600.0


def _run(values: list[float], settings: PointRulSettings | None = None, dt: float = HOUR):
    state, out = None, None
    for i, v in enumerate(values):
        stepped = step_point_rul(state, 1e9 + dt * i, v, settings)
        assert stepped is not None
        state, out = stepped
    assert state is not None and out is not None
    return state, out


@pytest.mark.parametrize("seed", range(4))
def test_a_steady_point_is_never_given_a_short_life(seed: int) -> None:
    # A baseline of 20 values misjudges the spread now and then, and the onset chart may fire
    # on noise; the growth fitted after such an onset is nil, so the life stays long.
    rng = np.random.default_rng(seed)
    n = 200
    _, out = _run(list(1.0 + 0.02 * rng.standard_normal(n)))
    if out.status == "no_degradation":
        assert "CUSUM" in out.note
        with pytest.raises(ModelError):
            out.median()
    else:
        assert out.quantile(0.05) > 20 * n * HOUR


def test_before_the_baseline_is_learned_it_says_so() -> None:
    _, out = _run([1.0] * 5)
    assert out.status == "no_degradation" and "needs 20" in out.note


def test_exponential_growth_gives_the_closed_form_time_to_threshold() -> None:
    # Healthy at 1.0 (2 % noise) for 30 h, then growing at b = 0.05 per hour, noise-free; with a
    # fixed threshold of 5 x the healthy centre the level gets there ln(5 / level) / b from now.
    rng = np.random.default_rng(1)
    healthy = list(1.0 + 0.02 * rng.standard_normal(30))
    b = 0.05
    growing = [math.exp(b * k) * 1.2 for k in range(1, 26)]
    fixed = PointRulSettings(failure_ratio_log_sd=0.0)
    _, out = _run(healthy + growing, fixed)
    assert out.status == "condition" and out.onset_s is not None
    level_now = growing[-1]
    true_rul = math.log(5.0 / level_now) / b * HOUR
    assert out.median() == pytest.approx(true_rul, rel=0.2)
    low, high = out.interval(0.9)
    assert low < true_rul < high
    # The failure level scatters over units: the interval widens, the median moves later (the
    # point has survived to a level that some units would have failed at).
    _, scattered = _run(healthy + growing)
    low_s, high_s = scattered.interval(0.9)
    assert high_s - low_s > high - low and scattered.median() > out.median()


def test_rul_shrinks_as_the_fault_grows() -> None:
    rng = np.random.default_rng(2)
    values = list(1.0 + 0.02 * rng.standard_normal(25)) + [1.1**k for k in range(2, 16)]
    medians = []
    state = None
    for i, v in enumerate(values):
        stepped = step_point_rul(state, HOUR * i, v)
        assert stepped is not None
        state, out = stepped
        if out.status == "condition" and i > 30:
            medians.append(out.median())
    assert len(medians) >= 5
    assert all(b < a for a, b in itertools.pairwise(medians))


def test_a_late_or_non_finite_value_changes_nothing() -> None:
    state, _ = _run([1.0, 1.1, 0.9])
    assert step_point_rul(state, 1e9 + HOUR, 1.0) is None  # not after the last one
    assert step_point_rul(state, 1e9 + 10 * HOUR, float("nan")) is None


def test_state_survives_json() -> None:
    state, _ = _run([1.0 + 0.01 * i for i in range(30)])
    again = PointRulState.from_dict(json.loads(json.dumps(state.to_dict())))
    assert again == state


def test_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="failure_ratio"):
        PointRulSettings(failure_ratio=0.5)
