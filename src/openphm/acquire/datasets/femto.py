"""FEMTO-ST PRONOSTIA bearing run-to-failure data (IEEE PHM 2012 challenge): loader and download.

PRONOSTIA records two accelerometers (horizontal and vertical, in g) on the outer race of a ball
bearing as 0.1 s snapshots at 25.6 kHz every 10 s, one file ``acc_NNNNN.csv`` per snapshot with
columns hour, minute, second, microsecond, horizontal, vertical, and a PT100 temperature at 10 Hz,
one file ``temp_NNNNN.csv`` a minute (hour, minute, second, tenth of a second, degrees C). Some
bearings separate the fields with ``;`` instead of ``,``. The tests run under three conditions
(1800 r/min and 4000 N, 1650 r/min and 4200 N, 1500 r/min and 5000 N) until the vibration passes
20 g.

This module reads a bearing folder of the original CSV files, a zip of it (members are read in
place, nothing is unpacked) or the lossless Parquet layout of the project's reference data
(``femto/learning_set/BearingX_Y_acc.parquet``). Snapshot times are the nominal
``t = 10 (k - 1)`` s of ``acc_k``: the recorded clock has glitches (Bearing1_1 ``acc_02121`` and
``acc_02122`` carry a time six hours off), so it is kept beside them but not used for ordering.

References
----------
P. Nectoux, R. Gouriveau, K. Medjaher, E. Ramasso, B. Chebel-Morello, N. Zerhouni, C. Varnier,
"PRONOSTIA: An experimental platform for bearings accelerated degradation tests", IEEE International
Conference on Prognostics and Health Management (PHM 2012), Denver, CO, USA, 2012, pp. 1-8.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from openphm.acquire.datasets.download import (
    Opener,
    Progress,
    digest_of_listing,
    extract_zip,
    fetch,
    sha256_file,
)
from openphm.acquire.datasets.paths import dataset_dir
from openphm.acquire.quality import check_recording
from openphm.acquire.registry import FileSource, register_reader, source_for
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Recording, Waveform

#: Archive of the NASA Prognostics Data Repository holding the FEMTO bearing data set.
FEMTO_URL = "https://phm-datasets.s3.amazonaws.com/NASA/10.+FEMTO+Bearing.zip"
#: Vibration sampling rate (Hz) and samples per snapshot.
FS_HZ = 25600.0
SNAPSHOT_SAMPLES = 2560
#: Nominal time between snapshots (s).
SNAPSHOT_PERIOD_S = 10.0

_ACC_NAME = re.compile(r"(?:^|[/\\])acc_(\d+)\.csv$", re.IGNORECASE)
_TEMP_NAME = re.compile(r"(?:^|[/\\])temp_(\d+)\.csv$", re.IGNORECASE)
_BEARING_NAME = re.compile(r"^Bearing(\d+)_(\d+)$")
_DAY_S = 86400.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FemtoBearingInfo:
    """Facts about one PRONOSTIA bearing from the package table.

    Parameters
    ----------
    name : str
        ``"Bearing1_1"`` (condition 1, bearing 1).
    set : str
        ``"learning"`` (run to failure), ``"test"`` (challenge test bearing) or ``""`` if unknown.
    condition : int
        Operating condition 1, 2 or 3.
    speed_rpm : float
        Shaft speed in r/min.
    load_n : float
        Radial load in N.
    n_snapshots : int or None
        Number of ``acc`` files of the learning set.
    rul_s : float or None
        Published actual RUL in s after the last snapshot of a truncated test bearing (the challenge
        answer; for Bearing1_4 the full test set implies 2890 s rather than the published 339 s).
    files_sha256 : str or None
        Digest of the original files' listing (see :func:`download`).
    """

    name: str
    set: str
    condition: int
    speed_rpm: float
    load_n: float
    n_snapshots: int | None
    rul_s: float | None
    files_sha256: str | None


@cache
def _table() -> dict[str, FemtoBearingInfo]:
    text = resources.files(__package__).joinpath("femto_bearings.csv").read_text(encoding="utf-8")
    return {
        row["bearing"]: FemtoBearingInfo(
            name=row["bearing"],
            set=row["set"],
            condition=int(row["condition"]),
            speed_rpm=float(row["speed_rpm"]),
            load_n=float(row["load_n"]),
            n_snapshots=int(row["n_acc"]) if row["n_acc"] else None,
            rul_s=float(row["rul_s"]) if row["rul_s"] else None,
            files_sha256=row["files_sha256"] or None,
        )
        for row in csv.DictReader(text.splitlines())
    }


def femto_conditions() -> dict[int, tuple[float, float]]:
    """Return the PRONOSTIA operating conditions.

    Returns
    -------
    dict
        Condition number to ``(speed in r/min, radial load in N)``.

    Examples
    --------
    >>> femto_conditions()[2]
    (1650.0, 4200.0)
    """
    return {i.condition: (i.speed_rpm, i.load_n) for i in _table().values()}


def femto_bearing_info(name: str) -> FemtoBearingInfo:
    """Return what is known of a bearing: from the table, else its condition from its name.

    Parameters
    ----------
    name : str
        Bearing name ``BearingC_N`` (C is the operating condition).

    Returns
    -------
    FemtoBearingInfo
        The bearing's facts.

    Raises
    ------
    ConfigError
        The name does not follow ``BearingC_N`` with a known condition C.

    Examples
    --------
    >>> femto_bearing_info("Bearing3_1").speed_rpm
    1500.0
    """
    if name in _table():
        return _table()[name]
    match = _BEARING_NAME.match(name)
    conditions = femto_conditions()
    if match is None or int(match.group(1)) not in conditions:
        raise ConfigError(
            f"{name!r} is not a PRONOSTIA bearing name BearingC_N with condition C in "
            f"{sorted(conditions)}; pass bearing=... naming it"
        )
    condition = int(match.group(1))
    speed, load = conditions[condition]
    return FemtoBearingInfo(name, "", condition, speed, load, None, None, None)


def _frozen(array: npt.ArrayLike, dtype: type) -> Any:
    out: npt.NDArray[Any] = np.array(array, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class FemtoBearing:
    """The snapshots of one PRONOSTIA bearing in time order, with their times and temperature.

    Parameters
    ----------
    name : str
        Bearing name (``"Bearing1_1"``).
    condition : int
        Operating condition (1, 2 or 3); 0 when the folder's name is not a PRONOSTIA bearing's
        (a user's own history in this layout).
    speed_hz : float
        Shaft speed in Hz (NaN when the condition is unknown: give it to whatever needs it).
    load_n : float
        Radial load in N (NaN when the condition is unknown).
    fs : float
        Vibration sampling rate in Hz (25 600).
    snapshot_numbers : numpy.ndarray
        k of ``acc_k`` for each snapshot (1-based), increasing.
    times_s : numpy.ndarray
        Nominal start time of each snapshot, ``10 (k - 1)`` s from the start of the test.
    clock_s : numpy.ndarray
        Recorded clock time of each snapshot's first sample, in s since midnight (may glitch).
    horiz, vert : numpy.ndarray
        Accelerations in g, shape ``(n_snapshots, 2560)``.
    temp_time_s : numpy.ndarray or None
        Temperature sample times in s on the ``times_s`` scale (from the clock), if recorded.
    temp_c : numpy.ndarray or None
        Bearing temperature in degrees C, if recorded.
    source : str
        Where the data were read from.
    """

    name: str
    condition: int
    speed_hz: float
    load_n: float
    fs: float
    snapshot_numbers: IntArray
    times_s: FloatArray
    clock_s: FloatArray
    horiz: FloatArray
    vert: FloatArray
    temp_time_s: FloatArray | None
    temp_c: FloatArray | None
    source: str

    def __post_init__(self) -> None:
        for field in ("snapshot_numbers", "times_s", "clock_s", "horiz", "vert"):
            dtype = np.int64 if field == "snapshot_numbers" else np.float64
            object.__setattr__(self, field, _frozen(getattr(self, field), dtype))
        n = self.snapshot_numbers.size
        if self.horiz.shape != (n, SNAPSHOT_SAMPLES) or self.vert.shape != self.horiz.shape:
            raise DataError(
                f"{self.source}: expected ({n}, {SNAPSHOT_SAMPLES}) samples per axis, got "
                f"{self.horiz.shape} and {self.vert.shape}"
            )
        if self.temp_time_s is not None and self.temp_c is not None:
            object.__setattr__(self, "temp_time_s", _frozen(self.temp_time_s, np.float64))
            object.__setattr__(self, "temp_c", _frozen(self.temp_c, np.float64))

    @property
    def n_snapshots(self) -> int:
        """Number of snapshots."""
        return int(self.snapshot_numbers.size)

    @property
    def rul_s(self) -> FloatArray:
        """Time from each snapshot to the last one, in s: the RUL label of a run to failure."""
        out: FloatArray = self.times_s[-1] - self.times_s
        return out

    def snapshot(self, k: int) -> Recording:
        """Return snapshot ``acc_k`` as a two-channel recording (``horiz``, ``vert``, in g).

        Parameters
        ----------
        k : int
            The file number of ``acc_k.csv`` (1-based), not the position in the arrays.

        Returns
        -------
        Recording
            Channels at :attr:`fs`, ``speed_hz`` set; metadata: dataset, bearing, condition,
            load_n, snapshot, t_nominal_s, clock_s.

        Raises
        ------
        DataError
            No snapshot ``k`` was loaded.
        """
        where = np.flatnonzero(self.snapshot_numbers == k)
        if where.size == 0:
            raise DataError(
                f"{self.source}: no snapshot {k} (loaded {self.n_snapshots} snapshots, "
                f"{self.snapshot_numbers[0]}..{self.snapshot_numbers[-1]})"
            )
        i = int(where[0])
        return _recording(
            self.name,
            k,
            self.horiz[i],
            self.vert[i],
            float(self.clock_s[i]),
            f"{self.source}#acc_{k:05d}",
        )


def _recording(
    bearing: str, k: int, horiz: FloatArray, vert: FloatArray, clock: float, source: str
) -> Recording:
    info = femto_bearing_info(bearing)
    speed = info.speed_rpm / 60.0
    channels = tuple(
        Waveform(x, FS_HZ, unit="g", channel=c, speed_hz=speed, source=f"{source}:{c}")
        for c, x in (("horiz", horiz), ("vert", vert))
    )
    metadata = {
        "dataset": "FEMTO-ST PRONOSTIA",
        "bearing": bearing,
        "condition": info.condition,
        "load_n": info.load_n,
        "rpm_nominal": info.speed_rpm,
        "snapshot": k,
        "t_nominal_s": SNAPSHOT_PERIOD_S * (k - 1),
        "clock_s": clock,
    }
    return check_recording(Recording(channels, source=source, metadata=metadata))


def _parse_csv(chunks: Sequence[tuple[str, bytes]], n_cols: int, rows: int | None) -> FloatArray:
    """Parse CSV files (``,`` or ``;`` separated) into one float array, checking each file."""
    parts = []
    for name, data in chunks:
        text = data if data.endswith(b"\n") else data + b"\n"
        n_rows = text.count(b"\n")
        if rows is not None and n_rows != rows:
            raise DataError(f"{name}: {n_rows} rows, expected {rows}")
        if n_rows == 0 or not text.strip():
            raise DataError(f"{name}: the file is empty")
        parts.append(text)
    blob = b"".join(parts).replace(b";", b",")
    import pandas as pd  # loaded when a table is read, not at start-up

    try:
        frame = pd.read_csv(io.BytesIO(blob), header=None, dtype=np.float64, engine="c")
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{chunks[0][0]} ...: not PRONOSTIA CSV ({exc})") from exc
    values: FloatArray = frame.to_numpy(dtype=np.float64)
    if values.shape[1] != n_cols or not np.all(np.isfinite(values)):
        bad = int(np.argmax(~np.isfinite(values).all(axis=1))) if values.shape[1] == n_cols else 0
        raise DataError(
            f"{chunks[0][0]} ...: expected {n_cols} numeric columns, got {values.shape[1]} "
            f"(first bad row {bad})"
        )
    return values


def _clock(values: FloatArray, fraction_scale: float) -> FloatArray:
    out: FloatArray = (
        values[:, 0] * 3600.0 + values[:, 1] * 60.0 + values[:, 2] + values[:, 3] * fraction_scale
    )
    return out


def _relative_clock(clock: FloatArray, origin: float) -> FloatArray:
    """Clock times (s since midnight) relative to ``origin``, across midnight for runs < 12 h."""
    out: FloatArray = np.mod(clock - origin + _DAY_S / 2, _DAY_S) - _DAY_S / 2
    return out


def _numbered(names: Sequence[str], pattern: re.Pattern[str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for name in names:
        if m := pattern.search(name):
            found.setdefault(int(m.group(1)), name)
    return found


def _select(found: dict[int, str], snapshots: Sequence[int] | None, where: str) -> list[int]:
    if not found:
        raise DataError(f"{where}: no acc_NNNNN.csv snapshot files")
    if snapshots is None:
        return sorted(found)
    missing = sorted(set(snapshots) - set(found))
    if missing:
        raise DataError(
            f"{where}: no snapshot(s) {missing[:10]}; it has {min(found)}..{max(found)}"
        )
    return sorted(set(snapshots))


def _assemble(
    name: str,
    numbers: Sequence[int],
    first_rows: FloatArray,
    horiz: FloatArray,
    vert: FloatArray,
    temp: FloatArray | None,
    source: str,
) -> FemtoBearing:
    """Build the bearing from the time columns of each snapshot's first row and the signals."""
    try:
        info = femto_bearing_info(name)
        condition, speed_hz, load_n = info.condition, info.speed_rpm / 60.0, info.load_n
    except ConfigError:  # a history of the same layout under a name of the user's own
        condition, speed_hz, load_n = 0, math.nan, math.nan
    ks = np.asarray(numbers, dtype=np.int64)
    clock = _clock(first_rows, 1e-6)
    times = SNAPSHOT_PERIOD_S * (ks - 1)
    temp_time = temp_c = None
    if temp is not None and temp.size:
        # The clock of most snapshots is right; the median offset ignores the odd glitch.
        origin = float(np.median(clock - times))
        temp_time = _relative_clock(_clock(temp[:, :4], 0.1), origin)
        temp_c = temp[:, 4]
    return FemtoBearing(
        name=name,
        condition=condition,
        speed_hz=speed_hz,
        load_n=load_n,
        fs=FS_HZ,
        snapshot_numbers=ks,
        times_s=times.astype(np.float64),
        clock_s=clock,
        horiz=horiz,
        vert=vert,
        temp_time_s=temp_time,
        temp_c=temp_c,
        source=source,
    )


def _read_members(
    names: Sequence[str],
    read: Callable[[str], bytes],
    bearing: str,
    snapshots: Sequence[int] | None,
    where: str,
) -> FemtoBearing:
    acc = _numbered(names, _ACC_NAME)
    ks = _select(acc, snapshots, where)
    values = _parse_csv([(acc[k], read(acc[k])) for k in ks], 6, SNAPSHOT_SAMPLES)
    per = values.reshape(len(ks), SNAPSHOT_SAMPLES, 6)
    temps = _numbered(names, _TEMP_NAME)
    temp_values = (
        _parse_csv([(temps[k], read(temps[k])) for k in sorted(temps)], 5, None) if temps else None
    )
    return _assemble(bearing, ks, per[:, 0, :4], per[:, :, 4], per[:, :, 5], temp_values, where)


def _read_folder(folder: Path, snapshots: Sequence[int] | None) -> FemtoBearing:
    names = [str(p) for p in sorted(folder.iterdir()) if p.is_file()]
    return _read_members(names, lambda n: Path(n).read_bytes(), folder.name, snapshots, str(folder))


def _read_zip(path: Path, bearing: str | None, snapshots: Sequence[int] | None) -> FemtoBearing:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{path}: not a readable zip file ({exc})") from exc
    with zf:
        groups: dict[str, list[str]] = {}
        for member in zf.namelist():
            if _ACC_NAME.search(member) or _TEMP_NAME.search(member):
                groups.setdefault(member.rpartition("/")[0], []).append(member)
        with_acc = sorted(g for g, ms in groups.items() if any(_ACC_NAME.search(m) for m in ms))
        if not with_acc:
            raise DataError(f"{path}: no acc_NNNNN.csv snapshot files in the zip")
        chosen = [g for g in with_acc if bearing is None or g.rpartition("/")[2] == bearing]
        if len(chosen) != 1:
            raise ConfigError(
                f"{path}: {len(chosen)} folders of snapshots match bearing={bearing!r} "
                f"({', '.join(with_acc)}); pass bearing=... naming one"
            )
        parent = chosen[0]
        name = parent.rpartition("/")[2] or path.stem
        return _read_members(groups[parent], zf.read, name, snapshots, f"{path}!{parent or name}")


def _parquet_rows(path: Path, columns: list[str], key: str, keep: Sequence[int] | None) -> Any:
    filters = [(key, "in", list(keep))] if keep is not None else None
    try:
        import pyarrow.parquet as pq

        return pq.read_table(path, columns=columns, filters=filters)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read the Parquet file ({exc})") from exc


def _read_parquet(path: Path, snapshots: Sequence[int] | None) -> FemtoBearing:
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    name = meta.get(b"femto.bearing", path.stem.removesuffix("_acc").encode()).decode()
    cols = ["snapshot", "hour", "minute", "second", "microsecond", "horiz_milli_g", "vert_milli_g"]
    table = _parquet_rows(path, cols, "snapshot", snapshots)
    snap = table.column("snapshot").to_numpy().astype(np.int64)
    if snap.size == 0:
        raise DataError(f"{path}: no snapshot {list(snapshots or [])[:10]} in the file")
    steps = np.diff(snap)
    starts = np.concatenate(([0], np.flatnonzero(steps) + 1))
    numbers = snap[starts]
    counts = np.diff(np.append(starts, snap.size))
    if np.any(counts != SNAPSHOT_SAMPLES) or np.any(steps < 0):
        raise DataError(f"{path}: snapshots must be {SNAPSHOT_SAMPLES} consecutive rows each")
    if snapshots is not None and numbers.size != len(set(snapshots)):
        missing = sorted(set(snapshots) - set(numbers.tolist()))
        raise DataError(f"{path}: no snapshot(s) {missing[:10]}")
    n = numbers.size
    first = np.column_stack(
        [table.column(c).to_numpy()[::SNAPSHOT_SAMPLES].astype(np.float64) for c in cols[1:5]]
    )
    horiz, vert = (
        table.column(c).to_numpy().reshape(n, SNAPSHOT_SAMPLES) / 1000.0 for c in cols[5:]
    )
    del table
    temp_path = path.with_name(f"{name}_temp.parquet")
    temp = None
    if temp_path.is_file():
        tcols = ["hour", "minute", "second", "tenth", "temp_milli_c"]
        ttable = _parquet_rows(temp_path, tcols, "file_index", None)
        temp = np.column_stack(
            [ttable.column(c).to_numpy().astype(np.float64) for c in tcols[:4]]
            + [ttable.column("temp_milli_c").to_numpy() / 1000.0]
        )
    return _assemble(name, numbers.tolist(), first, horiz, vert, temp, str(path))


def read_femto(
    path: str | Path,
    *,
    bearing: str | None = None,
    snapshots: Sequence[int] | None = None,
) -> FemtoBearing:
    """Read one PRONOSTIA bearing from a folder of original CSVs, its zip, or Parquet.

    Parameters
    ----------
    path : str or pathlib.Path
        A bearing folder (``.../Learning_set/Bearing1_1`` with ``acc_NNNNN.csv`` and
        ``temp_NNNNN.csv``), a zip holding such a folder (or several: then give ``bearing``), or a
        ``BearingX_Y_acc.parquet`` of the project's layout (``BearingX_Y_temp.parquet`` beside it
        is read too).
    bearing : str, optional
        Bearing name, needed when a zip holds several bearings.
    snapshots : sequence of int, optional
        Load only these snapshot numbers (k of ``acc_k``); all by default.

    Returns
    -------
    FemtoBearing
        Snapshots in time order with nominal times, clock, accelerations (g) and temperature.

    Raises
    ------
    DataError
        Missing, malformed or inconsistent files (each message names the file).
    ConfigError
        A zip holds several bearings and ``bearing`` is not given.

    Examples
    --------
    >>> from openphm.acquire.datasets import demo_path
    >>> b = read_femto(demo_path("femto/Bearing1_1.zip"))
    >>> b.name, b.horiz.shape[1], b.times_s[:2].tolist(), b.temp_c is not None
    ('Bearing1_1', 2560, [0.0, 10.0], True)
    """
    p = Path(path)
    if p.is_dir():
        return _read_folder(p, snapshots)
    if not p.is_file():
        raise DataError(f"{p}: no such file or folder")
    if p.suffix.lower() == ".zip":
        return _read_zip(p, bearing, snapshots)
    if p.suffix.lower() == ".parquet":
        return _read_parquet(p, snapshots)
    raise DataError(f"{p}: expected a bearing folder, a .zip or a _acc.parquet file")


def load_femto(
    bearing: str, root: str | Path | None = None, *, snapshots: Sequence[int] | None = None
) -> FemtoBearing:
    """Load a PRONOSTIA bearing by name from a data folder.

    Looks, under the FEMTO folder, for (in this order) ``learning_set/<bearing>_acc.parquet``,
    ``original_csv/<bearing>.zip``, ``<bearing>/``, ``<bearing>.zip``, then the original release's
    ``Learning_set/<bearing>``, ``Full_Test_Set/<bearing>`` and ``Test_set/<bearing>`` folders.
    To read the truncated test bearings, give the ``Test_set`` folder as ``root``.

    Parameters
    ----------
    bearing : str
        Bearing name such as ``"Bearing1_1"``.
    root : str or pathlib.Path, optional
        Data root (its ``femto/`` sub-folder is used) or the FEMTO folder; defaults to
        ``OPENPHM_DATA``.
    snapshots : sequence of int, optional
        Load only these snapshot numbers.

    Returns
    -------
    FemtoBearing
        The bearing.

    Raises
    ------
    DataError
        The bearing is found nowhere under ``root``.

    Examples
    --------
    >>> from openphm.acquire.datasets import demo_path
    >>> load_femto("Bearing1_1", demo_path(), snapshots=[1]).n_snapshots
    1
    """
    folder = dataset_dir("femto", root)
    candidates = [
        folder / "learning_set" / f"{bearing}_acc.parquet",
        folder / "original_csv" / f"{bearing}.zip",
        folder / bearing,
        folder / f"{bearing}.zip",
        *(folder / sub / bearing for sub in ("Learning_set", "Full_Test_Set", "Test_set")),
    ]
    for candidate in candidates:
        if candidate.exists():
            return read_femto(candidate, bearing=bearing, snapshots=snapshots)
    raise DataError(
        f"{bearing}: not found under {folder} (looked for "
        f"{', '.join(str(c.relative_to(folder)) for c in candidates)}); "
        "get the data with openphm.acquire.datasets.femto.download(dest)"
    )


def sniff(src: FileSource) -> bool:
    """Whether ``src`` is one PRONOSTIA snapshot file ``acc_NNNNN.csv`` (six numeric fields).

    Parameters
    ----------
    src : FileSource
        The file to test.

    Returns
    -------
    bool
        True if the FEMTO snapshot reader should load it.
    """
    if src.suffix != ".csv" or not _ACC_NAME.search(src.stem + src.suffix):
        return False
    first = src.head.split(b"\n", 1)[0].strip()
    fields = first.replace(b";", b",").split(b",")
    try:
        return len(fields) == 6 and all(np.isfinite(float(f)) for f in fields)
    except ValueError:
        return False


def read_femto_snapshot(path: str | Path | FileSource, **options: Any) -> Recording:
    """Read one snapshot file ``acc_NNNNN.csv`` as a two-channel recording.

    The bearing (and so its speed) is taken from the parent folder's name (``Bearing1_1``).

    Parameters
    ----------
    path : str, pathlib.Path or FileSource
        The file (plain or compressed).
    **options
        ``bearing`` (str): the bearing name when the folder does not give it.

    Returns
    -------
    Recording
        Channels ``horiz`` and ``vert`` in g at 25.6 kHz, with the snapshot's metadata.

    Raises
    ------
    DataError
        The file is not a 2560-row PRONOSTIA snapshot.
    ConfigError
        An unknown option, or no bearing name.

    Examples
    --------
    >>> import zipfile, tempfile, pathlib
    >>> from openphm.acquire.datasets import demo_path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     zf = zipfile.ZipFile(demo_path("femto/Bearing1_1.zip"))
    ...     p = pathlib.Path(zf.extract("Bearing1_1/acc_00001.csv", tmp))
    ...     read_femto_snapshot(p).metadata["t_nominal_s"]
    0.0
    """
    unknown = set(options) - {"bearing"}
    if unknown:
        raise ConfigError(
            f"read_femto_snapshot: unknown option(s) {sorted(unknown)}; known: bearing"
        )
    src = path if isinstance(path, FileSource) else source_for(path)
    match = _ACC_NAME.search(src.stem + src.suffix)
    if match is None:
        raise DataError(f"{src.path}: not named acc_NNNNN.csv")
    bearing = options.get("bearing") or src.path.parent.name
    if not options.get("bearing") and _BEARING_NAME.match(bearing) is None:
        raise ConfigError(
            f"{src.path}: a PRONOSTIA snapshot, but its folder {bearing!r} is not a bearing name "
            "BearingC_N; keep it in its bearing's folder, pass bearing='BearingC_N' to read(), or "
            "read it as a plain table with format='csv' (CLI: openphm info --format csv --fs 25600)"
        )
    femto_bearing_info(bearing)
    with src.open() as fh:
        values = _parse_csv([(str(src.path), fh.read())], 6, SNAPSHOT_SAMPLES)
    k = int(match.group(1))
    clock = float(_clock(values[:1, :4], 1e-6)[0])
    return _recording(bearing, k, values[:, 4], values[:, 5], clock, str(src.path))


def _load(source: FileSource, **options: Any) -> Recording:
    return read_femto_snapshot(source, **options)


def verify_learning_set(root: str | Path) -> list[Path]:
    """Verify the original learning-set bearing folders found under ``root`` against the package
    digests.

    For each learning bearing, the SHA-256 of every ``acc``/``temp`` CSV is computed and the digest
    of the sorted listing ``"<file> <sha256>"`` (:func:`~openphm.acquire.datasets.download.
    digest_of_listing`) is compared with ``files_sha256`` of the package table. The digests were
    made from the per-file SHA-256 of the project's reference copy (the 8384 original CSVs).

    Parameters
    ----------
    root : str or pathlib.Path
        Folder searched recursively for ``Bearing1_1`` ... ``Bearing3_2`` folders.

    Returns
    -------
    list of pathlib.Path
        The verified bearing folders.

    Raises
    ------
    DataError
        No learning bearing is found, or one differs from its digest.
    """
    base = Path(root)
    learning = {n: i for n, i in _table().items() if i.set == "learning"}
    found = sorted(p for p in base.rglob("Bearing*_*") if p.is_dir() and p.name in learning)
    if not found:
        raise DataError(f"{base}: no learning-set bearing folder ({', '.join(sorted(learning))})")
    for folder in found:
        files = [
            p for p in folder.iterdir() if _ACC_NAME.search(p.name) or _TEMP_NAME.search(p.name)
        ]
        digest = digest_of_listing((p.name, sha256_file(p)) for p in files)
        if digest != learning[folder.name].files_sha256:
            raise DataError(
                f"{folder}: its {len(files)} CSV files differ from the published learning set "
                "(checksum of the file listing does not match)"
            )
    return found


def download(
    dest: str | Path,
    *,
    force: bool = False,
    url: str = FEMTO_URL,
    verify: bool = True,
    keep_archive: bool = False,
    opener: Opener | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Download and extract the FEMTO bearing data set (about 1.6 GB) from NASA's repository.

    The archive's own checksum is not published, so it is not verified; instead, after extraction
    (nested zips included), the six learning-set bearings are verified file by file against the
    package digests (:func:`verify_learning_set`). The test bearings have no published checksums.

    Parameters
    ----------
    dest : str or pathlib.Path
        Destination folder; :func:`load_femto` reads it afterwards (``root=dest``).
    force : bool, default False
        Download again even if a verified learning set is already there.
    url : str, default FEMTO_URL
        Archive URL (a mirror, or ``file://`` in tests).
    verify : bool, default True
        Check the learning set after extraction.
    keep_archive : bool, default False
        Keep the downloaded zip next to the extracted files.
    opener : callable, optional
        ``opener(url)`` returning a binary stream, instead of ``urllib.request.urlopen``.
    progress : callable, optional
        ``progress(bytes_done, bytes_total)`` during the download.

    Returns
    -------
    list of pathlib.Path
        The learning-set bearing folders found (verified when ``verify``).

    Raises
    ------
    DataError
        The transfer or extraction fails, or the learning set does not verify.

    Examples
    --------
    >>> download("femto")                                      # doctest: +SKIP
    [PosixPath('femto/.../Learning_set/Bearing1_1'), ...]
    """
    folder = Path(dest)
    if not force and folder.is_dir():
        try:
            return verify_learning_set(folder)
        except DataError:
            pass
    archive = fetch(url, folder / "FEMTO_Bearing.zip", force=True, opener=opener, progress=progress)
    extract_zip(archive, folder, nested=True)
    if not keep_archive:
        archive.unlink()
    if verify:
        return verify_learning_set(folder)
    return sorted(p for p in folder.rglob("Bearing*_*") if p.is_dir())


register_reader(
    "femto",
    sniff,
    _load,
    priority=10,
    description="FEMTO-ST PRONOSTIA snapshot acc_NNNNN.csv (25.6 kHz, horiz/vert in g)",
)
