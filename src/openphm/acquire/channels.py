"""Reading a record for analysis: a sampling-rate override, and the channel of the vibration."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from openphm.acquire.registry import read
from openphm.core.errors import ConfigError
from openphm.core.units import is_acceleration_unit
from openphm.core.waveform import Recording, Waveform

__all__ = ["VIBRATION_NAMES", "default_channel", "load_record", "pick_channel"]

#: Parts of a channel name that say it holds vibration.
VIBRATION_NAMES = ("vib", "acc")


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


def default_channel(rec: Recording) -> Waveform:
    """The channel to analyse when none is named: the vibration channel, as far as one can tell.

    A record often holds more than vibration (motor currents, force, torque, temperature,
    a tachometer). In order: the drive-end channel ``DE`` (CWRU), the first channel whose unit
    is an acceleration (:func:`~openphm.core.units.is_acceleration_unit`), the first whose name
    holds ``vib``/``acc`` (``vibration_1``, ``accel_x``), else the first channel.

    Parameters
    ----------
    rec : Recording
        The record read.

    Returns
    -------
    Waveform
        The channel chosen.
    """
    names = rec.channel_names
    if "DE" in names:
        return rec["DE"]
    for wave in rec.channels:
        if is_acceleration_unit(wave.unit):
            return wave
    for wave in rec.channels:
        leaf = wave.channel.rsplit("/", 1)[-1].lower()
        if any(part in leaf for part in VIBRATION_NAMES):
            return wave
    return rec.channels[0]


def pick_channel(rec: Recording, channel: str | None) -> Waveform:
    """Channel ``channel`` of ``rec``, or :func:`default_channel` when ``channel`` is None.

    Parameters
    ----------
    rec : Recording
        The record read.
    channel : str or None
        Name of the channel, or None for the default one.

    Returns
    -------
    Waveform
        The channel.
    """
    return rec[channel] if channel is not None else default_channel(rec)
