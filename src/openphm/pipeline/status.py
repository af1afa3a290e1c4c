"""The fleet at a glance: each machine's worst state, its open alarms and its last diagnoses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from openphm.core.serialize import Serializable
from openphm.store import MachineInfo, Store

__all__ = ["BearingVerdict", "MachineState", "MachineStatus", "fleet_status", "machine_status"]

#: A machine's state: its worst open alarm, else normal once measured, else no data.
MachineState = Literal["danger", "alert", "normal", "no data"]


@dataclass(frozen=True)
class BearingVerdict(Serializable):
    """The last diagnosis of one bearing.

    Parameters
    ----------
    component : str
        The bearing's name in the machine.
    verdict : str
        Its verdict.
    confidence : float
        Confidence in the verdict, 0 to 1.
    measurement_id : int
        The measurement it was made from.
    """

    component: str
    verdict: str
    confidence: float
    measurement_id: int


@dataclass(frozen=True)
class MachineStatus(Serializable):
    """One machine's line of the fleet table.

    Parameters
    ----------
    machine : str
        ``site/machine``.
    profile : str
        Its machine profile.
    state : {"danger", "alert", "normal", "no data"}
        The worst level of its open alarms; normal when measured and none is open.
    open_alarms : int
        Alarms raised or acknowledged, not cleared.
    measurements : int
        Measurements stored.
    last_measurement_at : datetime or None
        Acquisition time of the newest measurement.
    diagnoses : tuple of BearingVerdict
        The last diagnosis of each bearing.
    """

    machine: str
    profile: str
    state: MachineState
    open_alarms: int
    measurements: int
    last_measurement_at: datetime | None
    diagnoses: tuple[BearingVerdict, ...]


def machine_status(store: Store, machine: MachineInfo) -> MachineStatus:
    """The status of one machine (see :class:`MachineStatus`).

    Parameters
    ----------
    store : Store
        The fleet's store.
    machine : MachineInfo
        The machine.

    Returns
    -------
    MachineStatus
        Its state, alarms, measurements and last diagnoses.
    """
    alarms = store.alarms(open_only=True, machine=machine.id)
    count, last = store.measurement_stats(machine.id)
    levels = {a.level for a in alarms}
    state: MachineState = (
        "danger"
        if "danger" in levels
        else "alert"
        if "alert" in levels
        else "normal"
        if count
        else "no data"
    )
    verdicts = []
    for c in store.components(machine.id):
        if c.kind != "bearing":
            continue
        last_diagnosis = store.latest_result("diagnosis", c.id)
        if last_diagnosis is not None:
            verdicts.append(
                BearingVerdict(
                    c.name,
                    str(last_diagnosis.payload["verdict"]),
                    float(last_diagnosis.payload["confidence"]),
                    last_diagnosis.measurement_id,
                )
            )
    return MachineStatus(
        machine=f"{machine.site}/{machine.name}",
        profile=machine.profile,
        state=state,
        open_alarms=len(alarms),
        measurements=count,
        last_measurement_at=last,
        diagnoses=tuple(verdicts),
    )


def fleet_status(store: Store) -> list[MachineStatus]:
    """The status of every machine, the worst first.

    Parameters
    ----------
    store : Store
        The fleet's store.

    Returns
    -------
    list of MachineStatus
        Danger, then alert, then normal, then machines with no data; by name within each.
    """
    order = {"danger": 0, "alert": 1, "normal": 2, "no data": 3}
    found = [machine_status(store, m) for m in store.machines()]
    return sorted(found, key=lambda s: (order[s.state], s.machine))
