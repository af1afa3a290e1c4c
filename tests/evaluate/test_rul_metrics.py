"""RUL metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from openphm.core.errors import DataError
from openphm.evaluate.rul_metrics import (
    alpha_lambda_accuracy,
    cmapss_score,
    interval_coverage,
    mae,
    phm2012_accuracy,
    phm2012_score,
    prognostic_horizon,
    rmse,
)


def test_errors() -> None:
    assert rmse([10, 20, 30], [12, 18, 30]) == pytest.approx(math.sqrt(8 / 3))
    assert mae([10, 20, 30], [12, 18, 30]) == pytest.approx(4 / 3)


def test_phm2012_as_the_issue_states() -> None:
    # Er = 100 (true - pred) / true
    # late (Er <= 0): exp(-ln(0.5) Er / 5); early: exp(ln(0.5) Er / 20)
    a = phm2012_accuracy([100.0, 100.0, 200.0], [110.0, 60.0, 200.0])
    assert a[0] == pytest.approx(math.exp(-math.log(0.5) * -10 / 5))  # 0.25
    assert a[0] == pytest.approx(0.25)
    assert a[1] == pytest.approx(math.exp(math.log(0.5) * 40 / 20))  # 0.25
    assert a[2] == pytest.approx(1.0)
    assert phm2012_score([100.0, 100.0, 200.0], [110.0, 60.0, 200.0]) == pytest.approx(0.5)
    with pytest.raises(DataError):
        phm2012_accuracy([0.0], [1.0])


def test_cmapss_score() -> None:
    # d = -13 -> e^1 - 1; d = +10 -> e^1 - 1; d = 0 -> 0
    assert cmapss_score([50, 50, 7], [37, 60, 7]) == pytest.approx(2 * (math.e - 1))


def test_alpha_lambda_and_horizon() -> None:
    assert alpha_lambda_accuracy([100, 100, 100, 100], [80, 120, 79, 121]) == 0.5
    # within 20 % from t = 20 on: horizon = 100 - 20
    assert prognostic_horizon([0, 20, 40, 60], [100, 80, 60, 40], [10, 80, 55, 41], 100.0) == 80.0
    # a miss at t = 40 moves the start to t = 60
    assert prognostic_horizon([0, 20, 40, 60], [100, 80, 60, 40], [10, 80, 30, 41], 100.0) == 40.0
    assert prognostic_horizon([0, 20], [100, 80], [100, 10], 100.0) == 0.0


def test_coverage() -> None:
    assert interval_coverage([1, 5, 9, 12], [0, 6, 8, 0], [2, 7, 10, math.inf]) == 0.75
    with pytest.raises(DataError):
        interval_coverage([1], [0, 1], [2, 3])
