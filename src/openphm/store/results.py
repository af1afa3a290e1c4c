"""Processing results: result rows, the trend table, baselines and detectors' streaming states.

:func:`add_results` writes everything one processing of a measurement produced (results, indicator
values, detector states, the new status) in the caller's single transaction, so that a measurement
is either ``processed`` with all of it or still ``stored`` with none of it. Processing a
measurement again replaces its results and indicator values (the latest processing wins).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from openphm.core.errors import ConfigError, DataError
from openphm.store.fleet import component_row, point_row
from openphm.store.measurements import get_measurement
from openphm.store.models import Baseline, DetectorState, IndicatorValue, Point, Result
from openphm.store.records import (
    BaselineInfo,
    ResultInfo,
    ResultRow,
    TrendPoint,
    frozen_mapping,
)

#: Statuses a processing can leave a measurement in.
FINAL_STATUSES = ("processed", "failed")


def _optional(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(value)


def result_info(row: Result) -> ResultInfo:
    """A result row as a :class:`ResultInfo`.

    Parameters
    ----------
    row : Result
        The row.

    Returns
    -------
    ResultInfo
        Its plain copy.
    """
    return ResultInfo(
        id=row.id,
        measurement_id=row.measurement_id,
        component_id=row.component_id,
        kind=row.kind,
        payload=frozen_mapping(row.payload),
        openphm_version=row.openphm_version,
        settings=None if row.settings is None else frozen_mapping(row.settings),
        settings_hash=row.settings_hash,
        input=None if row.input is None else frozen_mapping(row.input),
        created_at=row.created_at,
    )


def set_state(
    session: Session, point_id: int, key: str, payload: Mapping[str, Any], now: datetime
) -> None:
    """Insert or replace a detector's streaming state at a point.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    point_id : int
        The point.
    key : str
        Which detector (``"cusum:rms"``...).
    payload : Mapping
        The state as JSON.
    now : datetime.datetime
        Update time (UTC).
    """
    set_states(session, point_id, {key: payload}, now)


def set_states(
    session: Session, point_id: int, states: Mapping[str, Mapping[str, Any]], now: datetime
) -> None:
    """Insert or replace several detector states of a point (one query for those that exist).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    point_id : int
        The point.
    states : Mapping of str to Mapping
        The states as JSON, by key.
    now : datetime.datetime
        Update time (UTC).
    """
    if not states:
        return
    query = select(DetectorState).where(
        DetectorState.point_id == point_id, DetectorState.key.in_(list(states))
    )
    existing = {row.key: row for row in session.scalars(query)}
    for key, payload in states.items():
        row = existing.get(key)
        if row is None:
            session.add(
                DetectorState(point_id=point_id, key=key, payload=dict(payload), updated_at=now)
            )
        else:
            row.payload = dict(payload)
            row.updated_at = now
    session.flush()


def add_results(
    session: Session,
    measurement_id: int,
    results: Sequence[ResultRow],
    indicators: Mapping[str, float],
    states: Mapping[str, Mapping[str, Any]],
    status: str,
    error: str | None,
    now: datetime,
) -> tuple[int, ...]:
    """Store one processing of a measurement: results, indicators, states and status, together.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session; the caller commits it as one transaction.
    measurement_id : int
        The measurement processed.
    results : sequence of ResultRow
        Its results.
    indicators : Mapping of str to float
        Indicator values for the trend table (``{"rms": 0.8, "kurtosis": 3.1}``), finite.
    states : Mapping of str to Mapping
        Detector states of the measurement's point to insert or replace, by key.
    status : str
        ``"processed"`` or ``"failed"``.
    error : str or None
        Why processing failed.
    now : datetime.datetime
        Time of storage (UTC).

    Returns
    -------
    tuple of int
        Ids of the stored results, in order.

    Raises
    ------
    ConfigError
        If the measurement or a result's component is unknown, or the status invalid.
    DataError
        If an indicator value is not finite.
    """
    if status not in FINAL_STATUSES:
        raise ConfigError(f"status {status!r} must be one of {FINAL_STATUSES}")
    measurement = get_measurement(session, measurement_id)
    point = session.get_one(Point, measurement.point_id)
    values = {}
    for name, value in indicators.items():
        number = float(value)
        if not math.isfinite(number):
            raise DataError(f"measurement {measurement_id}: indicator {name!r} = {value!r}")
        values[name] = number
    for component in {r.component_id for r in results} - {None}:
        assert component is not None
        component_row(session, point.machine_id, component)
    session.execute(delete(Result).where(Result.measurement_id == measurement_id))
    session.execute(delete(IndicatorValue).where(IndicatorValue.measurement_id == measurement_id))
    rows = [
        Result(
            measurement_id=measurement_id,
            component_id=r.component_id,
            kind=r.kind,
            payload=dict(r.payload),
            openphm_version=r.openphm_version,
            settings=_optional(r.settings),
            settings_hash=r.settings_hash,
            input=_optional(r.input),
            created_at=now,
        )
        for r in results
    ]
    session.add_all(rows)
    session.add_all(
        IndicatorValue(
            measurement_id=measurement_id,
            point_id=measurement.point_id,
            name=name,
            value=value,
            regime=measurement.regime,
            acquired_at=measurement.acquired_at,
        )
        for name, value in values.items()
    )
    set_states(session, measurement.point_id, states, now)
    measurement.status = status
    measurement.error = error
    session.flush()
    return tuple(r.id for r in rows)


def latest_result(session: Session, kind: str, component_id: int) -> ResultInfo | None:
    """The newest result of one kind for a component (one indexed query).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    kind : str
        The result kind (``"diagnosis"``).
    component_id : int
        The component.

    Returns
    -------
    ResultInfo or None
        The newest one, if any.
    """
    query = (
        select(Result)
        .where(Result.kind == kind, Result.component_id == component_id)
        .order_by(Result.id.desc())
        .limit(1)
    )
    row = session.scalars(query).first()
    return None if row is None else result_info(row)


def list_results(
    session: Session,
    measurement_id: int | None,
    kind: str | None,
    component_id: int | None,
) -> list[ResultInfo]:
    """Stored results, in storage order, filtered.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    measurement_id : int or None
        Only this measurement's.
    kind : str or None
        Only results of this kind.
    component_id : int or None
        Only this component's.

    Returns
    -------
    list of ResultInfo
        The results.
    """
    query = select(Result).order_by(Result.id)
    if measurement_id is not None:
        query = query.where(Result.measurement_id == measurement_id)
    if kind is not None:
        query = query.where(Result.kind == kind)
    if component_id is not None:
        query = query.where(Result.component_id == component_id)
    return [result_info(r) for r in session.scalars(query)]


def trend(
    session: Session,
    point: int | str,
    name: str,
    since: datetime | None,
    until: datetime | None,
    regime: str | None,
) -> list[TrendPoint]:
    """An indicator's values at a point, oldest first.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int or str
        The point (id or path).
    name : str
        The indicator (``"rms"``).
    since, until : datetime.datetime or None
        Acquisition-time window, ``since <= t < until``.
    regime : str or None
        Only this operating regime.

    Returns
    -------
    list of TrendPoint
        The values.
    """
    point_id = point_row(session, point).id
    # Columns, not entities: a long trend is read without building an ORM object per value.
    query = (
        select(
            IndicatorValue.measurement_id,
            IndicatorValue.acquired_at,
            IndicatorValue.value,
            IndicatorValue.regime,
        )
        .where(IndicatorValue.point_id == point_id, IndicatorValue.name == name)
        .order_by(IndicatorValue.acquired_at, IndicatorValue.measurement_id)
    )
    if since is not None:
        query = query.where(IndicatorValue.acquired_at >= since)
    if until is not None:
        query = query.where(IndicatorValue.acquired_at < until)
    if regime is not None:
        query = query.where(IndicatorValue.regime == regime)
    return [TrendPoint(*row) for row in session.execute(query)]


def baseline_info(row: Baseline) -> BaselineInfo:
    """A baseline row as a :class:`BaselineInfo`.

    Parameters
    ----------
    row : Baseline
        The row.

    Returns
    -------
    BaselineInfo
        Its plain copy.
    """
    return BaselineInfo(
        row.id, row.point_id, row.regime, row.indicator, frozen_mapping(row.payload), row.created_at
    )


def add_baseline(
    session: Session,
    point: int | str,
    regime: str | None,
    indicator: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> BaselineInfo:
    """Store a learned baseline (the newest one of a point, regime and indicator is in force).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    point : int or str
        The point (id or path).
    regime : str or None
        Operating regime, None for all.
    indicator : str
        The indicator it describes.
    payload : Mapping
        The baseline as JSON (median, MAD, limits, the measurements it was learned from...).
    now : datetime.datetime
        Creation time (UTC).

    Returns
    -------
    BaselineInfo
        The stored baseline.
    """
    row = Baseline(
        point_id=point_row(session, point).id,
        regime=regime,
        indicator=indicator,
        payload=dict(payload),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return baseline_info(row)


def latest_baseline(
    session: Session, point: int | str, regime: str | None, indicator: str
) -> BaselineInfo | None:
    """The baseline in force for a point, regime and indicator.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int or str
        The point (id or path).
    regime : str or None
        Operating regime (None matches baselines stored for all regimes).
    indicator : str
        The indicator.

    Returns
    -------
    BaselineInfo or None
        The newest matching baseline.
    """
    query = select(Baseline).where(
        Baseline.point_id == point_row(session, point).id,
        Baseline.indicator == indicator,
        Baseline.regime.is_(None) if regime is None else Baseline.regime == regime,
    )
    row = session.scalars(query.order_by(Baseline.id.desc()).limit(1)).first()
    return None if row is None else baseline_info(row)


def latest_baselines(
    session: Session, point: int | str, regime: str | None
) -> dict[str, BaselineInfo]:
    """The baseline in force for each indicator at a point and regime (one query).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int or str
        The point (id or path).
    regime : str or None
        Operating regime (None matches baselines stored for all regimes).

    Returns
    -------
    dict of str to BaselineInfo
        The newest baseline of each indicator that has one.
    """
    query = select(Baseline).where(
        Baseline.point_id == point_row(session, point).id,
        Baseline.regime.is_(None) if regime is None else Baseline.regime == regime,
    )
    newest: dict[str, BaselineInfo] = {}
    for row in session.scalars(query.order_by(Baseline.id)):
        newest[row.indicator] = baseline_info(row)
    return newest


def all_baselines(session: Session, point_id: int) -> dict[tuple[str | None, str], BaselineInfo]:
    """The baseline in force for each regime and indicator at a point (one query).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point_id : int
        The point.

    Returns
    -------
    dict of (str or None, str) to BaselineInfo
        The newest baseline of each (regime, indicator).
    """
    query = select(Baseline).where(Baseline.point_id == point_id).order_by(Baseline.id)
    return {(row.regime, row.indicator): baseline_info(row) for row in session.scalars(query)}


def get_states(session: Session, point: int | str) -> dict[str, Mapping[str, Any]]:
    """Every detector state of a point, by key.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    point : int or str
        The point (id or path).

    Returns
    -------
    dict of str to Mapping
        The states.
    """
    query = select(DetectorState).where(DetectorState.point_id == point_row(session, point).id)
    return {r.key: frozen_mapping(r.payload) for r in session.scalars(query)}
