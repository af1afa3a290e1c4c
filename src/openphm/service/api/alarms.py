"""``/alarms``: list, one with its history, acknowledge and comment (engineers and admins)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from openphm.service.deps import CurrentUser, EngineerUser, StoreDep
from openphm.service.schemas.alarms import AlarmDetail, AlarmEventPublic, AlarmNote, AlarmPublic
from openphm.store import AlarmInfo, Store

router = APIRouter(tags=["alarms"])


def _alarm(store: Store, alarm_id: int) -> AlarmInfo:
    for found in store.alarms():
        if found.id == alarm_id:
            return found
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"alarm {alarm_id} not found")


def _detail(store: Store, alarm: AlarmInfo) -> AlarmDetail:
    return AlarmDetail(
        alarm=AlarmPublic.model_validate(alarm),
        events=[AlarmEventPublic.model_validate(e) for e in store.alarm_events(alarm.id)],
    )


@router.get("/alarms")
def list_alarms(
    store: StoreDep,
    _user: CurrentUser,
    open_only: bool = True,
    machine: int | None = None,
    point: int | None = None,
) -> list[AlarmPublic]:
    """Alarms, newest first.

    Parameters
    ----------
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.
    open_only : bool
        Only raised or acknowledged ones (default); false lists cleared ones too.
    machine : int, optional
        Only this machine's.
    point : int, optional
        Only this point's.

    Returns
    -------
    list of AlarmPublic
        The alarms.
    """
    found = store.alarms(open_only=open_only, machine=machine, point=point)
    return [AlarmPublic.model_validate(a) for a in found]


@router.get("/alarms/{alarm_id}")
def get_alarm(alarm_id: int, store: StoreDep, _user: CurrentUser) -> AlarmDetail:
    """One alarm with its events.

    Parameters
    ----------
    alarm_id : int
        The alarm.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    AlarmDetail
        The alarm and its history.
    """
    return _detail(store, _alarm(store, alarm_id))


@router.post("/alarms/{alarm_id}/acknowledge")
def acknowledge_alarm(
    alarm_id: int, body: AlarmNote, store: StoreDep, user: EngineerUser
) -> AlarmDetail:
    """Acknowledge an open alarm, with a comment.

    Parameters
    ----------
    alarm_id : int
        The alarm.
    body : AlarmNote
        The comment.
    store : Store
        The app's store.
    user : UserInfo
        An engineer or admin (recorded as who acknowledged).

    Returns
    -------
    AlarmDetail
        The alarm and its history.
    """
    found = _alarm(store, alarm_id)
    if not found.is_open:
        raise HTTPException(status.HTTP_409_CONFLICT, f"alarm {alarm_id} is cleared")
    return _detail(store, store.acknowledge(alarm_id, user.name, body.comment))


@router.post("/alarms/{alarm_id}/comments")
def comment_alarm(
    alarm_id: int, body: AlarmNote, store: StoreDep, user: EngineerUser
) -> AlarmDetail:
    """Add a comment to an alarm's history.

    Parameters
    ----------
    alarm_id : int
        The alarm.
    body : AlarmNote
        The comment.
    store : Store
        The app's store.
    user : UserInfo
        An engineer or admin.

    Returns
    -------
    AlarmDetail
        The alarm and its history.
    """
    _alarm(store, alarm_id)
    if not body.comment.strip():
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "the comment is empty")
    return _detail(store, store.comment_alarm(alarm_id, body.comment, user.name))
