"""Case Western Reserve University (CWRU) bearing data: labelled reader, record list and download.

The CWRU Bearing Data Center publishes one MATLAB v5 file per record, named ``<record>.mat``
(``105.mat``); mirrors rename them (``12k_Drive_End_IR007_0_105.mat``, ``normal_0_97.mat``). Each
file holds the accelerometer channels as ``X<nnn>_DE_time``, ``X<nnn>_FE_time``, ``X<nnn>_BA_time``
(drive end, fan end, base plate; acceleration in g) and usually the measured speed ``X<nnn>RPM``.
The number in the variable names is not always the record number: the 0.028 in records 3001-3008
hold ``X056``-``X059`` and ``X048``-``X051``, so channels are found by their suffix.

The labels come from the package table ``cwru_records.csv``: the 60 12 kHz drive-end fault records
of the Smith and Randall (2015) benchmark and the normal baselines 97-100, with fault location,
size, motor load, nominal speed, outer-race clock position, sampling rate, bearings and the SHA-256
of the original file. Drive-end bearing: SKF 6205-2RS JEM (the 0.028 in faults on an equivalent NTN
bearing); fan-end bearing: SKF 6203-2RS JEM. The normal baselines are sampled at 48 kHz
(Smith and Randall 2015), the fault records at 12 kHz.

References
----------
W. A. Smith and R. B. Randall, "Rolling element bearing diagnostics using the Case Western Reserve
University data: A benchmark study", Mechanical Systems and Signal Processing 64-65 (2015) 100-131.
Case Western Reserve University Bearing Data Center, https://engineering.case.edu/bearingdatacenter
"""

from __future__ import annotations

import csv
import lzma
import re
import struct
import warnings
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.io
from scipy.io.matlab import MatReadError

from openphm.acquire.datasets.download import Opener, Progress, fetch
from openphm.acquire.datasets.paths import dataset_dir
from openphm.acquire.quality import check_recording
from openphm.acquire.registry import FileSource, register_reader, source_for
from openphm.core.errors import ConfigError, DataError, DataQualityWarning
from openphm.core.waveform import Recording, Waveform

#: Official download location of record ``<record>.mat``.
CWRU_URL = "https://engineering.case.edu/sites/default/files/{record}.mat"

#: Channel order of a returned recording.
CHANNELS = ("DE", "FE", "BA")

_CHANNEL_KEY = re.compile(r"^X(\d+)_(DE|FE|BA)_time$")
_RPM_KEY = re.compile(r"^X(\d+)RPM$")
_TRAILING_NUMBER = re.compile(r"(?:^|_)(\d+)$")
_MAT_SUFFIXES = (".mat", ".mat.xz", ".mat.gz", ".mat.bz2")
_OPTIONS = frozenset({"record", "channels"})
#: What scipy's MAT parser raises on a truncated or corrupt file.
_MAT_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    KeyError,
    NotImplementedError,
    MemoryError,
    MatReadError,
    struct.error,
    zlib.error,
    lzma.LZMAError,
)


@dataclass(frozen=True)
class CwruRecord:
    """Labels of one CWRU record, and where its file lies when it was found on disk.

    Parameters
    ----------
    record : int
        Official CWRU record number (the ``105`` of ``105.mat``).
    name : str
        CWRU label such as ``"IR007_0"``, ``"OR007@6_0"``, ``"Normal_0"``.
    fault : str
        ``"normal"``, ``"inner"`` (inner race), ``"outer"`` (outer race) or ``"ball"``.
    size_in : float or None
        Fault diameter in inches (None for normal).
    load_hp : int
        Motor load in horsepower (0-3).
    rpm_nominal : float
        Nominal shaft speed in r/min from the CWRU tables.
    or_position : int or None
        Clock position of an outer-race fault (3, 6 or 12 o'clock; 6 is centred in the load zone).
    fs_hz : float
        Sampling rate in Hz.
    channels : tuple of str
        Channels the file holds (``"DE"``, ``"FE"``, ``"BA"``).
    fault_end : str or None
        Which bearing carries the fault (``"DE"`` for drive end), None for normal.
    bearings : Mapping
        Bearing designation by channel end (``{"DE": "6205", "FE": "6203"}``).
    makers : Mapping
        Bearing maker by channel end (``{"DE": "SKF", ...}``; ``"NTN"`` for the 0.028 in faults).
    key_record : int or None
        Number used in the file's variable names (differs from ``record`` for 3001-3008).
    mat_sha256 : str or None
        SHA-256 of the original ``.mat`` file, where known.
    path : pathlib.Path or None
        The file on disk (``.mat`` or compressed), None for a record known only from the table.
    """

    record: int
    name: str
    fault: str
    size_in: float | None
    load_hp: int
    rpm_nominal: float
    or_position: int | None
    fs_hz: float
    channels: tuple[str, ...]
    fault_end: str | None
    bearings: Mapping[str, str]
    makers: Mapping[str, str]
    key_record: int | None
    mat_sha256: str | None
    path: Path | None = None

    def labels(self) -> dict[str, Any]:
        """Return the labels as a plain dict (what a loaded recording's metadata carries)."""
        return {
            "dataset": "CWRU",
            "record": self.record,
            "name": self.name,
            "fault": self.fault,
            "size_in": self.size_in,
            "load_hp": self.load_hp,
            "rpm_nominal": self.rpm_nominal,
            "or_position": self.or_position,
            "fault_end": self.fault_end,
            "fs_hz": self.fs_hz,
        }


def _opt_float(text: str) -> float | None:
    return float(text) if text else None


def _opt_int(text: str) -> int | None:
    return int(text) if text else None


@cache
def _table() -> dict[int, CwruRecord]:
    text = resources.files(__package__).joinpath("cwru_records.csv").read_text(encoding="utf-8")
    table: dict[int, CwruRecord] = {}
    for row in csv.DictReader(text.splitlines()):
        rec = CwruRecord(
            record=int(row["record"]),
            name=row["name"],
            fault=row["fault"],
            size_in=_opt_float(row["size_in"]),
            load_hp=int(row["load_hp"]),
            rpm_nominal=float(row["rpm"]),
            or_position=_opt_int(row["or_position"]),
            fs_hz=float(row["fs_hz"]),
            channels=tuple(row["channels"].split(";")),
            fault_end=row["fault_end"] or None,
            bearings={"DE": row["bearing_de"], "FE": row["bearing_fe"]},
            makers={"DE": row["maker_de"], "FE": row["maker_fe"]},
            key_record=_opt_int(row["key_record"]),
            mat_sha256=row["mat_sha256"] or None,
        )
        table[rec.record] = rec
    return table


def cwru_record(record: int) -> CwruRecord:
    """Return the labels of an official CWRU record from the package table.

    Parameters
    ----------
    record : int
        Official record number.

    Returns
    -------
    CwruRecord
        Its labels (``path`` is None).

    Raises
    ------
    DataError
        The record is not in the table.

    Examples
    --------
    >>> r = cwru_record(130)
    >>> r.fault, r.size_in, r.or_position, r.load_hp, r.fs_hz
    ('outer', 0.007, 6, 0, 12000.0)
    """
    try:
        return _table()[int(record)]
    except KeyError:
        known = ", ".join(str(r) for r in sorted(_table()))
        raise DataError(
            f"CWRU record {record} is not in the table; known records: {known}"
        ) from None


def record_from_name(name: str) -> int | None:
    """Return the known CWRU record number a file name ends with, or None.

    Works for official names (``118.mat``) and mirror names (``12k_Drive_End_B007_0_118.mat``,
    ``normal_0_97.mat``), compressed or not.

    Parameters
    ----------
    name : str
        File name (a path is reduced to its name).

    Returns
    -------
    int or None
        The record number if it is in the table.

    Examples
    --------
    >>> record_from_name("12k_Drive_End_B007_0_118.mat"), record_from_name("209.mat.xz")
    (118, 209)
    >>> record_from_name("IR007_0.mat") is None
    True
    """
    stem = Path(name).name
    for suffix in _MAT_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    match = _TRAILING_NUMBER.search(stem)
    if match is None:
        return None
    number = int(match.group(1))
    return number if number in _table() else None


def _variables(src: FileSource) -> list[str]:
    with src.open() as fh:
        return [name for name, _, _ in scipy.io.whosmat(fh)]


def sniff(src: FileSource) -> bool:
    """Whether ``src`` is a CWRU record: a MATLAB 5 ``.mat`` named after a known record, with CWRU
    channel variables.

    Parameters
    ----------
    src : FileSource
        The file to test.

    Returns
    -------
    bool
        True if the CWRU reader should load it.
    """
    if src.suffix != ".mat" or record_from_name(src.path.name) is None:
        return False
    if not src.head.startswith(b"MATLAB 5.0 MAT-file"):
        return False
    try:
        names = _variables(src)
    except _MAT_ERRORS:
        return False
    return any(_CHANNEL_KEY.match(n) for n in names)


def _key_number(key: str) -> int:
    """The number after the ``X`` of a CWRU variable name (``X056_DE_time`` -> 56)."""
    return int(key[1:].split("_")[0].removesuffix("RPM"))


def _pick_key(keys: Sequence[str], expected: int, where: str, what: str) -> str:
    """Choose among variables with the same suffix: the one numbered ``expected`` if ambiguous."""
    if len(keys) == 1:
        return keys[0]
    numbered = [k for k in keys if _key_number(k) == expected]
    if len(numbered) == 1:
        return numbered[0]
    raise DataError(f"{where}: several {what} variables ({', '.join(keys)}); cannot tell which")


def _resolve_record(src: FileSource, keys: Iterable[str], record: int | None) -> CwruRecord:
    if record is not None:
        return cwru_record(record)
    from_name = record_from_name(src.path.name)
    if from_name is not None:
        return cwru_record(from_name)
    numbers = {int(m.group(1)) for k in keys if (m := _CHANNEL_KEY.match(k))}
    known = sorted(n for n in numbers if n in _table())
    if len(known) == 1:
        return cwru_record(known[0])
    raise DataError(
        f"{src.path}: cannot tell which CWRU record this is (neither the file name nor the "
        "variables name a known record); pass record=<number>"
    )


def read_cwru(path: str | Path | FileSource, **options: Any) -> Recording:
    """Read one CWRU record, with its labels, from an official or mirror ``.mat`` file.

    The file may be compressed (``.mat.xz``, ``.gz``, ``.bz2``); it is read through a decompressing
    stream and never unpacked to disk. Channels are found by the ``_DE_time``, ``_FE_time`` and
    ``_BA_time`` suffixes of the variable names; the shaft speed is the measured ``X<nnn>RPM``
    where the file has it, else the nominal speed of the CWRU tables.

    Parameters
    ----------
    path : str, pathlib.Path or FileSource
        The file.
    **options
        ``record`` (int): the record number when neither the file name nor the variables give it
        (or to override them). ``channels`` (sequence of str): keep only these of DE, FE, BA.

    Returns
    -------
    Recording
        Channels ``DE``, ``FE``, ``BA`` (those present, in that order) in g, at the record's rate
        (12 kHz for the fault records, 48 kHz for the normal baselines), with ``speed_hz`` set.
        ``metadata`` holds ``dataset``, ``record``, ``name``, ``fault``, ``size_in``, ``load_hp``,
        ``rpm_nominal``, ``rpm_measured`` (None if absent), ``or_position``, ``fault_end``,
        ``fs_hz``, ``bearings`` and ``bearing_makers`` (by channel) and ``variables`` (channel to
        MAT variable name).

    Raises
    ------
    DataError
        The file is unreadable, has no CWRU channel, or the record cannot be identified.
    ConfigError
        An unknown option or channel name.

    Warns
    -----
    DataQualityWarning
        The variable names carry another record number than the file name implies, or a channel
        looks clipped or constant (:mod:`openphm.acquire.quality`; a few drive-end samples of
        records 200, 234, 236, 237 and 246 reach full scale).

    Examples
    --------
    >>> from openphm.acquire.datasets import demo_path
    >>> rec = read_cwru(demo_path("cwru/105.mat.xz"))
    >>> rec.channel_names, rec["DE"].fs, rec.metadata["fault"], rec.metadata["size_in"]
    (('DE', 'FE', 'BA'), 12000.0, 'inner', 0.007)
    >>> round(rec["DE"].speed_hz * 60)
    1797
    """
    unknown = set(options) - _OPTIONS
    if unknown:
        raise ConfigError(
            f"read_cwru: unknown option(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_OPTIONS))}"
        )
    src = path if isinstance(path, FileSource) else source_for(path)
    try:
        with src.open() as fh:
            mat = scipy.io.loadmat(fh)
    except _MAT_ERRORS as exc:
        raise DataError(f"{src.path}: not a readable MATLAB 5 file ({exc})") from exc
    keys = [k for k in mat if not k.startswith("__")]
    info = _resolve_record(src, keys, options.get("record"))
    expected_key = info.key_record if info.key_record is not None else info.record
    wanted = tuple(options.get("channels") or CHANNELS)
    bad = [c for c in wanted if c not in CHANNELS]
    if bad:
        raise ConfigError(f"{src.path}: unknown channel(s) {bad}; CWRU channels are DE, FE, BA")

    by_end: dict[str, list[str]] = {}
    for key in keys:
        if m := _CHANNEL_KEY.match(key):
            by_end.setdefault(m.group(2), []).append(key)
    if not by_end:
        raise DataError(
            f"{src.path}: no CWRU channel variable (*_DE_time, *_FE_time, *_BA_time); "
            f"variables are {', '.join(keys) or 'none'}"
        )
    chosen = {
        end: _pick_key(ks, expected_key, str(src.path), f"*_{end}_time")
        for end, ks in by_end.items()
    }
    numbers = {_key_number(k) for k in chosen.values()}
    if numbers != {expected_key}:
        warnings.warn(
            f"{src.path}: variables {', '.join(sorted(chosen.values()))} do not carry the number "
            f"{expected_key} expected for record {info.record}; labels follow record {info.record}",
            DataQualityWarning,
            stacklevel=2,
        )
    rpm_keys = [k for k in keys if _RPM_KEY.match(k)]
    rpm_measured: float | None = None
    if rpm_keys:
        rpm_value = np.asarray(mat[_pick_key(rpm_keys, expected_key, str(src.path), "RPM")])
        rpm_measured = float(rpm_value.ravel()[0]) if rpm_value.size else None
    rpm = rpm_measured if rpm_measured else info.rpm_nominal

    channels = []
    for end in (c for c in CHANNELS if c in wanted and c in chosen):
        key = chosen[end]
        channels.append(
            Waveform(
                samples=np.asarray(mat[key], dtype=np.float64).ravel(),
                fs=info.fs_hz,
                unit="g",
                channel=end,
                speed_hz=rpm / 60.0,
                source=f"{src.path}:{key}",
            )
        )
    if not channels:
        raise DataError(
            f"{src.path}: none of the requested channels {list(wanted)} is in the file "
            f"(it has {', '.join(sorted(chosen))})"
        )
    present = tuple(w.channel for w in channels)
    metadata = {
        **info.labels(),
        "rpm_measured": rpm_measured,
        "bearings": {c: info.bearings[c] for c in present if c in info.bearings},
        "bearing_makers": {c: info.makers[c] for c in present if c in info.makers},
        "variables": {c: chosen[c] for c in present},
    }
    return check_recording(Recording(tuple(channels), source=str(src.path), metadata=metadata))


def _load(source: FileSource, **options: Any) -> Recording:
    return read_cwru(source, **options)


def cwru_records(root: str | Path | None = None) -> list[CwruRecord]:
    """List the CWRU records present in a folder, with their labels and file paths.

    Uses ``manifest.csv`` when the folder has one (the project's data layout: ``record`` and
    ``file`` columns); otherwise scans the folder tree for ``.mat`` files (plain or compressed)
    whose names end with a known record number, in official or mirror naming.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        The data root (its ``cwru/`` sub-folder is used) or the CWRU folder itself; defaults to
        ``OPENPHM_DATA``.

    Returns
    -------
    list of CwruRecord
        One per record found, sorted by record number, with ``path`` set.

    Warns
    -----
    DataQualityWarning
        A record appears in more than one file (the first in path order is used).

    Examples
    --------
    >>> from openphm.acquire.datasets import demo_path
    >>> [r.record for r in cwru_records(demo_path())]
    [97, 105, 130]
    """
    folder = dataset_dir("cwru", root)
    manifest = folder / "manifest.csv"
    found: dict[int, CwruRecord] = {}
    if manifest.is_file():
        with manifest.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                info = cwru_record(int(row["record"]))
                found[info.record] = _with_path(info, folder / row["file"])
    else:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            number = record_from_name(path.name)
            if number is None or not path.name.lower().endswith(_MAT_SUFFIXES):
                continue
            if number in found:
                warnings.warn(
                    f"CWRU record {number} found twice: {found[number].path} and {path}; "
                    f"using {found[number].path}",
                    DataQualityWarning,
                    stacklevel=2,
                )
                continue
            found[number] = _with_path(cwru_record(number), path)
    return [found[n] for n in sorted(found)]


def _with_path(info: CwruRecord, path: Path) -> CwruRecord:
    return CwruRecord(**{**info.__dict__, "path": path})


def load_cwru(
    record: int | CwruRecord, root: str | Path | None = None, **options: Any
) -> Recording:
    """Load a CWRU record by number from a data folder.

    Parameters
    ----------
    record : int or CwruRecord
        Official record number, or a descriptor from :func:`cwru_records`.
    root : str or pathlib.Path, optional
        Data root or CWRU folder, as for :func:`cwru_records`; defaults to ``OPENPHM_DATA``.
    **options
        Passed to :func:`read_cwru` (``channels``).

    Returns
    -------
    Recording
        The labelled recording.

    Raises
    ------
    DataError
        The record is unknown or not present under ``root``.

    Examples
    --------
    >>> from openphm.acquire.datasets import demo_path
    >>> load_cwru(97, demo_path()).channel_names
    ('DE', 'FE')
    """
    if isinstance(record, CwruRecord) and record.path is not None:
        return read_cwru(record.path, record=record.record, **options)
    number = record.record if isinstance(record, CwruRecord) else int(record)
    cwru_record(number)
    for info in cwru_records(root):
        if info.record == number and info.path is not None:
            return read_cwru(info.path, record=number, **options)
    raise DataError(
        f"CWRU record {number} not found under {dataset_dir('cwru', root)}; "
        "get it with openphm.acquire.datasets.cwru.download(dest, records=[...])"
    )


def download(
    dest: str | Path,
    *,
    records: Sequence[int] | None = None,
    force: bool = False,
    url: str = CWRU_URL,
    opener: Opener | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Download CWRU records from the Bearing Data Center as ``<dest>/<record>.mat``.

    Each file is checked against the SHA-256 of the package table (the digest of the copies in the
    project's reference data, which two independent mirrors agree on). Records without a known
    digest (the normal baselines 98-100) are downloaded unverified, with a warning.

    Parameters
    ----------
    dest : str or pathlib.Path
        Destination folder (created if needed); :func:`cwru_records` reads it afterwards.
    records : sequence of int, optional
        Record numbers; all records of the table by default.
    force : bool, default False
        Download again files that are already present and valid.
    url : str, default CWRU_URL
        URL template with a ``{record}`` field (a mirror, or ``file://`` in tests).
    opener : callable, optional
        ``opener(url)`` returning a binary stream, instead of ``urllib.request.urlopen``.
    progress : callable, optional
        ``progress(bytes_done, bytes_total)`` during each file.

    Returns
    -------
    list of pathlib.Path
        The downloaded files.

    Raises
    ------
    DataError
        A transfer fails or a file does not match its checksum.

    Warns
    -----
    DataQualityWarning
        A record has no known checksum.

    Examples
    --------
    >>> download("cwru", records=[105])                        # doctest: +SKIP
    [PosixPath('cwru/105.mat')]
    """
    folder = Path(dest)
    numbers = sorted(_table()) if records is None else [cwru_record(r).record for r in records]
    paths = []
    for number in numbers:
        info = cwru_record(number)
        if info.mat_sha256 is None:
            warnings.warn(
                f"CWRU record {number}: no known checksum, downloaded unverified",
                DataQualityWarning,
                stacklevel=2,
            )
        paths.append(
            fetch(
                url.format(record=number),
                folder / f"{number}.mat",
                sha256=info.mat_sha256,
                force=force,
                opener=opener,
                progress=progress,
            )
        )
    return paths


register_reader(
    "cwru",
    sniff,
    _load,
    priority=10,
    description="CWRU bearing data centre .mat record (labelled; official or mirror names)",
)
