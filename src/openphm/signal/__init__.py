"""Data manipulation (ISO 13374 DM): pure functions over numpy arrays.

Frequencies are in Hz, times in s, velocity in mm/s; inputs are never modified. Every function
checks its input and raises :class:`openphm.core.errors.DataError` (bad samples or rate) or
:class:`~openphm.core.errors.ConfigError` (bad parameter) with a message naming it.

Modules: :mod:`~openphm.signal.spectrum` (amplitude spectrum, Welch PSD, spectrogram),
:mod:`~openphm.signal.envelope` (band-pass, envelope, squared-envelope spectrum),
:mod:`~openphm.signal.kurtogram` (spectral kurtosis, fast kurtogram),
:mod:`~openphm.signal.prewhiten` (cepstrum and AR pre-whitening),
:mod:`~openphm.signal.cepstrum` (real cepstrum), :mod:`~openphm.signal.peaks` (spectral peaks,
noise floor), :mod:`~openphm.signal.integrate` (acceleration to velocity, ISO 20816 RMS),
:mod:`~openphm.signal.indicators` (time-domain indicators, band energies),
:mod:`~openphm.signal.order` (order tracking, order spectra) and :mod:`~openphm.signal.tsa`
(time-synchronous averaging). The main functions are importable from here.
"""

from openphm.signal.cepstrum import quefrency_s, real_cepstrum
from openphm.signal.envelope import bandpass, envelope, squared_envelope_spectrum
from openphm.signal.indicators import band_energies, time_indicators
from openphm.signal.integrate import acceleration_to_velocity, velocity_rms_mm_s
from openphm.signal.kurtogram import Kurtogram, fast_kurtogram, spectral_kurtosis
from openphm.signal.order import (
    AngleSignal,
    OrderSpectrum,
    angle_from_tacho,
    order_spectrum,
    resample_to_angle,
    squared_envelope_order_spectrum,
    tacho_pulse_times,
)
from openphm.signal.peaks import Peak, noise_floor, spectral_peaks
from openphm.signal.prewhiten import ar_prewhiten, cepstrum_prewhiten
from openphm.signal.spectrum import (
    Spectrogram,
    Spectrum,
    amplitude_spectrum,
    psd_welch,
    spectrogram,
)
from openphm.signal.tsa import SynchronousAverage, time_synchronous_average

__all__ = [
    "AngleSignal",
    "Kurtogram",
    "OrderSpectrum",
    "Peak",
    "Spectrogram",
    "Spectrum",
    "SynchronousAverage",
    "acceleration_to_velocity",
    "amplitude_spectrum",
    "angle_from_tacho",
    "ar_prewhiten",
    "band_energies",
    "bandpass",
    "cepstrum_prewhiten",
    "envelope",
    "fast_kurtogram",
    "noise_floor",
    "order_spectrum",
    "psd_welch",
    "quefrency_s",
    "real_cepstrum",
    "resample_to_angle",
    "spectral_kurtosis",
    "spectral_peaks",
    "spectrogram",
    "squared_envelope_order_spectrum",
    "squared_envelope_spectrum",
    "tacho_pulse_times",
    "time_indicators",
    "time_synchronous_average",
    "velocity_rms_mm_s",
]
