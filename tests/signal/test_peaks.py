"""Spectral peaks and noise floor."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError
from openphm.signal.peaks import Peak, noise_floor, spectral_peaks
from openphm.signal.spectrum import Spectrum, amplitude_spectrum


@settings(max_examples=30, deadline=None)
@given(f0=st.floats(20.0, 400.0))
def test_peak_frequency_is_refined_between_bins(f0: float) -> None:
    fs, n = 1000.0, 1000
    x = np.sin(2 * np.pi * f0 * np.arange(n) / fs)
    top = spectral_peaks(amplitude_spectrum(x, fs), n=1)[0]
    assert abs(top.freq_hz - f0) < 0.25


def test_peaks_are_ranked_and_limited() -> None:
    f = np.arange(200.0)
    v = np.zeros(200)
    v[[30, 60, 90, 150]] = [1.0, 3.0, 2.0, 5.0]
    peaks = spectral_peaks(f, v, fmax_hz=100.0, n=2)
    assert [p.freq_hz for p in peaks] == [60.0, 90.0]
    assert peaks[0] == Peak(60.0, 3.0, 3.0)
    spec = Spectrum(f, v)
    assert [p.freq_hz for p in spectral_peaks(spec, fmin_hz=100.0)] == [150.0]
    assert spectral_peaks(spec, fmin_hz=10.0, fmax_hz=11.0) == []


def test_rank_by_prominence_prefers_peaks_that_stand_out() -> None:
    f = np.arange(100.0)
    v = 20.0 - 0.2 * f  # a falling floor, as under an envelope spectrum
    v[10] += 0.5
    v[80] += 3.0
    by_amp = spectral_peaks(f, v, n=1)[0]
    by_prom = spectral_peaks(f, v, n=1, rank_by="prominence")[0]
    assert by_amp.freq_hz == pytest.approx(10.0, abs=0.5)
    assert by_prom.freq_hz == pytest.approx(80.0, abs=0.5)
    assert by_prom.prominence == pytest.approx(2.8)
    assert spectral_peaks(f, v, min_prominence=1.0) == [by_prom]


def test_noise_floor_ignores_isolated_peaks() -> None:
    rng = np.random.default_rng(0)
    v = 1.0 + 0.01 * rng.standard_normal(500)
    v[::50] += 100.0
    floor = noise_floor(v, width_bins=21)
    assert floor.shape == v.shape
    np.testing.assert_allclose(floor, 1.0, atol=0.05)


@pytest.mark.parametrize(
    "kwargs", [{"rank_by": "height"}, {"fmin_hz": 5.0, "fmax_hz": 1.0}, {"n": 0}]
)
def test_bad_options_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        spectral_peaks(np.arange(10.0), np.ones(10), **kwargs)  # type: ignore[arg-type]


def test_frequency_and_value_arrays_must_match() -> None:
    with pytest.raises(ConfigError, match="values"):
        spectral_peaks(np.arange(10.0), np.ones(9))
    with pytest.raises(ConfigError, match="values"):
        spectral_peaks(np.arange(10.0))
    with pytest.raises(ConfigError, match="either"):
        spectral_peaks(Spectrum(np.arange(3.0), np.ones(3)), np.ones(3))
