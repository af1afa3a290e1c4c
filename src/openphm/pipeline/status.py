"""The fleet at a glance: each machine's worst state, open alarms, last diagnoses and RUL."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from openphm.core.rul import RulDistribution
from openphm.core.serialize import Serializable
from openphm.store import MachineInfo, Store

__all__ = [
    "BearingVerdict",
    "ComponentRul",
    "FleetStatusCache",
    "MachineState",
    "MachineStatus",
    "duration_words",
    "fleet_status",
    "machine_status",
]

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


def duration_words(seconds: float | None) -> str:
    """A duration for people: ``"40 min"``, ``"5.2 h"``, ``"12 d"``; ``"∞"`` for None.

    Parameters
    ----------
    seconds : float or None
        Duration in s (None: unbounded).

    Returns
    -------
    str
        The duration in the largest unit that keeps it at least 1.

    Examples
    --------
    >>> duration_words(90.0), duration_words(7200.0), duration_words(None)
    ('1.5 min', '2 h', '∞')
    """
    if seconds is None:
        return "∞"
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.2g} {unit}"
    return f"{seconds:.2g} s"


@dataclass(frozen=True)
class ComponentRul(Serializable):
    """The latest remaining useful life of one component.

    Parameters
    ----------
    component : str
        The component's name in the machine.
    status : str
        What it rests on (``"condition"``, ``"prior"``, ``"combined"``, ``"no_degradation"``).
    median_s, q05_s, q95_s : float or None
        Median and 90 % interval, s; None with no degradation detected, or for a quantile
        beyond what the trend can see (a path that may never reach the threshold).
    note : str
        What was checked or assumed, in words.
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

    def words(self) -> str:
        """The RUL for people: median and 90 % interval, or why there is no number.

        Returns
        -------
        str
            ``"5.2 h (90 %: 1.1 h - 20 h)"`` or ``"no degradation detected yet"``.
        """
        if self.median_s is None and self.status == "no_degradation":
            return "no degradation detected yet"
        return (
            f"{duration_words(self.median_s)} "
            f"(90 %: {duration_words(self.q05_s)} - {duration_words(self.q95_s)})"
        )


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
    ruls : tuple of ComponentRul
        The latest RUL of each component that has one.
    """

    machine: str
    profile: str
    state: MachineState
    open_alarms: int
    measurements: int
    last_measurement_at: datetime | None
    diagnoses: tuple[BearingVerdict, ...]
    ruls: tuple[ComponentRul, ...] = ()

    @property
    def shortest_rul(self) -> ComponentRul | None:
        """The component with the shortest median RUL (None when no component has a number)."""
        numbers = [r for r in self.ruls if r.median_s is not None]
        return min(numbers, key=lambda r: float(r.median_s or 0.0)) if numbers else None


def _component_rul(name: str, payload: dict[str, Any], measurement_id: int) -> ComponentRul:
    rul = RulDistribution.from_dict(payload)
    if rul.status == "no_degradation":
        return ComponentRul(name, rul.status, None, None, None, rul.note, measurement_id)
    low, high = rul.interval(0.9)
    median, q05, q95 = (x if math.isfinite(x) else None for x in (rul.median(), low, high))
    return ComponentRul(name, rul.status, median, q05, q95, rul.note, measurement_id)


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
    verdicts, ruls = [], []
    for c in store.components(machine.id):
        last_rul = store.latest_result("rul", c.id)
        if last_rul is not None:
            ruls.append(_component_rul(c.name, dict(last_rul.payload), last_rul.measurement_id))
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
        ruls=tuple(ruls),
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


class FleetStatusCache:
    """The fleet status kept between requests until the store changes.

    A dashboard asks for the fleet status on every page view; building it reads every
    machine's alarms, measurements and latest results. The cache keeps the last answer per
    store and rebuilds it only when :meth:`openphm.store.Store.change_marker` moves (a new
    measurement, result, alarm event, machine, component or point), or after ``max_age_s``
    (a transaction that commits a lower id after a higher one was seen is caught then).

    Parameters
    ----------
    max_age_s : float, default 30
        Longest time an answer is kept even if the marker did not move, s.
    clock : callable, optional
        Monotonic time in s (default :func:`time.monotonic`).

    Examples
    --------
    >>> import tempfile
    >>> cache = FleetStatusCache()
    >>> with Store.open(tempfile.mkdtemp()) as store:
    ...     first = cache.get(store)
    ...     _ = store.add_site("plant")
    ...     _ = store.add_machine("plant", "fan", profile="electric_motor")
    ...     [s.machine for s in cache.get(store)], cache.get(store) is cache.get(store)
    (['plant/fan'], True)
    """

    def __init__(self, max_age_s: float = 30.0, clock: Callable[[], float] | None = None) -> None:
        self.max_age_s = max_age_s
        self._clock = clock or time.monotonic
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[tuple[int, ...], float, list[MachineStatus]]] = {}

    def get(self, store: Store) -> list[MachineStatus]:
        """The fleet status of ``store`` (see :func:`fleet_status`), rebuilt only when needed.

        Parameters
        ----------
        store : Store
            The fleet's store.

        Returns
        -------
        list of MachineStatus
            As :func:`fleet_status` (the same list object while it is kept: do not change it).
        """
        marker = store.change_marker()
        now = self._clock()
        key = store.url
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == marker and now - kept[1] <= self.max_age_s:
                return kept[2]
        found = fleet_status(store)
        with self._lock:
            self._kept[key] = (marker, now, found)
        return found
