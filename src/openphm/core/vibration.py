"""Whether samples can be a vibration at all: the check that keeps a time column, a counter,
a flag or a level from being analysed (and judged healthy) as if it were one."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = [
    "JUDGED_SAMPLES",
    "MAX_RISING_SHARE",
    "MIN_CHANGING_SHARE",
    "MIN_VIBRATION_LEVELS",
    "not_vibration",
]

#: Fewest distinct values (in the samples looked at) of a channel that may hold vibration: a
#: logic, state or flag channel (a bool array, a relay) takes two or three.
MIN_VIBRATION_LEVELS = 8
#: A vibration rises and falls about as often: a channel whose rising steps (of those that
#: change) are more than this share, or fewer than one minus it, climbs and drops back (a clock
#: field, a counter that wraps, a sawtooth), or the reverse.
MAX_RISING_SHARE = 0.9
#: A vibration changes from most samples to the next: a channel that changes at fewer than
#: this share of its (evenly spaced) samples is a staircase.
MIN_CHANGING_SHARE = 0.1
#: Samples looked at (evenly spaced) when a channel is judged.
JUDGED_SAMPLES = 65536


def not_vibration(samples: npt.ArrayLike) -> str:
    """Why ``samples`` cannot be a vibration, or an empty string when they may be one.

    Parameters
    ----------
    samples : array_like
        One channel's samples, any unit.

    Returns
    -------
    str
        ``""``, or what the samples are instead: constant, monotonic (a time or counter
        column), a few levels only (a logic or state channel), a staircase that changes at
        fewer than :data:`MIN_CHANGING_SHARE` of its samples, or a ramp that drops back (a
        clock field or a wrapping counter: more than :data:`MAX_RISING_SHARE` of its changes
        rise).

    Notes
    -----
    A vibration signal (acceleration, velocity, displacement about a rest position) oscillates
    about its mean (a DC offset, such as gravity on a DC-coupled accelerometer, does not matter):
    it takes many values and rises about as often as it falls. At most
    :data:`JUDGED_SAMPLES` evenly spaced samples are looked at.

    Examples
    --------
    >>> not_vibration(np.sin(np.arange(1000.0)))
    ''
    >>> not_vibration(np.arange(1000.0))
    'it rises throughout (a time or counter column)'
    """
    x = np.asarray(samples, dtype=np.float64).ravel()
    if x.size < 2:
        return "it holds fewer than two samples"
    x = x[:: max(1, x.size // JUDGED_SAMPLES)]
    step = np.diff(x)
    if not step.any():
        return "all its samples are equal"
    if (step >= 0.0).all() or (step <= 0.0).all():
        way = "rises" if x[-1] > x[0] else "falls"
        return f"it {way} throughout (a time or counter column)"
    levels = np.unique(x).size
    if levels < MIN_VIBRATION_LEVELS:
        return f"it takes only {levels} distinct values (a logic, state or flag channel)"
    changes = step[step != 0.0]
    if changes.size < MIN_CHANGING_SHARE * step.size:
        return (
            f"it changes at only {changes.size / step.size:.1%} of its samples (a staircase: "
            "a clock field, a setting or a slow level)"
        )
    rising = float(np.count_nonzero(changes > 0.0)) / changes.size
    if not 1.0 - MAX_RISING_SHARE <= rising <= MAX_RISING_SHARE:
        way = "climbs step by step and drops back" if rising > 0.5 else "falls step by step"
        return f"{rising:.0%} of its changes rise: it {way} (a clock field, a wrapping counter)"
    return ""
