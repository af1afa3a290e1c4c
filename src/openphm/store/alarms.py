"""Alarms and their life cycle: raised, escalated or de-escalated, acknowledged, cleared.

An alarm is identified while open by its machine, point and key (``"rms"``, ``"bearing:DE"``);
raising it again at another level escalates or de-escalates it, at the same level changes nothing.
Every change writes an :class:`~openphm.store.models.AlarmEvent`. The hysteresis and counts that
decide *when* to raise or clear belong to :mod:`openphm.detect`; this module only records.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from openphm.core.errors import ConfigError
from openphm.store.models import Alarm, AlarmEvent
from openphm.store.records import (
    AlarmEventInfo,
    AlarmEventKind,
    AlarmInfo,
    AlarmLevel,
    AlarmState,
    frozen_mapping,
)

_OPEN = ("raised", "acknowledged")


def alarm_info(row: Alarm) -> AlarmInfo:
    """An alarm row as an :class:`AlarmInfo`.

    Parameters
    ----------
    row : Alarm
        The row.

    Returns
    -------
    AlarmInfo
        Its plain copy.
    """
    return AlarmInfo(
        id=row.id,
        machine_id=row.machine_id,
        point_id=row.point_id,
        component_id=row.component_id,
        source=row.source,
        key=row.key,
        level=cast(AlarmLevel, row.level),
        state=cast(AlarmState, row.state),
        message=row.message,
        details=frozen_mapping(row.details),
        raised_at=row.raised_at,
        updated_at=row.updated_at,
        cleared_at=row.cleared_at,
    )


def _event(
    session: Session,
    alarm: Alarm,
    kind: AlarmEventKind,
    at: datetime,
    user: str | None = None,
    comment: str = "",
    details: Mapping[str, Any] | None = None,
) -> None:
    session.add(
        AlarmEvent(
            alarm_id=alarm.id,
            at=at,
            kind=kind,
            user=user,
            comment=comment,
            details=dict(details or {}),
        )
    )
    alarm.updated_at = at
    session.flush()


def _alarm_row(session: Session, alarm_id: int) -> Alarm:
    row = session.get(Alarm, alarm_id)
    if row is None:
        raise ConfigError(f"alarm {alarm_id!r} not found")
    return row


def open_alarm_row(
    session: Session, machine_id: int, point_id: int | None, key: str
) -> Alarm | None:
    """The open (raised or acknowledged) alarm of a machine, point and key, if any.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    machine_id : int
        The machine.
    point_id : int or None
        The point (None for a machine-level alarm).
    key : str
        What the alarm is about.

    Returns
    -------
    Alarm or None
        The row.
    """
    query = select(Alarm).where(
        Alarm.machine_id == machine_id,
        Alarm.point_id.is_(None) if point_id is None else Alarm.point_id == point_id,
        Alarm.key == key,
        Alarm.state.in_(_OPEN),
    )
    return session.scalars(query.order_by(Alarm.id.desc()).limit(1)).first()


def raise_alarm(
    session: Session,
    *,
    machine_id: int,
    point_id: int | None,
    component_id: int | None,
    source: str,
    key: str,
    level: str,
    message: str,
    details: Mapping[str, Any] | None,
    at: datetime,
) -> AlarmInfo:
    """Raise an alarm, or escalate / de-escalate the open one of the same machine, point and key.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    machine_id : int
        The machine.
    point_id : int or None
        The point, if the alarm is a point's.
    component_id : int or None
        The component it names, if any.
    source : str
        What raised it (``"indicator"``, ``"zone"``, ``"diagnosis"``...).
    key : str
        What it is about (``"rms"``, ``"bearing:DE"``).
    level : str
        ``"alert"`` or ``"danger"``.
    message : str
        One line for people.
    details : Mapping or None
        Evidence as JSON (indicator, limit, value; or the diagnosis and its evidence).
    at : datetime.datetime
        When (UTC).

    Returns
    -------
    AlarmInfo
        The alarm as it now stands.

    Raises
    ------
    ConfigError
        If the level is invalid.
    """
    levels = get_args(AlarmLevel)
    if level not in levels:
        raise ConfigError(f"alarm {key!r}: level {level!r} must be one of {levels}")
    row = open_alarm_row(session, machine_id, point_id, key)
    if row is None:
        row = Alarm(
            machine_id=machine_id,
            point_id=point_id,
            component_id=component_id,
            source=source,
            key=key,
            level=level,
            state="raised",
            message=message,
            details=dict(details or {}),
            raised_at=at,
            updated_at=at,
        )
        session.add(row)
        session.flush()
        _event(session, row, "raised", at, details=details)
    elif row.level != level:
        kind: AlarmEventKind = (
            "escalated" if levels.index(level) > levels.index(row.level) else "de-escalated"
        )
        row.level, row.message, row.details = level, message, dict(details or {})
        _event(session, row, kind, at, details=details)
    return alarm_info(row)


def clear_alarm(
    session: Session,
    alarm_id: int,
    at: datetime,
    comment: str,
    details: Mapping[str, Any] | None,
) -> AlarmInfo:
    """Clear an alarm (a cleared alarm stays cleared; clearing it again changes nothing).

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    alarm_id : int
        The alarm.
    at : datetime.datetime
        When (UTC).
    comment : str
        Why, for people.
    details : Mapping or None
        Evidence as JSON.

    Returns
    -------
    AlarmInfo
        The alarm as it now stands.
    """
    row = _alarm_row(session, alarm_id)
    if row.state != "cleared":
        row.state, row.cleared_at = "cleared", at
        _event(session, row, "cleared", at, comment=comment, details=details)
    return alarm_info(row)


def acknowledge_alarm(
    session: Session, alarm_id: int, user: str, comment: str, at: datetime
) -> AlarmInfo:
    """Acknowledge an open alarm, naming who and why.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    alarm_id : int
        The alarm.
    user : str
        Who acknowledges.
    comment : str
        Their comment.
    at : datetime.datetime
        When (UTC).

    Returns
    -------
    AlarmInfo
        The alarm as it now stands.

    Raises
    ------
    ConfigError
        If the alarm is unknown or already cleared, or no user is named.
    """
    if not user:
        raise ConfigError(f"alarm {alarm_id}: acknowledging needs a user name")
    row = _alarm_row(session, alarm_id)
    if row.state == "cleared":
        raise ConfigError(f"alarm {alarm_id} is cleared: there is nothing to acknowledge")
    row.state = "acknowledged"
    _event(session, row, "acknowledged", at, user=user, comment=comment)
    return alarm_info(row)


def comment_alarm(
    session: Session, alarm_id: int, user: str | None, comment: str, at: datetime
) -> AlarmInfo:
    """Add a comment to an alarm's history.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open write session.
    alarm_id : int
        The alarm.
    user : str or None
        Who comments.
    comment : str
        The comment.
    at : datetime.datetime
        When (UTC).

    Returns
    -------
    AlarmInfo
        The alarm.
    """
    row = _alarm_row(session, alarm_id)
    _event(session, row, "commented", at, user=user, comment=comment)
    return alarm_info(row)


def list_alarms(
    session: Session,
    open_only: bool,
    machine_id: int | None,
    point_id: int | None,
) -> list[AlarmInfo]:
    """Alarms, newest first, filtered.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    open_only : bool
        Only raised or acknowledged ones.
    machine_id : int or None
        Only this machine's.
    point_id : int or None
        Only this point's.

    Returns
    -------
    list of AlarmInfo
        The alarms.
    """
    query = select(Alarm).order_by(Alarm.raised_at.desc(), Alarm.id.desc())
    if open_only:
        query = query.where(Alarm.state.in_(_OPEN))
    if machine_id is not None:
        query = query.where(Alarm.machine_id == machine_id)
    if point_id is not None:
        query = query.where(Alarm.point_id == point_id)
    return [alarm_info(r) for r in session.scalars(query)]


def alarm_events(session: Session, alarm_id: int) -> list[AlarmEventInfo]:
    """The events of an alarm, oldest first.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Open session.
    alarm_id : int
        The alarm.

    Returns
    -------
    list of AlarmEventInfo
        Its history.
    """
    _alarm_row(session, alarm_id)
    query = select(AlarmEvent).where(AlarmEvent.alarm_id == alarm_id).order_by(AlarmEvent.id)
    return [
        AlarmEventInfo(
            r.id,
            r.alarm_id,
            r.at,
            cast(AlarmEventKind, r.kind),
            r.user,
            r.comment,
            frozen_mapping(r.details),
        )
        for r in session.scalars(query)
    ]
