"""ISO 281 prior: the Weibull behind a1, conditioning on age, combination with condition."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.core.rul import RulDistribution
from openphm.knowledge.iso281 import reliability_factor_a1
from openphm.prognose.prior import IsoPrior, combine_with_prior


@pytest.mark.parametrize("reliability", [90.0, 95.0, 99.0])
def test_survival_matches_the_a1_factors(reliability: float) -> None:
    prior = IsoPrior(1000.0)
    life = 1000.0 * reliability_factor_a1(reliability)
    assert float(prior.survival(life)) == pytest.approx(reliability / 100, abs=0.002)


def test_rul_is_conditioned_on_age() -> None:
    prior = IsoPrior(1000.0)
    young, old = prior.rul(0.0), prior.rul(2000.0)
    assert young.quantile(0.1) == pytest.approx(1000.0, rel=1e-3)
    # increasing hazard (slope 1.5): an old bearing has less left than a new one
    assert old.median() < young.median()
    s = prior.survival
    p = 1 - float(s(2000.0 + old.median()) / s(2000.0))
    assert p == pytest.approx(0.5, abs=0.01)


def test_for_bearing_uses_iso281() -> None:
    p = IsoPrior.for_bearing(speed_rpm=1500, load_n=5000, c_n=4000)
    assert p.l10_s == pytest.approx(0.8**3 * 1e6 / 1500 * 60)
    with pytest.raises(ConfigError):
        IsoPrior(-1.0)


def test_combined_lies_between_and_is_narrower() -> None:
    prior = IsoPrior(3000.0)
    cond = RulDistribution.from_samples(np.random.default_rng(0).normal(1500, 300, 4000), 0.0, "c")
    both = combine_with_prior(cond, prior)
    assert both.status == "combined" and both.estimator == "c+iso281"
    lo, hi = both.interval(0.9)
    clo, chi = cond.interval(0.9)
    assert hi - lo <= chi - clo + 1e-6
    assert min(cond.median(), prior.rul(0.0).median()) <= both.median()


def test_before_onset_the_prior_answers_alone() -> None:
    none = RulDistribution.no_degradation(500.0, "c", "CUSUM below limit")
    d = combine_with_prior(none, IsoPrior(3000.0))
    assert d.status == "prior" and d.at_s == 500.0 and "CUSUM" in d.note
