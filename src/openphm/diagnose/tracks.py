"""The speed track of a record at varying speed: from a tachometer channel or a speed channel."""

from __future__ import annotations

from typing import Literal

import numpy as np

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.speed import SpeedTrack
from openphm.signal.order import tacho_pulse_times

__all__ = ["SpeedUnit", "as_speed_unit", "speed_channel_track", "speed_track", "tacho_track"]

#: Units a speed channel may hold its values in.
SpeedUnit = Literal["rpm", "hz"]


def as_speed_unit(text: str) -> SpeedUnit:
    """``text`` as a :data:`SpeedUnit`, or a :class:`ConfigError`.

    Parameters
    ----------
    text : str
        The text given.

    Returns
    -------
    SpeedUnit
        ``"rpm"`` or ``"hz"``.

    Examples
    --------
    >>> as_speed_unit("hz")
    'hz'
    """
    if text == "rpm":
        return "rpm"
    if text == "hz":
        return "hz"
    raise ConfigError(f"--speed-unit must be rpm or hz, got {text!r}")


def _where(rec: Recording) -> str:
    return rec.source or "record"


def tacho_track(rec: Recording, tacho: str, ppr: int, analysed: str) -> SpeedTrack:
    """The speed track from the tachometer channel ``tacho`` of ``rec``.

    Parameters
    ----------
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
        The pulse times of the tachometer's rising edges (see
        :func:`openphm.signal.order.tacho_pulse_times`).
    """
    if tacho == analysed:
        raise ConfigError(f"{_where(rec)}: --tacho {tacho!r} is the channel being analysed")
    tach = rec[tacho]
    try:
        pulses = tacho_pulse_times(tach.samples, tach.fs)
    except DataError as exc:
        raise DataError(f"{_where(rec)}: tachometer channel {tacho!r}: {exc}") from None
    return SpeedTrack(tacho_pulses_s=pulses, pulses_per_rev=ppr)


def speed_channel_track(rec: Recording, name: str, unit: str, analysed: Waveform) -> SpeedTrack:
    """The speed track from a channel of ``rec`` that holds the shaft speed.

    Parameters
    ----------
    rec : Recording
        The record read.
    name : str
        Name of the speed channel.
    unit : {"rpm", "hz"}
        Unit of its values: revolutions per minute or Hz.
    analysed : Waveform
        The channel being analysed; the speed is interpolated linearly to its samples (a speed
        channel is often sampled more slowly).

    Returns
    -------
    SpeedTrack
        The speed in Hz at every sample of ``analysed``.
    """
    as_speed_unit(unit)
    if name == analysed.channel:
        raise ConfigError(f"{_where(rec)}: --speed-channel {name!r} is the channel being analysed")
    speed = rec[name]
    values = speed.samples / 60.0 if unit == "rpm" else speed.samples
    if not np.all(values > 0.0):
        raise DataError(
            f"{_where(rec)}: speed channel {name!r} holds speeds of zero or less (the machine "
            "stopped?); order tracking needs the shaft turning throughout: cut the record to the "
            "part where it turns"
        )
    profile = np.interp(analysed.time_s, speed.time_s, values)
    return SpeedTrack(speed_profile_hz=profile, origin=f"from channel {name}")


def speed_track(
    rec: Recording,
    analysed: Waveform,
    *,
    speed_hz: float | None = None,
    tacho: str | None = None,
    ppr: int = 1,
    speed_channel: str | None = None,
    speed_unit: str = "rpm",
) -> SpeedTrack | None:
    """The varying-speed track asked for, or None at constant speed.

    Parameters
    ----------
    rec : Recording
        The record read.
    analysed : Waveform
        The channel being analysed.
    speed_hz : float or None
        A constant speed given (only checked: it excludes the other two).
    tacho : str or None
        Tachometer channel.
    ppr : int
        Tachometer pulses per revolution.
    speed_channel : str or None
        Channel holding the shaft speed.
    speed_unit : {"rpm", "hz"}
        Unit of ``speed_channel``.

    Returns
    -------
    SpeedTrack or None
        From the tachometer or the speed channel; None when neither is given.
    """
    if sum(option is not None for option in (speed_hz, tacho, speed_channel)) > 1:
        raise ConfigError("give the speed one way: --rpm, --tacho or --speed-channel")
    if tacho is not None:
        return tacho_track(rec, tacho, ppr, analysed.channel)
    if speed_channel is not None:
        return speed_channel_track(rec, speed_channel, speed_unit, analysed)
    return None
