"""Apache Parquet reader (pyarrow): every integer or floating-point column is a channel.

The rate comes from a column's field metadata, else from a time column (``t``, ``time``...), else
from the schema metadata (``fs``, ``sampling_rate``, ``fs_hz``, ``femto.fs_hz``...; see
:mod:`openphm.acquire.formats.common`), else from ``fs=``. Columns are read lazily: choosing
channels reads only those. Null values become NaN, which the quality policy refuses. Schema metadata
(except pandas' and Arrow's own) goes to ``metadata``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pyarrow loads when a Parquet file is read, not when the readers register
    import pyarrow as pa
    import pyarrow.parquet as pq

from openphm.acquire.formats.common import (
    Array,
    ChannelSelection,
    Group,
    LazyVector,
    Scalar,
    build_recording,
    candidates,
    seekable,
)
from openphm.acquire.registry import FileSource, register_reader
from openphm.core.waveform import Recording

_MAGIC = b"PAR1"
_INTERNAL_KEYS = (b"pandas", b"ARROW:schema")


def sniff(src: FileSource) -> bool:
    """The ``PAR1`` magic that opens a Parquet file.

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    return src.head[:4] == _MAGIC


def key_values(metadata: dict[bytes, bytes] | None) -> dict[str, Scalar]:
    """Arrow key-value metadata as text, without pandas' and Arrow's own entries.

    Parameters
    ----------
    metadata : dict of bytes to bytes, or None
        Schema or field metadata.

    Returns
    -------
    dict of str to str
        Decoded keys and values.
    """
    return {
        key.decode("utf-8", errors="replace"): value.decode("utf-8", errors="replace")
        for key, value in (metadata or {}).items()
        if key not in _INTERNAL_KEYS
    }


def _is_numeric(kind: pa.DataType) -> bool:
    from pyarrow import types

    return bool(types.is_integer(kind) or types.is_floating(kind))


def _column_reader(pf: pq.ParquetFile, name: str) -> Any:
    def read() -> np.ndarray[Any, Any]:
        column = pf.read(columns=[name]).column(0)
        return np.asarray(column.to_numpy(), dtype=np.float64)

    return read


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read a Parquet file.

    Parameters
    ----------
    src : FileSource
        The file (a compressed one is decompressed into memory).
    fs : float, optional
        Sampling rate in Hz (replaces or provides the rate of the metadata or time column).
    unit : str, optional
        Unit of the samples (replaces a ``unit`` field metadata).
    channels : str, int or sequence, optional
        Column names or 0-based positions among the numeric columns; default all but a time column.
    speed_hz : float, optional
        Shaft speed in Hz (replaces a ``*rpm`` metadata entry).

    Returns
    -------
    Recording
        ``metadata`` holds the schema metadata.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("run.parquet", channels=["DE"], fs=25600.0)  # doctest: +SKIP
    """
    with seekable(src) as target:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(target)
        schema = pf.schema_arrow
        rows = pf.metadata.num_rows
        arrays = {
            field.name: Array(
                LazyVector(rows, np.dtype(np.float64), _column_reader(pf, field.name)),
                key_values(field.metadata),
            )
            for field in schema
            if _is_numeric(field.type) and not field.name.startswith("__index_level_")
        }
        attrs = key_values(schema.metadata)
        return build_recording(
            src,
            candidates(Group(attrs, arrays), min_samples=0),
            reader="parquet",
            fs=fs,
            unit=unit,
            channels=channels,
            speed_hz=speed_hz,
            metadata=attrs,
        )


register_reader(
    "parquet",
    sniff,
    load,
    suffixes=(".parquet", ".pq"),
    description="Apache Parquet (pyarrow)",
)
