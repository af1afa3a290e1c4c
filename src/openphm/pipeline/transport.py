"""What the ingestion transports hand over: the incoming items, the handler and its outcome.

Every front end (the command line, the folder watcher, MQTT, the API) feeds one ingestion
function, the *handler*. A transport turns what arrives (a settled file, a file's bytes sent over
MQTT, samples sent as JSON) into one of the :data:`Incoming` items below and calls the handler,
which stores the measurement once and answers with a :class:`HandlerOutcome`. The handler refuses
bad data with a reason rather than raising; a transport still survives a handler that raises
(:func:`call_handler` logs it and reports the failure).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError
from openphm.core.serialize import Serializable

__all__ = [
    "Handler",
    "HandlerOutcome",
    "Incoming",
    "IncomingBytes",
    "IncomingFile",
    "IncomingSamples",
    "OutcomeCallback",
    "OutcomeStatus",
    "call_handler",
]

_log = logging.getLogger(__name__)

#: What the handler did with an item: stored it, found it already stored, or refused it.
OutcomeStatus: TypeAlias = Literal["stored", "duplicate", "refused"]


def _frozen_mapping(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


def _aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise DataError(f"{what} {value.isoformat()} has no time zone; give an aware datetime")


@dataclass(frozen=True)
class IncomingFile(Serializable):
    """A settled file found by the folder watcher (or named on the command line).

    Parameters
    ----------
    path : pathlib.Path
        The file, as found; the handler reads it and never deletes or moves it.
    point : str
        The measurement point it belongs to (``"site/machine/point"`` or the point's id).
    received_at : datetime.datetime
        When the transport handed it over (time-zone aware).
    """

    path: Path
    point: str
    received_at: datetime

    def __post_init__(self) -> None:
        _aware(self.received_at, f"{self.path}: received_at")


@dataclass(frozen=True)
class IncomingBytes(Serializable):
    """A file's bytes sent over a transport (MQTT's framed payload), with the sender's header.

    Parameters
    ----------
    data : bytes
        The file's content, exactly as sent.
    name : str
        The file's name as the sender gave it (no folder), which tells the reader its format.
    point : str
        The measurement point (``"site/machine/point"``).
    received_at : datetime.datetime
        When the transport received it (time-zone aware).
    header : Mapping
        The sender's header (``name``, ``acquired_at``, hints such as ``fs_hz``), read-only.
    """

    data: bytes
    name: str
    point: str
    received_at: datetime
    header: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _aware(self.received_at, f"{self.name}: received_at")
        object.__setattr__(self, "header", _frozen_mapping(self.header))


@dataclass(frozen=True)
class IncomingSamples(Serializable):
    """One channel's samples sent as numbers (MQTT's JSON payload).

    Parameters
    ----------
    point : str
        The measurement point (``"site/machine/point"``).
    acquired_at : datetime.datetime
        Time of the first sample (time-zone aware).
    fs_hz : float
        Sampling rate in Hz.
    unit : str
        Unit of the samples as the sender states it (``"g"``, ``"m/s^2"``, ``"mm/s"``).
    samples : numpy.ndarray
        1-D samples, kept as a read-only float64 copy.
    channel : str
        Channel name (``"DE"``), empty when the point has one channel.
    speed_hz : float or None
        Shaft speed in Hz during the acquisition, if the sender knows it.
    load : float or None
        Load during the acquisition (in the machine's own unit), if the sender knows it.
    header : Mapping
        The sender's fields other than the samples, read-only, for provenance.
    received_at : datetime.datetime or None
        When the transport received it (time-zone aware), if known.
    """

    point: str
    acquired_at: datetime
    fs_hz: float
    unit: str
    samples: npt.NDArray[np.float64]
    channel: str = ""
    speed_hz: float | None = None
    load: float | None = None
    header: Mapping[str, object] = field(default_factory=dict)
    received_at: datetime | None = None

    def __post_init__(self) -> None:
        _aware(self.acquired_at, f"{self.point}: acquired_at")
        if self.received_at is not None:
            _aware(self.received_at, f"{self.point}: received_at")
        samples = np.array(self.samples, dtype=np.float64, copy=True)
        if samples.ndim != 1:
            raise DataError(f"{self.point}: samples must be 1-D, got shape {samples.shape}")
        samples.setflags(write=False)
        object.__setattr__(self, "samples", samples)
        object.__setattr__(self, "header", _frozen_mapping(self.header))


#: Everything a transport can hand to the handler.
Incoming: TypeAlias = IncomingFile | IncomingBytes | IncomingSamples


@dataclass(frozen=True)
class HandlerOutcome(Serializable):
    """What the ingestion handler did with one item.

    Parameters
    ----------
    status : {"stored", "duplicate", "refused"}
        Stored as a new measurement, already stored (same content, point and time), or refused
        (and dead-lettered by the handler).
    detail : str
        Why, in words (the refusal's reason, the duplicate's original...).
    measurement_id : int or None
        The stored (or already stored) measurement's id; None when refused.
    """

    status: OutcomeStatus
    detail: str = ""
    measurement_id: int | None = None


#: The ingestion function every transport calls.
Handler: TypeAlias = Callable[[Incoming], HandlerOutcome]
#: Told of each item the handler answered, with its outcome.
OutcomeCallback: TypeAlias = Callable[[Incoming, HandlerOutcome], None]


def call_handler(
    handler: Handler, item: Incoming, on_outcome: OutcomeCallback | None = None
) -> HandlerOutcome | Exception:
    """Call the handler on one item, surviving a handler (or callback) that raises.

    Parameters
    ----------
    handler : Handler
        The ingestion function.
    item : Incoming
        What arrived.
    on_outcome : callable, optional
        Told ``(item, outcome)`` after the handler answers; its own failures are logged only.

    Returns
    -------
    HandlerOutcome or Exception
        The handler's answer, or the exception it raised (logged with its traceback), so that the
        transport can count it and go on.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> item = IncomingFile(Path("a.csv"), "s/m/p", datetime(2024, 1, 1, tzinfo=UTC))
    >>> call_handler(lambda i: HandlerOutcome("stored", "", 7), item).measurement_id
    7
    >>> def broken(i):
    ...     raise RuntimeError("database is locked")
    >>> call_handler(broken, item)
    RuntimeError('database is locked')
    """
    try:
        outcome = handler(item)
    except Exception as exc:
        _log.exception("ingestion handler raised on %s", _describe(item))
        return exc
    if on_outcome is not None:
        try:
            on_outcome(item, outcome)
        except Exception:
            _log.exception("on_outcome callback raised on %s", _describe(item))
    return outcome


def _describe(item: Incoming) -> str:
    if isinstance(item, IncomingFile):
        return f"file {item.path}"
    if isinstance(item, IncomingBytes):
        return f"{item.name!r} for {item.point}"
    return f"samples for {item.point} at {item.acquired_at.isoformat()}"
