"""Envelope analysis of one channel as an analyst runs it: a band, the squared envelope, its peaks.

The demodulation band is the one given, or else the most impulsive band of the fast kurtogram
(Antoni 2007) that is at least as wide as the envelope frequencies of interest and lies below
``fs/2.56`` (above that an analyser's anti-aliasing filter leaves only converter noise). The
squared-envelope spectrum (Randall & Antoni 2011) is order-tracked when the speed varies (a
tachometer or a speed channel), its frequencies then orders times the mean speed. Its largest
peaks are named after the bearing lines they match (:mod:`openphm.diagnose.lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import numpy as np
import numpy.typing as npt

from openphm.core.bearing import Ring
from openphm.core.errors import ConfigError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.lines import (
    BearingLines,
    LineMatch,
    bearing_lines,
    line_candidates,
    nearest_line,
)
from openphm.diagnose.speed import SpeedTrack
from openphm.diagnose.tracks import SpeedUnit, speed_track
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import LONG_RECORD_SAMPLES, USABLE_BANDWIDTH_FACTOR, fast_kurtogram
from openphm.signal.order import samples_per_rev_for, squared_envelope_order_spectrum
from openphm.signal.peaks import spectral_peaks
from openphm.signal.prewhiten import cepstrum_prewhiten
from openphm.signal.spectrum import Spectrum

__all__ = [
    "DemodulationBand",
    "EnvelopePeak",
    "EnvelopeResult",
    "EnvelopeSettings",
    "OrderTracking",
    "analyse_envelope",
    "choose_band",
]


@dataclass(frozen=True)
class EnvelopeSettings(Serializable):
    """How the envelope of a channel is analysed.

    Parameters
    ----------
    band_hz : (float, float) or None
        Demodulation band, Hz; None: the fast kurtogram's best band (see :func:`choose_band`).
    fmax_hz : float
        Highest envelope frequency of interest, Hz.
    prewhiten : bool
        Cepstrum pre-whitening first (masks gear and shaft lines; loses the physical unit).
    bearing : str or None
        Catalogue bearing whose lines name the peaks.
    speed_hz : float or None
        Constant speed of its turning ring, Hz (default: the record's).
    rotating_ring : {"inner", "outer"}
        The bearing's turning ring.
    catalogue : tuple of str
        Extra catalogue files in which ``bearing`` is looked up too.
    tacho, ppr, speed_channel, speed_unit
        A varying speed: tachometer channel and its pulses per revolution, or a channel holding
        the speed in ``speed_unit``; the envelope is then order-tracked.
    n_peaks : int
        Number of peaks listed.
    """

    band_hz: tuple[float, float] | None = None
    fmax_hz: Annotated[float, Range(gt=0.0)] = 500.0
    prewhiten: bool = False
    bearing: str | None = None
    speed_hz: Annotated[float | None, Range(gt=0.0)] = None
    rotating_ring: Ring = "inner"
    catalogue: tuple[str, ...] = ()
    tacho: str | None = None
    ppr: Annotated[int, Range(ge=1)] = 1
    speed_channel: str | None = None
    speed_unit: SpeedUnit = "rpm"
    n_peaks: Annotated[int, Range(ge=1)] = 10

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class DemodulationBand(Serializable):
    """The band demodulated and why it was chosen.

    Parameters
    ----------
    band_hz : (float, float)
        Band edges, Hz.
    source : {"kurtogram", "option"}
        Chosen by the fast kurtogram, or given.
    reason : str
        The choice in words.
    best_level : float or None
        Kurtogram level of the band (when the kurtogram chose it).
    best_kurtosis : float or None
        Its spectral kurtosis.
    """

    band_hz: tuple[float, float]
    source: Literal["kurtogram", "option"]
    reason: str
    best_level: float | None = None
    best_kurtosis: float | None = None


@dataclass(frozen=True)
class OrderTracking(Serializable):
    """How an order-tracked envelope followed the speed.

    Parameters
    ----------
    source : str
        The speed track, in words (tachometer or speed channel).
    mean_speed_hz : float
        Mean speed, Hz: the spectrum's frequencies are orders times this.
    speed_range_hz : (float, float)
        Lowest and highest speed, Hz.
    """

    source: str
    mean_speed_hz: float
    speed_range_hz: tuple[float, float]


@dataclass(frozen=True)
class EnvelopePeak(Serializable):
    """One peak of the squared-envelope spectrum.

    Parameters
    ----------
    freq_hz : float
        Frequency, Hz.
    amplitude : float
        Height, in the channel's unit squared.
    prominence : float
        Prominence (see :class:`openphm.signal.peaks.Peak`).
    line : LineMatch or None
        The bearing line it is nearest, when a bearing was named.
    """

    freq_hz: float
    amplitude: float
    prominence: float
    line: LineMatch | None = None


@dataclass(frozen=True)
class EnvelopeResult(Serializable):
    """What the envelope analysis of one channel found.

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
    unit : str
        Unit of the channel.
    prewhitened : bool
        Whether the signal was cepstrum pre-whitened.
    band : DemodulationBand
        The band demodulated.
    resolution_hz : float
        Bin spacing of the envelope spectrum, Hz.
    fmax_hz : float
        Highest frequency searched for peaks, Hz.
    peaks : tuple of EnvelopePeak
        The largest peaks, strongest first.
    order_tracked : OrderTracking or None
        The speed track, when the envelope was order-tracked.
    bearing : BearingLines or None
        The lines of the bearing named.
    provenance : Provenance
        The openphm version, the settings and the input.
    """

    source: str
    channel: str
    fs_hz: float
    n_samples: int
    unit: str
    prewhitened: bool
    band: DemodulationBand
    resolution_hz: float
    fmax_hz: float
    peaks: tuple[EnvelopePeak, ...]
    order_tracked: OrderTracking | None
    bearing: BearingLines | None
    provenance: Provenance


def choose_band(
    x: npt.ArrayLike, fs: float, fmax_hz: float, band_hz: tuple[float, float] | None = None
) -> DemodulationBand:
    """The demodulation band: ``band_hz`` when given, else the fast kurtogram's best band.

    The kurtogram's bands must be at least ``min(fmax_hz, fs/4)`` wide, so that envelope lines
    up to ``fmax_hz`` fit in them, and lie below ``fs/2.56``; on a long record it looks at the
    middle :data:`~openphm.signal.kurtogram.LONG_RECORD_SAMPLES` samples.

    Parameters
    ----------
    x : array_like
        Samples (pre-whitened or not).
    fs : float
        Sampling rate, Hz.
    fmax_hz : float
        Highest envelope frequency of interest, Hz.
    band_hz : (float, float) or None
        A band given by the user, Hz.

    Returns
    -------
    DemodulationBand
        The band and the reason for it.
    """
    if band_hz is not None:
        band = (float(band_hz[0]), float(band_hz[1]))
        return DemodulationBand(band, "option", "given with --band")
    samples = np.asarray(x, dtype=np.float64)
    width = min(fmax_hz, fs / 4.0)
    kg = fast_kurtogram(samples, fs, min_bandwidth_hz=width, max_samples=LONG_RECORD_SAMPLES)
    excerpt = ""
    if samples.size > LONG_RECORD_SAMPLES:
        excerpt = f"; from the middle {LONG_RECORD_SAMPLES} of {samples.size} samples"
    reason = (
        f"fast kurtogram: the most impulsive band (level {kg.best_level:.1f}, spectral "
        f"kurtosis {kg.best_kurtosis:.2f}) at least {width:g} Hz wide "
        f"and below fs/{USABLE_BANDWIDTH_FACTOR:g} = {fs / USABLE_BANDWIDTH_FACTOR:g} Hz" + excerpt
    )
    return DemodulationBand(kg.best_band_hz, "kurtogram", reason, kg.best_level, kg.best_kurtosis)


def _tracked_spectrum(
    x: npt.NDArray[np.float64],
    fs: float,
    band: tuple[float, float],
    track: SpeedTrack,
    speeds: OrderTracking,
    fmax_hz: float,
) -> Spectrum:
    """The order-tracked squared-envelope spectrum, orders scaled by the mean speed to Hz."""
    mean_hz = speeds.mean_speed_hz
    slowest, fastest = speeds.speed_range_hz
    oes = squared_envelope_order_spectrum(
        x,
        fs,
        band,
        tacho_pulses_s=track.tacho_pulses_s,
        speed_profile_hz=track.speed_profile_hz,
        samples_per_rev=samples_per_rev_for(fmax_hz / mean_hz, fastest / slowest),
        pulses_per_rev=track.pulses_per_rev,
    )
    return Spectrum(oes.orders * mean_hz, oes.values, oes.unit_note)


def _lines(s: EnvelopeSettings, wave: Waveform, tracked_hz: float | None) -> BearingLines | None:
    """The named bearing's lines at the speed given, tracked, or stated by the record."""
    if s.bearing is None:
        if s.speed_hz is not None:
            raise ConfigError("--rpm needs --bearing (the bearing whose lines to mark)")
        return None
    speed = tracked_hz or s.speed_hz or wave.speed_hz
    if speed is None:
        raise ConfigError(
            f"--bearing {s.bearing}: give the shaft speed with --rpm (the file does not state it)"
        )
    return bearing_lines(s.bearing, speed, s.rotating_ring, s.catalogue)


def analyse_envelope(
    wave: Waveform,
    settings: EnvelopeSettings,
    *,
    recording: Recording | None = None,
    source: str = "",
) -> tuple[EnvelopeResult, Spectrum]:
    """Squared-envelope spectrum of one channel and its largest peaks, named after bearing lines.

    Parameters
    ----------
    wave : Waveform
        The channel.
    settings : EnvelopeSettings
        Band, bearing, speed and the rest.
    recording : Recording, optional
        The record holding ``wave``, for a tachometer or speed channel (default: ``wave``
        alone).
    source : str, optional
        The file read, for the result's provenance.

    Returns
    -------
    EnvelopeResult
        Band, peaks, speed track and bearing lines.
    Spectrum
        The squared-envelope spectrum (for plots).

    Raises
    ------
    ConfigError
        A speed given several ways, a speed without a bearing, a bearing without a speed.
    """
    s = settings
    rec = recording if recording is not None else Recording((wave,), source=source)
    track = speed_track(
        rec,
        wave,
        speed_hz=s.speed_hz,
        tacho=s.tacho,
        ppr=s.ppr,
        speed_channel=s.speed_channel,
        speed_unit=s.speed_unit,
    )
    tracking = None
    if track is not None:
        _, mean_hz, slowest, fastest = track.speeds_hz(wave.n_samples, wave.fs)
        tracking = OrderTracking(track.source, mean_hz, (slowest, fastest))
    lines = _lines(s, wave, None if tracking is None else tracking.mean_speed_hz)
    x = cepstrum_prewhiten(wave.samples) if s.prewhiten else wave.samples
    band = choose_band(x, wave.fs, s.fmax_hz, s.band_hz)
    if track is None or tracking is None:
        ses = squared_envelope_spectrum(x, wave.fs, band.band_hz)
    else:
        ses = _tracked_spectrum(x, wave.fs, band.band_hz, track, tracking, s.fmax_hz)
    found = spectral_peaks(ses, fmin_hz=ses.resolution_hz, fmax_hz=s.fmax_hz, n=s.n_peaks)
    candidates = [] if lines is None else line_candidates(lines.lines_hz, s.fmax_hz)
    peaks = tuple(
        EnvelopePeak(
            p.freq_hz,
            p.amplitude,
            p.prominence,
            nearest_line(p.freq_hz, candidates, ses.resolution_hz) if candidates else None,
        )
        for p in found
    )
    result = EnvelopeResult(
        source=source,
        channel=wave.channel,
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        unit=wave.unit,
        prewhitened=s.prewhiten,
        band=band,
        resolution_hz=ses.resolution_hz,
        fmax_hz=s.fmax_hz,
        peaks=peaks,
        order_tracked=tracking,
        bearing=lines,
        provenance=Provenance.of(s, InputRef(source, wave.channel)),
    )
    return result, ses
