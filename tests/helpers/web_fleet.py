"""A small fleet for the dashboard's tests: one CWRU rig with two real records and an alarm.

The records are the demo excerpts shipped in the repository (``data/demo/cwru``), so the tests
need no reference data.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.pipeline.ingest import ingest
from openphm.pipeline.transport import IncomingFile
from openphm.service.auth import hash_password
from openphm.store import Store

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "cwru"
#: Password of every test user (their names are their roles).
PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "engineer", "admin")


@dataclass(frozen=True)
class WebFleet:
    """What the fleet holds: the machine, its measurements (oldest first), an open alarm."""

    store: Store
    machine_id: int
    measurement_ids: tuple[int, ...]
    alarm_id: int


def build_fleet(home: Path) -> WebFleet:
    """Open a store in ``home`` with a ``lab/rig1`` CWRU rig, records 105 (inner-race fault)
    and 130 (outer-race fault) at its DE point, one user per role and at least one open alarm.
    """
    store = Store.open(home)
    machine = add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig1")
    start = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    ids = []
    drop = home.parent / "drop"
    drop.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(("105.mat.xz", "130.mat.xz")):
        # A file's acquisition time is its modification time: a day apart, as on a route.
        copy = drop / name
        shutil.copyfile(DEMO / name, copy)
        at = start + timedelta(days=i)
        os.utime(copy, (at.timestamp(), at.timestamp()))
        outcome = ingest(store, IncomingFile(copy, "lab/rig1/DE", at))
        assert outcome.measurement_id is not None, outcome
        ids.append(outcome.measurement_id)
    alarms = store.alarms(open_only=True)
    if not alarms:
        alarms = [
            store.raise_alarm(
                machine.id,
                "bearing:de_bearing",
                "alert",
                source="diagnosis",
                point="lab/rig1/DE",
                message="de_bearing: outer race fault (1xBPFO 107.6 Hz, 30 dB)",
            )
        ]
    for role in ROLES:
        store.add_user(role, role, hash_password(PASSWORD))
    return WebFleet(store, machine.id, tuple(ids), alarms[0].id)
