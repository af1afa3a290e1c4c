"""Reading the FILE argument of the CLI commands, with the ``--fs`` override they all share."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from openphm.acquire import read
from openphm.core.errors import ConfigError
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.signal.order import tacho_pulse_times


def load_record(
    file: Path,
    fs: float | None = None,
    *,
    channels: list[str] | None = None,
    fmt: str | None = None,
) -> Recording:
    """Read ``file``, with every channel at the sampling rate ``fs`` (Hz) when it is given.

    Generic readers take ``fs`` as an option (a bare CSV needs it); readers that know their rate
    (a data set's) refuse it, so the file is read without it and the rate replaced afterwards.

    Parameters
    ----------
    file : pathlib.Path
        The record.
    fs : float, optional
        Sampling rate in Hz that provides or overrides the file's.
    channels : list of str, optional
        Channels to read (default: all).
    fmt : str, optional
        Reader to use instead of sniffing.

    Returns
    -------
    Recording
        The channels read, at rate ``fs`` if given.
    """
    if fs is not None and not (math.isfinite(fs) and fs > 0.0):
        raise ConfigError(f"--fs must be a positive sampling rate in Hz, got {fs:g}")
    options: dict[str, Any] = {"channels": channels} if channels else {}
    if fs is None:
        return read(file, format=fmt, **options)
    try:
        return read(file, format=fmt, fs=fs, **options)
    except ConfigError:
        rec = read(file, format=fmt, **options)
    return Recording(
        tuple(w.with_samples(w.samples, fs=fs) for w in rec),
        source=rec.source,
        metadata=rec.metadata,
    )


def pick_channel(rec: Recording, channel: str | None) -> Waveform:
    """Channel ``channel`` of ``rec``, or its first channel when ``channel`` is None."""
    return rec[channel] if channel is not None else rec.channels[0]


def load_channel(file: Path, channel: str | None, fs: float | None) -> Waveform:
    """Read ``file`` and return one channel (default: the first) at rate ``fs`` if given."""
    return pick_channel(load_record(file, fs), channel)


def tacho_track(file: Path, rec: Recording, tacho: str, ppr: int, analysed: str) -> SpeedTrack:
    """The speed track from the tachometer channel ``tacho`` of ``rec`` (``--tacho``/``--ppr``).

    Parameters
    ----------
    file : pathlib.Path
        The record's file, for messages.
    rec : Recording
        The record read.
    tacho : str
        Name of the tachometer channel.
    ppr : int
        Tachometer pulses per shaft revolution.
    analysed : str
        Name of the channel being analysed (it cannot be the tachometer).

    Returns
    -------
    SpeedTrack
        The pulse times of the tachometer's rising edges.
    """
    if tacho == analysed:
        raise ConfigError(f"{file}: --tacho {tacho!r} is the channel being analysed")
    tach = pick_channel(rec, tacho)
    return SpeedTrack(tacho_pulses_s=tacho_pulse_times(tach.samples, tach.fs), pulses_per_rev=ppr)
