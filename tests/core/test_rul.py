"""RulDistribution: quantiles, summaries, the no-number answer, round trips."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from openphm.core import RulDistribution
from openphm.core.errors import DataError, ModelError


def test_quantiles_of_uniform_samples() -> None:
    d = RulDistribution.from_samples(np.linspace(0.0, 100.0, 10001), at_s=5.0, estimator="t")
    assert d.median() == pytest.approx(50.0, abs=0.01)
    lo, hi = d.interval(0.9)
    assert (lo, hi) == (pytest.approx(5.0, abs=0.01), pytest.approx(95.0, abs=0.01))
    assert d.mean() == pytest.approx(50.0, abs=0.1)
    assert d.cdf(25.0) == pytest.approx(0.25, abs=0.01)
    assert d.at_s == 5.0


def test_weighted_samples_and_infinite_tail() -> None:
    d = RulDistribution.from_samples([10.0, 20.0, math.inf], 0.0, "t", weights=[1, 0, 3])
    assert d.quantile(0.95) == math.inf
    assert d.mean() == math.inf
    assert d.quantile(0.05) == pytest.approx(10.0)


def test_no_degradation_gives_no_number() -> None:
    d = RulDistribution.no_degradation(100.0, "t", "CUSUM below its limit")
    assert not d.has_estimate
    with pytest.raises(ModelError, match="no degradation detected yet"):
        d.median()
    assert d.summary()["median"] is None


def test_round_trips() -> None:
    d = RulDistribution.from_samples([1.0, 2.0, math.inf], 3.0, "t", onset_s=1.0, note="n")
    back = RulDistribution.from_dict(d.to_dict())
    assert np.array_equal(back.quantiles_s, d.quantiles_s)
    assert (back.onset_s, back.note, back.estimator) == (1.0, "n", "t")
    assert pickle.loads(pickle.dumps(d)).median() == d.median()
    n = RulDistribution.no_degradation(1.0, "t", "x")
    assert RulDistribution.from_dict(n.to_dict()).status == "no_degradation"


@pytest.mark.parametrize(
    ("levels", "values"),
    [([0.5, 0.4], [1.0, 2.0]), ([0.1, 0.9], [2.0, 1.0]), ([0.1, 0.9], [-1.0, 1.0]), ([0.5], [])],
)
def test_bad_quantiles_are_refused(levels: list[float], values: list[float]) -> None:
    with pytest.raises(DataError):
        RulDistribution(0.0, np.array(levels), np.array(values), "t")


def test_bad_samples_are_refused() -> None:
    with pytest.raises(DataError):
        RulDistribution.from_samples([], 0.0, "t")
    with pytest.raises(DataError):
        RulDistribution.from_samples([1.0, float("nan")], 0.0, "t")
