"""Telemetry tables through the monitoring core: stored once, judged, alarms naming the value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from openphm.core.errors import DataError
from openphm.pipeline.ingest import process_pending
from openphm.pipeline.monitor import MonitorSettings
from openphm.pipeline.telemetry import (
    ingest_message,
    ingest_table,
    ingest_values,
    parse_values_message,
    read_table,
)
from openphm.pipeline.transport import HandlerOutcome
from openphm.pipeline.trends import indicator_trend
from openphm.store import Store

START = datetime(2026, 1, 1, tzinfo=UTC)
FAST = MonitorSettings(baseline_count=20, min_count=2, clear_count=2)


def _support(store: Store) -> str:
    store.add_site("face")
    store.add_machine("face", "shield-101", profile="hydraulic_roof_support")
    store.add_point("face/shield-101", "P-LEFT", sensor="pressure", unit="MPa", fs_hz=1.0)
    return "face/shield-101/P-LEFT"


def _table(path: Path, pressure: np.ndarray, temperature: np.ndarray) -> Path:
    rows = ["time,pressure,oil_temp"]
    for i, (p, t) in enumerate(zip(pressure, temperature, strict=True)):
        rows.append(f"{(START + timedelta(minutes=i)).isoformat()},{p:.3f},{t:.3f}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_pressure_loss_raises_an_alarm_on_that_value_only(store: Store, tmp_path: Path) -> None:
    point = _support(store)
    rng = np.random.default_rng(0)
    pressure = 30.0 + 0.1 * rng.normal(size=40)
    pressure[30:] -= 3.0  # a leaking leg: far below the healthy band (lower side watched)
    temperature = 45.0 + 0.2 * rng.normal(size=40)
    table = _table(tmp_path / "legs.csv", pressure, temperature)
    out = ingest_table(store, table, point, settings=FAST)
    assert (out.stored, out.duplicates, out.refused) == (40, 0, "")
    keys = {c.key for c in out.alarms}
    assert keys == {"pressure", "multivariate"}  # oil_temp stays within its band
    joint = next(c for c in out.alarms if c.key == "multivariate")
    assert joint.details["contributions"][0]["sensor"] == "pressure"
    raised = next(c for c in out.alarms if c.key == "pressure" and c.transition.kind == "raised")
    assert raised.details["value"] < raised.details["limit"] < 30.0
    assert out.assessments["oil_temp"] == "normal"
    trend = indicator_trend(store, point, "pressure")
    assert len(trend.values) == 40 and trend.limits
    # The file itself is kept once, under its content address.
    assert out.table_measurement_id is not None
    kept = store.blob_path(out.table_measurement_id)
    assert kept is not None and kept.read_bytes() == table.read_bytes()
    # The same table again: every row is already stored, nothing is judged twice.
    again = ingest_table(store, table, point, settings=FAST)
    assert (again.stored, again.duplicates, again.alarms) == (0, 40, ())
    assert again.table_measurement_id == out.table_measurement_id
    assert process_pending(store, FAST) == []


def test_parquet_with_epoch_seconds_and_missing_values(store: Store, tmp_path: Path) -> None:
    import pandas as pd

    point = _support(store)
    t0 = START.timestamp()
    frame = pd.DataFrame(
        {"timestamp": [t0 + 10.0 * i for i in range(5)], "pressure": [30.0, np.nan, 30.1, 29.9, 30]}
    )
    frame.loc[1, "pressure"] = np.nan
    path = tmp_path / "legs.parquet"
    frame.to_parquet(path)
    table = read_table(path)
    assert table.times[1] == START + timedelta(seconds=10)
    out = ingest_table(store, path, point, settings=FAST, process=False)
    assert (out.stored, out.skipped) == (4, 1)
    processed = process_pending(store, FAST)  # scalars measurements are processed too
    assert len(processed) == 4 and all(o.assessments["pressure"] == "learning" for o in processed)


def test_an_unreadable_table_is_refused_with_a_reason(store: Store, tmp_path: Path) -> None:
    point = _support(store)
    bad = tmp_path / "legs.csv"
    bad.write_text("when,pressure\nyesterday,30\n")
    out = ingest_table(store, bad, point)
    assert "no time column" in out.refused and out.stored == 0
    assert "no time column" in store.dead_letters()[0].reason


def test_a_single_reading(store: Store) -> None:
    point = _support(store)
    first, judged = ingest_values(store, point, START, {"pressure": 30.2}, FAST)
    assert first.status == "stored" and judged is not None
    again, _ = ingest_values(store, point, START, {"pressure": 30.2}, FAST)
    assert again.status == "duplicate" and again.measurement_id == first.measurement_id
    with pytest.raises(DataError, match="no finite value"):
        ingest_values(store, point, START, {"pressure": float("nan")})


def test_mqtt_messages_of_named_values(store: Store) -> None:
    point = _support(store)
    topic = "openphm/" + point + "/values"
    body = b'{"acquired_at": "2026-01-01T00:00:00+00:00", "values": {"pressure": 30.0}}'
    first, judged = ingest_message(store, topic, body, FAST)
    assert first.status == "stored" and judged is not None
    assert ingest_message(store, topic, body, FAST)[0].status == "duplicate"
    refused, _ = ingest_message(store, topic, b'{"acquired_at": "2026-01-01", "valeus": {}}')
    assert refused.status == "refused" and "valeus" in refused.detail
    assert store.dead_letters()[0].point_ref == point


@pytest.mark.parametrize(
    ("topic", "payload", "words"),
    [
        ("openphm/a/b/values", b"{}", "expected"),
        ("openphm/a/b/c/values", b"\xff", "UTF-8 JSON"),
        (
            "openphm/a/b/c/values",
            b'{"acquired_at": "2026-01-01T00:00:00", "values": {"x": 1}}',
            "time zone",
        ),
        (
            "openphm/a/b/c/values",
            b'{"acquired_at": "2026-01-01T00:00:00Z", "values": {"x": "1"}}',
            "not a number",
        ),
        (
            "openphm/a/b/c/values",
            b'{"acquired_at": "2026-01-01T00:00:00Z", "values": {"x": null}}',
            "no finite value",
        ),
    ],
)
def test_bad_values_messages(topic: str, payload: bytes, words: str) -> None:
    with pytest.raises(DataError, match=words):
        parse_values_message(topic, payload)


def test_a_broken_correlation_raises_a_multivariate_alarm_naming_both_legs(
    store: Store, tmp_path: Path
) -> None:
    """Both legs follow the roof load; one rising while the other falls stays inside each
    leg's own band but breaks their correlation: the PCA alarm names the two legs."""
    point = _support(store)
    rng = np.random.default_rng(3)
    load = rng.normal(size=40)
    left = 30.0 + load + 0.05 * rng.normal(size=40)
    right = 30.0 + load + 0.05 * rng.normal(size=40)
    left[30:] += 0.6
    right[30:] -= 0.6
    rows = ["time,left,right"]
    for i in range(40):
        rows.append(f"{(START + timedelta(minutes=i)).isoformat()},{left[i]:.4f},{right[i]:.4f}")
    table = tmp_path / "legs.csv"
    table.write_text("\n".join(rows) + "\n")
    out = ingest_table(store, table, point, settings=FAST)
    assert {c.key for c in out.alarms} == {"multivariate"}
    raised = next(c for c in out.alarms if c.transition.kind == "raised")
    shares = {c["sensor"]: c["share"] for c in raised.details["contributions"]}
    assert set(shares) == {"left", "right"} and min(shares.values()) > 0.3
    assert "left" in raised.message and "right" in raised.message
    assert out.assessments["multivariate"] in ("alert", "danger")


def test_named_values_over_mqtt_reach_the_store(mosquitto: tuple[str, int], store: Store) -> None:
    """serve_mqtt with a values handler: telemetry messages are stored and judged, a bad one is
    refused, and the waveform subscription still works beside it."""
    import threading

    from openphm.pipeline.mqtt import publish_waveform, serve_mqtt

    host, port = mosquitto
    point = _support(store)
    stop, ready = threading.Event(), threading.Event()
    summaries = []

    def values(topic: str, payload: bytes) -> HandlerOutcome:
        return ingest_message(store, topic, payload, FAST)[0]

    def run() -> None:
        summaries.append(
            serve_mqtt(
                host,
                port,
                lambda item: HandlerOutcome("refused", "no waveforms here"),
                stop=stop,
                ready=ready,
                values_handler=values,
            )
        )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(20.0)
    topic = f"openphm/{point}/values"
    for i in range(3):
        at = (START + timedelta(minutes=i)).isoformat()
        body = f'{{"acquired_at": "{at}", "values": {{"pressure": 30.{i}}}}}'.encode()
        publish_waveform(host, port, topic, body)
    publish_waveform(host, port, topic, b'{"values": {"pressure": 1}}')
    deadline = datetime.now(UTC) + timedelta(seconds=20)
    while len(indicator_trend(store, point, "pressure").values) < 3:
        assert datetime.now(UTC) < deadline, "telemetry did not arrive"
        threading.Event().wait(0.1)
    stop.set()
    thread.join(20.0)
    (summary,) = summaries
    assert (summary.stored, summary.refused) == (3, 1)
    assert "acquired_at" in store.dead_letters()[0].reason


def test_regimes_found_from_operating_columns_give_limits_per_regime(
    store: Store, tmp_path: Path
) -> None:
    """A boring machine's table: standstill and boring alternate. Regimes found from speed,
    thrust and torque are kept; a bearing temperature normal while boring alarms at standstill."""
    store.add_site("tunnel")
    store.add_machine("tunnel", "tbm", profile="tbm_main_drive")
    store.add_point("tunnel/tbm", "process", sensor="process", unit="mixed", fs_hz=1.0)
    point = "tunnel/tbm/process"
    rng = np.random.default_rng(4)

    def table(name: str, boring: np.ndarray, temp: np.ndarray, offset: int) -> Path:
        rows = ["time,speed,thrust,torque,temp"]
        for i, (b, t) in enumerate(zip(boring, temp, strict=True)):
            at = (START + timedelta(minutes=offset + i)).isoformat()
            speed, thrust, torque = (1.8, 30.0, 4.0) if b else (0.0, 0.5, 0.0)
            rows.append(
                f"{at},{speed + 0.02 * rng.normal():.3f},{thrust + 0.5 * rng.normal():.3f},"
                f"{torque + 0.05 * rng.normal():.3f},{t:.3f}"
            )
        path = tmp_path / name
        path.write_text("\n".join(rows) + "\n")
        return path

    boring = np.tile(np.repeat([False, True], 10), 3)
    temp = np.where(boring, 50.0, 35.0) + 0.3 * rng.normal(size=boring.size)
    first = ingest_table(
        store,
        table("a.csv", boring, temp, 0),
        point,
        settings=FAST,
        regime_columns=("speed", "thrust", "torque"),
    )
    assert first.stored == 60 and first.alarms == ()
    assert "regimes:speed,thrust,torque" in store.states(point)
    for regime in ("regime:regime-0", "regime:regime-1"):
        assert "temp" in store.baselines(point, regime=regime)
    hot = np.full(6, 50.0) + 0.3 * rng.normal(size=6)  # boring's temperature, at standstill
    second = ingest_table(
        store,
        table("b.csv", np.zeros(6, dtype=bool), hot, 100),
        point,
        settings=FAST,
        regime_columns=("speed", "thrust", "torque"),
    )
    temp_alarms = [c for c in second.alarms if c.key == "temp"]
    assert temp_alarms and temp_alarms[0].details["regime"] == "regime:regime-0"


def test_telemetry_values_are_drawn_on_the_machine_page(store: Store, tmp_path: Path) -> None:
    from openphm.service.web.pagedata import machine_page

    point = _support(store)
    rng = np.random.default_rng(3)
    table = _table(tmp_path / "legs.csv", 30.0 + rng.normal(size=25), 45.0 + rng.normal(size=25))
    ingest_table(store, table, point, settings=FAST)
    assert store.indicator_names(point) == ["oil_temp", "pressure"]
    page = machine_page(store, store.machine("face/shield-101").id)
    (trends,) = [p for p in page.points if p.point.name == "P-LEFT"]
    assert [name for name, _ in trends.figures] == ["oil_temp", "pressure"]
