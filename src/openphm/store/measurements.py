"""Measurements: the atomic, idempotent ingest and the catalogue queries over measurements.

:func:`add_measurement` is the heart of ingestion. The order makes a crash at any instant harmless:

1. hash the content and look for the same measurement (point, sha256, acquisition time): if it is
   there, answer ``duplicate`` with its id;
2. write the file to its content address (temporary file, fsync, rename, fsync of the folder);
3. insert the row in one transaction; a UNIQUE violation (a concurrent ingest of the same
   measurement won the race) also answers ``duplicate``.

A crash before 3 commits leaves no row (at most an orphan file, reused by the next ingest of those
bytes and reported by :meth:`Store.check`); after it, a complete row whose file exists and hashes
right. Returning is the acknowledgement.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, cast, get_args

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from openphm.core.errors import ConfigError, DataError
from openphm.store.blobs import BlobStore, blob_suffix, sha256_of
from openphm.store.fleet import point_row
from openphm.store.models import Measurement
from openphm.store.records import (
    AddOutcome,
    MeasurementInfo,
    MeasurementKind,
    MeasurementStatus,
    frozen_mapping,
)


def measurement_info(row: Measurement) -> MeasurementInfo:
    """A measurement row as a :class:`MeasurementInfo`.

    Parameters
    ----------
    row : Measurement
        The row.

    Returns
    -------
    MeasurementInfo
        Its plain copy.
    """
    return MeasurementInfo(
        id=row.id,
        point_id=row.point_id,
        kind=cast(MeasurementKind, row.kind),
        acquired_at=row.acquired_at,
        content_sha256=row.content_sha256,
        blob=row.blob,
        original_name=row.original_name,
        fs_hz=row.fs_hz,
        n_samples=row.n_samples,
        unit=row.unit,
        speed_hz=row.speed_hz,
        load=row.load,
        regime=row.regime,
        scalars=None if row.scalars is None else frozen_mapping(row.scalars),
        status=cast(MeasurementStatus, row.status),
        error=row.error,
        created_at=row.created_at,
    )


def _check_optional_number(value: float | None, what: str, where: str) -> float | None:
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise DataError(f"{where}: {what} {value!r} must be a finite, non-negative number")
    return number


def _content(
    kind: str,
    data: bytes | Path | None,
    scalars: Mapping[str, Any] | None,
    where: str,
) -> tuple[str, bytes | Path | None]:
    """The sha256 identifying the measurement, and the bytes to keep as a file (None: none)."""
    if kind not in get_args(MeasurementKind):
        raise ConfigError(f"{where}: kind {kind!r} must be one of {get_args(MeasurementKind)}")
    if data is not None:
        if isinstance(data, Path) and not data.is_file():
            raise DataError(f"{data}: not a file")
        return sha256_of(data)[0], data
    if kind == "waveform":
        raise DataError(f"{where}: a waveform measurement needs its data (bytes or a file)")
    if not scalars:
        raise DataError(f"{where}: a scalars measurement needs its scalars")
    try:
        canonical = json.dumps(dict(scalars), sort_keys=True, allow_nan=False).encode()
    except (TypeError, ValueError) as exc:
        raise DataError(f"{where}: scalars are not finite JSON values ({exc})") from exc
    return sha256_of(canonical)[0], None


def find_measurement(
    session: Session, point_id: int, sha256: str, acquired_at: datetime
) -> int | None:
    """Id of the measurement with this point, content and acquisition time, if stored.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point_id : int
        The point.
    sha256 : str
        Content hash.
    acquired_at : datetime.datetime
        Acquisition time (aware).

    Returns
    -------
    int or None
        The measurement id.
    """
    return session.scalar(
        select(Measurement.id).where(
            Measurement.point_id == point_id,
            Measurement.content_sha256 == sha256,
            Measurement.acquired_at == acquired_at,
        )
    )


def add_measurement(
    sessions: sessionmaker[Session],
    blobs: BlobStore,
    point: int | str,
    *,
    data: bytes | Path | None,
    original_name: str,
    acquired_at: datetime,
    kind: str,
    fs_hz: float | None,
    n_samples: int | None,
    unit: str | None,
    speed_hz: float | None,
    load: float | None,
    regime: str | None,
    scalars: Mapping[str, Any] | None,
    now: datetime,
) -> AddOutcome:
    """Store a measurement once, atomically (see the module's docstring for the order).

    Parameters
    ----------
    sessions : sqlalchemy.orm.sessionmaker
        Factory of write sessions.
    blobs : BlobStore
        The waveform files.
    point : int or str
        The point (id or path).
    data : bytes, pathlib.Path or None
        The file's content or the file; None for a scalars measurement.
    original_name : str
        Name of the file as received (its extension is kept).
    acquired_at : datetime.datetime
        Acquisition time, timezone-aware.
    kind : str
        ``"waveform"`` or ``"scalars"``.
    fs_hz : float or None
        Sampling rate in Hz (waveforms).
    n_samples : int or None
        Number of samples (waveforms).
    unit : str or None
        Unit of the samples; None takes the point's.
    speed_hz : float or None
        Shaft speed in Hz during the acquisition.
    load : float or None
        Load (machine-specific unit, e.g. a fraction of rated torque).
    regime : str or None
        Operating-regime label.
    scalars : Mapping or None
        Scalar telemetry as JSON (temperature, pressures...).
    now : datetime.datetime
        Time of storage (UTC).

    Returns
    -------
    AddOutcome
        ``stored`` with the new id, or ``duplicate`` with the id already stored.

    Raises
    ------
    ConfigError
        If the point is unknown or the kind invalid.
    DataError
        If the data or a field is invalid.
    """
    where = original_name or str(point)
    if acquired_at.tzinfo is None or acquired_at.utcoffset() is None:
        raise DataError(f"{where}: acquired_at {acquired_at.isoformat()} has no timezone")
    sha256, payload = _content(kind, data, scalars, where)
    if kind == "waveform":
        if fs_hz is None or not math.isfinite(fs_hz) or fs_hz <= 0:
            raise DataError(f"{where}: sampling rate {fs_hz!r} Hz must be positive")
        if n_samples is None or n_samples <= 0:
            raise DataError(f"{where}: n_samples {n_samples!r} must be positive")
    fields = {
        "speed_hz": _check_optional_number(speed_hz, "speed_hz", where),
        "load": _check_optional_number(load, "load", where),
    }
    with sessions() as session:
        target = point_row(session, point)
        point_id, point_unit = target.id, target.unit
        existing = find_measurement(session, point_id, sha256, acquired_at)
    if existing is not None:
        return AddOutcome("duplicate", existing, sha256)
    name = None if payload is None else blobs.put(payload, sha256, blob_suffix(original_name))
    row = Measurement(
        point_id=point_id,
        kind=kind,
        acquired_at=acquired_at,
        content_sha256=sha256,
        blob=name,
        original_name=original_name,
        fs_hz=fs_hz,
        n_samples=n_samples,
        unit=point_unit if unit is None else unit,
        regime=regime,
        scalars=None if scalars is None else dict(scalars),
        status="stored",
        created_at=now,
        **fields,
    )
    try:
        with sessions.begin() as session:
            session.add(row)
            session.flush()
            new_id = row.id
    except IntegrityError:
        with sessions() as session:
            existing = find_measurement(session, point_id, sha256, acquired_at)
        if existing is None:
            raise
        return AddOutcome("duplicate", existing, sha256)
    return AddOutcome("stored", new_id, sha256)


def get_measurement(session: Session, measurement_id: int) -> Measurement:
    """The measurement row of an id.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    measurement_id : int
        The id.

    Returns
    -------
    Measurement
        The row.

    Raises
    ------
    ConfigError
        If there is no such measurement.
    """
    row = session.get(Measurement, measurement_id)
    if row is None:
        raise ConfigError(f"measurement {measurement_id!r} not found")
    return row


def count_measurements(session: Session, point: int | str) -> int:
    """How many measurements a point holds (one indexed count).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int or str
        The point (id or path).

    Returns
    -------
    int
        The count.
    """
    point_id = point_row(session, point).id
    query = select(func.count(Measurement.id)).where(Measurement.point_id == point_id)
    return int(session.scalar(query) or 0)


def list_measurements(
    session: Session,
    point: int | str | None,
    status: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int | None,
    newest_first: bool = False,
) -> list[MeasurementInfo]:
    """Measurements, oldest acquisition first (or newest first), filtered.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int, str or None
        Only this point's.
    status : str or None
        Only those in this status (``"stored"`` lists those still to process).
    since, until : datetime.datetime or None
        Acquisition-time window, ``since <= t < until``.
    limit : int or None
        At most this many.
    newest_first : bool, default False
        Newest acquisition first (with ``limit``: the latest ones).

    Returns
    -------
    list of MeasurementInfo
        The measurements.
    """
    order = (Measurement.acquired_at, Measurement.id)
    query = select(Measurement).order_by(*(c.desc() for c in order) if newest_first else order)
    if point is not None:
        query = query.where(Measurement.point_id == point_row(session, point).id)
    if status is not None:
        if status not in get_args(MeasurementStatus):
            raise ConfigError(f"status {status!r} must be one of {get_args(MeasurementStatus)}")
        query = query.where(Measurement.status == status)
    if since is not None:
        query = query.where(Measurement.acquired_at >= since)
    if until is not None:
        query = query.where(Measurement.acquired_at < until)
    if limit is not None:
        query = query.limit(limit)
    return [measurement_info(r) for r in session.scalars(query)]
