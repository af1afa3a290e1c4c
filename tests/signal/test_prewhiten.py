"""Cepstrum and AR pre-whitening."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataError
from openphm.signal.kurtogram import fast_kurtogram
from openphm.signal.prewhiten import ar_prewhiten, cepstrum_prewhiten
from tests.helpers.signals import impacts_on_resonance


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(16, 2000), scale=st.floats(1e-6, 1e6))
def test_cpw_has_unit_magnitude_and_keeps_phase(seed: int, n: int, scale: float) -> None:
    x = scale * np.random.default_rng(seed).standard_normal(n)
    y = cepstrum_prewhiten(x)
    assert y.shape == x.shape
    spec_x, spec_y = np.fft.rfft(x), np.fft.rfft(y)
    np.testing.assert_allclose(np.abs(spec_y[1:]), 1.0, atol=1e-9)
    np.testing.assert_allclose(np.angle(spec_y[1:] / spec_x[1:]), 0.0, atol=1e-6)
    # Scale-free: the result does not depend on the amplitude of the input.
    np.testing.assert_allclose(cepstrum_prewhiten(x / scale), y, atol=1e-9)


def test_cpw_uncovers_impacts_hidden_under_gear_mesh_harmonics() -> None:
    fs = 12000.0
    rng = np.random.default_rng(0)
    t = np.arange(24000) / fs
    impacts = impacts_on_resonance(fs, t.size, 45.0, 3000.0, rng, noise_rms=0.05)
    comb = sum(np.sin(2 * np.pi * 97.0 * k * t + rng.uniform(0, 2 * np.pi)) for k in range(1, 50))
    x = 0.05 * impacts + comb
    assert fast_kurtogram(x, fs).best_kurtosis < 2.0
    whitened = fast_kurtogram(cepstrum_prewhiten(x), fs)
    assert whitened.best_kurtosis > 5.0
    assert whitened.best_band_hz[0] <= 3000.0 <= whitened.best_band_hz[1]


def test_ar_prewhitening_removes_tones_and_keeps_impacts() -> None:
    fs = 12000.0
    rng = np.random.default_rng(1)
    t = np.arange(24000) / fs
    impacts = impacts_on_resonance(fs, t.size, 45.0, 3000.0, rng, noise_rms=0.05)
    tones = 5 * np.sin(2 * np.pi * 200.0 * t) + 3 * np.sin(2 * np.pi * 1210.0 * t)
    residual = ar_prewhiten(impacts + tones, order=40)
    assert residual.shape == t.shape
    spec = np.abs(np.fft.rfft(residual[100:]))
    assert residual.std() < 0.5 * (impacts + tones).std()
    assert spec.max() < 20 * np.median(spec)


def test_ar_prewhiten_refuses_constant_and_long_orders() -> None:
    with pytest.raises(DataError, match="constant"):
        ar_prewhiten(np.ones(100), order=4)
    with pytest.raises(ConfigError, match="order"):
        ar_prewhiten(np.arange(10.0), order=5)
