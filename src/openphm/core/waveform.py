"""Waveform and Recording: sampled signals with self-consistent metadata."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError

FloatArray = npt.NDArray[np.float64]

#: Sampling rates outside this range (Hz) are treated as absurd.
MIN_FS_HZ = 1e-3
MAX_FS_HZ = 1e9


def _frozen_float64(samples: npt.ArrayLike, where: str) -> FloatArray:
    arr = np.array(samples, dtype=np.float64, copy=True)
    if arr.ndim != 1:
        arr = np.squeeze(arr)
    if arr.ndim != 1:
        raise DataError(f"{where}: samples must be one-dimensional, got shape {arr.shape}")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Waveform:
    """One channel of uniformly sampled data.

    Parameters
    ----------
    samples : numpy.ndarray
        1-D samples, stored as a read-only float64 copy.
    fs : float
        Sampling rate in Hz.
    unit : str
        Physical unit of the samples as the source states it (``"g"``, ``"m/s^2"``, ``"mm/s"``...),
        empty if unknown.
    channel : str
        Channel name (``"DE"``, ``"horiz"``...).
    start : datetime.datetime or None
        Time of the first sample, if known.
    speed_hz : float or None
        Shaft speed in Hz (revolutions per second), if known.
    source : str
        Where the data came from (file path and variable), for traceability.

    Examples
    --------
    >>> import numpy as np
    >>> w = Waveform(np.zeros(1000), fs=1000.0, unit="g", channel="DE")
    >>> w.duration_s
    1.0
    """

    samples: FloatArray
    fs: float
    unit: str = ""
    channel: str = ""
    start: datetime | None = None
    speed_hz: float | None = None
    source: str = ""

    def __post_init__(self) -> None:
        where = self.source or self.channel or "waveform"
        object.__setattr__(self, "samples", _frozen_float64(self.samples, where))
        try:
            fs = float(self.fs)
        except (TypeError, ValueError):
            fs = math.nan
        if not math.isfinite(fs) or not MIN_FS_HZ <= fs <= MAX_FS_HZ:
            shown = f"{fs:g} Hz" if math.isfinite(fs) else repr(self.fs)
            raise DataError(
                f"{where}: sampling rate {shown} is missing or absurd; "
                f"give a rate between {MIN_FS_HZ:g} and {MAX_FS_HZ:g} Hz"
            )
        object.__setattr__(self, "fs", fs)
        if self.speed_hz is not None:
            speed = float(self.speed_hz)
            if not math.isfinite(speed) or speed <= 0.0:
                raise DataError(f"{where}: shaft speed {self.speed_hz!r} Hz must be positive")
            object.__setattr__(self, "speed_hz", speed)

    @property
    def n_samples(self) -> int:
        """Number of samples."""
        return int(self.samples.size)

    @property
    def duration_s(self) -> float:
        """Duration in seconds (``n_samples / fs``)."""
        return self.n_samples / self.fs

    @property
    def time_s(self) -> FloatArray:
        """Sample times in seconds from the first sample."""
        return np.arange(self.n_samples, dtype=np.float64) / self.fs

    def with_samples(
        self, samples: npt.ArrayLike, fs: float | None = None, unit: str | None = None
    ) -> Waveform:
        """Return a copy with other samples (and optionally rate and unit), same metadata."""
        return replace(
            self,
            samples=np.asarray(samples, dtype=np.float64),
            fs=self.fs if fs is None else fs,
            unit=self.unit if unit is None else unit,
        )

    def slice_s(self, start_s: float, stop_s: float) -> Waveform:
        """Return the part between ``start_s`` and ``stop_s`` seconds (from the first sample)."""
        i0 = max(0, round(start_s * self.fs))
        i1 = min(self.n_samples, round(stop_s * self.fs))
        return self.with_samples(self.samples[i0:i1])


def find_channel(names: Sequence[str], name: str, where: str = "recording") -> int | None:
    """Position of the channel called ``name``, or of the one channel whose path contains it.

    Nested files (MAT structs, HDF5 groups) name channels by their path
    (``N15_M07_F10_KA01_1/Y/vibration_1/Data``); one part of the path that belongs to exactly
    one channel (``vibration_1``) finds it too.

    Parameters
    ----------
    names : sequence of str
        Channel names in file order.
    name : str
        The name asked for.
    where : str
        The file or recording, for messages.

    Returns
    -------
    int or None
        The position, or None when no channel matches.

    Raises
    ------
    ConfigError
        ``name`` is a part of several channels' paths.

    Examples
    --------
    >>> find_channel(["a/Y/vib/Data", "a/Y/force/Data"], "vib")
    0
    """
    if name in names:
        return list(names).index(name)
    matches = [i for i, full in enumerate(names) if name in full.split("/")]
    if len(matches) > 1:
        raise ConfigError(
            f"{where}: {name!r} is part of several channels: "
            f"{', '.join(names[i] for i in matches)}; give the whole name"
        )
    return matches[0] if matches else None


@dataclass(frozen=True)
class Recording:
    """Several channels recorded together, plus the metadata (labels, settings) of the record.

    Parameters
    ----------
    channels : tuple of Waveform
        The channels, in file order; names must be unique.
    source : str
        Path of the file the recording was read from.
    metadata : Mapping
        Free-form facts about the record (labels of a reference data set, operating conditions...).

    Examples
    --------
    >>> import numpy as np
    >>> r = Recording((Waveform(np.ones(8), 8.0, channel="x"),), source="demo")
    >>> r.channel_names
    ('x',)
    >>> r["x"].n_samples
    8
    """

    channels: tuple[Waveform, ...]
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        channels = tuple(self.channels)
        if not channels:
            raise DataError(f"{self.source or 'recording'}: no channels")
        names = [c.channel for c in channels]
        if len(set(names)) != len(names):
            raise DataError(f"{self.source or 'recording'}: duplicate channel names {names}")
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    @property
    def channel_names(self) -> tuple[str, ...]:
        """Channel names in file order."""
        return tuple(c.channel for c in self.channels)

    def __getitem__(self, name: str) -> Waveform:
        where = self.source or "recording"
        index = find_channel(self.channel_names, name, where)
        if index is None:
            raise DataError(
                f"{where}: no channel {name!r}; channels are {', '.join(self.channel_names)}"
            )
        return self.channels[index]

    def __iter__(self) -> Iterator[Waveform]:
        return iter(self.channels)

    def __len__(self) -> int:
        return len(self.channels)
