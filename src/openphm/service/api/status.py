"""``/status`` and ``/points/{id}/trends/{indicator}``: the fleet at a glance and how it got there.

Each machine's status carries the latest RUL of its components (the monitor's PA block).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from openphm.pipeline.status import machine_status
from openphm.pipeline.trends import indicator_trend
from openphm.service.deps import CurrentUser, FleetCacheDep, StoreDep
from openphm.service.schemas.status import MachineStatusPublic, TrendPublic

router = APIRouter(tags=["status"])


@router.get("/status")
def get_fleet_status(
    store: StoreDep, cache: FleetCacheDep, _user: CurrentUser
) -> list[MachineStatusPublic]:
    """Every machine's state, open alarms and last diagnoses, the worst first.

    Parameters
    ----------
    store : Store
        The app's store.
    cache : FleetStatusCache
        The app's fleet-status cache (rebuilt when the store changes).
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    list of MachineStatusPublic
        The fleet table.
    """
    return [MachineStatusPublic.model_validate(s.to_dict()) for s in cache.get(store)]


@router.get("/status/machines/{machine_id}")
def get_machine_status(machine_id: int, store: StoreDep, _user: CurrentUser) -> MachineStatusPublic:
    """One machine's state, open alarms and last diagnoses.

    Parameters
    ----------
    machine_id : int
        The machine.
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    MachineStatusPublic
        Its line of the fleet table.
    """
    found = machine_status(store, store.machine(machine_id))
    return MachineStatusPublic.model_validate(found.to_dict())


@router.get("/points/{point_id}/trends/{indicator}")
def get_trend(
    point_id: int,
    indicator: Annotated[str, Path(min_length=1, max_length=100)],
    store: StoreDep,
    _user: CurrentUser,
) -> TrendPublic:
    """An indicator's values at a point with its baselines' limits per operating regime.

    Parameters
    ----------
    point_id : int
        The point.
    indicator : str
        ``"rms"``, ``"kurtosis"``, ``"velocity_rms_mm_s"``...
    store : Store
        The app's store.
    _user : UserInfo
        Anyone signed in.

    Returns
    -------
    TrendPublic
        Values, oldest first, and limits.
    """
    return TrendPublic.model_validate(indicator_trend(store, point_id, indicator).to_dict())
