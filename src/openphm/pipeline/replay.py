"""Replay recorded measurements through ingestion in accelerated time, stoppable and restartable.

A replay hands measurements that were recorded earlier to :func:`openphm.pipeline.ingest.ingest`
(the one ingestion path) in the order of their acquisition times, each with its own time, and
paces them so that ``speed`` seconds of the recording pass per second of the wall clock. Ingestion
is idempotent (the same content at the same point and time is a duplicate), so a replay that is
run again stores nothing twice and only the measurements it had not reached cost time; a
duplicate is not waited for. A :class:`threading.Event` stops it between two measurements.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.pipeline.ingest import IngestSettings, make_handler, process_pending
from openphm.pipeline.transport import (
    HandlerOutcome,
    IncomingSamples,
    OutcomeCallback,
    call_handler,
)
from openphm.store import Store

__all__ = ["ReplaySummary", "replay_measurements"]


@dataclass(frozen=True)
class ReplaySummary(Serializable):
    """What a replay did.

    Parameters
    ----------
    stored : int
        Measurements stored (and processed) by this replay.
    duplicate : int
        Measurements found already stored (a previous run reached them).
    refused : int
        Measurements refused by ingestion (each recorded as a dead letter with its reason).
    failed : int
        Measurements whose ingestion raised (logged with the traceback).
    pending_processed : int
        Measurements a previous run had stored but not processed, processed first.
    stopped : bool
        Whether the stop event ended the replay before its last measurement.
    """

    stored: Annotated[int, Range(ge=0)] = 0
    duplicate: Annotated[int, Range(ge=0)] = 0
    refused: Annotated[int, Range(ge=0)] = 0
    failed: Annotated[int, Range(ge=0)] = 0
    pending_processed: Annotated[int, Range(ge=0)] = 0
    stopped: bool = False

    def __post_init__(self) -> None:
        validate_fields(self)


def _check_speed(speed: float) -> None:
    if not (speed > 0.0):  # also refuses NaN
        raise ConfigError(
            f"replay speed {speed!r} must be a positive number of recorded seconds per second "
            "(math.inf: as fast as ingestion goes)"
        )


def replay_measurements(
    store: Store,
    items: Iterable[IncomingSamples],
    *,
    speed: float = 50.0,
    stop: threading.Event | None = None,
    settings: IngestSettings | None = None,
    on_outcome: OutcomeCallback | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> ReplaySummary:
    """Ingest recorded measurements in acquisition order, ``speed`` times faster than recorded.

    Before the first item, measurements a previous (interrupted) run stored but did not process
    are processed (:func:`~openphm.pipeline.ingest.process_pending`). Then each item goes
    through :func:`~openphm.pipeline.ingest.ingest`; after one that is stored, the replay waits
    until ``(t_next - t_this) / speed`` seconds have passed since it started ingesting it, where
    ``t`` are acquisition times, so the wall-clock period is that gap or the ingestion time,
    whichever is longer. Duplicates and refusals are not waited for.

    Parameters
    ----------
    store : Store
        Where the measurements go.
    items : iterable of IncomingSamples
        The measurements, in increasing acquisition time (each carries its ``acquired_at``).
    speed : float
        Recorded seconds replayed per wall-clock second (50: snapshots recorded 10 s apart
        arrive every 0.2 s); ``math.inf`` does not wait.
    stop : threading.Event, optional
        Set it (from another thread) to end the replay before its next measurement.
    settings : IngestSettings, optional
        What ingestion accepts and how measurements are judged.
    on_outcome : callable, optional
        Told ``(item, outcome)`` for every item ingestion answered.
    monotonic : callable
        The clock the pacing reads, s.

    Returns
    -------
    ReplaySummary
        Counts of what was stored, already there, refused or failed, and whether it was stopped.

    Raises
    ------
    ConfigError
        ``speed`` is not positive.

    Examples
    --------
    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> import numpy as np
    >>> from openphm.store import Store
    >>> with tempfile.TemporaryDirectory() as home:
    ...     store = Store.open(home)
    ...     _ = store.add_site("lab"), store.add_machine("lab", "fan", profile="electric_motor")
    ...     _ = store.add_point("lab/fan", "DE", sensor="accelerometer", unit="g", fs_hz=1000.0)
    ...     item = IncomingSamples(
    ...         "lab/fan/DE", datetime(2024, 1, 1, tzinfo=UTC), 1000.0, "g",
    ...         np.random.default_rng(0).normal(size=1000))
    ...     first = replay_measurements(store, [item], speed=math.inf)
    ...     again = replay_measurements(store, [item], speed=math.inf)
    ...     store.close()
    >>> first.stored, again.stored, again.duplicate
    (1, 0, 1)
    """
    _check_speed(speed)
    s = settings or IngestSettings()
    halt = stop or threading.Event()
    pending = len(process_pending(store, s.monitor)) if s.process else 0
    counts = dict.fromkeys(("stored", "duplicate", "refused", "failed"), 0)
    handler = make_handler(store, s)
    previous: IncomingSamples | None = None
    started = monotonic()
    stopped = False
    for item in items:
        if previous is not None and math.isfinite(speed):
            gap_s = (item.acquired_at - previous.acquired_at).total_seconds()
            halt.wait(max(0.0, gap_s / speed - (monotonic() - started)))
        if halt.is_set():
            stopped = True
            break
        started = monotonic()
        outcome = call_handler(handler, item, on_outcome)
        status = outcome.status if isinstance(outcome, HandlerOutcome) else "failed"
        counts[status] += 1
        previous = item if status == "stored" else None
    return ReplaySummary(
        stored=counts["stored"],
        duplicate=counts["duplicate"],
        refused=counts["refused"],
        failed=counts["failed"],
        pending_processed=pending,
        stopped=stopped,
    )
