"""The fast kurtogram of one channel as `openphm kurtogram` shows it: the map, its best band."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np

from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import Waveform
from openphm.signal.kurtogram import LONG_RECORD_SAMPLES, USABLE_BANDWIDTH_FACTOR, fast_kurtogram
from openphm.signal.prewhiten import cepstrum_prewhiten

__all__ = ["KurtogramResult", "KurtogramSettings", "analyse_kurtogram"]


@dataclass(frozen=True)
class KurtogramSettings(Serializable):
    """How the fast kurtogram of a channel is computed.

    Parameters
    ----------
    max_level : int or None
        Deepest binary level (default: :func:`openphm.signal.kurtogram.default_max_level`).
    fmax_hz : float or None
        Highest frequency the best band may reach, Hz (default ``fs/2.56``).
    prewhiten : bool
        Cepstrum pre-whitening first.
    max_samples : int
        The kurtogram looks at most at this many samples from the middle of a long record.
    """

    max_level: Annotated[int | None, Range(ge=1)] = None
    fmax_hz: Annotated[float | None, Range(gt=0.0)] = None
    prewhiten: bool = False
    max_samples: Annotated[int, Range(ge=4096)] = LONG_RECORD_SAMPLES

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class KurtogramResult(Serializable):
    """The fast kurtogram of one channel (see :class:`openphm.signal.kurtogram.Kurtogram`).

    Parameters
    ----------
    source : str
        File the channel was read from.
    channel : str
        Channel analysed.
    fs_hz : float
        Sampling rate, Hz.
    n_samples : int
        Samples in the channel.
    samples_analysed : int
        Samples the kurtogram looked at (the middle of a long record).
    prewhitened : bool
        Whether the signal was cepstrum pre-whitened.
    fmax_hz : float
        Highest frequency the best band could reach, Hz.
    best_band_hz : (float, float)
        Edges of the most impulsive band, Hz.
    best_level : float
        Its level.
    best_kurtosis : float
        Its spectral kurtosis.
    levels : tuple of float
        Level of each row of the map.
    level_labels : tuple of str
        Row labels (``"0"``, ``"1"``, ``"1.6"``...).
    bandwidths_hz : tuple of float
        Band width of each row, Hz.
    kurtosis : tuple of tuple of float
        The map: spectral kurtosis per row and column.
    column_edges_hz : tuple of float
        Frequency edges of the map's columns, Hz.
    provenance : Provenance
        The openphm version, the settings and the input.
    """

    source: str
    channel: str
    fs_hz: float
    n_samples: int
    samples_analysed: int
    prewhitened: bool
    fmax_hz: float
    best_band_hz: tuple[float, float]
    best_level: float
    best_kurtosis: float
    levels: tuple[float, ...]
    level_labels: tuple[str, ...]
    bandwidths_hz: tuple[float, ...]
    kurtosis: tuple[tuple[float, ...], ...]
    column_edges_hz: tuple[float, ...]
    provenance: Provenance

    @property
    def best_center_hz(self) -> float:
        """Centre frequency of the best band, Hz."""
        return 0.5 * (self.best_band_hz[0] + self.best_band_hz[1])

    @property
    def best_bandwidth_hz(self) -> float:
        """Width of the best band, Hz."""
        return self.best_band_hz[1] - self.best_band_hz[0]

    @property
    def level_maxima(self) -> tuple[float, ...]:
        """Largest spectral kurtosis of each level (row) over all its bands."""
        return tuple(max(row) for row in self.kurtosis)


def analyse_kurtogram(
    wave: Waveform, settings: KurtogramSettings, *, source: str = ""
) -> KurtogramResult:
    """Fast kurtogram (Antoni 2007) of a channel: the most impulsive band and the whole map.

    Parameters
    ----------
    wave : Waveform
        The channel.
    settings : KurtogramSettings
        Depth, band limit, pre-whitening.
    source : str, optional
        The file read, for the result's provenance.

    Returns
    -------
    KurtogramResult
        The best band and the map.

    Examples
    --------
    Impacts ringing a 3 kHz resonance, 40 times a second, in noise:

    >>> rng = np.random.default_rng(0)
    >>> fs, n = 12000.0, 24000
    >>> ring = np.exp(-np.arange(120) / 20.0) * np.sin(2 * np.pi * 3000.0 * np.arange(120) / fs)
    >>> x = 0.1 * rng.standard_normal(n)
    >>> for start in range(0, n - 120, 300):
    ...     x[start:start + 120] += ring
    >>> result = analyse_kurtogram(Waveform(x, fs), KurtogramSettings())
    >>> low, high = result.best_band_hz
    >>> bool(low <= 3000.0 <= high)
    True
    """
    s = settings
    x = cepstrum_prewhiten(wave.samples) if s.prewhiten else wave.samples
    kg = fast_kurtogram(
        x, wave.fs, max_level=s.max_level, fmax_hz=s.fmax_hz, max_samples=s.max_samples
    )
    return KurtogramResult(
        source=source,
        channel=wave.channel,
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        samples_analysed=min(wave.n_samples, s.max_samples),
        prewhitened=s.prewhiten,
        fmax_hz=wave.fs / USABLE_BANDWIDTH_FACTOR if s.fmax_hz is None else s.fmax_hz,
        best_band_hz=kg.best_band_hz,
        best_level=kg.best_level,
        best_kurtosis=kg.best_kurtosis,
        levels=tuple(float(v) for v in kg.levels),
        level_labels=tuple(kg.level_labels),
        bandwidths_hz=tuple(float(v) for v in kg.bandwidths_hz),
        kurtosis=tuple(tuple(float(v) for v in row) for row in np.asarray(kg.kurtosis)),
        column_edges_hz=tuple(float(v) for v in kg.column_edges_hz),
        provenance=Provenance.of(s, InputRef(source, wave.channel)),
    )
