"""What a record holds, channel by channel: rate, length, unit, speed and basic statistics."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from openphm.core.errors import DataQualityWarning
from openphm.core.serialize import Serializable, to_plain
from openphm.core.units import hz_to_rpm
from openphm.core.waveform import Recording, Waveform
from openphm.signal.indicators import time_indicators

__all__ = ["ChannelSummary", "RecordSummary", "summarise_channel", "summarise_record"]


@dataclass(frozen=True)
class ChannelSummary(Serializable):
    """Facts and basic statistics of one channel.

    Parameters
    ----------
    channel : str
        Channel name.
    fs_hz : float
        Sampling rate, Hz.
    n_samples : int
        Number of samples.
    duration_s : float
        Length, s.
    unit : str
        Unit of the samples.
    speed_hz : float or None
        Shaft speed the record states, Hz.
    speed_rpm : float or None
        The same in r/min.
    start : str or None
        Time of the first sample, ISO 8601.
    mean, rms, peak : float
        Mean, r.m.s. and largest absolute value, in the channel's unit.
    crest_factor : float
        Peak over r.m.s.
    kurtosis : float
        Kurtosis (not excess: 3 for Gaussian noise).
    """

    channel: str
    fs_hz: float
    n_samples: int
    duration_s: float
    unit: str
    speed_hz: float | None
    speed_rpm: float | None
    start: str | None
    mean: float
    rms: float
    peak: float
    crest_factor: float
    kurtosis: float


@dataclass(frozen=True)
class RecordSummary(Serializable):
    """A record described: its format, its channels, its metadata and what looked suspect.

    Parameters
    ----------
    source : str
        File the record was read from.
    format : str
        Name of the reader that read it.
    channels : tuple of ChannelSummary
        The channels, in file order.
    metadata : Mapping of str to object
        The record's metadata (labels, settings) as plain data, the format left out.
    warnings : tuple of str
        Data-quality warnings raised while reading.
    """

    source: str
    format: str
    channels: tuple[ChannelSummary, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))


def summarise_channel(wave: Waveform) -> ChannelSummary:
    """Facts and basic statistics of one channel.

    Statistics come from :func:`openphm.signal.indicators.time_indicators` (kurtosis is not
    excess: 3 for Gaussian noise), computed without its data-quality warnings (a reader
    raises those once, when the record is read).

    Parameters
    ----------
    wave : Waveform
        The channel.

    Returns
    -------
    ChannelSummary
        Its rate, length, unit, speed and statistics.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(2000) / 1000.0
    >>> s = summarise_channel(Waveform(np.sin(2 * np.pi * 50.0 * t), 1000.0, speed_hz=25.0))
    >>> round(s.crest_factor, 3), round(s.kurtosis, 2), s.speed_rpm
    (1.414, 1.5, 1500.0)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        ind = time_indicators(wave.samples)
    speed = wave.speed_hz
    return ChannelSummary(
        channel=wave.channel,
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        duration_s=wave.duration_s,
        unit=wave.unit,
        speed_hz=speed,
        speed_rpm=None if speed is None else hz_to_rpm(speed),
        start=None if wave.start is None else wave.start.isoformat(),
        mean=ind["mean"],
        rms=ind["rms"],
        peak=ind["peak"],
        crest_factor=ind["crest_factor"],
        kurtosis=ind["kurtosis"],
    )


def _plain(value: Any) -> Any:
    """``value`` as plain data, or its text when it has no plain form."""
    try:
        return to_plain(value)
    except TypeError:
        return str(value)


def summarise_record(rec: Recording, quality_warnings: Iterable[str] = ()) -> RecordSummary:
    """Describe a record: every channel (see :func:`summarise_channel`) and its metadata.

    Parameters
    ----------
    rec : Recording
        The record read.
    quality_warnings : iterable of str
        Data-quality warnings its reading raised.

    Returns
    -------
    RecordSummary
        The description; metadata values with no plain form are given as text.

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording((Waveform(np.ones(8), 8.0, channel="x"),), metadata={"format": "csv"})
    >>> summary = summarise_record(rec)
    >>> summary.format, [c.channel for c in summary.channels], dict(summary.metadata)
    ('csv', ['x'], {})
    """
    return RecordSummary(
        source=rec.source,
        format=str(rec.metadata.get("format", "")),
        channels=tuple(summarise_channel(w) for w in rec),
        metadata={k: _plain(v) for k, v in rec.metadata.items() if k != "format"},
        warnings=tuple(quality_warnings),
    )
