"""Replay through ingestion: pacing by acquisition time, stop, restart without storing twice."""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.pipeline.replay import ReplaySummary, replay_measurements
from openphm.pipeline.transport import HandlerOutcome, Incoming, IncomingSamples
from openphm.store import Store

T0 = datetime(2024, 1, 1, tzinfo=UTC)
POINT = "lab/fan/DE"


class RecordingEvent(threading.Event):
    """An event that records the waits asked of it and never sleeps."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(-1.0 if timeout is None else timeout)
        return self.is_set()


def _items(offsets_s: list[float], seed: int = 0) -> list[IncomingSamples]:
    rng = np.random.default_rng(seed)
    return [
        IncomingSamples(POINT, T0 + timedelta(seconds=t), 1000.0, "g", rng.normal(size=500))
        for t in offsets_s
    ]


@pytest.fixture
def fan(store: Store) -> Store:
    store.add_site("lab")
    store.add_machine("lab", "fan", profile="electric_motor")
    store.add_point("lab/fan", "DE", sensor="accelerometer", unit="g", fs_hz=1000.0)
    return store


def test_measurements_are_paced_by_their_acquisition_times(fan: Store) -> None:
    stop = RecordingEvent()
    summary = replay_measurements(
        fan, _items([0.0, 10.0, 30.0]), speed=50.0, stop=stop, monotonic=lambda: 0.0
    )
    assert summary == ReplaySummary(stored=3)
    assert stop.waits == pytest.approx([0.2, 0.4])
    times = [m.acquired_at for m in fan.measurements(POINT)]
    assert times == [T0, T0 + timedelta(seconds=10), T0 + timedelta(seconds=30)]


def test_time_spent_ingesting_counts_towards_the_wait(fan: Store) -> None:
    clock = iter(float(k) for k in range(100))  # every reading one second later
    stop = RecordingEvent()
    replay_measurements(
        fan, _items([0.0, 100.0]), speed=10.0, stop=stop, monotonic=lambda: next(clock)
    )
    assert stop.waits == [9.0]  # 10 s due, 1 s gone since the first one started


def test_a_second_run_stores_nothing_twice_and_does_not_wait(fan: Store) -> None:
    items = _items([0.0, 10.0, 20.0])
    replay_measurements(fan, items, speed=math.inf)
    stop = RecordingEvent()
    again = replay_measurements(fan, items, speed=5.0, stop=stop, monotonic=lambda: 0.0)
    assert again == ReplaySummary(duplicate=3)
    assert stop.waits == []
    assert len(fan.measurements(POINT)) == 3


def test_stop_ends_the_replay_and_a_restart_finishes_it(fan: Store) -> None:
    items = _items([0.0, 1.0, 2.0, 3.0, 4.0])
    stop = threading.Event()
    seen: list[str] = []

    def stop_after_two(item: Incoming, outcome: HandlerOutcome) -> None:
        seen.append(outcome.status)
        if len(seen) == 2:
            stop.set()

    first = replay_measurements(fan, items, speed=math.inf, stop=stop, on_outcome=stop_after_two)
    assert first == ReplaySummary(stored=2, stopped=True)
    rest = replay_measurements(fan, items, speed=math.inf)
    assert rest == ReplaySummary(stored=3, duplicate=2)
    assert [m.status for m in fan.measurements(POINT)] == ["processed"] * 5


def test_a_stop_set_before_the_start_stores_nothing(fan: Store) -> None:
    stop = threading.Event()
    stop.set()
    assert replay_measurements(fan, _items([0.0]), stop=stop) == ReplaySummary(stopped=True)
    assert fan.measurements(POINT) == []


def test_refusals_are_counted_and_the_replay_goes_on(fan: Store) -> None:
    wrong_rate = IncomingSamples(POINT, T0, 2000.0, "g", np.ones(100))
    summary = replay_measurements(fan, [wrong_rate, *_items([1.0])], speed=math.inf)
    assert summary == ReplaySummary(stored=1, refused=1)
    assert "2000 Hz" in fan.dead_letters()[0].reason


def test_measurements_stored_but_not_processed_are_processed_first(fan: Store) -> None:
    from openphm.pipeline.ingest import IngestSettings, ingest

    ingest(fan, _items([0.0])[0], IngestSettings(process=False))
    summary = replay_measurements(fan, _items([0.0]), speed=math.inf)
    assert summary == ReplaySummary(duplicate=1, pending_processed=1)
    assert fan.measurements(POINT)[0].status == "processed"


@pytest.mark.parametrize("speed", [0.0, -1.0, math.nan])
def test_a_speed_that_is_not_positive_is_refused(fan: Store, speed: float) -> None:
    with pytest.raises(ConfigError, match="replay speed"):
        replay_measurements(fan, [], speed=speed)
