"""Universal File Format reader (pyuff): time responses of data set 58 (ASCII) and 58b (binary).

Every data set 58 whose function type is 1 (time response), or 0 (general) with a time abscissa
(specific data type 17), is a channel; spectra, FRFs and complex data sets are skipped. The abscissa
increment (s) gives the rate, or the abscissa values when they are uneven. The channel name is ID
line 1 when set (not ``NONE``), else the response node and direction (``"12+Z"``); the ordinate axis
label gives the unit. pyuff reads a path, so a compressed file is decompressed into a temporary file
first.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyuff

from openphm.acquire.formats.common import (
    Candidate,
    ChannelSelection,
    build_recording,
    rate_from_time,
)
from openphm.acquire.registry import FileSource, register_reader
from openphm.core.errors import DataError
from openphm.core.waveform import Recording

#: Function types read as time signals: 1 time response; 0 general, when the abscissa is time.
TIME_RESPONSE = 1
_TIME_ABSCISSA = 17
_DIRECTIONS = {1: "X", 2: "Y", 3: "Z", 4: "RX", 5: "RY", 6: "RZ"}
_DELIMITER = re.compile(rb"^\s*-1\s*\r?\n\s*(\d+)(b?)", re.ASCII)


def sniff(src: FileSource) -> bool:
    """A UFF data-set block: a ``-1`` delimiter line, then the data-set number.

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    return bool(_DELIMITER.match(src.head))


def dof_label(node: Any, direction: Any) -> str:
    """Node and direction of a response, such as ``"12+Z"``.

    Parameters
    ----------
    node : int
        Response node number.
    direction : int
        UFF direction code: 1-3 for +X/+Y/+Z, 4-6 for rotations, negative for the opposite sense.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> dof_label(12, 3), dof_label(4, -1)
    ('12+Z', '4-X')
    """
    code = int(direction)
    axis = _DIRECTIONS.get(abs(code), "")
    return f"{int(node)}{'+' if code > 0 else '-'}{axis}" if axis else str(int(node))


def _is_time_response(dset: dict[str, Any]) -> bool:
    kind = int(dset.get("func_type", -1))
    is_time = kind == TIME_RESPONSE or (
        kind == 0 and int(dset.get("abscissa_spec_data_type", -1)) == _TIME_ABSCISSA
    )
    data = dset.get("data")
    return is_time and isinstance(data, np.ndarray) and not np.iscomplexobj(data)


@contextmanager
def _uff_path(src: FileSource) -> Iterator[str]:
    if not src.compressed:
        yield str(src.path)
        return
    with tempfile.TemporaryDirectory(prefix="openphm-uff-") as tmp:
        path = Path(tmp) / f"{src.stem}.uff"
        with src.open() as fh, path.open("wb") as out:
            shutil.copyfileobj(fh, out)
        yield str(path)


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read the time responses of a UFF file.

    Parameters
    ----------
    src : FileSource
        The file (``.uff``, ``.unv``, possibly compressed).
    fs : float, optional
        Sampling rate in Hz (replaces the abscissa increment).
    unit : str, optional
        Unit of the samples (replaces the ordinate axis label).
    channels : str, int or sequence, optional
        Channel names (ID line 1 or ``node+dir``) or 0-based positions among the time responses.
    speed_hz : float, optional
        Shaft speed in Hz.

    Returns
    -------
    Recording
        ``metadata`` holds the number of data sets and ID line 3 (the date) of the first.

    Raises
    ------
    DataError
        The file holds no time-response data set 58.

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("impact.uff", channels=[0])                # doctest: +SKIP
    """
    with _uff_path(src) as path:
        uff = pyuff.UFF(path)
        types = [int(t) for t in uff.get_set_types()]
        dsets = [uff.read_sets(i) for i, kind in enumerate(types) if kind == 58]
    responses = [d for d in dsets if _is_time_response(d)]
    if not responses:
        raise DataError(
            f"{src.path}: no time-response data set 58 in the file (data sets found: "
            f"{sorted(set(types)) or 'none'}; function types: "
            f"{sorted({int(d.get('func_type', -1)) for d in dsets}) or 'none'})"
        )
    names = [_id_line(d) or dof_label(d["rsp_node"], d["rsp_dir"]) for d in responses]
    if len(set(names)) != len(names):
        names = [f"{name} #{i}" for i, name in enumerate(names)]
    found = [
        Candidate(
            name=name,
            length=int(d["data"].size),
            load=_samples(d),
            fs=_rate(d, f"{src.path}: data set {name!r}"),
            unit=str(d.get("ordinate_axis_units_lab", "")).strip(),
        )
        for name, d in zip(names, responses, strict=True)
    ]
    return build_recording(
        src,
        found,
        reader="uff",
        fs=fs,
        unit=unit,
        channels=channels,
        speed_hz=speed_hz,
        metadata={"data_sets": len(types), "id3": str(responses[0].get("id3", "")).strip()},
    )


def _id_line(dset: dict[str, Any]) -> str:
    """ID line 1, empty when unset (writers fill unset lines with ``NONE``)."""
    text = str(dset.get("id1", "")).strip()
    return "" if text.upper() == "NONE" else text


def _samples(dset: dict[str, Any]) -> Callable[[], npt.ArrayLike]:
    return lambda: np.asarray(dset["data"], dtype=np.float64)


def _rate(dset: dict[str, Any], where: str) -> Any:
    """The rate from the abscissa: ``1 / increment`` when even, else from the abscissa values."""
    if int(dset.get("abscissa_spacing", 1)) == 1:
        increment = float(dset.get("abscissa_inc", 0.0))
        return 1.0 / increment if increment > 0 else float("nan")
    return lambda: rate_from_time(np.asarray(dset["x"], dtype=np.float64), where)


register_reader(
    "uff",
    sniff,
    load,
    suffixes=(".uff", ".unv"),
    description="Universal File Format data set 58 (pyuff)",
)
