"""Schemas of alarms, their events, and what people do to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class AlarmPublic(BaseModel):
    """An alarm and its life-cycle state.

    Parameters
    ----------
    id : int
        Its id.
    machine_id : int
        The machine.
    point_id : int or None
        The point.
    component_id : int or None
        The component it names.
    source : str
        What raised it (``"indicator"``, ``"zone"``, ``"diagnosis"``).
    key : str
        What it is about.
    level : {"alert", "danger"}
        Its level.
    state : {"raised", "acknowledged", "cleared"}
        Its state.
    message : str
        One line for people.
    details : dict
        Evidence: value, limit and baseline, or the diagnosis.
    raised_at : datetime
        When it was raised.
    updated_at : datetime
        Its last change.
    cleared_at : datetime or None
        When it cleared.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    machine_id: int
    point_id: int | None
    component_id: int | None
    source: str
    key: str
    level: Literal["alert", "danger"]
    state: Literal["raised", "acknowledged", "cleared"]
    message: str
    details: dict[str, Any]
    raised_at: datetime
    updated_at: datetime
    cleared_at: datetime | None


class AlarmEventPublic(BaseModel):
    """One event of an alarm's life.

    Parameters
    ----------
    id : int
        Its id.
    at : datetime
        When.
    kind : str
        ``"raised"``, ``"escalated"``, ``"de-escalated"``, ``"acknowledged"``, ``"commented"``,
        ``"cleared"``.
    user : str or None
        Who.
    comment : str
        What they said.
    details : dict
        Evidence.
    """

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    kind: str
    user: str | None
    comment: str
    details: dict[str, Any]


class AlarmDetail(BaseModel):
    """An alarm with its history.

    Parameters
    ----------
    alarm : AlarmPublic
        The alarm.
    events : list of AlarmEventPublic
        Its events, oldest first.
    """

    alarm: AlarmPublic
    events: list[AlarmEventPublic]


class AlarmNote(BaseModel):
    """A comment on an alarm (with an acknowledgement, or alone).

    Parameters
    ----------
    comment : str
        The comment.
    """

    comment: str = Field(default="", max_length=4000)
