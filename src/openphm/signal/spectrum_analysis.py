"""The amplitude spectrum of one channel and its largest peaks, as `openphm spectrum` shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np

from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import Waveform
from openphm.signal.peaks import Peak, spectral_peaks
from openphm.signal.spectrum import Scaling, Spectrum, amplitude_spectrum

__all__ = ["SpectrumResult", "SpectrumSettings", "analyse_spectrum"]


@dataclass(frozen=True)
class SpectrumSettings(Serializable):
    """How the amplitude spectrum of a channel is computed and read.

    Parameters
    ----------
    fmax_hz : float or None
        Highest frequency searched for peaks, Hz (default ``fs/2``).
    scaling : {"peak", "rms"}
        Amplitude scaling (see :func:`openphm.signal.spectrum.amplitude_spectrum`).
    window : str
        Window name (``"hann"``, ``"flattop"``...).
    n_peaks : int
        Number of peaks listed.
    """

    fmax_hz: Annotated[float | None, Range(gt=0.0)] = None
    scaling: Scaling = "peak"
    window: str = "hann"
    n_peaks: Annotated[int, Range(ge=1)] = 10

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class SpectrumResult(Serializable):
    """The amplitude spectrum of one channel, summed up by its largest peaks.

    Parameters
    ----------
    source : str
        File the channel was read from.
    channel : str
        Channel analysed.
    fs_hz : float
        Sampling rate, Hz.
    n_samples : int
        Samples analysed.
    duration_s : float
        Length of the record, s.
    unit : str
        Unit of the channel.
    scaling : {"peak", "rms"}
        Amplitude scaling.
    window : str
        Window used.
    resolution_hz : float
        Bin spacing, Hz.
    rms : float
        Overall r.m.s. of the channel, its unit.
    fmax_hz : float
        Highest frequency searched for peaks, Hz.
    peaks : tuple of Peak
        The largest peaks, strongest first.
    provenance : Provenance
        The openphm version, the settings and the input.
    """

    source: str
    channel: str
    fs_hz: float
    n_samples: int
    duration_s: float
    unit: str
    scaling: Scaling
    window: str
    resolution_hz: float
    rms: float
    fmax_hz: float
    peaks: tuple[Peak, ...]
    provenance: Provenance


def analyse_spectrum(
    wave: Waveform, settings: SpectrumSettings, *, source: str = ""
) -> tuple[SpectrumResult, Spectrum]:
    """Window-corrected amplitude spectrum of a channel and its largest peaks up to ``fmax_hz``.

    The spectrum is :func:`~openphm.signal.spectrum.amplitude_spectrum` of the whole record, the
    peaks :func:`~openphm.signal.peaks.spectral_peaks` above the first bin; the r.m.s. is
    ``sqrt(mean(x^2))`` of the samples.

    Parameters
    ----------
    wave : Waveform
        The channel.
    settings : SpectrumSettings
        Window, scaling, band and number of peaks.
    source : str, optional
        The file read, for the result's provenance.

    Returns
    -------
    SpectrumResult
        Facts about the channel and the peaks.
    Spectrum
        The spectrum itself (for plots).

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(2000) / fs
    >>> wave = Waveform(np.sin(2 * np.pi * 50.0 * t), fs, unit="g", channel="x")
    >>> result, _ = analyse_spectrum(wave, SpectrumSettings(n_peaks=1))
    >>> round(result.peaks[0].freq_hz, 1), round(result.rms, 3)
    (50.0, 0.707)
    """
    s = settings
    spec = amplitude_spectrum(wave.samples, wave.fs, window=s.window, scaling=s.scaling)
    top = wave.fs / 2.0 if s.fmax_hz is None else s.fmax_hz
    peaks = spectral_peaks(spec, fmin_hz=spec.resolution_hz, fmax_hz=top, n=s.n_peaks)
    result = SpectrumResult(
        source=source,
        channel=wave.channel,
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        duration_s=wave.duration_s,
        unit=wave.unit,
        scaling=s.scaling,
        window=s.window,
        resolution_hz=spec.resolution_hz,
        rms=float(np.sqrt(np.mean(wave.samples**2))),
        fmax_hz=top,
        peaks=tuple(peaks),
        provenance=Provenance.of(s, InputRef(source, wave.channel)),
    )
    return result, spec
