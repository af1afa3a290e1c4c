"""MATLAB MAT-file reader: versions 4, 5 and 7 (scipy.io) and 7.3 (HDF5, h5py).

Channels are the numeric vectors (1-D, N x 1 or 1 x N) of at least
:data:`~openphm.acquire.formats.common.MIN_CHANNEL_SAMPLES` samples, and the columns of narrow
matrices (``data.0``, ``data.1``...). Structs are followed: their fields are named ``struct/field``.
A scalar variable named ``fs``, ``Fs``, ``sampling_rate``, ``SampleRate``... gives the sampling
rate, ``dt`` the sample interval, a variable ending in ``RPM`` (such as CWRU's ``X105RPM``) the
shaft speed, and a ``t``/``time`` vector the rate of the vectors as long as it. Other scalars and
text variables of the top level go to ``metadata``. Version 5/7 files are parsed from the
decompressed stream (no temporary copy); version 7.3 files need a seekable file, so a compressed one
is decompressed into memory.
"""

from __future__ import annotations

from typing import Any

import h5py
import numpy as np
import scipy.io

from openphm.acquire.formats import hdf5
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
        Scalars and text as attributes, numeric arrays as arrays, structs as sub-groups.
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
        scalar = hdf5.scalar_value(value) if np.ndim(value) == 0 or np.size(value) == 1 else None
        if scalar is not None:
            attrs[name] = scalar
        elif isinstance(value, np.ndarray) and is_numeric(value.dtype):
            arrays[name] = Array(value)
    return Group(attrs, arrays, groups)


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
        with seekable(src) as target, h5py.File(target, "r") as f:
            content = hdf5.tree(f, matlab=True)
            header = src.head[:116].decode("latin-1")
            return build_recording(
                src,
                candidates(content),
                reader="matlab",
                fs=fs,
                unit=unit,
                channels=channels,
                speed_hz=speed_hz,
                metadata={"header": header.strip(), **content.attrs},
            )
    with src.open() as fh:
        variables = scipy.io.loadmat(fh, simplify_cells=True)
    content = tree_from_dict(variables)
    raw = variables.get("__header__", b"")
    header = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
    return build_recording(
        src,
        candidates(content),
        reader="matlab",
        fs=fs,
        unit=unit,
        channels=channels,
        speed_hz=speed_hz,
        metadata={"header": header.strip(), **content.attrs},
    )


register_reader(
    "matlab",
    sniff,
    load,
    suffixes=(".mat",),
    description="MATLAB MAT-file v4/v5/v7 (scipy.io) and v7.3 (h5py)",
)
