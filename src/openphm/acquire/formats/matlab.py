"""MATLAB MAT-file reader: versions 4, 5 and 7 (scipy.io) and 7.3 (HDF5, h5py).

Channels are the numeric vectors (1-D, N x 1 or 1 x N) of at least
:data:`~openphm.acquire.formats.common.MIN_CHANNEL_SAMPLES` samples, and the columns of narrow
matrices (``data.0``, ``data.1``...). Structs are followed: their fields are named ``struct/field``;
the elements of a struct array are named by their text ``Name`` field (``Y/vibration_1/Data``)
or their index (``Y/0/Data``).
A scalar variable named ``fs``, ``Fs``, ``sampling_rate``, ``SampleRate``... gives the sampling
rate, ``dt`` the sample interval, a variable ending in ``RPM`` (such as CWRU's ``X105RPM``) the
shaft speed, and a ``t``/``time`` vector the rate of the vectors as long as it. Other scalars and
text variables of the top level go to ``metadata``.

A version 5/7 file is read into memory once (decompressed when the file is compressed), its element
tree is checked by :mod:`openphm.acquire.formats.matlab_v5` (scipy's parser crashes on some corrupt
files) and scipy parses those bytes; sparse matrices, function handles and opaque objects are not
read. A version 7.3 file is opened by h5py from its path, or from memory when it is compressed.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import scipy.io

from openphm.acquire.formats import hdf5, matlab_v5
from openphm.acquire.formats.common import (
    Array,
    ChannelSelection,
    Group,
    Scalar,
    build_recording,
    candidates,
    is_numeric,
)
from openphm.acquire.registry import FileSource, register_reader
from openphm.core.errors import DataError
from openphm.core.waveform import Recording

#: Offset of the HDF5 signature in a MATLAB v7.3 file (after its 512-byte header).
_V73_OFFSET = 512


def sniff(src: FileSource) -> bool:
    """MATLAB v5/v7/v7.3 header (text ``MATLAB`` then the ``IM``/``MI`` endian mark at byte 126).

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    head = src.head
    return head.startswith(b"MATLAB") or (len(head) >= 128 and head[126:128] in (b"IM", b"MI"))


def is_v73(head: bytes) -> bool:
    """Whether the head is that of a MATLAB v7.3 (HDF5-based) file.

    Parameters
    ----------
    head : bytes
        The first bytes of the file.

    Returns
    -------
    bool
        True when the HDF5 signature follows the 512-byte MAT header.
    """
    return head[_V73_OFFSET : _V73_OFFSET + len(hdf5.HDF5_MAGIC)] == hdf5.HDF5_MAGIC


def tree_from_dict(variables: dict[str, Any]) -> Group:
    """A :class:`Group` from ``scipy.io.loadmat(..., simplify_cells=True)`` output.

    Parameters
    ----------
    variables : dict
        Variable name to value; structs are dicts.

    Returns
    -------
    Group
        Scalars and text as attributes, numeric arrays as arrays, structs as sub-groups. A struct
        array (a list of structs) becomes a group of its elements, each named by its text
        ``Name`` field when the names are distinct (as in the Paderborn bearing data set's
        ``Y(k).Name``/``Y(k).Data``), else by its index.
    """
    attrs: dict[str, Scalar] = {}
    arrays: dict[str, Array] = {}
    groups: dict[str, Group] = {}
    for name, value in variables.items():
        if name.startswith("__"):
            continue
        if isinstance(value, dict):
            groups[name] = tree_from_dict(value)
            continue
        if isinstance(value, (list, np.ndarray)) and _is_struct_array(value):
            groups[name] = Group({}, {}, _struct_elements(list(value)))
            continue
        scalar = hdf5.scalar_value(value) if np.ndim(value) == 0 or np.size(value) == 1 else None
        if scalar is not None:
            attrs[name] = scalar
        elif isinstance(value, np.ndarray) and is_numeric(value.dtype):
            arrays[name] = Array(value)
    return Group(attrs, arrays, groups)


def _is_struct_array(value: Any) -> bool:
    """Whether ``value`` is scipy's form of a struct array: a non-empty sequence of dicts."""
    return len(value) > 0 and all(isinstance(v, dict) for v in value)


def _struct_elements(elements: list[dict[str, Any]]) -> dict[str, Group]:
    """The elements of a struct array as groups, named by a distinct text ``Name`` field."""
    names = [next((v for k, v in e.items() if k.lower() == "name"), None) for e in elements]
    labels = [n.strip() if isinstance(n, str) else "" for n in names]
    if not all(labels) or len(set(labels)) != len(labels) or any("/" in n for n in labels):
        labels = [str(i) for i in range(len(elements))]
    return {label: tree_from_dict(e) for label, e in zip(labels, elements, strict=True)}


def read_variables(data: bytes, src: FileSource) -> dict[str, Any]:
    """Parse a v4/v5/v7 MAT-file with scipy, after checking a level-5 file's structure.

    Parameters
    ----------
    data : bytes
        The whole (decompressed) file.
    src : FileSource
        The file, for messages.

    Returns
    -------
    dict
        ``scipy.io.loadmat(..., simplify_cells=True)`` output: variables by name, structs as dicts,
        and ``__header__``. Sparse matrices, function handles and opaque objects are not read.

    Raises
    ------
    DataError
        The element tree of a level-5 file is corrupt (:mod:`openphm.acquire.formats.matlab_v5`).
    """
    if data[126:128] not in (b"IM", b"MI"):
        return dict(scipy.io.loadmat(io.BytesIO(data), simplify_cells=True))
    try:
        names = matlab_v5.readable_variables(data)
    except DataError as exc:
        raise DataError(f"{src.path}: corrupt MAT-file: {exc}") from None
    header = {"__header__": data[:116]}
    if not names:
        return header
    variables = scipy.io.loadmat(io.BytesIO(data), simplify_cells=True, variable_names=names)
    return {**header, **variables}


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read a MAT-file.

    Parameters
    ----------
    src : FileSource
        The file (``.mat`` or a compressed ``.mat.xz``/``.gz``/``.bz2``).
    fs : float, optional
        Sampling rate in Hz (replaces or provides the file's).
    unit : str, optional
        Unit of the samples (MAT-files rarely state one).
    channels : str, int or sequence, optional
        Variable names (``"X105_DE_time"``, ``"s/acc"``) or 0-based positions; default all but
        time vectors.
    speed_hz : float, optional
        Shaft speed in Hz (replaces a ``*RPM`` variable).

    Returns
    -------
    Recording
        ``metadata`` holds the header text and the top-level scalars and text variables.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("105.mat", fs=12000.0, format="matlab")   # doctest: +SKIP
    >>> rec.channel_names                                     # doctest: +SKIP
    ('X105_DE_time', 'X105_FE_time', 'X105_BA_time')
    """
    if is_v73(src.head):
        with hdf5.open_file(src) as f:
            content = hdf5.tree_of(f, src, matlab=True)
            return _recording(src, content, src.head[:116], fs, unit, channels, speed_hz)
    with src.open() as fh:
        variables = read_variables(fh.read(), src)
    raw = variables.get("__header__", b"")
    header = raw if isinstance(raw, bytes) else str(raw).encode("latin-1", "replace")
    return _recording(src, tree_from_dict(variables), header, fs, unit, channels, speed_hz)


def _recording(
    src: FileSource,
    content: Group,
    header: bytes,
    fs: float | None,
    unit: str | None,
    channels: ChannelSelection,
    speed_hz: float | None,
) -> Recording:
    """The recording of a parsed MAT-file (v5 or v7.3), with its text header in the metadata."""
    return build_recording(
        src,
        candidates(content),
        reader="matlab",
        fs=fs,
        unit=unit,
        channels=channels,
        speed_hz=speed_hz,
        metadata={"header": header.decode("latin-1").strip(), **content.attrs},
    )


register_reader(
    "matlab",
    sniff,
    load,
    suffixes=(".mat",),
    description="MATLAB MAT-file v4/v5/v7 (scipy.io) and v7.3 (h5py)",
)
