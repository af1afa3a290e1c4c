"""Envelope, band-pass and squared-envelope spectrum against closed-form signals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataError
from openphm.signal.envelope import analytic_band, bandpass, envelope, squared_envelope_spectrum
from openphm.signal.peaks import spectral_peaks
from tests.helpers.signals import impacts_on_resonance

FS = 12000.0


def test_envelope_of_am_signal_is_the_modulation() -> None:
    t = np.arange(12000) / FS
    modulation = 1.0 + 0.3 * np.cos(2 * np.pi * 25.0 * t)
    x = modulation * np.sin(2 * np.pi * 3000.0 * t)
    np.testing.assert_allclose(envelope(x, FS, (2500.0, 3500.0)), modulation, atol=1e-9)


def test_ses_of_am_signal_reads_the_modulation_depth() -> None:
    # |z|^2 = (1 + m cos)^2 = 1 + m^2/2 + 2 m cos + (m^2/2) cos(2.): line at 25 Hz of 2 m.
    t = np.arange(12000) / FS
    x = (1.0 + 0.3 * np.cos(2 * np.pi * 25.0 * t)) * np.sin(2 * np.pi * 3000.0 * t)
    ses = squared_envelope_spectrum(x, FS, (2500.0, 3500.0))
    assert ses.values[25] == pytest.approx(0.6, rel=1e-9)
    assert ses.values[50] == pytest.approx(0.045, rel=1e-9)
    assert abs(ses.values[0]) < 1e-9


def test_bandpass_keeps_in_band_tone_and_removes_others() -> None:
    t = np.arange(6000) / FS
    inside = np.sin(2 * np.pi * 1000.0 * t)
    x = inside + np.sin(2 * np.pi * 100.0 * t) + 0.5 * np.cos(2 * np.pi * 4000.0 * t)
    np.testing.assert_allclose(bandpass(x, FS, (500.0, 2000.0)), inside, atol=1e-9)


def test_bandpass_from_zero_keeps_dc() -> None:
    x = 2.0 + np.sin(2 * np.pi * 1000.0 * np.arange(1200) / FS)
    np.testing.assert_allclose(bandpass(x, FS, (0.0, 500.0)), 2.0, atol=1e-9)


@settings(max_examples=20, deadline=None)
@given(
    a=st.floats(-10, 10),
    b=st.floats(-10, 10),
    seed=st.integers(0, 2**32 - 1),
    low=st.floats(0.0, 3000.0),
    width=st.floats(50.0, 3000.0),  # bins are 23.4 Hz apart
)
def test_bandpass_is_linear(a: float, b: float, seed: int, low: float, width: float) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(512), rng.standard_normal(512)
    band = (low, low + width)
    lhs = bandpass(a * x + b * y, FS, band)
    rhs = a * bandpass(x, FS, band) + b * bandpass(y, FS, band)
    np.testing.assert_allclose(lhs, rhs, atol=1e-9 * (1 + abs(a) + abs(b)))


@settings(max_examples=20, deadline=None)
@given(scale=st.floats(1e-3, 1e3), seed=st.integers(0, 2**32 - 1))
def test_ses_scales_with_square_of_amplitude(scale: float, seed: int) -> None:
    x = np.random.default_rng(seed).standard_normal(1024)
    base = squared_envelope_spectrum(x, FS, (1000.0, 3000.0)).values
    scaled = squared_envelope_spectrum(scale * x, FS, (1000.0, 3000.0)).values
    np.testing.assert_allclose(scaled, scale**2 * base, rtol=1e-9, atol=1e-12 * scale**2)


@settings(max_examples=15, deadline=None)
@given(
    fault_hz=st.floats(40.0, 250.0),
    resonance_hz=st.floats(2000.0, 4500.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_impulse_train_on_resonance_found_in_ses_within_one_bin(
    fault_hz: float, resonance_hz: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = impacts_on_resonance(FS, 12000, fault_hz, resonance_hz, rng)
    band = (resonance_hz - 800.0, resonance_hz + 800.0)
    ses = squared_envelope_spectrum(x, FS, band)
    # Harmonics of a fast-decaying ringing are about as strong as the fundamental, and a line
    # between bins loses up to 1.4 dB to the window: look for the fundamental around its place.
    top = spectral_peaks(ses, fmin_hz=0.6 * fault_hz, fmax_hz=1.4 * fault_hz, n=1)[0]
    assert abs(top.freq_hz - fault_hz) <= ses.resolution_hz
    floor = float(np.median(ses.between(5.0, 500.0).values))
    assert top.prominence > 10.0 * floor


def test_analytic_band_without_band_is_the_analytic_signal() -> None:
    x = np.cos(2 * np.pi * 50.0 * np.arange(1000) / 1000.0)
    z = analytic_band(x, 1000.0)
    np.testing.assert_allclose(z.real, x, atol=1e-12)
    np.testing.assert_allclose(np.abs(z), 1.0, atol=1e-12)


def test_input_is_not_modified() -> None:
    x = np.random.default_rng(0).standard_normal(256)
    before = x.copy()
    squared_envelope_spectrum(x, FS, (100.0, 2000.0))
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(
    ("band", "error"),
    [((100.0, 7000.0), ConfigError), ((500.0, 100.0), ConfigError), ((1.0,), ConfigError)],
)
def test_bad_band_is_refused(band: tuple[float, ...], error: type[Exception]) -> None:
    with pytest.raises(error, match="band_hz"):
        envelope(np.ones(100), FS, band)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "x", [np.ones((4, 4)), np.array([1.0, np.nan, 2.0, 3.0]), np.ones(2), ["a", "b", "c", "d"]]
)
def test_bad_samples_are_refused(x: object) -> None:
    with pytest.raises(DataError, match="x: "):
        envelope(x, FS)  # type: ignore[arg-type]


def test_band_without_bins_is_refused() -> None:
    with pytest.raises(ConfigError, match="no frequency bin"):
        squared_envelope_spectrum(np.ones(100), FS, (1000.0, 1010.0))


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(64, 3000),
    low=st.floats(0.0, 5000.0),
    width=st.floats(300.0, 3000.0),
)
def test_ses_at_reduced_rate_equals_the_full_rate_definition(
    seed: int, n: int, low: float, width: float
) -> None:
    x = np.random.default_rng(seed).standard_normal(n)
    band = (low, min(low + width, FS / 2))
    sq = np.abs(analytic_band(x, FS, band)) ** 2
    sq -= sq.mean()
    w = np.hanning(n + 1)[:-1]
    reference = np.abs(np.fft.rfft(sq * w)) * 2 / w.sum()
    reference[0] /= 2
    if n % 2 == 0:
        reference[-1] /= 2
    ses = squared_envelope_spectrum(x, FS, band)
    # Unit-variance input: an absolute 1e-12 floor covers bands that hold almost no energy.
    np.testing.assert_allclose(ses.values, reference, atol=1e-12 + 1e-9 * reference.max())


def test_bad_rate_is_refused() -> None:
    with pytest.raises(DataError, match="sampling rate"):
        envelope(np.ones(100), -1.0)


def test_a_given_rfft_gives_the_same_spectrum_and_a_wrong_one_is_refused() -> None:
    rng = np.random.default_rng(11)
    x = rng.standard_normal(4097) * (1.0 + 0.5 * np.cos(2 * np.pi * 0.01 * np.arange(4097)))
    spectrum = np.fft.rfft(x)
    for band in (None, (1000.0, 3000.0)):
        own = squared_envelope_spectrum(x, 12000.0, band)
        given = squared_envelope_spectrum(x, 12000.0, band, x_rfft=spectrum)
        np.testing.assert_array_equal(own.values, given.values)
    with pytest.raises(ConfigError, match="x_rfft"):
        squared_envelope_spectrum(x, 12000.0, x_rfft=spectrum[:-1])


@pytest.mark.parametrize("n", [4096, 4097, 121_265])
def test_full_band_at_a_fast_length_is_the_record_length_result(n: int) -> None:
    """The full band's squared envelope runs at a fast FFT length just above the record's; below
    half the band it equals the squared envelope at the record's own length."""
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * (1.0 + 0.5 * np.cos(2 * np.pi * 0.01 * np.arange(n)))
    z = analytic_band(x, 12000.0)
    sq = np.abs(z) ** 2
    sq -= sq.mean()
    w = np.hanning(n + 1)[:-1]
    direct = 2.0 * np.abs(np.fft.rfft(sq * w)) / w.sum()
    ses = squared_envelope_spectrum(x, 12000.0)
    low = slice(1, n // 4)
    np.testing.assert_allclose(ses.values[low], direct[low], rtol=1e-9, atol=1e-12 * direct.max())
