"""HDF5 reader (h5py): numeric 1-D datasets (and the columns of narrow 2-D ones) are channels.

The sampling rate of a dataset comes from its attributes (``fs``, ``sampling_rate``,
``wf_increment``, ``dt``...), else from a time dataset beside it (``t``, ``time``...), else from the
attributes or scalar datasets of its groups, nearest first (see
:mod:`openphm.acquire.formats.common`). Channel names are dataset paths without the leading ``/``
(``"rig/DE"``). Datasets are read lazily, so choosing channels reads only those.
"""

from __future__ import annotations

import itertools
import math
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # h5py loads when an HDF5 file is opened, not when the readers register
    import h5py

from openphm.acquire.formats.common import (
    Array,
    ChannelSelection,
    Group,
    Scalar,
    build_recording,
    candidates,
    is_numeric,
    seekable,
)
from openphm.acquire.registry import FileSource, register_reader
from openphm.core.errors import DataError
from openphm.core.waveform import Recording

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
#: Offsets at which HDF5 looks for its signature (after a user block).
_MAGIC_OFFSETS = (0, 512, 1024, 2048)
#: Deepest group nesting followed (guards against cyclic hard links).
MAX_DEPTH = 32
#: Attributes looked at per object, and members per group (guards against corrupt tables).
MAX_ATTRIBUTES = 256
MAX_MEMBERS = 100_000
#: Signature of a global heap collection, where HDF5 keeps variable-length data (strings).
_GCOL = b"GCOL"
#: Smallest global heap collection HDF5 writes, bytes.
_GCOL_MIN_SIZE = 4096
#: Bytes read at a time when looking for global heap collections.
_SCAN_CHUNK = 8 * 2**20


def has_hdf5_signature(head: bytes) -> bool:
    """Whether the HDF5 signature is at one of the offsets where the library looks for it.

    Parameters
    ----------
    head : bytes
        The first bytes of the file.

    Returns
    -------
    bool
        True if the signature is at byte 0, 512, 1024 or 2048.
    """
    return any(head[o : o + len(HDF5_MAGIC)] == HDF5_MAGIC for o in _MAGIC_OFFSETS)


def sniff(src: FileSource) -> bool:
    """HDF5 signature, unless the file is a MATLAB v7.3 file (its own reader takes those).

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    return has_hdf5_signature(src.head) and not src.head.startswith(b"MATLAB")


def scalar_value(value: Any) -> Scalar | None:
    """A plain number or text from an HDF5/MATLAB attribute or 1-element dataset, or None.

    Parameters
    ----------
    value : object
        The attribute value or dataset content.

    Returns
    -------
    float, str or None
        Text for bytes and strings, a float for a 1-element numeric array, else None.
    """
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    arr = np.asarray(value)
    if arr.size != 1:
        return None
    item = arr.reshape(-1)[0]
    if isinstance(item, bytes | str):
        return scalar_value(item)
    if arr.dtype.kind in "iuf":
        return float(item)
    return None


def tree(group: h5py.Group, *, matlab: bool = False, depth: int = 0) -> Group:
    """The content of an h5py group as a :class:`Group` (datasets stay unread).

    Parameters
    ----------
    group : h5py.Group
        An open group (or file).
    matlab : bool
        Read it as a MATLAB v7.3 file: skip MATLAB's bookkeeping groups and attributes, decode
        ``char`` variables to text and ignore ``logical`` ones.
    depth : int
        Current nesting, to stop at :data:`MAX_DEPTH`.
    """
    attrs = attributes(group, matlab=matlab)
    arrays: dict[str, Array] = {}
    groups: dict[str, Group] = {}
    members = list(itertools.islice(group, MAX_MEMBERS + 1))
    if len(members) > MAX_MEMBERS:
        raise DataError(
            f"group {group.name!r} has more than {MAX_MEMBERS} members; "
            "openphm reads at most that many per group"
        )
    import h5py

    for name in members:
        if matlab and name.startswith("#"):
            continue
        link = group.get(name, getlink=True)
        if isinstance(link, h5py.ExternalLink):
            continue
        item = group.get(name)
        if isinstance(item, h5py.Group):
            if depth < MAX_DEPTH:
                groups[name] = tree(item, matlab=matlab, depth=depth + 1)
        elif isinstance(item, h5py.Dataset):
            _add_dataset(name, item, attrs, arrays, matlab)
    return Group(attrs, arrays, groups)


def _plain(kind: h5py.h5t.TypeID) -> bool:
    """Whether an HDF5 type is a number or a string, the only kinds read as values.

    Other classes (variable-length sequences, compounds, references, opaque...) are skipped
    without reading: a damaged one can crash the HDF5 library (found by fuzzing: a string
    attribute whose type bits were flipped into a variable-length integer sequence).
    """
    from h5py import h5t

    return kind.get_class() in (h5t.INTEGER, h5t.FLOAT, h5t.STRING)


def attributes(obj: h5py.HLObject, *, matlab: bool = False) -> dict[str, Scalar]:
    """The scalar (one-element) attributes of an HDF5 object as numbers and text.

    Array attributes are skipped without being read, and at most :data:`MAX_ATTRIBUTES` are
    looked at, so that a corrupt attribute table cannot make reading hang.

    Parameters
    ----------
    obj : h5py.Group or h5py.Dataset
        The object.
    matlab : bool
        Skip MATLAB's own ``MATLAB_*`` attributes.

    Returns
    -------
    dict of str to float or str
        The attributes that :func:`scalar_value` understands.
    """
    out: dict[str, Scalar] = {}
    for name in itertools.islice(obj.attrs, MAX_ATTRIBUTES):
        if matlab and name.startswith("MATLAB_"):
            continue
        attr = obj.attrs.get_id(name)
        if math.prod(attr.shape) != 1 or not _plain(attr.get_type()):
            continue
        scalar = scalar_value(obj.attrs[name])
        if scalar is not None:
            out[name] = scalar
    return out


def _add_dataset(
    name: str,
    ds: h5py.Dataset,
    attrs: dict[str, Scalar],
    arrays: dict[str, Array],
    matlab: bool,
) -> None:
    mat_class = ds.attrs.get("MATLAB_class", b"") if matlab else b""
    mat_class = mat_class.decode() if isinstance(mat_class, bytes) else str(mat_class)
    if matlab and "MATLAB_empty" in ds.attrs:
        return
    if mat_class == "char":
        codes = np.asarray(ds[()]).reshape(-1)
        attrs[name] = "".join(chr(int(c)) for c in codes if 0 < int(c) < 0x110000)
        return
    if mat_class == "logical" or ds.dtype.kind not in "iufSOU" or not _plain(ds.id.get_type()):
        return
    if ds.size == 1 or ds.dtype.kind in "SOU":
        scalar = scalar_value(ds[()]) if ds.size == 1 else None
        if scalar is not None:
            attrs[name] = scalar
        return
    if is_numeric(ds.dtype):
        arrays[name] = Array(ds, attributes(ds, matlab=matlab))


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read an HDF5 file.

    Parameters
    ----------
    src : FileSource
        The file.
    fs : float, optional
        Sampling rate in Hz (replaces or provides the file's).
    unit : str, optional
        Unit of the samples (replaces a ``unit``/``units`` attribute).
    channels : str, int or sequence, optional
        Dataset paths (``"rig/DE"``) or 0-based positions; default all but time vectors.
    speed_hz : float, optional
        Shaft speed in Hz.

    Returns
    -------
    Recording
        ``metadata`` holds the root attributes.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("run.h5", channels=["rig/DE"])             # doctest: +SKIP
    """
    with open_file(src) as f:
        content = tree_of(f, src)
        return build_recording(
            src,
            candidates(content),
            reader="hdf5",
            fs=fs,
            unit=unit,
            channels=channels,
            speed_hz=speed_hz,
            metadata=content.attrs,
        )


def _collection_sound(fh: IO[bytes], at: int, file_size: int) -> bool:
    """Whether the global heap collection at byte ``at`` holds a consistent object list.

    A collection is ``GCOL``, version 1, three reserved bytes, its size (8 bytes), then objects
    of 16-byte headers (index, reference count, reserved, size) each followed by its data padded
    to 8 bytes, ending with the free-space object (index 0). Bytes that spell ``GCOL`` without
    version 1 are taken for data, not a collection.
    """
    fh.seek(at)
    head = fh.read(16)
    if len(head) < 16 or head[4] != 1:
        return True
    size = struct.unpack_from("<Q", head, 8)[0]
    if size < _GCOL_MIN_SIZE or at + size > file_size:
        return False
    body = fh.read(size - 16)
    most = size // 16
    seen: set[int] = set()
    offset = 0
    while offset + 16 <= len(body):
        index, _, _, length = struct.unpack_from("<HHIQ", body, offset)
        if index == 0:
            return True
        if index > most or index in seen or offset + 16 + length > len(body):
            return False
        seen.add(index)
        offset += 16 + (length + 7) // 8 * 8
    return offset == len(body)


def check_global_heaps(target: IO[bytes] | str, where: str) -> None:
    """Refuse a file whose variable-length data (global heap) is corrupt, before HDF5 reads it.

    Reading a variable-length string through a damaged global heap collection makes the HDF5
    library loop forever (found by fuzzing: an object index past the end of its collection), so
    every collection of the file is checked first; the check reads the file once, in chunks.

    Parameters
    ----------
    target : str or file object
        The file's path, or its bytes in memory.
    where : str
        The file, for messages.

    Raises
    ------
    DataError
        A global heap collection is inconsistent.
    """
    fh = open(target, "rb") if isinstance(target, str) else target
    try:
        fh.seek(0, 2)
        file_size = fh.tell()
        found, position, tail = [], 0, b""
        fh.seek(0)
        while chunk := fh.read(_SCAN_CHUNK):
            block = tail + chunk
            start = position - len(tail)
            i = block.find(_GCOL)
            while i >= 0:
                found.append(start + i)
                i = block.find(_GCOL, i + 1)
            position += len(chunk)
            tail = block[-(len(_GCOL) - 1) :]
        for at in sorted(set(found)):
            if not _collection_sound(fh, at, file_size):
                raise DataError(
                    f"{where}: corrupt HDF5 file: the global heap collection at byte {at} "
                    "(variable-length data) is damaged; the file cannot be read safely"
                )
    finally:
        if isinstance(target, str):
            fh.close()
        else:
            fh.seek(0)


@contextmanager
def open_file(src: FileSource) -> Iterator[h5py.File]:
    """The file opened by h5py (from its path, or decompressed into memory), once checked.

    Parameters
    ----------
    src : FileSource
        The file.

    Yields
    ------
    h5py.File
        The open file, read-only.
    """
    with seekable(src) as target:
        check_global_heaps(target, str(src.path))
        import h5py

        with h5py.File(target, "r") as f:
            yield f


def tree_of(f: h5py.File, src: FileSource, *, matlab: bool = False) -> Group:
    """:func:`tree` of a whole file, with the file named in its errors.

    Parameters
    ----------
    f : h5py.File
        The open file.
    src : FileSource
        The file, for messages.
    matlab : bool
        Read it as a MATLAB v7.3 file (see :func:`tree`).

    Returns
    -------
    Group
        The file's content.
    """
    try:
        return tree(f, matlab=matlab)
    except DataError as exc:
        raise DataError(f"{src.path}: {exc}") from exc


register_reader(
    "hdf5",
    sniff,
    load,
    suffixes=(".h5", ".hdf5", ".hdf", ".he5"),
    description="HDF5 (h5py): 1-D numeric datasets; rate from attributes or a time dataset",
)
