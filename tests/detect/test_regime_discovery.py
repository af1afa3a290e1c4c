"""Regimes found from operating variables: a boring machine's three states, and none in noise."""

from __future__ import annotations

import json

import numpy as np
import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.detect.regime_discovery import RegimeModel, discover_regimes


def _tbm(rng: np.random.Generator, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """Cutterhead speed (rpm), thrust (MN), torque (MN m) of standstill, ring building, boring."""
    truth = rng.integers(0, 3, size=n)
    speed = np.array([0.0, 0.0, 1.8])[truth] + 0.05 * rng.normal(size=n)
    thrust = np.array([0.5, 15.0, 30.0])[truth] + 0.5 * rng.normal(size=n)
    torque = np.array([0.0, 0.1, 4.0])[truth] + 0.1 * rng.normal(size=n)
    return np.column_stack([speed, thrust, torque]), truth


def test_three_tbm_states_are_found_and_named_in_order() -> None:
    rng = np.random.default_rng(0)
    x, truth = _tbm(rng)
    names = ("standstill", "ring building", "boring")
    # Named in increasing order of the first variable's centre: thrust first here.
    model = discover_regimes(x[:, [1, 0, 2]], ["thrust", "speed", "torque"], names=names, rng=rng)
    assert model.names == names and model.silhouette > 0.7
    found = model.index_of(x[:, [1, 0, 2]])
    assert np.mean(found == truth) > 0.99


def test_one_cloud_is_one_regime() -> None:
    rng = np.random.default_rng(1)
    model = discover_regimes(rng.normal(size=(400, 2)), ["a", "b"], rng=rng)
    assert model.names == ("regime-0",)


def test_given_count_round_trip_and_errors() -> None:
    rng = np.random.default_rng(2)
    x, _ = _tbm(rng)
    model = discover_regimes(x, ["speed", "thrust", "torque"], n_regimes=3, rng=rng)
    back = RegimeModel.from_dict(json.loads(json.dumps(model.to_dict())))
    assert back.regime_of(x[:20]) == model.regime_of(x[:20])
    with pytest.raises(ConfigError, match="names"):
        discover_regimes(x, ["speed", "thrust", "torque"], n_regimes=3, names=["a"], rng=rng)
    with pytest.raises(DataError):
        discover_regimes(x, ["speed", "thrust"])
    with pytest.raises(DataError, match="columns"):
        model.index_of(np.ones((2, 2)))
