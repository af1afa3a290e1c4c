"""NI TDMS reader (npTDMS): each numeric channel is a channel named ``"group/channel"``.

The rate comes from the channel's ``wf_increment`` property (the sample interval, in s), else from a
rate or interval property of its group or of the file (see :mod:`openphm.acquire.formats.common`).
``unit_string`` (or ``NI_UnitDescription``) gives the unit and ``wf_start_time`` the time of the
first sample (UTC). Channels are read lazily: choosing some reads only those. Root properties go to
``metadata``.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import numpy as np
from nptdms import TdmsFile

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
from openphm.core.errors import DataQualityWarning
from openphm.core.waveform import Recording


class _Collect(logging.Handler):
    """Keeps the messages npTDMS logs while a file is read."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _reported_damage(src: FileSource) -> Iterator[None]:
    """Turn what npTDMS logs about a damaged file (a truncated last segment) into one
    :class:`~openphm.core.errors.DataQualityWarning` naming the file, instead of log lines."""
    # npTDMS gives each of its modules a logger with its own console handler.
    names = [n for n in logging.Logger.manager.loggerDict if n.split(".")[0] == "nptdms"]
    loggers = [logging.getLogger(n) for n in names]
    saved = [(lg.handlers, lg.propagate) for lg in loggers]
    handler = _Collect()
    for lg in loggers:
        lg.handlers, lg.propagate = [handler], False
    try:
        yield
    finally:
        for lg, (handlers, propagate) in zip(loggers, saved, strict=True):
            lg.handlers, lg.propagate = handlers, propagate
    if handler.messages:
        warnings.warn(
            f"{src.path}: the file looks truncated or damaged; read what it holds "
            f"({'; '.join(dict.fromkeys(handler.messages))})",
            DataQualityWarning,
            stacklevel=4,
        )


def sniff(src: FileSource) -> bool:
    """The ``TDSm`` lead-in tag of a TDMS segment.

    Parameters
    ----------
    src : FileSource
        The file, of which only the head is looked at.

    Returns
    -------
    bool
        Whether this reader recognises the content.
    """
    return src.head[:4] == b"TDSm"


def properties(props: dict[str, Any]) -> dict[str, Scalar]:
    """TDMS properties as plain numbers, text and UTC datetimes (others dropped).

    Parameters
    ----------
    props : dict
        npTDMS property values (numpy numbers, strings, ``numpy.datetime64``...).

    Returns
    -------
    dict of str to float, str or datetime
        The usable properties.
    """
    out: dict[str, Scalar] = {}
    for name, value in props.items():
        if isinstance(value, np.datetime64):
            micros = value.astype("datetime64[us]").astype(np.int64)
            out[name] = datetime.fromtimestamp(int(micros) / 1e6, tz=UTC)
        elif isinstance(value, str):
            out[name] = value
        elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool | np.bool_
        ):
            out[name] = float(value)
    return out


def load(
    src: FileSource,
    *,
    fs: float | None = None,
    unit: str | None = None,
    channels: ChannelSelection = None,
    speed_hz: float | None = None,
) -> Recording:
    """Read a TDMS file.

    Parameters
    ----------
    src : FileSource
        The file (a compressed one is decompressed into memory).
    fs : float, optional
        Sampling rate in Hz (replaces or provides ``wf_increment``).
    unit : str, optional
        Unit of the samples (replaces ``unit_string``).
    channels : str, int or sequence, optional
        ``"group/channel"`` names or 0-based positions; default all numeric channels.
    speed_hz : float, optional
        Shaft speed in Hz.

    Returns
    -------
    Recording
        ``metadata`` holds the root properties.

    Warns
    -----
    DataQualityWarning
        The file looks truncated or damaged (npTDMS reads what it holds).

    Examples
    --------
    >>> from openphm.acquire import read
    >>> rec = read("run.tdms", channels=["Vibration/DE"])     # doctest: +SKIP
    """
    with _reported_damage(src), seekable(src) as target, TdmsFile.open(target) as tdms:
        groups = {
            group.name: Group(
                properties(group.properties),
                {
                    ch.name: Array(
                        LazyVector(len(ch), np.dtype(ch.dtype), ch.read_data),
                        properties(ch.properties),
                    )
                    for ch in group.channels()
                    if ch.dtype is not None
                },
            )
            for group in tdms.groups()
        }
        root = properties(tdms.properties)
        return build_recording(
            src,
            candidates(Group(root, {}, groups), min_samples=0),
            reader="tdms",
            fs=fs,
            unit=unit,
            channels=channels,
            speed_hz=speed_hz,
            metadata=root,
        )


register_reader(
    "tdms",
    sniff,
    load,
    suffixes=(".tdms",),
    description="NI TDMS (npTDMS)",
)
