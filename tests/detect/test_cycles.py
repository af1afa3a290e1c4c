"""Cycle features: closed-form values on known shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataError
from openphm.detect.cycles import CYCLE_STATS, cycle_features, feature_matrix, split_cycles


@settings(max_examples=30, deadline=None)
@given(st.floats(-100, 100), st.floats(-10, 10), st.integers(4, 200), st.sampled_from([1.0, 10.0]))
def test_a_ramp_gives_its_slope_and_mean(offset: float, slope: float, n: int, fs: float) -> None:
    t = np.arange(n) / fs
    f, names = cycle_features((offset + slope * t)[None, :], fs_hz=fs)
    row = dict(zip(names, f[0], strict=True))
    assert row["slope"] == pytest.approx(slope, abs=1e-6 * (1 + abs(slope) + abs(offset)))
    assert row["mean"] == pytest.approx(offset + slope * t.mean(), abs=1e-6 * (1 + abs(offset)))


def test_settle_and_segments_see_where_a_step_sits() -> None:
    x = np.zeros((1, 100))
    x[0, 80:] = 5.0
    f, names = cycle_features(x, segments=5)
    row = dict(zip(names, f[0], strict=True))
    assert row["settle"] == 5.0
    assert [row[f"seg{i}"] for i in range(5)] == [0.0, 0.0, 0.0, 0.0, 5.0]
    assert names[: len(CYCLE_STATS)] == CYCLE_STATS


def test_split_and_matrix() -> None:
    cycles = split_cycles(np.arange(25.0), [0, 10, 20], 10)
    assert cycles.shape == (2, 10)
    X, names = feature_matrix({"a": cycles, "b": cycles * 2}, {"a": 1.0, "b": 1.0})
    assert X.shape == (2, 12) and names[6] == "b.mean"
    assert X[1, 6] == 2 * X[1, 0]


def test_bad_input() -> None:
    with pytest.raises(DataError):
        cycle_features(np.ones(5))
    with pytest.raises(ConfigError):
        cycle_features(np.ones((2, 5)), segments=9)
    with pytest.raises(DataError, match="cycle counts"):
        feature_matrix({"a": np.ones((2, 4)), "b": np.ones((3, 4))}, {"a": 1.0, "b": 1.0})
