"""The demo fleet: built once from profiles, its points fed real recordings at their own rates,
CWRU faults diagnosed, a FEMTO bearing's late life raising alarms, and a replay run twice storing
nothing twice. Runs on the excerpt in data/demo (no reference data needed)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from openphm.acquire.datasets import demo_path
from openphm.pipeline.demo_fleet import (
    DemoFleet,
    build_demo_fleet,
    demo_measurements,
    replay,
)
from openphm.pipeline.ingest import IngestSettings
from openphm.pipeline.monitor import MonitorSettings
from openphm.pipeline.replay import ReplaySummary
from openphm.store import Store
from openphm.store.engine import SQLITE_NAME

#: Healthy early life (the baseline) and the last minutes before the test was stopped.
SNAPSHOTS = (*range(1, 9), *range(505, 516))
SETTINGS = IngestSettings(monitor=MonitorSettings(baseline_count=5))


@dataclass(frozen=True)
class Replayed:
    store: Store
    fleet: DemoFleet
    summary: ReplaySummary
    n_items: int


def _open(home: Path) -> Store:
    return Store.open(home, f"sqlite:///{home / SQLITE_NAME}")


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replayed]:
    store = _open(tmp_path_factory.mktemp("demo"))
    fleet = build_demo_fleet(store, demo_path())
    n_items = len(demo_measurements(fleet, snapshots=SNAPSHOTS))
    summary = replay(store, fleet, speed=math.inf, settings=SETTINGS, snapshots=SNAPSHOTS)
    yield Replayed(store, fleet, summary, n_items)
    store.close()


def _verdicts(store: Store, point: str) -> Counter[str]:
    return Counter(
        r.payload["verdict"]
        for m in store.measurements(point)
        for r in store.results(m.id, kind="diagnosis")
    )


def test_each_machine_says_what_its_points_replay(replayed: Replayed) -> None:
    store, fleet = replayed.store, replayed.fleet
    described = {m.path: store.machine(m.path).description for m in fleet.machines}
    assert "replays FEMTO/PRONOSTIA Bearing3_1" in described["demo/shield-tbm"]
    assert "replays CWRU record 97" in described["demo/shearer-arm"]
    assert "resampled from 48 kHz to 25.6 kHz" in described["demo/shearer-arm"]
    assert "replays CWRU record 105" in described["demo/cwru-rig-ir"]
    assert "replays CWRU record 130" in described["demo/cwru-rig-or"]
    assert {m.profile for m in fleet.machines} == {
        "tbm_main_drive",
        "shearer_ranging_arm",
        "cwru_rig",
    }


def test_every_stream_goes_to_a_point_at_its_rate(replayed: Replayed) -> None:
    for stream in replayed.fleet.streams:
        point = replayed.store.point(stream.point)
        assert point.fs_hz == stream.fs_hz
        assert {m.fs_hz for m in replayed.store.measurements(stream.point)} == {stream.fs_hz}


def test_the_replay_stores_every_measurement_with_its_recorded_spacing(replayed: Replayed) -> None:
    assert replayed.summary == ReplaySummary(stored=replayed.n_items)
    store, fleet = replayed.store, replayed.fleet
    femto = store.measurements("demo/shield-tbm/M1-DE")
    assert len(femto) == len(SNAPSHOTS)
    assert femto[0].acquired_at == fleet.epoch
    assert (femto[-1].acquired_at - fleet.epoch).total_seconds() == fleet.span_s == 5140.0
    assert (femto[1].acquired_at - femto[0].acquired_at).total_seconds() == 10.0
    rig = store.measurements("demo/cwru-rig-ir/DE")
    assert len(rig) == 10  # 10.1 s of record 105 in 1 s windows
    assert all(m.status == "processed" for m in store.measurements())


def test_cwru_faults_are_diagnosed_and_alarmed(replayed: Replayed) -> None:
    store = replayed.store
    inner, outer = _verdicts(store, "demo/cwru-rig-ir/DE"), _verdicts(store, "demo/cwru-rig-or/DE")
    assert inner["inner"] >= 8 and inner["outer"] == 0
    assert outer["outer"] >= 8 and outer["inner"] == 0
    assert _verdicts(store, "demo/shearer-arm/MOTOR").keys() == {"healthy"}
    messages = {
        store.point(a.point_id).machine: a.message
        for a in store.alarms(open_only=True)
        if a.key == "bearing:de_bearing"
    }
    assert "inner fault" in messages["cwru-rig-ir"]
    assert "outer fault" in messages["cwru-rig-or"]


def test_the_femto_bearings_late_life_raises_a_danger_alarm(replayed: Replayed) -> None:
    tbm = replayed.store.point("demo/shield-tbm/M1-DE")
    raised = {a.key: a.level for a in replayed.store.alarms(open_only=True) if a.point_id == tbm.id}
    assert raised.get("rms") == "danger"


def test_building_again_finds_the_same_fleet(replayed: Replayed) -> None:
    again = build_demo_fleet(replayed.store, demo_path())
    assert again == replayed.fleet
    assert len(replayed.store.machines("demo")) == len(replayed.fleet.machines)


def test_replaying_again_stores_nothing_twice(replayed: Replayed) -> None:
    before = len(replayed.store.measurements())
    again = replay(
        replayed.store, replayed.fleet, speed=5.0, settings=SETTINGS, snapshots=SNAPSHOTS
    )
    assert again == ReplaySummary(duplicate=replayed.n_items)
    assert len(replayed.store.measurements()) == before


def test_reference_data_is_used_when_given(refdata: Path, tmp_path: Path) -> None:
    store = _open(tmp_path)
    try:
        fleet = build_demo_fleet(store, refdata)
    finally:
        store.close()
    assert fleet.femto_root == str(refdata)
    assert fleet.cwru_root == str(refdata)


def test_an_unknown_femto_bearing_is_refused(tmp_path: Path) -> None:
    from openphm.core.errors import ConfigError

    store = _open(tmp_path)
    try:
        with pytest.raises(ConfigError, match="Bearing9_9"):
            build_demo_fleet(store, demo_path(), femto_bearing="Bearing9_9")
        with pytest.raises(ConfigError, match="learning-set"):
            build_demo_fleet(store, demo_path(), femto_bearing="Bearing1_3")
    finally:
        store.close()
