"""The data-quality policy: what is refused, what is flagged, and that clean signals pass."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openphm.acquire.quality import (
    CLIP_MIN_LEVELS,
    assess,
    check_recording,
    check_samples,
    check_waveform,
)
from openphm.core import DataError, DataQualityWarning, Recording, Waveform


def _kinds(x: np.ndarray) -> list[str]:
    return [issue.kind for issue in assess(x)]


def test_clean_noise_and_adc_codes_pass() -> None:
    rng = np.random.default_rng(1)
    noise = rng.standard_normal(100_000)
    assert _kinds(noise) == []
    codes = np.round(noise * 3000.0) * 1.6e-4
    assert _kinds(codes) == []


def test_heavy_tailed_impulsive_signal_passes() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal(50_000)
    x[::997] += 40.0 * rng.standard_normal(x[::997].size)
    assert _kinds(x) == []


def test_clipped_noise_is_flagged_on_both_sides() -> None:
    rng = np.random.default_rng(3)
    x = np.clip(rng.standard_normal(10_000) * 2.0, -3.0, 3.0)
    issues = assess(x)
    assert [i.kind for i in issues] == ["clipping", "clipping"]
    assert not any(i.fatal for i in issues)
    n_max = int(np.count_nonzero(x == 3.0))
    assert f"{n_max} samples sit exactly at the maximum 3" in issues[0].message


def test_one_sided_clipping() -> None:
    rng = np.random.default_rng(4)
    x = np.minimum(rng.standard_normal(10_000), 2.5)
    issues = assess(x)
    assert [i.message.split(" the ")[-1].split()[0] for i in issues] == ["maximum"]


def test_coarse_quantisation_is_not_judged() -> None:
    x = np.round(np.sin(np.linspace(0, 60, 5000)) * (CLIP_MIN_LEVELS // 4))
    assert _kinds(x) == []


def test_nonfinite_empty_and_constant() -> None:
    x = np.arange(10.0)
    x[[3, 8]] = [np.nan, -np.inf]
    (issue,) = assess(x, fs=100.0)
    assert issue.fatal
    assert issue.message.startswith(
        "2 non-finite samples (1 NaN, 1 Inf) out of 10, the first at index 3"
    )
    assert "t = 0.03 s" in issue.message
    assert assess(np.array([]))[0].kind == "empty"
    (flat,) = assess(np.full(50, 2.5))
    assert (flat.kind, flat.fatal) == ("constant", False)
    assert assess(np.array([4.0])) == ()


def test_check_functions_raise_or_warn() -> None:
    with pytest.raises(DataError, match=r"^f\.csv: channel 'x': 1 non-finite"):
        check_samples(np.array([1.0, np.nan]), "f.csv: channel 'x'")
    wave = Waveform(np.zeros(20), 10.0, channel="x", source="f.h5:x")
    with pytest.warns(DataQualityWarning, match=r"^f\.h5:x: all 20 samples equal 0"):
        assert check_waveform(wave) is wave
    rec = Recording((Waveform(np.sin(np.arange(30.0)), 10.0, channel="y"),))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_recording(rec) is rec


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.integers(0, 300), elements=st.floats(allow_nan=True, allow_infinity=True))
)
def test_assess_never_fails_and_is_fatal_exactly_for_empty_or_nonfinite(x: np.ndarray) -> None:
    issues = assess(x)
    fatal = [i for i in issues if i.fatal]
    assert bool(fatal) == (x.size == 0 or not np.isfinite(x).all())
    assert all(i.kind in {"empty", "nonfinite", "constant", "clipping"} for i in issues)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float64, st.integers(2, 500), elements=st.floats(-1e6, 1e6)))
def test_assess_does_not_change_its_input(x: np.ndarray) -> None:
    before = x.copy()
    assess(x)
    np.testing.assert_array_equal(x, before)


def test_tone_sampled_in_step_with_its_period_is_not_clipping() -> None:
    t = np.arange(2000) / 1000.0
    assert _kinds(np.sin(2 * np.pi * 50.0 * t)) == []
    assert _kinds(np.sin(2 * np.pi * 50.0 * t + 0.3)) == []
