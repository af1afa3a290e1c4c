"""Processing results in one transaction, trends, baselines, detector states and alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.store import ResultRow, Store

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def _measure(store: Store, point: int, i: int, regime: str | None = None) -> int:
    return store.add_measurement(
        point,
        data=bytes([i]) * 8,
        original_name=f"{i}.csv",
        acquired_at=T0 + timedelta(minutes=i),
        fs_hz=1000.0,
        n_samples=8,
        regime=regime,
    ).measurement_id


def test_results_indicators_and_states_are_written_together(store: Store, point: int) -> None:
    mid = _measure(store, point, 1, regime="full")
    component = store.components("plant/fan")[0].id
    rows = [
        ResultRow("indicators", {"rms": 0.8}, openphm_version="0.1.0"),
        ResultRow(
            "diagnosis",
            {"verdict": "outer race"},
            component_id=component,
            settings={"n_harmonics": 3},
            settings_hash="abc",
            input={"measurement_id": mid, "channel": "DE"},
        ),
    ]
    ids = store.add_results(
        mid, rows, {"rms": 0.8, "kurtosis": 3.2}, states={"cusum:rms": {"s": 0}}
    )
    assert len(ids) == 2
    stored = store.results(mid)
    assert [r.kind for r in stored] == ["indicators", "diagnosis"]
    assert stored[1].settings == {"n_harmonics": 3} and stored[1].input["channel"] == "DE"
    assert (
        store.results(kind="diagnosis", component_id=component)[0].payload["verdict"]
        == "outer race"
    )
    assert store.measurement(mid).status == "processed"
    trend = store.trend(point, "rms")
    assert [(t.measurement_id, t.value, t.regime, t.acquired_at) for t in trend] == [
        (mid, 0.8, "full", T0 + timedelta(minutes=1))
    ]
    assert store.states(point) == {"cusum:rms": {"s": 0}}


def test_a_failing_processing_writes_nothing(store: Store, point: int) -> None:
    mid = _measure(store, point, 1)
    with pytest.raises(ConfigError, match="component"):
        store.add_results(mid, [ResultRow("diagnosis", {}, component_id=999)], {"rms": 1.0})
    with pytest.raises(DataError, match="rms"):
        store.add_results(mid, [ResultRow("indicators", {})], {"rms": float("inf")})
    assert store.results(mid) == [] and store.trend(point, "rms") == []
    assert store.measurement(mid).status == "stored"


def test_processing_again_replaces_the_results(store: Store, point: int) -> None:
    mid = _measure(store, point, 1)
    store.add_results(mid, [ResultRow("indicators", {"v": 1})], {"rms": 1.0})
    store.add_results(mid, [ResultRow("indicators", {"v": 2})], {"rms": 2.0})
    assert [r.payload["v"] for r in store.results(mid)] == [2]
    assert [t.value for t in store.trend(point, "rms")] == [2.0]


def test_a_failed_processing_is_recorded_with_its_error(store: Store, point: int) -> None:
    mid = _measure(store, point, 1)
    store.add_results(mid, status="failed", error="DataError: constant signal")
    info = store.measurement(mid)
    assert (info.status, info.error) == ("failed", "DataError: constant signal")
    with pytest.raises(ConfigError, match="status"):
        store.add_results(mid, status="stored")


def test_trend_filters_by_time_and_regime(store: Store, point: int) -> None:
    for i in range(4):
        store.add_results(
            _measure(store, point, i, "low" if i % 2 else "high"), indicators={"rms": i}
        )
    assert [t.value for t in store.trend(point, "rms")] == [0.0, 1.0, 2.0, 3.0]
    assert [t.value for t in store.trend(point, "rms", regime="low")] == [1.0, 3.0]
    window = store.trend(
        point, "rms", since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3)
    )
    assert [t.value for t in window] == [1.0, 2.0]


def test_newest_baseline_is_in_force(store: Store, point: int) -> None:
    store.add_baseline(point, "rms", {"median": 1.0})
    store.add_baseline(point, "rms", {"median": 2.0})
    store.add_baseline(point, "rms", {"median": 5.0}, regime="high")
    assert store.baseline(point, "rms").payload == {"median": 2.0}  # type: ignore[union-attr]
    assert store.baseline(point, "rms", regime="high").payload == {"median": 5.0}  # type: ignore[union-attr]
    assert store.baseline(point, "kurtosis") is None
    store.set_state(point, "ewma", {"mean": 1.0})
    store.set_state(point, "ewma", {"mean": 2.0})
    assert store.states(point) == {"ewma": {"mean": 2.0}}


def test_alarm_life_cycle_records_every_event(store: Store, point: int) -> None:
    alert = store.raise_alarm(
        "plant/fan",
        "rms",
        "alert",
        source="indicator",
        point=point,
        message="rms 4.6 mm/s over 4.5",
        details={"value": 4.6, "limit": 4.5},
    )
    assert (alert.state, alert.level, alert.is_open) == ("raised", "alert", True)
    same = store.raise_alarm("plant/fan", "rms", "alert", source="indicator", point=point)
    assert same.id == alert.id
    danger = store.raise_alarm("plant/fan", "rms", "danger", source="indicator", point=point)
    assert (danger.id, danger.level) == (alert.id, "danger")
    store.raise_alarm("plant/fan", "rms", "alert", source="indicator", point=point)
    acked = store.acknowledge(alert.id, "ana", "bearing ordered")
    assert acked.state == "acknowledged"
    store.comment_alarm(alert.id, "grease added", user="ana")
    assert store.open_alarm("fan", "rms", point=point) == store.alarms(open_only=True)[0]
    cleared = store.clear_alarm(alert.id, comment="back under the limit")
    assert cleared.cleared_at is not None and not cleared.is_open
    events = store.alarm_events(alert.id)
    assert [e.kind for e in events] == [
        "raised",
        "escalated",
        "de-escalated",
        "acknowledged",
        "commented",
        "cleared",
    ]
    assert events[3].user == "ana" and events[3].comment == "bearing ordered"
    assert events[0].details == {"value": 4.6, "limit": 4.5}
    assert store.alarms(open_only=True) == []
    assert store.open_alarm("fan", "rms", point=point) is None
    again = store.raise_alarm("fan", "rms", "alert", source="indicator", point=point)
    assert again.id != alert.id
    assert [a.id for a in store.alarms(machine="plant/fan")] == [again.id, alert.id]


def test_alarm_errors_name_the_problem(store: Store, point: int) -> None:
    with pytest.raises(ConfigError, match="level"):
        store.raise_alarm("fan", "rms", "panic", source="indicator")
    machine_alarm = store.raise_alarm("fan", "temperature", "danger", source="zone")
    assert machine_alarm.point_id is None
    store.clear_alarm(machine_alarm.id)
    with pytest.raises(ConfigError, match="cleared"):
        store.acknowledge(machine_alarm.id, "ana")
    with pytest.raises(ConfigError, match="not found"):
        store.alarm_events(12345)
