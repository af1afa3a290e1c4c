"""Reading a record for analysis: a sampling-rate override, and the channel of the vibration."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openphm.acquire.registry import read
from openphm.core.errors import ConfigError
from openphm.core.units import is_acceleration_unit
from openphm.core.vibration import not_vibration
from openphm.core.waveform import Recording, Waveform, find_channel

__all__ = [
    "VIBRATION_NAMES",
    "ChannelChoice",
    "channel_choice",
    "default_channel",
    "find_channel_name",
    "load_record",
    "pick_channel",
    "slash_path",
]

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


#: Channels shorter than this fraction of the longest are stray variables stored beside the
#: signal (a calibration vector, a header), not the vibration.
MIN_LENGTH_SHARE = 0.5


@dataclass(frozen=True)
class ChannelChoice:
    """The channel chosen for analysis when none is named, and why.

    Parameters
    ----------
    waveform : Waveform
        The channel.
    reason : str
        Why it was chosen, in one sentence (for the command's heading or a report).
    """

    waveform: Waveform
    reason: str


def channel_choice(rec: Recording) -> ChannelChoice:
    """The channel to analyse when none is named, and why: the vibration, as far as one can tell.

    A record often holds more than vibration (motor currents, force, torque, temperature,
    a tachometer, clock fields, a snapshot counter, short stray variables). Only channels at
    least :data:`MIN_LENGTH_SHARE` as long as the longest that look like a vibration
    (:func:`~openphm.core.vibration.not_vibration`) are candidates; of them, in order: the
    drive-end channel ``DE`` (CWRU), the first whose unit is an acceleration
    (:func:`~openphm.core.units.is_acceleration_unit`), the first whose name holds
    ``vib``/``acc`` (``vibration_1``, ``accel_x``), else the first. When no channel looks
    like a vibration, the same order runs over every channel.

    Parameters
    ----------
    rec : Recording
        The record read.

    Returns
    -------
    ChannelChoice
        The channel and the reason, in words.

    Examples
    --------
    >>> import numpy as np
    >>> t = np.arange(4000) / 4000.0
    >>> rec = Recording((Waveform(t, 4000.0, channel="t"), Waveform(np.sin(900 * t), 4000.0,
    ...     channel="x"), Waveform(np.ones(4), 4000.0, channel="gain")))
    >>> channel_choice(rec).waveform.channel
    'x'
    """
    longest = max(w.n_samples for w in rec.channels)
    long_enough = [w for w in rec.channels if w.n_samples >= MIN_LENGTH_SHARE * longest]
    doubts = {w.channel: not_vibration(w.samples) for w in long_enough}
    pool = [w for w in long_enough if not doubts[w.channel]]
    skipped = len(rec.channels) - len(pool)
    wave, why = _first_vibration(pool or list(rec.channels))
    if len(rec.channels) == 1:
        return ChannelChoice(wave, "the only channel")
    if not pool:
        return ChannelChoice(
            wave,
            f"{why}; no channel looks like a vibration ({wave.channel}: "
            f"{not_vibration(wave.samples)}): name one with --channel",
        )
    left = (
        f"; {skipped} other channel(s) are shorter than half the longest or are not "
        "vibration (time, counter, clock, state or level channels)"
        if skipped
        else ""
    )
    return ChannelChoice(wave, f"{why}, {wave.n_samples} samples{left}")


def _first_vibration(pool: list[Waveform]) -> tuple[Waveform, str]:
    for wave in pool:
        if wave.channel == "DE":
            return wave, "the drive-end channel DE"
    for wave in pool:
        if is_acceleration_unit(wave.unit):
            return wave, f"the first channel in an acceleration unit ({wave.unit})"
    for wave in pool:
        leaf = wave.channel.rsplit("/", 1)[-1].lower()
        if any(part in leaf for part in VIBRATION_NAMES):
            return wave, "the first channel whose name says vibration"
    return pool[0], "the first channel that looks like a vibration"


def default_channel(rec: Recording) -> Waveform:
    """The channel to analyse when none is named (see :func:`channel_choice`).

    Parameters
    ----------
    rec : Recording
        The record read.

    Returns
    -------
    Waveform
        The channel chosen.
    """
    return channel_choice(rec).waveform


def find_channel_name(rec: Recording, channel: str) -> Waveform:
    """Channel ``channel`` of ``rec``, also when written with dots (``bearing.gs``).

    Nested channels (MAT structs, HDF5 groups, TDMS groups) are named by their path with
    ``/`` (``bearing/gs``); MATLAB and scipy users write a struct field with a dot
    (``bearing.gs``), which finds the same channel when no channel has the dotted name.

    Parameters
    ----------
    rec : Recording
        The record read.
    channel : str
        The name asked for, with ``/`` or ``.`` between the parts of a path.

    Returns
    -------
    Waveform
        The channel.

    Raises
    ------
    DataError
        No channel has that name (the message lists the channels).

    Examples
    --------
    >>> import numpy as np
    >>> rec = Recording((Waveform(np.ones(8), 8.0, channel="bearing/gs"),))
    >>> find_channel_name(rec, "bearing.gs").channel
    'bearing/gs'
    """
    return rec[slash_path(rec.channel_names, channel)]


def slash_path(names: Sequence[str], channel: str) -> str:
    """``channel`` as the reader names it: its dotted form turned into a ``/`` path when no
    channel has the dotted name but one has the path (see :func:`find_channel_name`).

    Parameters
    ----------
    names : sequence of str
        The channels of the file.
    channel : str
        The name asked for.

    Returns
    -------
    str
        The name to look up.

    Examples
    --------
    >>> slash_path(["bearing/gs", "bearing/sr"], "bearing.gs")
    'bearing/gs'
    """
    if "." not in channel or find_channel(names, channel) is not None:
        return channel
    path = channel.replace(".", "/")
    return path if find_channel(names, path) is not None else channel


def pick_channel(rec: Recording, channel: str | None) -> Waveform:
    """Channel ``channel`` of ``rec``, or :func:`default_channel` when ``channel`` is None.

    Parameters
    ----------
    rec : Recording
        The record read.
    channel : str or None
        Name of the channel (with ``/`` or ``.`` between path parts), or None for the default
        one.

    Returns
    -------
    Waveform
        The channel.
    """
    return find_channel_name(rec, channel) if channel is not None else default_channel(rec)
