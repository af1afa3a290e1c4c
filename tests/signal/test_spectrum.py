"""Amplitude spectrum, Welch PSD and spectrogram: exact sine amplitudes and Parseval."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openphm.core.errors import ConfigError, DataError
from openphm.signal.spectrum import (
    Spectrogram,
    Spectrum,
    amplitude_spectrum,
    psd_welch,
    spectrogram,
    window_samples,
)

#: Cosine-sum windows: their DFT is zero a few bins away, so a sine on a bin reads exactly.
WINDOWS = ["hann", "hamming", "blackman", "flattop", "boxcar"]


@settings(max_examples=40, deadline=None)
@given(
    amplitude=st.floats(1e-3, 1e3),
    k=st.integers(4, 200),
    phase=st.floats(0.0, 2 * np.pi),
    window=st.sampled_from(WINDOWS),
)
def test_sine_on_a_bin_reads_its_amplitude(
    amplitude: float, k: int, phase: float, window: str | tuple[str, float]
) -> None:
    n, fs = 1024, 2048.0
    t = np.arange(n) / fs
    x = amplitude * np.sin(2 * np.pi * k * fs / n * t + phase)
    peak = amplitude_spectrum(x, fs, window=window)
    rms = amplitude_spectrum(x, fs, window=window, scaling="rms")
    assert peak.values[k] == pytest.approx(amplitude, rel=1e-9)
    assert rms.values[k] == pytest.approx(amplitude / np.sqrt(2.0), rel=1e-9)
    assert peak.freqs_hz[k] == pytest.approx(k * fs / n)


def test_kaiser_window_is_corrected_too() -> None:
    x = 2.0 * np.sin(2 * np.pi * 100.0 * np.arange(1000) / 1000.0)
    s = amplitude_spectrum(x, 1000.0, window=("kaiser", 8.0))
    assert s.values[100] == pytest.approx(2.0, rel=1e-6)


def test_flattop_reads_amplitude_between_bins() -> None:
    fs, n = 1000.0, 1000
    x = 3.0 * np.sin(2 * np.pi * 100.5 * np.arange(n) / fs)
    assert amplitude_spectrum(x, fs, window="flattop").values.max() == pytest.approx(3.0, rel=2e-3)


def test_dc_and_nyquist_read_their_value() -> None:
    n = 64
    x = 2.0 + 0.5 * np.cos(np.pi * np.arange(n))
    s = amplitude_spectrum(x, 64.0, window="boxcar", scaling="rms")
    assert s.values[0] == pytest.approx(2.0)
    assert s.values[-1] == pytest.approx(0.5)


def test_zero_padding_refines_the_grid() -> None:
    s = amplitude_spectrum(np.ones(100), 100.0, nfft=400)
    assert s.freqs_hz.size == 201
    assert s.resolution_hz == pytest.approx(0.25)
    with pytest.raises(ConfigError, match="nfft"):
        amplitude_spectrum(np.ones(100), 100.0, nfft=50)


@settings(max_examples=30, deadline=None)
@given(
    x=arrays(np.float64, st.integers(8, 600), elements=st.floats(-1e3, 1e3)),
    fs=st.floats(1.0, 1e5),
)
def test_parseval_single_boxcar_segment_is_exact(x: np.ndarray, fs: float) -> None:
    p = psd_welch(x, fs, nperseg=x.size, window="boxcar")
    np.testing.assert_allclose(p.values.sum() * p.resolution_hz, x.var(), rtol=1e-9, atol=1e-9)


def test_parseval_welch_on_noise_is_close() -> None:
    x = np.random.default_rng(0).normal(0.0, 3.0, 2**16)
    p = psd_welch(x, 10000.0, nperseg=1024)
    assert p.values.sum() * p.resolution_hz == pytest.approx(9.0, rel=0.03)


@settings(max_examples=20, deadline=None)
@given(scale=st.floats(-1e3, 1e3).filter(lambda v: abs(v) > 1e-3), seed=st.integers(0, 2**32 - 1))
def test_spectra_are_homogeneous(scale: float, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(512)
    a = amplitude_spectrum(x, 100.0).values
    np.testing.assert_allclose(amplitude_spectrum(scale * x, 100.0).values, abs(scale) * a)
    p = psd_welch(x, 100.0, nperseg=128).values
    np.testing.assert_allclose(psd_welch(scale * x, 100.0, nperseg=128).values, scale**2 * p)


def test_spectrogram_tracks_a_stepped_tone() -> None:
    fs = 1000.0
    t = np.arange(2000) / fs
    x = np.where(t < 1.0, np.sin(2 * np.pi * 100.0 * t), 2.0 * np.sin(2 * np.pi * 250.0 * t))
    sg = spectrogram(x, fs, nperseg=200, noverlap=100)
    assert isinstance(sg, Spectrogram)
    assert sg.values.shape == (101, 19)
    np.testing.assert_allclose(sg.times_s[:2], [0.1, 0.2])
    assert sg.freqs_hz[np.argmax(sg.values[:, 0])] == 100.0
    assert sg.freqs_hz[np.argmax(sg.values[:, -1])] == 250.0
    assert sg.values[:, -1].max() == pytest.approx(2.0)


def test_spectrum_validates_its_fields() -> None:
    s = Spectrum(np.arange(3.0), np.ones(3), "x")
    assert not s.values.flags.writeable
    with pytest.raises(ConfigError):
        Spectrum(np.arange(3.0), np.ones(4))


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: amplitude_spectrum(np.ones(10), 10.0, window="nope"), ConfigError, "window"),
        (lambda: amplitude_spectrum(np.ones(10), 10.0, scaling="db"), ConfigError, "scaling"),
        (lambda: amplitude_spectrum(np.ones(1), 10.0), DataError, "at least 2"),
        (lambda: amplitude_spectrum(np.ones(10), 0.0), DataError, "sampling rate"),
        (lambda: psd_welch(np.ones(10), 10.0, nperseg=8, noverlap=8), ConfigError, "noverlap"),
        (lambda: spectrogram(np.ones(10), 10.0, nperseg=2.5), ConfigError, "nperseg"),
    ],
)
def test_bad_arguments_are_refused(call: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("n", [2, 3, 4, 255, 4097])
def test_hann_window_is_scipys(n: int) -> None:
    from scipy import signal as sps

    np.testing.assert_array_equal(window_samples("hann", n), sps.get_window("hann", n))
