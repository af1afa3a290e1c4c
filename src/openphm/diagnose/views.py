"""The squared-envelope spectra a bearing diagnosis examines: full band and kurtogram band."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedTrack
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import Kurtogram, fast_kurtogram
from openphm.signal.order import samples_per_rev_for, squared_envelope_order_spectrum
from openphm.signal.prewhiten import cepstrum_prewhiten
from openphm.signal.spectrum import Spectrum

__all__ = ["EnvelopeView", "envelope_spectra", "envelope_views", "prewhitened"]


@dataclass(frozen=True)
class EnvelopeView:
    """One squared-envelope spectrum examined by the diagnosis, kept for plots.

    Parameters
    ----------
    band_hz : (float, float)
        Demodulation band in Hz.
    source : str
        ``"full band"`` or ``"kurtogram"``.
    spectrum : Spectrum
        The squared-envelope spectrum, cut just above the highest predicted line.
    """

    band_hz: tuple[float, float]
    source: str
    spectrum: Spectrum


def envelope_spectra(
    y: np.ndarray,
    fs: float,
    top_hz: float,
    s: DiagnosisSettings,
    track: SpeedTrack | None = None,
    speed_hz: float = 1.0,
    speed_range: tuple[float, float] | None = None,
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Squared-envelope spectra of the full band and the kurtogram's band, cut at ``top_hz``.

    Parameters
    ----------
    y : numpy.ndarray
        The (pre-whitened) record.
    fs : float
        Sampling rate, Hz.
    top_hz : float
        Highest line at the highest speed, Hz: the spectra stop there, and it is the
        narrowest band the kurtogram may choose.
    s : DiagnosisSettings
        Whether to use the kurtogram, and on how many samples.
    track : SpeedTrack, optional
        Tachometer or speed profile: the spectra are then order-tracked.
    speed_hz : float, default 1
        Mean speed of the tracked shaft, Hz: an order-tracked axis is orders times this.
    speed_range : (float, float), optional
        Slowest and fastest speed of the tracked shaft, Hz (required with ``track``); the
        order-tracked spectra stop at the order ``top_hz`` reaches at the fastest.

    Returns
    -------
    (list of EnvelopeView, Kurtogram or None)
        The full-band view, the kurtogram's view when its band differs, and the kurtogram.
    """
    bands: list[tuple[tuple[float, float], str]] = [((0.0, fs / 2.0), "full band")]
    kg = None
    if s.use_kurtogram:
        kg = fast_kurtogram(
            y,
            fs,
            min_bandwidth_hz=min(top_hz, fs / 2.0),
            max_samples=s.kurtogram_max_samples,
        )
        if kg.best_band_hz != (0.0, fs / 2.0):
            bands.append((kg.best_band_hz, "kurtogram"))
    views = []
    for band, source in bands:
        limits = None if source == "full band" else band
        if track is None:
            ses = squared_envelope_spectrum(y, fs, limits)
            f, v, note = ses.freqs_hz, ses.values, ses.unit_note
            keep = f <= top_hz
        else:
            assert speed_range is not None
            slowest, fastest = speed_range
            top_order = top_hz / fastest
            spr = samples_per_rev_for(top_order, fastest / slowest)
            oes = squared_envelope_order_spectrum(
                y,
                fs,
                limits,
                tacho_pulses_s=track.tacho_pulses_s,
                speed_profile_hz=track.speed_profile_hz,
                samples_per_rev=spr,
                pulses_per_rev=track.pulses_per_rev,
            )
            f, v = oes.orders * speed_hz, oes.values
            note = f"{oes.unit_note}, over orders x {speed_hz:.4g} Hz (mean speed)"
            keep = oes.orders <= top_order
        views.append(EnvelopeView(band, source, Spectrum(f[keep], v[keep], note)))
    return views, kg


def envelope_views(
    waveform: Waveform,
    diagnosis: Diagnosis,
    settings: DiagnosisSettings | None = None,
    *,
    track: SpeedTrack | None = None,
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Recompute the spectra a diagnosis examined (for plots and reports).

    Parameters
    ----------
    waveform : Waveform
        The record that was diagnosed.
    diagnosis : Diagnosis
        Its diagnosis (gives the bearing's speed used).
    settings : DiagnosisSettings, optional
        The settings of the diagnosis.
    track : SpeedTrack, optional
        The track of an order-tracked diagnosis (required for one, refused otherwise).

    Returns
    -------
    (list of EnvelopeView, Kurtogram or None)
        The squared-envelope spectra and the kurtogram.

    Raises
    ------
    ConfigError
        ``track`` missing for an order-tracked diagnosis, or given for one at constant speed.
    """
    s = settings or DiagnosisSettings()
    if (diagnosis.speed_range_hz is None) != (track is None):
        raise ConfigError(
            "envelope_views: pass the diagnosis's speed track exactly when it was order-tracked"
        )
    top_hz = 0.0
    for ev in diagnosis.evidence:
        for p in ev.peaks:
            top_hz = max(top_hz, p.expected_hz)
    top_hz = 1.05 * max(top_hz, 1.0) * 1.03
    if diagnosis.speed_range_hz is not None:
        top_hz *= diagnosis.speed_range_hz[1] / diagnosis.speed_hz
    # An order-tracked spectrum's axis is orders of the tracked (reference) shaft.
    ratio = diagnosis.speed_ratio
    reference_range = None
    if diagnosis.speed_range_hz is not None:
        reference_range = (diagnosis.speed_range_hz[0] / ratio, diagnosis.speed_range_hz[1] / ratio)
    y = prewhitened(waveform, s)
    return envelope_spectra(
        y, waveform.fs, top_hz, s, track, diagnosis.speed_hz / ratio, reference_range
    )


def prewhitened(waveform: Waveform, s: DiagnosisSettings) -> np.ndarray:
    """The record as the diagnosis demodulates it.

    Parameters
    ----------
    waveform : Waveform
        The record.
    s : DiagnosisSettings
        Whether to pre-whiten.

    Returns
    -------
    numpy.ndarray
        Cepstrum pre-whitened samples (:func:`openphm.signal.prewhiten.cepstrum_prewhiten`),
        or the samples less their mean.
    """
    x = waveform.samples
    return cepstrum_prewhiten(x) if s.prewhiten else x - x.mean()
