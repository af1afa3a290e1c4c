"""Multivariate detectors: limits hold their false-alarm rate, faults are found and explained."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataError
from openphm.detect.multivariate import (
    Detection,
    MahalanobisDetector,
    PcaDetector,
    fit_detector,
    fit_isolation_forest,
    fit_mahalanobis,
    fit_pca,
    fit_standardiser,
    sensor_of,
)

NAMES = ("flow", "temp_in", "temp_out", "pressure", "current")


def _healthy(n: int, rng: np.random.Generator) -> np.ndarray:
    """Correlated healthy process data: two latent drivers and sensor noise."""
    latent = rng.normal(size=(n, 2))
    mix = np.array([[2.0, 0.0], [1.0, 1.0], [1.0, 1.2], [0.0, 2.0], [1.5, 0.5]])
    return latent @ mix.T + 0.2 * rng.normal(size=(n, 5)) + np.array([50, 40, 45, 30, 10])


@pytest.mark.parametrize("method", ["pca", "mahalanobis", "iforest"])
def test_false_alarm_rate_near_alpha_on_fresh_healthy_data(method: str) -> None:
    rng = np.random.default_rng(0)
    model = fit_detector(method, _healthy(2000, rng), NAMES, alpha=0.01, rng=rng)
    det = model.detect(_healthy(5000, rng))
    assert det.alarm.mean() < 0.03
    assert det.contributions.shape == (5000, 5)
    assert np.allclose(det.contributions.sum(axis=1), 1.0)


@pytest.mark.parametrize("method", ["pca", "mahalanobis"])
def test_broken_correlation_is_found_and_named(method: str) -> None:
    """temp_out drifting away from temp_in breaks the correlation: found, and temp_out named."""
    rng = np.random.default_rng(1)
    model = fit_detector(method, _healthy(1000, rng), NAMES, rng=rng)
    faulty = _healthy(200, rng)
    faulty[:, 2] += 2.5
    det = model.detect(faulty)
    assert det.alarm.mean() > 0.9
    named = [det.explain(i, top=1)[0].sensor for i in range(200)]
    assert named.count("temp_out") > 150


def test_pca_spe_catches_what_t2_cannot() -> None:
    """A shift orthogonal to the healthy subspace has a small T^2 but a large SPE."""
    rng = np.random.default_rng(2)
    model = fit_pca(_healthy(1000, rng), NAMES, n_components=2)
    x = _healthy(1, rng)
    _, spe_before = model.statistics(x)
    x[0, 3] += 3.0
    _, spe = model.statistics(x)
    assert spe[0] > model.spe_limit > spe_before[0]
    assert model.detect(x).explain(0, top=1)[0].sensor == "pressure"


def test_pca_limits_match_the_f_and_chi2_formulas() -> None:
    rng = np.random.default_rng(3)
    model = fit_pca(rng.normal(size=(101, 3)), n_components=2, alpha=0.05)
    from scipy import stats

    n, k = 101, 2
    expected = k * (n * n - 1) / (n * (n - k)) * stats.f.ppf(0.95, k, n - k)
    assert model.t2_limit == pytest.approx(expected)


def test_constant_columns_are_dropped_and_named() -> None:
    rng = np.random.default_rng(4)
    x = np.column_stack([rng.normal(size=50), np.full(50, 7.0), rng.normal(size=50)])
    s = fit_standardiser(x, ["a", "const", "b"])
    assert s.dropped == ("const",)
    model = fit_pca(x, ["a", "const", "b"])
    assert model.detect(x).names == ("a", "b")


def test_results_round_trip_and_pickle() -> None:
    rng = np.random.default_rng(5)
    x = _healthy(300, rng)
    for model in (fit_pca(x, NAMES), fit_mahalanobis(x, NAMES, rng=rng)):
        back = type(model).from_dict(json.loads(json.dumps(model.to_dict())))
        assert isinstance(back, PcaDetector | MahalanobisDetector)
        assert np.allclose(back.detect(x[:10]).score, model.detect(x[:10]).score)
        det = model.detect(x[:3])
        assert np.allclose(Detection.from_dict(det.to_dict()).score, det.score)
    forest = fit_isolation_forest(x, NAMES, rng=rng)
    again = pickle.loads(pickle.dumps(forest))
    assert np.allclose(again.detect(x[:5]).score, forest.detect(x[:5]).score)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.5, 20.0))
def test_pca_score_is_invariant_to_units(seed: int, factor: float) -> None:
    """Rescaling a sensor (bar to kPa) changes nothing: inputs are standardised robustly."""
    rng = np.random.default_rng(seed)
    x = _healthy(60, rng)
    y = x.copy()
    y[:, 0] *= factor
    a = fit_pca(x, n_components=2).detect(x[:5]).score
    b = fit_pca(y, n_components=2).detect(y[:5]).score
    assert np.allclose(a, b)


def test_errors_name_the_problem() -> None:
    with pytest.raises(DataError, match="more samples"):
        fit_mahalanobis(np.random.default_rng(0).normal(size=(4, 5)))
    with pytest.raises(ConfigError, match="alpha"):
        fit_pca(np.ones((10, 2)) + np.arange(10)[:, None], alpha=0.7)
    with pytest.raises(ConfigError, match="method"):
        fit_detector("svm", np.ones((10, 2)))  # type: ignore[arg-type]
    model = fit_pca(np.random.default_rng(0).normal(size=(20, 3)))
    with pytest.raises(DataError, match="columns"):
        model.detect(np.ones((2, 4)))


def test_sensor_of_groups_features() -> None:
    assert sensor_of("FS1.seg3") == "FS1"


def test_all_components_kept_leaves_only_t2() -> None:
    """Two independent sensors keep both components: no residual space, the SPE never alarms
    and the contributions still name the sensor that moved."""
    rng = np.random.default_rng(6)
    x = np.column_stack([30 + 0.1 * rng.normal(size=20), 45 + 0.2 * rng.normal(size=20)])
    model = fit_pca(x, ["p", "t"], n_components=2)
    assert model.spe_limit == float("inf")
    det = model.detect([[27.0, 45.0]])
    assert det.alarm[0] and det.explain(0, top=1)[0].sensor == "p"
    back = PcaDetector.from_dict(json.loads(json.dumps(model.to_dict())))
    assert back.spe_limit == float("inf")
