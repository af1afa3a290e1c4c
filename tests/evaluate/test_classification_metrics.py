"""Classification metrics against hand-counted cases, and a bootstrap over recordings."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.evaluate.classification_metrics import (
    accuracy,
    bootstrap_ci,
    classification_report,
    macro_f1,
)


def test_report_counts_by_hand() -> None:
    t = ["inner", "inner", "outer", "ball", "ball", "ball"]
    p = ["inner", "outer", "outer", "ball", "inner", "healthy"]
    r = classification_report(t, p, ["inner", "outer", "ball"])
    assert r.accuracy == pytest.approx(3 / 6)
    assert r.confusion == ((1, 1, 0), (0, 1, 0), (1, 0, 1))
    assert r.recall == {"inner": 0.5, "outer": 1.0, "ball": pytest.approx(1 / 3)}
    # F1: inner 2/(2+1+1)=0.5, outer 2/(2+1)=2/3, ball 2/(2+0+2)=0.5
    assert r.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0.5) / 3)
    assert type(r).from_dict(r.to_dict()) == r


def test_perfect_and_empty() -> None:
    assert accuracy(["a", "b"], ["a", "b"]) == 1.0
    assert macro_f1(["a", "b"], ["a", "b"], ["a", "b"]) == 1.0
    assert np.isnan(accuracy([], []))


def test_bootstrap_resamples_recordings_not_windows() -> None:
    # 10 recordings of 50 windows each, 5 all right, 5 all wrong: windows look like 500
    # samples but there are 10; the interval must be as wide as for 10 coin flips.
    groups = np.repeat(np.arange(10), 50)
    truth = np.array(["a"] * 500)
    pred = np.where(groups < 5, "a", "b")
    lo, hi = bootstrap_ci(truth, pred, groups, np.random.default_rng(0), n_boot=2000)
    assert lo < 0.3 and hi > 0.7
    lo1, hi1 = bootstrap_ci(truth, pred, np.arange(500), np.random.default_rng(0), n_boot=2000)
    assert hi1 - lo1 < 0.15
    with pytest.raises(ConfigError):
        bootstrap_ci(truth, pred, groups, np.random.default_rng(0), level=1.5)
