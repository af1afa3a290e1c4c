"""Time-synchronous averaging (TSA): the average shaft revolution, which keeps what is locked to
the shaft (gear meshes, a cracked tooth) and averages out everything else."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_fs, frozen_copy
from openphm.signal.order import resample_to_angle


@dataclass(frozen=True)
class SynchronousAverage:
    """Result of :func:`time_synchronous_average`.

    Parameters
    ----------
    average : numpy.ndarray
        One revolution, ``samples_per_rev`` samples, in the unit of the signal.
    samples_per_rev : int
        Angular samples per revolution.
    n_revolutions : int
        Revolutions averaged; non-synchronous content falls by ``sqrt(n_revolutions)``.
    """

    average: FloatArray
    samples_per_rev: int
    n_revolutions: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "average", frozen_copy(self.average))

    @property
    def angle_rev(self) -> FloatArray:
        """Angle of each sample in revolutions, 0 .. 1."""
        return np.arange(self.samples_per_rev) / self.samples_per_rev


def time_synchronous_average(
    x: npt.ArrayLike,
    fs: float,
    *,
    speed_hz: float | npt.ArrayLike | None = None,
    tacho_pulses_s: npt.ArrayLike | None = None,
    pulses_per_rev: int = 1,
    samples_per_rev: int | None = None,
) -> SynchronousAverage:
    """Average a signal over shaft revolutions, after resampling it to the shaft angle.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    speed_hz : float or array_like, optional
        Shaft speed in Hz, constant or per sample (angle 0 at the first sample).
    tacho_pulses_s : array_like, optional
        Tachometer pulse times in s (angle 0 at the first pulse). Give exactly one of
        ``speed_hz`` and ``tacho_pulses_s``.
    pulses_per_rev : int, default 1
        Tachometer pulses per revolution.
    samples_per_rev : int, optional
        Angular samples per revolution; default the power of two at or above ``fs`` divided by
        the mean shaft speed (no loss of bandwidth).

    Returns
    -------
    SynchronousAverage
        The average revolution and how many whole revolutions went into it.

    Notes
    -----
    Angle-domain resampling (:func:`openphm.signal.order.resample_to_angle`) and then the mean
    of the whole revolutions. P. D. McFadden (1987), "A revised model for the extraction of
    periodic waveforms by time domain averaging", Mechanical Systems and Signal Processing 1(1)
    83-95.

    Examples
    --------
    >>> fs = 5000.0
    >>> t = np.arange(50000) / fs
    >>> rng = np.random.default_rng(0)
    >>> x = np.sin(2 * np.pi * 25.0 * 3 * t) + rng.normal(size=t.size)  # order 3 in noise
    >>> tsa = time_synchronous_average(x, fs, speed_hz=25.0, samples_per_rev=64)
    >>> tsa.n_revolutions, bool(np.abs(tsa.average - np.sin(6 * np.pi * tsa.angle_rev)).max() < 0.4)
    (250, True)
    """
    rate = as_fs(fs)
    arr = np.asarray(x, dtype=np.float64)
    if samples_per_rev is None:
        if speed_hz is not None:
            mean_speed = float(np.mean(np.asarray(speed_hz, dtype=np.float64)))
        else:
            pulses = np.asarray(tacho_pulses_s, dtype=np.float64)
            if pulses.size < 2:
                raise DataError("tacho_pulses_s: need at least two pulses")
            mean_speed = (pulses.size - 1) / pulses_per_rev / float(pulses[-1] - pulses[0])
        samples_per_rev = 2 ** max(2, math.ceil(math.log2(rate / mean_speed)))
    angle = resample_to_angle(
        arr,
        rate,
        tacho_pulses_s=tacho_pulses_s,
        speed_profile_hz=speed_hz,
        samples_per_rev=samples_per_rev,
        pulses_per_rev=pulses_per_rev,
    )
    spr = angle.samples_per_rev
    n_rev = angle.samples.size // spr
    if n_rev < 1:
        raise DataError("x: shorter than one shaft revolution; nothing to average")
    average = angle.samples[: n_rev * spr].reshape(n_rev, spr).mean(axis=0)
    return SynchronousAverage(average, spr, n_rev)
