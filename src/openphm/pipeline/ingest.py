"""Ingestion: check what arrived, store it once, atomically, then process it.

Every front end calls :func:`ingest` (the command line with ``openphm ingest``, the folder watcher,
MQTT, the API): it is the :data:`~openphm.pipeline.transport.Handler` of
:mod:`openphm.pipeline.transport`. An item is refused with a reason, and recorded in the store's
dead-letter table, when its point is unknown, its file cannot be read, its unit is not the
point's, its sampling rate is absurd or not the point's, or it is too large; nothing of it then
reaches the catalogue. A measurement that is stored is acknowledged (the store's transaction has
committed) before it is processed: a crash during processing leaves it ``stored``, and
:func:`process_pending` finishes the work.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from openphm.acquire.channels import load_record, pick_channel
from openphm.core.errors import DataError, OpenPHMError
from openphm.core.units import normalise_unit
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import Recording, Waveform
from openphm.pipeline.monitor import (
    MonitorOutcome,
    MonitorSettings,
    point_channel,
    process_measurement,
)
from openphm.pipeline.transport import (
    HandlerOutcome,
    Incoming,
    IncomingBytes,
    IncomingFile,
)
from openphm.store import PointInfo, Store

__all__ = ["IngestSettings", "ingest", "make_handler", "process_pending"]


@dataclass(frozen=True)
class IngestSettings:
    """What ingestion accepts.

    Parameters
    ----------
    max_bytes : int
        Largest file accepted, bytes (default 256 MiB: a minute of 8 channels at 51.2 kHz in
        float64 is 200 MB).
    min_fs_hz, max_fs_hz : float
        Sampling rates accepted, Hz (default 1 Hz to 10 MHz).
    fs_tolerance : float
        Largest relative difference between a file's sampling rate and the point's.
    process : bool
        Process each stored measurement at once (default); False only stores it.
    monitor : MonitorSettings
        How measurements are judged.
    """

    max_bytes: Annotated[int, Range(ge=1)] = 256 * 1024 * 1024
    min_fs_hz: Annotated[float, Range(gt=0.0)] = 1.0
    max_fs_hz: Annotated[float, Range(gt=0.0)] = 1e7
    fs_tolerance: Annotated[float, Range(ge=0.0)] = 1e-3
    process: bool = True
    monitor: MonitorSettings = field(default_factory=MonitorSettings)

    def __post_init__(self) -> None:
        validate_fields(self)


def _read(path: Path, point: PointInfo) -> Recording:
    """The record, at the point's sampling rate when the file states none."""
    try:
        return load_record(path)
    except OpenPHMError as first:
        if point.fs_hz is None:
            raise
        try:
            return load_record(path, point.fs_hz)
        except OpenPHMError:
            raise first from None


def _check_wave(wave: Waveform, point: PointInfo, s: IngestSettings, where: str) -> str:
    """The unit the measurement is in; DataError when it does not fit the point."""
    if not (math.isfinite(wave.fs) and s.min_fs_hz <= wave.fs <= s.max_fs_hz):
        raise DataError(
            f"{where}: sampling rate {wave.fs:g} Hz is outside {s.min_fs_hz:g}-{s.max_fs_hz:g} Hz"
        )
    if point.fs_hz is not None and abs(wave.fs - point.fs_hz) > s.fs_tolerance * point.fs_hz:
        raise DataError(
            f"{where}: sampling rate {wave.fs:g} Hz is not point {point.path}'s {point.fs_hz:g} Hz"
        )
    unit = wave.unit or point.unit
    if point.unit and normalise_unit(unit) != normalise_unit(point.unit):
        raise DataError(
            f"{where}: channel {wave.channel!r} is in {unit!r}, point {point.path} measures "
            f"{point.unit!r}"
        )
    if wave.n_samples < 2:
        raise DataError(f"{where}: channel {wave.channel!r} holds {wave.n_samples} sample(s)")
    return unit


def _acquired_at(wave: Waveform, path: Path | None, fallback: datetime) -> datetime:
    """When the measurement was taken: the file's start time, else its mtime, else arrival."""
    if wave.start is not None:
        return wave.start if wave.start.tzinfo else wave.start.replace(tzinfo=UTC)
    if path is not None:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return fallback


def _store_file(
    store: Store,
    point: PointInfo,
    path: Path,
    name: str,
    received_at: datetime,
    s: IngestSettings,
    data: bytes | None = None,
) -> tuple[HandlerOutcome, Recording]:
    size = len(data) if data is not None else path.stat().st_size
    if size > s.max_bytes:
        raise DataError(f"{name}: {size} bytes is over the limit of {s.max_bytes} bytes")
    recording = _read(path, point)
    wave = pick_channel(recording, point_channel(recording, point))
    unit = _check_wave(wave, point, s, name)
    added = store.add_measurement(
        point.id,
        data=data if data is not None else path,
        original_name=name,
        acquired_at=_acquired_at(wave, path if data is None else None, received_at),
        kind="waveform",
        fs_hz=wave.fs,
        n_samples=wave.n_samples,
        unit=unit,
        speed_hz=wave.speed_hz,
    )
    return HandlerOutcome(added.status, name, added.measurement_id), recording


def _store(
    store: Store, item: Incoming, point: PointInfo, s: IngestSettings
) -> tuple[HandlerOutcome, Recording]:
    """Store the item; the outcome, and the record as read (for processing)."""
    if isinstance(item, IncomingFile):
        return _store_file(store, point, item.path, item.path.name, item.received_at, s)
    if isinstance(item, IncomingBytes):
        suffix = Path(item.name).suffix
        with tempfile.TemporaryDirectory(prefix="openphm-ingest-") as tmp:
            path = Path(tmp) / f"incoming{suffix}"
            path.write_bytes(item.data)
            try:
                return _store_file(store, point, path, item.name, item.received_at, s, item.data)
            except OpenPHMError as exc:
                # Name the file as it was sent, not the temporary copy the readers opened.
                raise type(exc)(str(exc).replace(str(path), item.name)) from None
    wave = Waveform(item.samples, item.fs_hz, unit=item.unit, channel=item.channel)
    unit = _check_wave(wave, point, s, f"samples for {point.path}")
    added = store.add_samples(
        point.id,
        item.samples,
        fs_hz=item.fs_hz,
        acquired_at=item.acquired_at,
        unit=unit,
        channel=item.channel or point.name,
        speed_hz=item.speed_hz,
        load=item.load,
    )
    stored = Recording((wave.with_samples(wave.samples, unit=unit),), source=point.path)
    return HandlerOutcome(added.status, point.path, added.measurement_id), stored


def _source(item: Incoming) -> tuple[str, bytes | Path | None]:
    if isinstance(item, IncomingFile):
        readable = item.path.is_file() and os.access(item.path, os.R_OK)
        return str(item.path), item.path if readable else None
    if isinstance(item, IncomingBytes):
        return item.name, item.data
    return f"samples for {item.point}", None


def ingest(
    store: Store,
    item: Incoming,
    settings: IngestSettings | None = None,
    *,
    on_processed: Callable[[MonitorOutcome], None] | None = None,
) -> HandlerOutcome:
    """Store one incoming measurement once, then process it; refuse bad input with a reason.

    Parameters
    ----------
    store : Store
        Where it goes.
    item : IncomingFile or IncomingBytes or IncomingSamples
        What arrived, for which point (id or ``site/machine/point`` path).
    settings : IngestSettings, optional
        Limits of what is accepted, and how measurements are judged.
    on_processed : callable, optional
        Told the outcome of processing a newly stored measurement.

    Returns
    -------
    HandlerOutcome
        ``stored`` (with the new id), ``duplicate`` (the same content, point and time is already
        stored: nothing is written), or ``refused`` with the reason (and a dead-letter record).
    """
    s = settings or IngestSettings()
    name, data = _source(item)
    try:
        point = store.point(item.point)
        outcome, recording = _store(store, item, point, s)
    except (OpenPHMError, OSError) as exc:
        reason = str(exc) if isinstance(exc, OpenPHMError) else f"{name}: {exc.strerror or exc}"
        store.add_dead_letter(Path(name).name, reason, point_ref=item.point, data=data)
        return HandlerOutcome("refused", reason)
    if outcome.status == "stored" and s.process and outcome.measurement_id is not None:
        processed = process_measurement(
            store, outcome.measurement_id, s.monitor, recording=recording
        )
        if on_processed is not None:
            on_processed(processed)
    return outcome


def make_handler(
    store: Store,
    settings: IngestSettings | None = None,
    *,
    on_processed: Callable[[MonitorOutcome], None] | None = None,
) -> Callable[[Incoming], HandlerOutcome]:
    """The ingestion handler bound to a store, for the transports (watcher, MQTT).

    Parameters
    ----------
    store : Store
        Where measurements go.
    settings : IngestSettings, optional
        Limits and monitoring settings.
    on_processed : callable, optional
        Told the outcome of processing each newly stored measurement.

    Returns
    -------
    callable
        ``handler(item) -> HandlerOutcome``.
    """

    def handler(item: Incoming) -> HandlerOutcome:
        return ingest(store, item, settings, on_processed=on_processed)

    return handler


def process_pending(store: Store, settings: MonitorSettings | None = None) -> list[MonitorOutcome]:
    """Process the measurements that were stored but not processed (after a crash, or with
    ``process=False``).

    Parameters
    ----------
    store : Store
        The store.
    settings : MonitorSettings, optional
        How measurements are judged.

    Returns
    -------
    list of MonitorOutcome
        One per measurement, oldest first.
    """
    if settings is None:
        settings = MonitorSettings()
    return [process_measurement(store, m.id, settings) for m in store.pending()]
