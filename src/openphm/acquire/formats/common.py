"""What every format reader shares: the file's content as a tree, metadata conventions, options.

A reader turns its file into a :class:`Group` tree (attributes and scalar variables, numeric arrays,
sub-groups; arrays are read lazily), and :func:`build_recording` does the rest the same way for
every format: it finds the sampling rate, unit and shaft speed of each array from the conventional
names of attributes on the array and its parents, recognises time vectors, expands matrices into
channels, applies the common options (``fs``, ``unit``, ``channels``, ``speed_hz``), reads only the
chosen channels and checks their quality (:mod:`openphm.acquire.quality`).

Conventions (names compared lower-case with everything but letters and digits removed, and after the
last ``.`` for dotted keys such as ``femto.fs_hz``):

- sampling rate in Hz: :data:`RATE_NAMES`; sample interval in s: :data:`INTERVAL_NAMES`;
- shaft speed: a name ending in ``rpm`` (r/min) or one of :data:`SPEED_HZ_NAMES` (Hz);
- unit: :data:`UNIT_NAMES` (text values); start time: :data:`START_NAMES` (datetime values);
- time vector: an array named like ``t``, ``time``, ``time_s``, ``Time (ms)``
  (:func:`time_scale`), as long as its sibling channels.
"""

from __future__ import annotations

import functools
import io
import math
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any, Protocol

import numpy as np
import numpy.typing as npt

from openphm.acquire.channels import slash_path
from openphm.acquire.quality import check_samples, warn_joined_blocks
from openphm.acquire.registry import FileSource
from openphm.core.errors import ConfigError, DataError, DataQualityWarning
from openphm.core.waveform import MAX_FS_HZ, MIN_FS_HZ, Recording, Waveform, find_channel

#: A value of an attribute or scalar variable.
Scalar = float | str | datetime
#: Channel selection: a name, a 0-based position in the file's channel order, or a list of them.
ChannelSelection = str | int | Sequence[str | int] | None

#: Arrays shorter than this many samples are not channels ("longer than a few samples").
MIN_CHANNEL_SAMPLES = 16
#: A 2-D array whose shorter side is at most this long is split into channels along it.
MAX_MATRIX_CHANNELS = 64

RATE_NAMES = frozenset(
    {
        "fs",
        "fshz",
        "sf",
        "sr",
        "srate",
        "fsamp",
        "fsample",
        "samplerate",
        "sampleratehz",
        "samplingrate",
        "samplingratehz",
        "samplingfrequency",
        "samplingfrequencyhz",
        "samplefrequency",
        "samplingfreq",
        "samplefreq",
        "samplinghz",
    }
)
INTERVAL_NAMES = frozenset(
    {
        "dt",
        "wfincrement",
        "sampleinterval",
        "samplinginterval",
        "sampleperiod",
        "samplingperiod",
        "timeincrement",
        "timestep",
        "abscissainc",
    }
)
SPEED_HZ_NAMES = frozenset({"speedhz", "shaftspeedhz", "shafthz", "rotationhz", "shaftfrequency"})
UNIT_NAMES = frozenset({"unit", "units", "unitstring", "niunitdescription", "eu"})
START_NAMES = frozenset({"wfstarttime", "starttime", "start"})

_TIME_NAME = re.compile(
    r"^\s*(?:t|time|times|elapsed(?:time)?)\s*[_\s]?\s*[\(\[]?\s*(s|sec|ms|us|µs)?\s*[\)\]]?\s*$",
    re.IGNORECASE,
)
#: Seconds per unit of time vectors.
TIME_UNITS = {"s": 1.0, "sec": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6}
#: What a unit looks like: short, one line, no JSON (``"units": {"VS1": "mm/s"}`` is not one).
_UNIT = re.compile(r"^\s*[^\s{}\[\]\n][^{}\[\]\n]{0,31}$")
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([a-zA-Z/]*)\s*$")


def normalise(name: str) -> str:
    """Key used to compare attribute names: last dotted part, lower-case, letters and digits only.

    Parameters
    ----------
    name : str
        An attribute, variable or metadata key.

    Returns
    -------
    str
        The comparison key.

    Examples
    --------
    >>> normalise("femto.fs_hz"), normalise("Sample Rate"), normalise("X105RPM")
    ('fshz', 'samplerate', 'x105rpm')
    """
    return re.sub(r"[^0-9a-z]", "", name.rsplit(".", 1)[-1].lower())


def as_number(value: Scalar) -> float | None:
    """A finite number from an attribute value (``25600``, ``"25600"``, ``"25.6e3 Hz"``), or None.

    Parameters
    ----------
    value : float, str or datetime
        The attribute value; text may carry a unit after the number.

    Returns
    -------
    float or None
        None for text that does not start with a number, datetimes and NaN/Inf.

    Examples
    --------
    >>> as_number("1800 rpm"), as_number("not published"), as_number(12000.0)
    (1800.0, None, 12000.0)
    """
    if isinstance(value, datetime):
        return None
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if match is None:
            return None
        value = float(match.group(1))
    number = float(value)
    return number if math.isfinite(number) else None


def time_scale(name: str) -> float | None:
    """Seconds per unit if ``name`` names a time vector (``t``, ``time_ms``, ``Time (s)``).

    Parameters
    ----------
    name : str
        A channel or column name.

    Returns
    -------
    float or None
        Seconds per unit of the vector (1 for seconds, 0.001 for ms...), None if not a time name.

    Examples
    --------
    >>> time_scale("Time (ms)"), time_scale("t"), time_scale("DE")
    (0.001, 1.0, None)
    """
    match = _TIME_NAME.match(name)
    if match is None:
        return None
    unit = match.group(1)
    return TIME_UNITS[unit.lower()] if unit else 1.0


def rate_from(attrs: Mapping[str, Scalar]) -> float | None:
    """Sampling rate in Hz from conventional attribute names (rate or interval), or None.

    Parameters
    ----------
    attrs : mapping of str to value
        Attributes or scalar variables of one level of the file.

    Returns
    -------
    float or None
        The rate; NaN for a non-positive interval (rejected later as absurd).

    Examples
    --------
    >>> rate_from({"wf_increment": 0.001}), rate_from({"Fs": "12000"}), rate_from({"gain": 2.0})
    (1000.0, 12000.0, None)
    """
    for name, value in attrs.items():
        key = normalise(name)
        number = as_number(value)
        if number is None:
            continue
        if key in RATE_NAMES:
            return number
        if key in INTERVAL_NAMES:
            return 1.0 / number if number > 0 else math.nan
    return None


def speed_from(attrs: Mapping[str, Scalar]) -> float | None:
    """Shaft speed in Hz from a ``*rpm`` attribute (r/min) or a speed in Hz, or None.

    Parameters
    ----------
    attrs : mapping of str to value
        Attributes or scalar variables of one level of the file.

    Returns
    -------
    float or None
        Revolutions per second.

    Examples
    --------
    >>> speed_from({"X105RPM": 1797}), speed_from({"speed_hz": 29.5})
    (29.95, 29.5)
    """
    for name, value in attrs.items():
        key = normalise(name)
        number = as_number(value)
        if number is None or number <= 0:
            continue
        if key.endswith("rpm"):
            return number / 60.0
        if key in SPEED_HZ_NAMES:
            return number
    return None


def unit_from(attrs: Mapping[str, Scalar]) -> str | None:
    """Unit text from a conventional attribute name, or None.

    Only short one-line text counts (at most 32 characters, no brackets or braces).

    Parameters
    ----------
    attrs : mapping of str to value
        Attributes of one level of the file.

    Returns
    -------
    str or None
        The unit as written.
    """
    for name, value in attrs.items():
        if normalise(name) in UNIT_NAMES and isinstance(value, str) and _UNIT.match(value):
            return value.strip()
    return None


def start_from(attrs: Mapping[str, Scalar]) -> datetime | None:
    """Time of the first sample from a conventional attribute name, or None.

    Parameters
    ----------
    attrs : mapping of str to value
        Attributes of one level of the file.

    Returns
    -------
    datetime.datetime or None
        The time of the first sample.
    """
    for name, value in attrs.items():
        if normalise(name) in START_NAMES and isinstance(value, datetime):
            return value
    return None


def split_unit(label: str) -> tuple[str, str]:
    """Split a column label such as ``"DE (g)"`` or ``"acc [m/s^2]"`` into name and unit.

    Parameters
    ----------
    label : str
        The column label.

    Returns
    -------
    tuple of (str, str)
        The name and the unit (empty when the label has none).

    Examples
    --------
    >>> split_unit("DE (g)"), split_unit("acc [m/s^2]"), split_unit("x")
    (('DE', 'g'), ('acc', 'm/s^2'), ('x', ''))
    """
    match = re.match(r"^(.*?\S)\s*[\(\[]\s*([^\)\]]+?)\s*[\)\]]\s*$", label)
    return (match.group(1), match.group(2)) if match else (label.strip(), "")


class ArrayData(Protocol):
    """What a lazily read array offers: numpy arrays and h5py datasets qualify as they are."""

    @property
    def shape(self) -> tuple[int, ...]: ...

    @property
    def dtype(self) -> np.dtype[Any]: ...

    def __getitem__(self, key: Any) -> Any: ...


@dataclass(frozen=True)
class LazyVector:
    """A 1-D array read on first indexing (a Parquet column, a TDMS channel...)."""

    length: int
    dtype: np.dtype[Any]
    read: Callable[[], npt.NDArray[Any]]

    @property
    def shape(self) -> tuple[int, ...]:
        """``(length,)``."""
        return (self.length,)

    def __getitem__(self, key: Any) -> Any:
        return self.read()[key]


@dataclass(frozen=True)
class Array:
    """A numeric array of the file with its own attributes (HDF5 dataset, TDMS channel, column)."""

    data: ArrayData
    attrs: Mapping[str, Scalar] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    """A level of the file: its attributes and scalar variables, arrays and sub-groups."""

    attrs: Mapping[str, Scalar] = field(default_factory=dict)
    arrays: Mapping[str, Array] = field(default_factory=dict)
    groups: Mapping[str, Group] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """A channel the file offers, before it is read.

    ``load`` returns its 1-D samples; ``fs`` (Hz, or a function computing it from a time vector only
    when needed), ``unit``, ``speed_hz`` and ``start`` are what the file says (None or empty when it
    is silent); ``is_time`` marks a time vector.
    """

    name: str
    length: int
    load: Callable[[], npt.ArrayLike]
    fs: float | Callable[[], float] | None = None
    unit: str = ""
    speed_hz: float | None = None
    start: datetime | None = None
    is_time: bool = False


def is_numeric(dtype: np.dtype[Any]) -> bool:
    """Whether an array of this dtype can be a channel (integers and reals; not bool or complex).

    Parameters
    ----------
    dtype : numpy.dtype
        The array's dtype.

    Returns
    -------
    bool
        True for signed and unsigned integers and reals.
    """
    return dtype.kind in "iuf"


def candidates(
    tree: Group, prefix: str = "", min_samples: int = MIN_CHANNEL_SAMPLES
) -> list[Candidate]:
    """Channels offered by a :class:`Group` tree, in file order, with rates found by convention.

    The rate of an array comes from its own attributes, else from a time vector beside it, else from
    the attributes and scalar variables of its group and then of the groups above. Names of nested
    arrays are paths joined by ``/``; columns of a matrix are ``name.0``, ``name.1``...

    Parameters
    ----------
    tree : Group
        The file's content.
    prefix : str
        Prepended to every channel name.
    min_samples : int
        Shorter vectors are not channels (tables pass 1: every numeric column is a channel).

    Returns
    -------
    list of Candidate
        Unread channels.
    """
    return list(_walk(tree, prefix, (), min_samples))


def _walk(
    group: Group, prefix: str, above: tuple[Mapping[str, Scalar], ...], min_samples: int
) -> Iterator[Candidate]:
    scopes = (group.attrs, *above)
    columns = [
        (f"{prefix}{name}{suffix}", array, index, length)
        for name, array in group.arrays.items()
        for suffix, index, length in _columns(array.data, min_samples)
    ]
    time_vectors: dict[int, tuple[str, Callable[[], float]]] = {}
    for label, array, index, length in columns:
        scale = time_scale(label.rsplit("/", 1)[-1])
        unit = unit_from(array.attrs)
        if scale is not None and unit in TIME_UNITS:
            scale = TIME_UNITS[unit]
        if scale is not None:
            time_vectors[length] = (label, _time_rate(array.data, index, scale, label))
    for label, array, index, length in columns:
        own = (array.attrs, *scopes)
        time = time_vectors.get(length)
        is_time = time is not None and time[0] == label
        rate: float | Callable[[], float] | None = rate_from(array.attrs)
        if rate is None and time is not None and not is_time:
            rate = time[1]
        if rate is None:
            rate = _first(rate_from, scopes)
        yield Candidate(
            name=label,
            length=length,
            load=_loader(array.data, index),
            fs=rate,
            unit=_first(unit_from, own) or "",
            speed_hz=_first(speed_from, own),
            start=_first(start_from, own),
            is_time=is_time,
        )
    for name, child in group.groups.items():
        yield from _walk(child, f"{prefix}{name}/", scopes, min_samples)


def _columns(data: ArrayData, min_samples: int) -> list[tuple[str, tuple[Any, ...], int]]:
    """(name suffix, index, length) of each channel held by an array; none if it holds none."""
    shape = tuple(int(n) for n in data.shape)
    if not is_numeric(data.dtype) or not shape:
        return []
    long_axes = [i for i, n in enumerate(shape) if n > 1]
    if len(long_axes) <= 1:
        length = max(shape)
        if length < min_samples:
            return []
        index = tuple(slice(None) if n == length else 0 for n in shape)
        return [("", index, length)]
    if len(shape) == 2:
        n_time, n_chan = max(shape), min(shape)
        if n_chan > MAX_MATRIX_CHANNELS or n_time < min_samples:
            return []
        if shape[0] >= shape[1]:
            return [(f".{j}", (slice(None), j), n_time) for j in range(n_chan)]
        return [(f".{j}", (j, slice(None)), n_time) for j in range(n_chan)]
    return []


def _loader(data: ArrayData, index: tuple[Any, ...]) -> Callable[[], npt.ArrayLike]:
    return lambda: data[index]


def _time_rate(
    data: ArrayData, index: tuple[Any, ...], scale: float, where: str
) -> Callable[[], float]:
    """The rate of a time vector, computed once and only if a channel needs it."""
    return functools.cache(
        lambda: rate_from_time(np.asarray(data[index], dtype=np.float64) * scale, where)
    )


def _first(
    finder: Callable[[Mapping[str, Scalar]], Any], scopes: Sequence[Mapping[str, Scalar]]
) -> Any:
    for attrs in scopes:
        found = finder(attrs)
        if found is not None:
            return found
    return None


def rate_from_time(t: npt.NDArray[np.float64], where: str) -> float:
    """Sampling rate in Hz of a uniformly sampled time vector in seconds.

    Parameters
    ----------
    t : numpy.ndarray
        Sample times in seconds.
    where : str
        The file and column, for messages.

    Returns
    -------
    float
        The rate in Hz.

    The rate is ``(n - 1) / (t[-1] - t[0])``, which averages out rounding of printed times. The
    vector must be finite, increasing and uniform: no sample may lie more than half an interval from
    the regular grid (a missing sample or a restart would).

    Raises
    ------
    DataError
        The vector is not uniform, not increasing or too short.

    Examples
    --------
    >>> rate_from_time(np.arange(5) / 100.0, "t")
    100.0
    """
    t = np.asarray(t, dtype=np.float64).ravel()
    if t.size < 2 or not np.isfinite(t).all():
        raise DataError(f"{where}: the time vector is too short or has NaN/Inf values")
    span = float(t[-1] - t[0])
    if not span > 0:
        raise DataError(f"{where}: the time vector does not increase")
    dt = span / (t.size - 1)
    deviation = np.abs(t - (t[0] + dt * np.arange(t.size)))
    worst = int(np.argmax(deviation))
    if deviation[worst] > 0.5 * dt:
        raise DataError(
            f"{where}: the time vector is not uniformly sampled (sample {worst} is "
            f"{deviation[worst] / dt:.3g} intervals off the regular grid of {dt:g} s); "
            "pass fs= if the samples are regular anyway"
        )
    return 1.0 / dt


@contextmanager
def seekable(src: FileSource) -> Iterator[IO[bytes] | str]:
    """The file's path when it lies uncompressed, else its decompressed bytes in memory.

    Parameters
    ----------
    src : FileSource
        The file.

    Yields
    ------
    str or file object
        The path, or an in-memory binary file.

    Libraries that seek around (HDF5, Parquet, TDMS, sound files) get the path and read only what
    they need; a compressed file must be decompressed once, into memory, to be seekable.
    """
    if not src.compressed:
        yield str(src.path)
        return
    with src.open() as fh:
        buffer = io.BytesIO(fh.read())
    yield buffer


class NoRateError(DataError):
    """A channel's file states no sampling rate and none was given (``fs=``): the samples can
    be listed and counted, but not placed in time."""


#: Most memory the samples of one read may take as float64, bytes: a larger file is refused
#: before anything is allocated (cut it, or read some channels).
MAX_READ_BYTES = 2 * 1024**3


def check_read_size(n_values: int, src: FileSource) -> None:
    """Refuse a read whose samples would take more than :data:`MAX_READ_BYTES` as float64.

    Parameters
    ----------
    n_values : int
        Number of sample values the read would hold (frames times channels).
    src : FileSource
        The file, for the message.

    Raises
    ------
    DataError
        Naming the file, its number of values and the memory they would take.

    Examples
    --------
    >>> from pathlib import Path
    >>> check_read_size(1000, FileSource(Path("x.wav"), ".wav", b"RIFF"))
    """
    need = 8 * int(n_values)
    if need > MAX_READ_BYTES:
        raise DataError(
            f"{src.path}: {n_values} sample values would take {need / 1024**3:.1f} GiB in "
            f"memory as float64, more than the {MAX_READ_BYTES / 1024**3:.0f} GiB openphm reads "
            "at once; cut the record into parts (for example one minute each) and analyse those"
        )


def positive_option(value: Any, name: str, src: FileSource) -> float | None:
    """Check a numeric option (``fs``, ``speed_hz``): None, or a positive finite float.

    Parameters
    ----------
    value : object
        The option as the caller gave it.
    name : str
        The option name, for the message.
    src : FileSource
        The file, for the message.

    Returns
    -------
    float or None
        The value as a float.

    Raises
    ------
    ConfigError
        Not a number, not finite or not positive.
    """
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{src.path}: option {name}={value!r} is not a number") from None
    if not math.isfinite(number) or number <= 0:
        raise ConfigError(f"{src.path}: option {name}={value!r} must be positive and finite")
    return number


def select(
    found: Sequence[Candidate], channels: ChannelSelection, src: FileSource
) -> list[Candidate]:
    """Pick channels by name or 0-based position; all but time vectors when ``channels`` is None.

    Parameters
    ----------
    found : sequence of Candidate
        The channels of the file, in file order.
    channels : str, int or sequence of them, or None
        The selection.
    src : FileSource
        The file, for messages.

    Returns
    -------
    list of Candidate
        The chosen channels, in the order asked.

    Raises
    ------
    DataError
        The file offers no channel, or a requested channel is not in it (the message lists them).
    """
    if not found:
        raise DataError(
            f"{src.path}: no channel found (no numeric series of at least "
            f"{MIN_CHANNEL_SAMPLES} samples)"
        )
    if channels is None:
        chosen = [c for c in found if not c.is_time]
        return chosen or list(found)
    wanted = [channels] if isinstance(channels, str | int) else list(channels)
    if not wanted:
        raise ConfigError(f"{src.path}: channels= is empty; give names or positions, or omit it")
    names = [c.name for c in found]
    chosen = []
    for item in wanted:
        if isinstance(item, bool) or not isinstance(item, str | int | np.integer):
            raise ConfigError(f"{src.path}: channel {item!r} is neither a name nor a position")
        index = (
            find_channel(names, slash_path(names, item), str(src.path))
            if isinstance(item, str)
            else None
        )
        if index is not None:
            chosen.append(found[index])
        elif not isinstance(item, str) and -len(found) <= int(item) < len(found):
            chosen.append(found[int(item)])
        else:
            raise DataError(f"{src.path}: no channel {item!r}; the file has {', '.join(names)}")
    return chosen


def build_recording(
    src: FileSource,
    found: Sequence[Candidate],
    *,
    reader: str,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Recording:
    """Apply the common options to the candidates, read the chosen ones and check them.

    Parameters
    ----------
    src : FileSource
        The file (for messages and the ``source`` of each waveform).
    found : sequence of Candidate
        Every channel the file offers, in file order.
    reader : str
        Name of the reader, stored as ``metadata["format"]``.
    fs : float, optional
        Sampling rate in Hz; replaces the file's rate, or provides it when the file has none.
    unit : str, optional
        Unit of the samples; replaces the file's.
    channels : str, int or sequence of them, optional
        Channels to read, by name or 0-based position (default: all but time vectors).
    speed_hz : float, optional
        Shaft speed in Hz; replaces the file's.
    metadata : mapping, optional
        Facts about the record (file attributes); datetimes become ISO 8601 text.

    Returns
    -------
    Recording

    Raises
    ------
    DataError
        No channel, an unknown channel, a missing or absurd rate, or a channel the quality policy
        refuses (:mod:`openphm.acquire.quality`). Reading every channel (``channels`` None),
        channels without a rate are left out with a
        :class:`~openphm.core.errors.DataQualityWarning` when others state theirs.
    """
    rate = positive_option(fs, "fs", src)
    speed = positive_option(speed_hz, "speed_hz", src)
    if unit is not None and not isinstance(unit, str):
        raise ConfigError(f"{src.path}: option unit={unit!r} must be text")
    waveforms = []
    no_rate: list[NoRateError] = []
    for cand in select(found, channels, src):
        where = f"{src.path}: channel {cand.name!r}"
        try:
            ch_rate = rate if rate is not None else _file_rate(cand, where)
        except NoRateError as exc:
            if channels is not None:
                raise
            no_rate.append(exc)
            continue
        samples = np.asarray(cand.load())
        if samples.ndim != 1:
            samples = samples.reshape(-1)
        check_samples(samples, where, ch_rate)
        waveforms.append(
            Waveform(
                samples,
                fs=ch_rate,
                unit=cand.unit if unit is None else unit,
                channel=cand.name,
                start=cand.start,
                speed_hz=cand.speed_hz if speed is None else speed,
                source=f"{src.path}:{cand.name}",
            )
        )
    if no_rate and not waveforms:
        raise no_rate[0]
    if no_rate:
        # Reading every channel: a stray variable without a rate (a calibration vector, a
        # header field) must not keep the channels that state theirs from being read.
        left = ", ".join(str(e).split(": ", 1)[1].split(":", 1)[0] for e in no_rate)
        warnings.warn(
            f"{src.path}: {left} state(s) no sampling rate and were left out; name them with "
            "channels= (--channel) and give fs= (--fs) to read them",
            DataQualityWarning,
            stacklevel=3,
        )
    warn_joined_blocks(waveforms, str(src.path))
    meta: dict[str, Any] = {"format": reader}
    for key, value in (metadata or {}).items():
        meta[key] = value.isoformat() if isinstance(value, datetime) else value
    return Recording(tuple(waveforms), source=str(src.path), metadata=meta)


def _file_rate(cand: Candidate, where: str) -> float:
    try:
        rate = cand.fs() if callable(cand.fs) else cand.fs
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from exc
    if rate is None:
        raise NoRateError(
            f"{where}: the file gives no sampling rate; pass fs=<Hz> (Python) or --fs <Hz> (CLI)"
        )
    if not (math.isfinite(rate) and MIN_FS_HZ <= rate <= MAX_FS_HZ):
        raise DataError(
            f"{where}: the file gives an absurd sampling rate ({rate:g} Hz); "
            "pass the right one with fs=<Hz> (Python) or --fs <Hz> (CLI)"
        )
    return rate
