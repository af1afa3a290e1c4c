"""Content-addressed waveform files beside the catalogue: ``waveforms/ab/cd/<sha256>[.ext]``.

A file is written to a temporary name in its final folder, flushed and fsynced, renamed onto its
content address with :func:`os.replace` (atomic on POSIX), and the folder is fsynced so that the
rename itself survives a crash. A file at a content address is therefore always complete, and the
same bytes always land at the same place: a file left without a catalogue row by a crash is
harmless and is reused by the next ingest of the same bytes. The extension of the original file is
kept (``.mat``, ``.csv``, ``.mat.xz``) so that :func:`openphm.acquire.read` can sniff it; samples
that arrive as arrays are written as Parquet (:func:`samples_parquet`), which that reader opens too.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError

#: Folder of the waveform files inside the store's home.
WAVEFORMS = "waveforms"
#: Prefix of temporary files being written (a crash may leave some; they are orphans).
TEMP_PREFIX = ".tmp-"
_CHUNK = 1 << 20
_COMPRESSED = {".xz", ".gz", ".bz2", ".zst"}
_SUFFIX = re.compile(r"^\.[A-Za-z0-9_]{1,10}$")


def sha256_of(data: bytes | Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of bytes in memory or of a file, read in chunks.

    Parameters
    ----------
    data : bytes or pathlib.Path
        The content or the file holding it.

    Returns
    -------
    tuple of (str, int)
        Hex digest and size in bytes.

    Raises
    ------
    DataError
        If the file cannot be read.

    Examples
    --------
    >>> sha256_of(b"abc")[0][:12], sha256_of(b"abc")[1]
    ('ba7816bf8f01', 3)
    """
    if isinstance(data, bytes | bytearray | memoryview):
        return hashlib.sha256(data).hexdigest(), len(data)
    digest = hashlib.sha256()
    size = 0
    try:
        with open(data, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise DataError(f"{data}: cannot be read ({exc.strerror or exc})") from exc
    return digest.hexdigest(), size


def blob_suffix(original_name: str) -> str:
    """The extension a stored file keeps: the last suffix, and the one before a compression suffix.

    Parameters
    ----------
    original_name : str
        Name of the file as received.

    Returns
    -------
    str
        Lower-case suffix such as ``".mat"`` or ``".mat.xz"``, empty when the name has none usable.

    Examples
    --------
    >>> blob_suffix("run 12.MAT"), blob_suffix("97.mat.xz"), blob_suffix("noext")
    ('.mat', '.mat.xz', '')
    """
    suffixes = [s.lower() for s in Path(original_name).suffixes]
    if not suffixes or not _SUFFIX.match(suffixes[-1]):
        return ""
    if suffixes[-1] in _COMPRESSED and len(suffixes) > 1 and _SUFFIX.match(suffixes[-2]):
        return suffixes[-2] + suffixes[-1]
    return suffixes[-1]


def blob_name(sha256: str, suffix: str = "") -> str:
    """Relative path (POSIX) of a file's content address.

    Parameters
    ----------
    sha256 : str
        Hex digest of the content.
    suffix : str
        Extension to keep (see :func:`blob_suffix`).

    Returns
    -------
    str
        ``waveforms/ab/cd/<sha256><suffix>``.

    Examples
    --------
    >>> blob_name("abcdef" + "0" * 58, ".csv")[:30]
    'waveforms/ab/cd/abcdef00000000'
    """
    return f"{WAVEFORMS}/{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(target: Path, data: bytes | Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, Path):
                with open(data, "rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
            else:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


@dataclass(frozen=True)
class BlobStore:
    """The content-addressed files under ``home/waveforms``.

    Parameters
    ----------
    home : pathlib.Path
        The store's home folder.
    """

    home: Path

    def path(self, name: str) -> Path:
        """Absolute path of a stored file.

        Parameters
        ----------
        name : str
            Relative name as kept in the catalogue (``waveforms/ab/cd/...``).

        Returns
        -------
        pathlib.Path
            The file's path.
        """
        return self.home / name

    def put(self, data: bytes | Path, sha256: str, suffix: str = "") -> str:
        """Store content at its address, durably; reuse a complete file already there.

        Parameters
        ----------
        data : bytes or pathlib.Path
            The content or the file holding it.
        sha256 : str
            Its hex digest (from :func:`sha256_of`).
        suffix : str
            Extension to keep.

        Returns
        -------
        str
            The relative name of the stored file.

        Raises
        ------
        DataError
            If the content changed while being stored (its hash no longer matches).
        """
        name = blob_name(sha256, suffix)
        target = self.path(name)
        if target.exists() and sha256_of(target)[0] == sha256:
            return name
        _write_atomically(target, data)
        if isinstance(data, Path) and sha256_of(target)[0] != sha256:
            target.unlink(missing_ok=True)
            raise DataError(f"{data}: the file changed while it was being stored; send it again")
        return name

    def files(self) -> Iterator[Path]:
        """Every file under ``waveforms/``, temporary ones included.

        Yields
        ------
        pathlib.Path
            Absolute paths.
        """
        root = self.home / WAVEFORMS
        if root.is_dir():
            yield from (p for p in root.rglob("*") if p.is_file())

    def relative(self, path: Path) -> str:
        """The catalogue name (relative POSIX path) of a file under the home folder.

        Parameters
        ----------
        path : pathlib.Path
            Absolute path of the file.

        Returns
        -------
        str
            Its name relative to the home folder.
        """
        return path.relative_to(self.home).as_posix()


def samples_parquet(
    samples: npt.ArrayLike, fs_hz: float, unit: str = "", channel: str = ""
) -> bytes:
    """Samples that arrived as an array, as the bytes of a Parquet file.

    One float64 column named after the channel (``samples`` when unnamed) with the unit in its
    field metadata, and ``fs_hz``, ``unit`` and ``channel`` in the schema metadata, the keys that
    :func:`openphm.acquire.read` looks for. The bytes are the same for the same samples and
    metadata, so a repeated message is recognised as a duplicate.

    Parameters
    ----------
    samples : array_like
        One-dimensional samples.
    fs_hz : float
        Sampling rate in Hz.
    unit : str
        Unit of the samples.
    channel : str
        Channel name.

    Returns
    -------
    bytes
        The Parquet file's content.

    Raises
    ------
    DataError
        If the samples are not one-dimensional numbers.

    Examples
    --------
    >>> samples_parquet([0.0, 1.0, 0.0, -1.0], 4.0, "g", "DE")[:4]
    b'PAR1'
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    arr = np.asarray(samples, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise DataError(
            f"samples of channel {channel!r}: need a non-empty 1-D array, got shape {arr.shape}"
        )
    column = channel or "samples"
    field = pa.field(column, pa.float64(), metadata={"unit": unit} if unit else None)
    meta = {"fs_hz": repr(float(fs_hz)), "unit": unit, "channel": channel}
    table = pa.table({column: arr}, schema=pa.schema([field], metadata=meta))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
