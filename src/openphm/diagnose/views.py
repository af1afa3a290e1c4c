"""The squared-envelope spectra a bearing diagnosis examines: full band and kurtogram band."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from openphm.core.diagnosis import BandSource, Diagnosis
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Waveform
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedTrack
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import Kurtogram, fast_kurtogram
from openphm.signal.order import samples_per_rev_for, squared_envelope_order_spectrum
from openphm.signal.prewhiten import cepstrum_prewhiten
from openphm.signal.spectrum import Spectrum

__all__ = [
    "EnvelopeView",
    "envelope_spectra",
    "envelope_views",
    "prewhitened",
    "snapshots_of",
]

#: Fewest bins of envelope spectrum from which a line's false-alarm probability is judged.
#: The probabilities come from the spectrum's own ratio distribution, whose tail a short
#: record's few bins leave to the fault's own lines and the shaft harmonics (a 1 s record has
#: about 700 bins up to a 6205's fourth BPFI harmonic): the spectrum then runs on to this many
#: bins, within the demodulation band, so that the tail is noise's. A 10 s record at 12 kHz
#: already has 7000 bins there, and is unchanged.
MIN_REFERENCE_BINS = 4096


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
        The squared-envelope spectrum, cut just above the highest predicted line, or further
        (within the band) when that leaves fewer than :data:`MIN_REFERENCE_BINS` bins.
    top_hz : float
        Highest predicted line, Hz: the lines are matched, and shown, below it.
    """

    band_hz: tuple[float, float]
    source: BandSource
    spectrum: Spectrum
    top_hz: float


def envelope_spectra(
    y: np.ndarray,
    fs: float,
    top_hz: float,
    s: DiagnosisSettings,
    track: SpeedTrack | None = None,
    speed_hz: float = 1.0,
    speed_range: tuple[float, float] | None = None,
    snapshot_speeds_hz: Sequence[float] = (),
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Squared-envelope spectra of the full band and the kurtogram's band, cut at ``top_hz``
    (or at :data:`MIN_REFERENCE_BINS` bins, within the band, when that is further).

    Parameters
    ----------
    y : numpy.ndarray
        The (pre-whitened) record, or snapshots of one length, one per row (see
        ``snapshot_speeds_hz``).
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
    snapshot_speeds_hz : sequence of float, optional
        Shaft speed of each row of a 2-D ``y``, Hz. The kurtogram then chooses its band on the
        snapshots end to end (pre-whitened samples are close to white, so the joins add no
        transient), and each view is the r.m.s. of the snapshots' squared-envelope spectra, each
        rescaled in frequency by ``speed_hz`` over its own speed (linear interpolation) so that
        every shaft-locked line lands where it would at ``speed_hz``: Welch's averaging
        (1967, IEEE Trans. Audio Electroacoust. 15(2) 70-73) in orders of the shaft speed.

    Returns
    -------
    (list of EnvelopeView, Kurtogram or None)
        The full-band view, the kurtogram's view when its band differs, and the kurtogram.
    """
    if y.ndim == 2 and track is not None:
        raise ConfigError("snapshots are averaged at constant speed: give no speed track")
    bands: list[tuple[tuple[float, float], BandSource]] = [((0.0, fs / 2.0), "full band")]
    # One DFT of the record serves the kurtogram and the envelope spectra of every band.
    y_rfft = np.fft.rfft(y) if y.ndim == 1 else None
    kg = None
    if s.use_kurtogram:
        kg = fast_kurtogram(
            y.ravel(),
            fs,
            min_bandwidth_hz=min(top_hz, fs / 2.0),
            max_samples=s.kurtogram_max_samples,
            x_rfft=y_rfft,
        )
        if kg.best_band_hz != (0.0, fs / 2.0):
            bands.append((kg.best_band_hz, "kurtogram"))
    views = []
    for band, source in bands:
        limits = None if source == "full band" else band
        if y.ndim == 2:
            f, v, note = _averaged_ses(y, fs, limits, snapshot_speeds_hz, speed_hz)
            keep = f <= _reference_top(f, top_hz, band)
        elif track is None:
            ses = squared_envelope_spectrum(y, fs, limits, x_rfft=y_rfft)
            f, v, note = ses.freqs_hz, ses.values, ses.unit_note
            keep = f <= _reference_top(f, top_hz, band)
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
        views.append(EnvelopeView(band, source, Spectrum(f[keep], v[keep], note), top_hz))
    return views, kg


def _reference_top(f: np.ndarray, top_hz: float, band: tuple[float, float]) -> float:
    """Where a view's spectrum stops: ``top_hz``, or further within the band's width when
    ``top_hz`` leaves fewer than :data:`MIN_REFERENCE_BINS` bins."""
    return max(top_hz, min(MIN_REFERENCE_BINS * float(f[1] - f[0]), band[1] - band[0]))


def _averaged_ses(
    y: np.ndarray,
    fs: float,
    band_hz: tuple[float, float] | None,
    speeds_hz: Sequence[float],
    speed_hz: float,
) -> tuple[np.ndarray, np.ndarray, str]:
    """Mean squared-envelope spectrum of the rows of ``y``, each rescaled to ``speed_hz``."""
    power = None
    for row, own_hz in zip(y, speeds_hz, strict=True):
        ses = squared_envelope_spectrum(row, fs, band_hz)
        # This snapshot's line at order o sits at o * own_hz; read it at o * speed_hz.
        values = np.interp(ses.freqs_hz * (own_hz / speed_hz), ses.freqs_hz, ses.values)
        power = values**2 if power is None else power + values**2
    assert power is not None
    note = f"{ses.unit_note}, r.m.s. of {y.shape[0]} snapshots rescaled to {speed_hz:.4g} Hz"
    return ses.freqs_hz, np.sqrt(power / y.shape[0]), note


def snapshots_of(waveform: Waveform | Sequence[Waveform]) -> tuple[Waveform, ...]:
    """The snapshots of a diagnosis: one record, or several of one length and sampling rate.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        One record, or snapshots of one machine state (a monitoring system's short records).

    Returns
    -------
    tuple of Waveform
        At least one.

    Raises
    ------
    ConfigError
        No snapshot.
    DataError
        A snapshot whose length or sampling rate differs from the first's.
    """
    snaps = (waveform,) if isinstance(waveform, Waveform) else tuple(waveform)
    if not snaps:
        raise ConfigError("give at least one record to diagnose")
    first = snaps[0]
    for w in snaps[1:]:
        if w.n_samples != first.n_samples or w.fs != first.fs:
            raise DataError(
                f"{w.source or w.channel or 'snapshot'}: {w.n_samples} samples at {w.fs:g} Hz; "
                f"snapshots diagnosed together must share the first's length and sampling rate "
                f"({first.n_samples} samples at {first.fs:g} Hz): cut them to one length"
            )
    return snaps


def envelope_views(
    waveform: Waveform | Sequence[Waveform],
    diagnosis: Diagnosis,
    settings: DiagnosisSettings | None = None,
    *,
    track: SpeedTrack | None = None,
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Recompute the spectra a diagnosis examined (for plots and reports).

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        The record that was diagnosed, or its snapshots.
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
        ``track`` missing for an order-tracked diagnosis, or given for one at constant speed;
        not the snapshots the diagnosis was made from.
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
    snaps = snapshots_of(waveform)
    speeds = tuple(v / ratio for v in diagnosis.snapshot_speeds_hz)
    if len(snaps) > 1 and len(speeds) != len(snaps):
        raise ConfigError(
            f"envelope_views: {len(snaps)} snapshots given, but the diagnosis was made from "
            f"{max(len(speeds), 1)}: pass the records it was made from"
        )
    return envelope_spectra(
        prewhitened(snaps, s),
        snaps[0].fs,
        top_hz,
        s,
        track,
        diagnosis.speed_hz / ratio,
        reference_range,
        speeds,
    )


def prewhitened(waveform: Waveform | Sequence[Waveform], s: DiagnosisSettings) -> np.ndarray:
    """The record (or the snapshots) as the diagnosis demodulates it.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        The record, or snapshots of one length (see :func:`snapshots_of`).
    s : DiagnosisSettings
        Whether to pre-whiten.

    Returns
    -------
    numpy.ndarray
        Cepstrum pre-whitened samples (:func:`openphm.signal.prewhiten.cepstrum_prewhiten`),
        or the samples less their mean; one row per snapshot when there are several.
    """
    rows = []
    for w in snapshots_of(waveform):
        x = w.samples
        rows.append(cepstrum_prewhiten(x) if s.prewhiten else x - x.mean())
    return rows[0] if len(rows) == 1 else np.stack(rows)
