"""Time-domain indicators and band energies against closed forms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataQualityWarning
from openphm.signal.indicators import band_energies, time_indicators


def test_sine_indicators() -> None:
    x = 3.0 * np.sin(2 * np.pi * np.arange(1000) / 100)
    ind = time_indicators(x)
    assert ind["rms"] == pytest.approx(3 / np.sqrt(2))
    assert ind["peak"] == pytest.approx(3.0)
    assert ind["peak_to_peak"] == pytest.approx(6.0)
    assert ind["crest_factor"] == pytest.approx(np.sqrt(2))
    assert ind["kurtosis"] == pytest.approx(1.5)
    assert ind["skewness"] == pytest.approx(0.0, abs=1e-12)
    # mean|x| of 100 samples a period differs from 2A/pi by 3e-4 relative.
    assert ind["shape_factor"] == pytest.approx(np.pi / (2 * np.sqrt(2)), rel=1e-3)
    assert ind["impulse_factor"] == pytest.approx(np.pi / 2, rel=1e-3)
    assert ind["mean"] == pytest.approx(0.0, abs=1e-12)
    assert ind["std"] == pytest.approx(ind["rms"])


def test_square_wave_and_gaussian() -> None:
    square = np.tile([1.0, -1.0], 500)
    ind = time_indicators(square)
    assert ind["kurtosis"] == pytest.approx(1.0)
    for key in ("crest_factor", "shape_factor", "impulse_factor", "clearance_factor"):
        assert ind[key] == pytest.approx(1.0)
    gauss = time_indicators(np.random.default_rng(0).standard_normal(400_000))
    assert gauss["kurtosis"] == pytest.approx(3.0, abs=0.05)  # not excess kurtosis


@settings(max_examples=30, deadline=None)
@given(scale=st.floats(1e-3, 1e3), offset=st.floats(-10, 10), seed=st.integers(0, 2**32 - 1))
def test_shape_indicators_are_scale_free(scale: float, offset: float, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(256)
    a, b = time_indicators(x), time_indicators(scale * x)
    for key in ("crest_factor", "kurtosis", "skewness", "shape_factor", "impulse_factor"):
        assert b[key] == pytest.approx(a[key], rel=1e-9)
    shifted = time_indicators(x + offset)
    assert shifted["kurtosis"] == pytest.approx(a["kurtosis"], rel=1e-6)
    assert shifted["std"] == pytest.approx(a["std"], rel=1e-9)


def test_constant_signal_warns_and_gives_nan() -> None:
    with pytest.warns(DataQualityWarning, match="constant"):
        ind = time_indicators(np.full(10, 2.0))
    assert np.isnan(ind["kurtosis"]) and ind["crest_factor"] == pytest.approx(1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        assert np.isnan(time_indicators(np.zeros(4))["crest_factor"])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(8, 500))
def test_band_energies_tiling_the_spectrum_sum_to_mean_square(seed: int, n: int) -> None:
    x = np.random.default_rng(seed).standard_normal(n)
    fs = 1000.0
    edges = np.linspace(0.0, fs / 2, 6)
    bands = np.column_stack([edges[:-1], edges[1:]])
    assert band_energies(x, fs, bands).sum() == pytest.approx(np.mean(x * x), rel=1e-9)


def test_band_energies_of_tones() -> None:
    fs = 1000.0
    t = np.arange(1000) / fs
    x = 1.0 + np.sin(2 * np.pi * 50 * t) + 3 * np.sin(2 * np.pi * 200 * t)
    np.testing.assert_allclose(
        band_energies(x, fs, [(0, 10), (10, 100), (100, 500), (40, 60)]), [1.0, 0.5, 4.5, 0.5]
    )


def test_band_energies_refuse_bad_bands() -> None:
    with pytest.raises(ConfigError, match="bands_hz"):
        band_energies(np.ones(10), 10.0, [1.0, 2.0])
    with pytest.raises(ConfigError, match=r"bands_hz\[0\]"):
        band_energies(np.ones(10), 10.0, [(3.0, 2.0)])
