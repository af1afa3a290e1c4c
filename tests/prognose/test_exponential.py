"""Exponential degradation with Bayesian updating: closed-form paths, parameter recovery,
coverage on simulated units, and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import DataError, ModelError
from openphm.prognose.exponential import (
    ExponentialDegradation,
    ExponentialPrior,
    ExponentialSettings,
    failure_cdf,
    rul_quantiles,
)
from openphm.prognose.interface import History, Observation, run_history

HEALTHY = 60
DT = 10.0


def simulate(rng: np.random.Generator, a: float, b: float, sigma: float, n_after: int) -> History:
    """Healthy level 1 (log 0, noise sigma), then ln S = a + b tau + noise from the onset."""
    t = DT * np.arange(HEALTHY + n_after)
    tau = np.clip(t - DT * HEALTHY, 0, None)
    log_s = np.where(t < DT * HEALTHY, 0.0, a + b * tau) + rng.normal(0, sigma, t.size)
    return History(t, np.exp(log_s), name=f"b={b:.4f}")


def paths(rng: np.random.Generator, n: int, threshold: float = 20.0) -> list[History]:
    out = []
    for _ in range(n):
        a, b = rng.normal(0.5, 0.1), rng.normal(0.004, 0.0005)
        n_after = int(np.ceil((np.log(threshold) - a) / b / DT)) + 1
        out.append(simulate(rng, a, b, 0.05, n_after))
    return out


def test_closed_form_path_gives_the_known_rul() -> None:
    # ln S = 0.2 + 0.01 tau exactly; threshold e^2.2: failure at tau = 200 s.
    prior = ExponentialPrior((0.2, 0.01), ((1e-6, 0.0), (0.0, 1e-10)), 0.01, float(np.exp(2.2)))
    model = ExponentialDegradation(ExponentialSettings(n_baseline=5), prior=prior)
    t = np.arange(0.0, 120.0, 10.0)
    x = np.where(t < 50, 1.0 + 0.001 * np.sin(t), np.exp(0.2 + 0.01 * (t - 50)))
    d = run_history(model, History(t, x))[0]
    onset = d.onset_s
    assert onset == 50.0
    assert d.median() == pytest.approx(200.0 - (110.0 - onset), rel=0.02)


def test_failure_cdf_is_the_normal_probability() -> None:
    p = failure_cdf([50.0], [0.0, 0.02], [[0.01, 0.0], [0.0, 0.0]], 1.0)
    assert p[0] == pytest.approx(0.5)
    q = rul_quantiles(0.0, [0.0, -0.01], [[1e-6, 0], [0, 1e-12]], 1.0)
    assert np.all(np.isinf(q))  # a path that does not rise never fails


def test_fit_recovers_the_prior_and_update_recovers_a_unit() -> None:
    rng = np.random.default_rng(1)
    model = ExponentialDegradation().fit(paths(rng, 30))
    assert model.prior_ is not None
    assert model.prior_.mean[1] == pytest.approx(0.004, rel=0.15)
    assert model.prior_.sigma == pytest.approx(0.05, rel=0.4)
    assert model.prior_.threshold == pytest.approx(20.0, rel=0.15)
    unit = simulate(rng, 0.5, 0.0055, 0.05, 300)  # a fast unit, outside the prior's mean
    for t, x in zip(unit.times_s, unit.values, strict=True):
        model.update(Observation(float(t), float(x)))
    mean, _ = model.posterior()
    assert mean[1] == pytest.approx(0.0055, rel=0.1)


def test_interval_coverage_on_simulated_units() -> None:
    rng = np.random.default_rng(2)
    model = ExponentialDegradation().fit(paths(rng, 40))
    hits = []
    for unit in paths(rng, 60):
        model.reset()
        end = float(unit.times_s[-1])
        at = unit.times_s[HEALTHY] + 0.5 * (end - unit.times_s[HEALTHY])
        d = run_history(model, unit, [at])[0]
        lo, hi = d.interval(0.9)
        hits.append(lo <= end - d.at_s <= hi)
    assert 0.8 <= np.mean(hits) <= 1.0


def test_single_snapshot_and_flat_history_say_no_degradation() -> None:
    rng = np.random.default_rng(3)
    model = ExponentialDegradation().fit(paths(rng, 10))
    d = run_history(model, History([0.0], [1.0]))[0]
    assert d.status == "no_degradation"
    assert "baseline needs" in d.note
    model.reset()
    flat = History(DT * np.arange(300.0), 1.0 + rng.normal(0, 0.01, 300))
    d = run_history(model, flat)[0]
    assert d.status == "no_degradation" and "CUSUM" in d.note
    with pytest.raises(ModelError):
        d.median()


def test_gaps_are_used_as_times() -> None:
    rng = np.random.default_rng(4)
    model = ExponentialDegradation().fit(paths(rng, 10))
    unit = paths(rng, 1)[0]
    keep = np.r_[0 : HEALTHY + 20, HEALTHY + 80 : unit.n]  # a 60-snapshot gap after onset
    gapped = History(unit.times_s[keep], unit.values[keep])
    d = run_history(model, gapped, [float(unit.times_s[-30])])[0]
    assert d.has_estimate and d.median() > 0


def test_bad_times_are_refused() -> None:
    with pytest.raises(DataError, match="increase"):
        History([0.0, 10.0, 10.0], [1.0, 1.0, 1.0])
    with pytest.raises(DataError, match="finite"):
        History([0.0, 10.0], [1.0, float("nan")])
    model = ExponentialDegradation(prior=ExponentialPrior((0, 0.01), ((1, 0), (0, 1)), 0.1, 10.0))
    model.update(Observation(10.0, 1.0))
    with pytest.raises(DataError, match="does not follow"):
        model.update(Observation(5.0, 1.0))


def test_predict_needs_a_prior() -> None:
    with pytest.raises(ModelError, match="fit"):
        ExponentialDegradation().predict(0.0)
