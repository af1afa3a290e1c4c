"""The monitoring core end to end: ingest, process, baselines, alarms, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from openphm.knowledge.profiles import load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.pipeline.ingest import IngestSettings, ingest, process_pending
from openphm.pipeline.monitor import MonitorSettings
from openphm.pipeline.status import FleetStatusCache, fleet_status
from openphm.pipeline.transport import IncomingBytes, IncomingFile, IncomingSamples
from openphm.pipeline.trends import indicator_trend
from openphm.prognose.point_rul import PointRulSettings
from openphm.store import Store
from tests.helpers.bearing_sim import simulate_bearing

START = datetime(2026, 1, 1, tzinfo=UTC)
FAST = IngestSettings(monitor=MonitorSettings(baseline_count=6, min_count=2, clear_count=2))


def _fan(store: Store) -> str:
    store.add_site("plant")
    store.add_machine("plant", "fan", profile="electric_motor", iso_group=2)
    store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
    store.add_point(
        "plant/fan", "DE-H", sensor="accelerometer", unit="g", fs_hz=12000.0, components=["DE"]
    )
    return "plant/fan/DE-H"


def _samples(point: str, fault: str, i: int, rng: np.random.Generator) -> IncomingSamples:
    wave = simulate_bearing(fault, rng=rng, duration_s=1.0, snr_db=0.0 if fault != "healthy" else 0)
    scale = 0.05 if fault == "healthy" else 0.5
    return IncomingSamples(
        point, START + timedelta(hours=i), 12000.0, "g", scale * wave.samples, speed_hz=29.95
    )


def test_a_developing_fault_raises_alarms_that_name_their_evidence(store: Store) -> None:
    point = _fan(store)
    rng = np.random.default_rng(1)
    history = ["healthy"] * 8 + ["inner"] * 3 + ["healthy"] * 3
    outcomes = [ingest(store, _samples(point, f, i, rng), FAST) for i, f in enumerate(history)]
    assert [o.status for o in outcomes] == ["stored"] * len(history)
    events = store.alarms()
    keys = {a.key for a in events}
    assert "bearing:DE" in keys and "rms" in keys
    bearing = next(a for a in events if a.key == "bearing:DE")
    assert "inner fault" in bearing.message and "BPFI" in bearing.message
    assert bearing.details["verdict"] == "inner"
    rms = next(a for a in events if a.key == "rms")
    assert rms.details["value"] > rms.details["limit"]
    # Healthy again for clear_count measurements: every alarm cleared, each step an event.
    assert all(a.state == "cleared" for a in events)
    kinds = [e.kind for e in store.alarm_events(bearing.id)]
    assert kinds[0] == "raised" and kinds[-1] == "cleared"
    trend = indicator_trend(store, point, "rms")
    assert len(trend.values) == len(history)
    assert trend.limits, "a baseline is learned from the first measurements"
    (status,) = fleet_status(store)
    assert status.state == "normal" and status.measurements == len(history)


def test_acknowledged_alarm_keeps_its_history(store: Store) -> None:
    point = _fan(store)
    rng = np.random.default_rng(2)
    for i, fault in enumerate(["healthy"] * 6 + ["outer"] * 2):
        ingest(store, _samples(point, fault, i, rng), FAST)
    (alarm,) = [a for a in store.alarms(open_only=True) if a.key == "bearing:DE"]
    store.acknowledge(alarm.id, "ana", "bearing ordered")
    acked = next(a for a in store.alarms(open_only=True) if a.id == alarm.id)
    assert acked.state == "acknowledged" and acked.level == "alert"
    event = store.alarm_events(alarm.id)[-1]
    assert (event.kind, event.user, event.comment) == ("acknowledged", "ana", "bearing ordered")
    # Still open: the machine's state is its worst open alarm (the r.m.s. jumped tenfold).
    assert fleet_status(store)[0].state == "danger"


def test_same_measurement_twice_is_stored_once(store: Store, tmp_path: Path) -> None:
    point = _fan(store)
    rng = np.random.default_rng(3)
    item = _samples(point, "healthy", 0, rng)
    assert ingest(store, item, FAST).status == "stored"
    again = ingest(store, item, FAST)
    assert again.status == "duplicate"
    assert len(store.measurements()) == 1
    csv = tmp_path / "m.csv"
    np.savetxt(csv, item.samples)
    first = ingest(store, IncomingFile(csv, point, START), FAST)
    assert first.status == "stored"
    assert ingest(store, IncomingFile(csv, point, START), FAST).status == "duplicate"


@pytest.mark.parametrize(
    ("point", "unit", "fs", "reason"),
    [
        ("plant/fan/nope", "g", 12000.0, "not found"),
        ("plant/fan/DE-H", "mm/s", 12000.0, "measures 'g'"),
        ("plant/fan/DE-H", "g", 25600.0, "not point"),
        ("plant/fan/DE-H", "g", 1e9, "outside"),
    ],
)
def test_bad_input_is_refused_and_dead_lettered(
    store: Store, point: str, unit: str, fs: float, reason: str
) -> None:
    _fan(store)
    item = IncomingSamples(point, START, fs, unit, np.ones(4096))
    out = ingest(store, item, FAST)
    assert out.status == "refused" and reason in out.detail
    (letter,) = store.dead_letters()
    assert reason in letter.reason and letter.point_ref == point
    assert store.measurements() == []


def test_corrupt_and_huge_files_are_refused(store: Store, tmp_path: Path) -> None:
    point = _fan(store)
    corrupt = IncomingBytes(b"MATLAB 5.0 MAT-file garbage" * 10, "x.mat", point, START)
    assert ingest(store, corrupt, FAST).status == "refused"
    big = tmp_path / "big.csv"
    big.write_bytes(b"0.0\n" * 1000)
    small_limit = IngestSettings(max_bytes=100)
    out = ingest(store, IncomingFile(big, point, START), small_limit)
    assert out.status == "refused" and "over the limit" in out.detail
    assert len(store.dead_letters()) == 2 and store.measurements() == []


def test_stored_but_unprocessed_measurements_are_processed_later(store: Store) -> None:
    point = _fan(store)
    rng = np.random.default_rng(4)
    only_store = IngestSettings(process=False)
    ingest(store, _samples(point, "healthy", 0, rng), only_store)
    assert [m.status for m in store.measurements()] == ["stored"]
    (done,) = process_pending(store)
    assert done.error == "" and [m.status for m in store.measurements()] == ["processed"]
    kinds = {r.kind for r in store.results()}
    assert {"indicators", "severity", "diagnosis"} <= kinds


def test_a_profile_builds_the_machine_and_its_points_hear_their_bearings(store: Store) -> None:
    machine = add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig")
    points = {p.name: p for p in store.points(machine.id)}
    names = {c.id: c.name for c in store.components(machine.id)}
    assert set(points) == {"DE", "FE", "BA"}
    assert next(names[i] for i in points["FE"].component_ids) == "fe_bearing"
    assert next(names[i] for i in points["DE"].component_ids) == "de_bearing"


def test_cwru_demo_records_through_the_store(store: Store) -> None:
    machine = add_machine_from_profile(store, load_profile("cwru_rig"), "lab", "rig")
    demo = Path(__file__).resolve().parents[2] / "data" / "demo" / "cwru"
    for name in ("105", "130"):
        item = IncomingFile(demo / f"{name}.mat.xz", "lab/rig/DE", START)
        assert ingest(store, item).status == "stored"
    de_bearing = next(c for c in store.components(machine.id) if c.name == "de_bearing")
    verdicts = [
        r.payload["verdict"] for r in store.results(kind="diagnosis", component_id=de_bearing.id)
    ]
    assert sorted(verdicts) == ["inner", "outer"]


def test_a_growing_trend_gives_the_bearing_a_remaining_life(store: Store) -> None:
    point = _fan(store)
    rng = np.random.default_rng(5)
    settings = IngestSettings(
        monitor=MonitorSettings(baseline_count=6, rul=PointRulSettings(n_baseline=6))
    )

    def healthy(i: int, scale: float) -> IncomingSamples:
        wave = simulate_bearing("healthy", rng=rng, duration_s=0.5)
        at = START + timedelta(hours=i)
        return IncomingSamples(point, at, 12000.0, "g", scale * wave.samples, speed_hz=29.95)

    for i in range(8):
        ingest(store, healthy(i, 0.05), settings)
    (status,) = fleet_status(store)
    (rul,) = status.ruls
    assert (rul.component, rul.status, rul.median_s) == ("DE", "no_degradation", None)
    assert status.shortest_rul is None
    for k in range(1, 7):
        ingest(store, healthy(7 + k, 0.05 * 1.3**k), settings)
    (status,) = fleet_status(store)
    shortest = status.shortest_rul
    assert shortest is not None and shortest.status == "condition"
    assert shortest.median_s is not None and 0 < shortest.median_s < 30 * 3600
    stored = store.latest_result("rul", store.components(store.machines()[0].id)[0].id)
    assert stored is not None and stored.settings is not None
    assert stored.settings["failure_ratio"] == 5.0


def test_fleet_status_cache_follows_every_change(store: Store) -> None:
    point = _fan(store)
    rng = np.random.default_rng(6)
    now = [0.0]
    cache = FleetStatusCache(max_age_s=60.0, clock=lambda: now[0])
    first = cache.get(store)
    assert cache.get(store) is first and first[0].measurements == 0
    for i, fault in enumerate(["healthy"] * 6 + ["outer"] * 2):
        ingest(store, _samples(point, fault, i, rng), FAST)
    (status,) = cache.get(store)
    assert status.measurements == 8 and status.state != "normal"
    (alarm,) = [a for a in store.alarms(open_only=True) if a.key == "bearing:DE"]
    before = cache.get(store)
    store.acknowledge(alarm.id, "ana", "seen")  # an alarm event: the marker moves
    assert cache.get(store) is not before
    kept = cache.get(store)
    now[0] = 61.0  # too old: rebuilt even though nothing changed
    assert cache.get(store) is not kept


def test_a_point_that_hears_gears_gets_their_diagnosis(store: Store) -> None:
    from openphm.knowledge.gear_train import gear_train_from_profile
    from openphm.simulate.gearbox import GearFault, simulate_gearbox

    profile = load_profile("shearer_ranging_arm")
    add_machine_from_profile(store, profile, "mine", "arm")
    train = gear_train_from_profile(profile, "MOTOR")
    assert train is not None
    speed = profile.typical_speed_hz
    assert speed is not None
    rng = np.random.default_rng(7)
    pinion = f"{train.stages[0].name} pinion"
    for i, faults in enumerate(
        [(), (GearFault(pinion, "tooth", 3.0),), (GearFault(pinion, "tooth", 3.0),)]
    ):
        wave = simulate_gearbox(train, speed, 25600.0, 2.0, rng, faults=faults)
        at = START + timedelta(hours=i)
        item = IncomingSamples("mine/arm/MOTOR", at, 25600.0, "g", wave.samples, speed_hz=speed)
        assert ingest(store, item, FAST).status == "stored"
    first = store.measurements("mine/arm/MOTOR")[0]
    assert "gears" in {r.kind for r in store.results(first.id)}
    (alarm,) = [a for a in store.alarms(open_only=True) if a.key.startswith("gear:")]
    assert alarm.key == f"gear:{pinion}" and "tooth fault" in alarm.message
