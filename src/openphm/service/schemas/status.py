"""Schemas of the fleet status and indicator trends."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel


class BearingVerdictPublic(BaseModel):
    """The last diagnosis of one bearing.

    Parameters
    ----------
    component : str
        The bearing.
    verdict : str
        Its verdict.
    confidence : float
        Confidence, 0 to 1.
    measurement_id : int
        The measurement it was made from.
    """

    component: str
    verdict: str
    confidence: float
    measurement_id: int


class ComponentRulPublic(BaseModel):
    """The latest remaining useful life of one component.

    Parameters
    ----------
    component : str
        The component.
    status : str
        What it rests on: ``"condition"``, ``"prior"``, ``"combined"`` or ``"no_degradation"``.
    median_s, q05_s, q95_s : float or None
        Median and 90 % interval in s; None with no degradation detected, or beyond what the
        trend can see.
    note : str
        What was checked or assumed.
    measurement_id : int
        The measurement it was computed at.
    """

    component: str
    status: str
    median_s: float | None
    q05_s: float | None
    q95_s: float | None
    note: str
    measurement_id: int


class MachineStatusPublic(BaseModel):
    """One machine's line of the fleet table.

    Parameters
    ----------
    machine : str
        ``site/machine``.
    profile : str
        Its machine profile.
    state : {"danger", "alert", "normal", "no data"}
        Its worst open alarm; normal when measured and none is open.
    open_alarms : int
        Alarms not cleared.
    measurements : int
        Measurements stored.
    last_measurement_at : datetime or None
        Newest acquisition.
    diagnoses : list of BearingVerdictPublic
        The last diagnosis of each bearing.
    ruls : list of ComponentRulPublic
        The latest RUL of each component that has one.
    """

    machine: str
    profile: str
    state: Literal["danger", "alert", "normal", "no data"]
    open_alarms: int
    measurements: int
    last_measurement_at: datetime | None
    diagnoses: list[BearingVerdictPublic]
    ruls: list[ComponentRulPublic] = []


class TrendValuePublic(BaseModel):
    """One value of a trend.

    Parameters
    ----------
    measurement_id : int
        The measurement.
    acquired_at : datetime
        When it was taken.
    value : float
        The value.
    regime : str or None
        Operating regime.
    """

    measurement_id: int
    acquired_at: datetime
    value: float
    regime: str | None


class LimitsPublic(BaseModel):
    """The limits of a baseline.

    Parameters
    ----------
    direction : {"upper", "lower", "both"}
        Which side is judged.
    alert_low, alert_high, danger_low, danger_high : float or None
        Limits (None: not judged on that side).
    """

    direction: Literal["upper", "lower", "both"] = "upper"
    alert_low: float | None = None
    alert_high: float | None = None
    danger_low: float | None = None
    danger_high: float | None = None


class TrendPublic(BaseModel):
    """An indicator's trend at a point with the limits of each regime's baseline.

    Parameters
    ----------
    point : str
        The point's path.
    indicator : str
        The indicator.
    values : list of TrendValuePublic
        Oldest first.
    limits : dict of str to LimitsPublic
        By regime (regimes still learning have none).
    """

    point: str
    indicator: str
    values: list[TrendValuePublic]
    limits: dict[str, LimitsPublic]
