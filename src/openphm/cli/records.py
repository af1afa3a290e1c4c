"""Reading the FILE argument of the CLI commands: the ``--fs`` override they all share, and the
speed channels (``--tacho``, ``--speed-channel``) of records at varying speed."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from openphm.acquire import read
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.signal.order import tacho_pulse_times

Tacho = Annotated[
    str | None,
    typer.Option(
        "--tacho",
        help="Channel holding a tachometer signal: the speed may vary during the record "
        "(run-ups, wind turbines) and the envelope is order-tracked.",
    ),
]
Ppr = Annotated[
    int,
    typer.Option("--ppr", help="Tachometer pulses per shaft revolution (with --tacho).", min=1),
]
SpeedChannel = Annotated[
    str | None,
    typer.Option(
        "--speed-channel",
        help="Channel holding the shaft speed (in --speed-unit) when it varies during the "
        "record: the envelope is order-tracked.",
    ),
]
SpeedUnit = Annotated[str, typer.Option("--speed-unit", help="Unit of --speed-channel: rpm or hz.")]


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


#: Units that say a channel holds acceleration (compared without case and spaces).
ACCELERATION_UNITS = frozenset({"g", "m/s^2", "m/s2", "m/s**2", "m/s²", "mm/s^2", "mm/s2"})
#: Parts of a channel name that say it holds vibration.
VIBRATION_NAMES = ("vib", "acc")


Channel = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="Channel to analyse (default: DE if present, else the first in an acceleration "
        "unit, else the first named vib*/acc*, else the first).",
    ),
]


def default_channel(rec: Recording) -> Waveform:
    """The channel to analyse when none is named: the vibration channel, as far as one can tell.

    A record often holds more than vibration (motor currents, force, torque, temperature,
    a tachometer). In order: the drive-end channel ``DE`` (CWRU), the first channel whose unit
    is an acceleration (:data:`ACCELERATION_UNITS`), the first whose name holds
    ``vib``/``acc`` (``vibration_1``, ``accel_x``), else the first channel.

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
        if wave.unit.replace(" ", "").lower() in ACCELERATION_UNITS:
            return wave
    for wave in rec.channels:
        leaf = wave.channel.rsplit("/", 1)[-1].lower()
        if any(part in leaf for part in VIBRATION_NAMES):
            return wave
    return rec.channels[0]


def pick_channel(rec: Recording, channel: str | None) -> Waveform:
    """Channel ``channel`` of ``rec``, or :func:`default_channel` when ``channel`` is None."""
    return rec[channel] if channel is not None else default_channel(rec)


def load_channel(file: Path, channel: str | None, fs: float | None) -> Waveform:
    """Read ``file`` and return one channel (default: :func:`default_channel`) at rate ``fs``."""
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
    try:
        pulses = tacho_pulse_times(tach.samples, tach.fs)
    except DataError as exc:
        raise DataError(f"{file}: tachometer channel {tacho!r}: {exc}") from None
    return SpeedTrack(tacho_pulses_s=pulses, pulses_per_rev=ppr)


def speed_channel_track(
    file: Path, rec: Recording, name: str, unit: str, analysed: Waveform
) -> SpeedTrack:
    """The speed track from a channel of ``rec`` that holds the shaft speed (``--speed-channel``).

    Parameters
    ----------
    file : pathlib.Path
        The record's file, for messages.
    rec : Recording
        The record read.
    name : str
        Name of the speed channel.
    unit : str
        Unit of its values: revolutions per minute or Hz.
    analysed : Waveform
        The channel being analysed; the speed is interpolated to its samples (a speed channel
        is often sampled more slowly).

    Returns
    -------
    SpeedTrack
        The speed in Hz at every sample of ``analysed``.
    """
    if unit not in ("rpm", "hz"):
        raise ConfigError(f"--speed-unit must be rpm or hz, got {unit!r}")
    if name == analysed.channel:
        raise ConfigError(f"{file}: --speed-channel {name!r} is the channel being analysed")
    speed = pick_channel(rec, name)
    values = speed.samples / 60.0 if unit == "rpm" else speed.samples
    if not np.all(values > 0.0):
        raise DataError(
            f"{file}: speed channel {name!r} holds speeds of zero or less (the machine stopped?); "
            "order tracking needs the shaft turning throughout: cut the record to the part "
            "where it turns"
        )
    profile = np.interp(analysed.time_s, speed.time_s, values)
    return SpeedTrack(speed_profile_hz=profile, origin=f"from channel {name}")


def speed_track(
    file: Path,
    rec: Recording,
    analysed: Waveform,
    *,
    rpm: float | None,
    tacho: str | None,
    ppr: int,
    speed_channel: str | None,
    speed_unit: str,
) -> SpeedTrack | None:
    """The varying-speed track the options ask for, or None at constant speed.

    Parameters
    ----------
    file : pathlib.Path
        The record's file, for messages.
    rec : Recording
        The record read.
    analysed : Waveform
        The channel being analysed.
    rpm : float or None
        The constant speed given with ``--rpm`` (checked against the other two).
    tacho : str or None
        ``--tacho`` channel.
    ppr : int
        ``--ppr``.
    speed_channel : str or None
        ``--speed-channel``.
    speed_unit : str
        ``--speed-unit``.

    Returns
    -------
    SpeedTrack or None
        From the tachometer or the speed channel; None when neither is given.
    """
    if sum(option is not None for option in (rpm, tacho, speed_channel)) > 1:
        raise ConfigError("give the speed one way: --rpm, --tacho or --speed-channel")
    if tacho is not None:
        return tacho_track(file, rec, tacho, ppr, analysed.channel)
    if speed_channel is not None:
        return speed_channel_track(file, rec, speed_channel, speed_unit, analysed)
    return None
