"""The particle filter recovers a unit's growth rate and gives a sane RUL."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ModelError
from openphm.prognose.interface import History, run_history
from openphm.prognose.particle import ParticleFilter
from tests.prognose.test_exponential import HEALTHY, paths, simulate


def test_particle_filter_recovers_the_rate() -> None:
    rng = np.random.default_rng(5)
    pf = ParticleFilter(np.random.default_rng(0)).fit(paths(rng, 30))
    unit = simulate(rng, 0.5, 0.0052, 0.05, 45)
    d = run_history(pf, unit, [float(unit.times_s[HEALTHY + 40])])[0]
    assert pf.rate() == pytest.approx(0.0052, rel=0.15)
    assert pf.prior_ is not None
    # ln S reaches ln D at tau = (ln D - 0.5) / b after the onset; the prediction is at tau = 400
    remaining = (np.log(pf.prior_.threshold) - 0.5) / 0.0052 - 400.0
    lo, hi = d.interval(0.9)
    assert lo <= remaining <= hi


def test_before_onset_and_without_prior() -> None:
    with pytest.raises(ModelError):
        ParticleFilter(np.random.default_rng(0)).predict(0.0)
    rng = np.random.default_rng(6)
    pf = ParticleFilter(np.random.default_rng(0)).fit(paths(rng, 5))
    d = run_history(pf, History(10.0 * np.arange(100.0), np.ones(100)))[0]
    assert d.status == "no_degradation"
