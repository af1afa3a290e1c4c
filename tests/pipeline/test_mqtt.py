"""MQTT ingestion: the payload convention's parser, and a real mosquitto broker end to end."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest

from openphm.core.errors import DataError
from openphm.pipeline.mqtt import (
    MqttSummary,
    encode_file,
    encode_samples,
    parse_message,
    parse_topic,
    publish_waveform,
    serve_mqtt,
    subscription,
    waveform_topic,
)
from openphm.pipeline.transport import HandlerOutcome, Incoming, IncomingBytes, IncomingSamples

TOPIC = "openphm/plant-1/fan-2/de/waveform"
T0 = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
#: A guard against a hung test, not a timing assertion.
WAIT_S = 30.0


def _json(**fields: object) -> bytes:
    base: dict[str, object] = {
        "acquired_at": "2024-05-01T12:00:00+02:00",
        "fs_hz": 25600,
        "unit": "g",
        "samples": [0.0, 1.5, -2.25],
    }
    base.update(fields)
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


# --- the convention, without a broker ---------------------------------------------------------


def test_topic_helpers() -> None:
    assert waveform_topic("plant-1", "fan-2", "de") == TOPIC
    assert parse_topic(TOPIC) == "plant-1/fan-2/de"
    assert subscription("acme") == "acme/+/+/+/waveform"
    with pytest.raises(DataError, match="site"):
        waveform_topic("a/b", "m", "p")


def test_json_samples_round_trip_exactly() -> None:
    rng = np.random.default_rng(1)
    samples = rng.normal(size=2048)
    payload = encode_samples(
        T0, 25600.0, "g", samples, channel="DE", speed_hz=29.95, load=0.8, extra={"run": 7}
    )
    received = datetime(2024, 5, 1, 10, 0, 5, tzinfo=UTC)
    msg = parse_message(TOPIC, payload, received_at=received)
    assert isinstance(msg, IncomingSamples)
    assert msg.point == "plant-1/fan-2/de"
    assert msg.acquired_at == T0 and msg.received_at == received
    assert (msg.fs_hz, msg.unit, msg.channel, msg.speed_hz, msg.load) == (
        25600.0,
        "g",
        "DE",
        29.95,
        0.8,
    )
    assert msg.samples.dtype == np.float64
    np.testing.assert_array_equal(msg.samples, samples)
    assert not msg.samples.flags.writeable
    assert msg.header["extra"] == {"run": 7} and "samples" not in msg.header


def test_framed_file_round_trip() -> None:
    data = bytes(range(256)) * 10
    payload = encode_file(data, "rec.tdms", acquired_at=T0, header={"fs_hz": 51200})
    msg = parse_message(TOPIC, payload)
    assert isinstance(msg, IncomingBytes)
    assert (msg.data, msg.name, msg.point) == (data, "rec.tdms", "plant-1/fan-2/de")
    assert msg.header["acquired_at"] == T0.isoformat() and msg.header["fs_hz"] == 51200
    assert msg.received_at.tzinfo is not None


def test_file_bytes_starting_with_a_brace_stay_a_file() -> None:
    msg = parse_message(TOPIC, encode_file(b'{"a": 1}', "meta.json"))
    assert isinstance(msg, IncomingBytes) and msg.data == b'{"a": 1}'


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        ("openphm/a/b/waveform", _json(), "expected openphm/<site>"),
        ("other/a/b/c/waveform", _json(), "expected openphm/<site>"),
        ("openphm/a//c/waveform", _json(), "expected openphm/<site>"),
        ("openphm/a/b/c/spectrum", _json(), "expected openphm/<site>"),
        (TOPIC, b"", "empty payload"),
        (TOPIC, b"{not json", "not valid UTF-8 JSON"),
        (TOPIC, b"[1, 2]", "neither a JSON object nor a framed file"),
        (TOPIC, b"\x00\x00\x00\x03[1]data", "header: expected a JSON object"),
        (TOPIC, _json(fs_hz=None), "missing 'fs_hz'"),
        (TOPIC, _json(acquired_at=None), "missing 'acquired_at'"),
        (TOPIC, _json(unit=None), "missing 'unit'"),
        (TOPIC, _json(samples=None), "'samples' must be a non-empty list"),
        (TOPIC, _json(samples=[]), "'samples' must be a non-empty list"),
        (TOPIC, _json(samples=[[1, 2], [3, 4]]), "flat list of numbers"),
        (TOPIC, _json(samples=[1, "2"]), "flat list of numbers"),
        (TOPIC, _json(samples=[1, None]), "flat list of numbers"),
        (TOPIC, _json().replace(b"1.5", b"NaN"), "non-finite number NaN"),
        (TOPIC, _json().replace(b"1.5", b"1e400"), "non-finite"),
        (TOPIC, _json(fs_hz=0), "'fs_hz' = 0 is absurd"),
        (TOPIC, _json(fs_hz=-25600), "is absurd"),
        (TOPIC, _json(fs_hz=1e12), "is absurd"),
        (TOPIC, _json(fs_hz="25600"), "'fs_hz' must be a number"),
        (TOPIC, _json(fs_hz=True), "'fs_hz' must be a number"),
        (TOPIC, _json().replace(b"25600", b"Infinity"), "non-finite number Infinity"),
        (TOPIC, _json(speed_hz=-3), "'speed_hz' = -3 is absurd"),
        (TOPIC, _json(acquired_at="2024-05-01T12:00:00"), "no time zone"),
        (TOPIC, _json(acquired_at="yesterday"), "not an ISO 8601 time"),
        (TOPIC, _json(speed_Hz=30), "unknown field(s) 'speed_Hz'"),
        (TOPIC, _json(extra=[1]), "'extra' must be a JSON object"),
        (TOPIC, b"\x00\x01", "too short to be framed"),
        (TOPIC, b"\x00\x00\x00\x00abc", "header length 0 is out of range"),
        (TOPIC, b"PK\x03\x04zipfile", "neither a JSON object nor a framed file"),
        (TOPIC, b"\x00\x00\x00\x40{}", "truncated"),
        (TOPIC, encode_file(b"x", "a.csv")[:-1], "has no bytes after its header"),
        (TOPIC, encode_file(b"x", "../../etc/passwd"), "must be a plain name"),
        (TOPIC, encode_file(b"x", "a.csv", header={"fs": 1}), "unknown field(s) 'fs'"),
        (TOPIC, encode_file(b"x", "a.csv", header={"fs_hz": 0}), "is absurd"),
    ],
)
def test_bad_messages_are_refused_with_a_reason(topic: str, payload: bytes, reason: str) -> None:
    with pytest.raises(DataError) as info:
        parse_message(topic, payload)
    assert reason in str(info.value)


def test_missing_name_in_framed_header() -> None:
    header = b'{"acquired_at": "2024-05-01T12:00:00Z"}'
    payload = len(header).to_bytes(4, "big") + header + b"data"
    with pytest.raises(DataError, match="missing 'name'"):
        parse_message(TOPIC, payload)


def test_too_large_payload_is_refused_before_decoding() -> None:
    with pytest.raises(DataError, match="exceeds 1000 bytes"):
        parse_message(TOPIC, b"{" + b" " * 2000 + b"}", max_payload_bytes=1000)


def test_encoders_refuse_what_the_parser_would() -> None:
    with pytest.raises(DataError, match="finite"):
        encode_samples(T0, 100.0, "g", [1.0, np.nan])
    with pytest.raises(DataError, match="time zone"):
        encode_samples(datetime(2024, 1, 1), 100.0, "g", [1.0])


# --- end to end through a real broker ---------------------------------------------------------


@dataclass
class Server:
    """A serve_mqtt loop in a thread, with what it handed over and refused."""

    items: queue.Queue[Incoming] = field(default_factory=queue.Queue)
    refused: queue.Queue[tuple[str, str, int]] = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)
    summary: list[MqttSummary] = field(default_factory=list)
    thread: threading.Thread | None = None
    fail_on_channel: str = "boom"

    def handler(self, item: Incoming) -> HandlerOutcome:
        if isinstance(item, IncomingSamples) and item.channel == self.fail_on_channel:
            raise RuntimeError("database is locked")
        self.items.put(item)
        return HandlerOutcome("stored", "", self.items.qsize())


@pytest.fixture
def server(mosquitto: tuple[str, int]) -> Iterator[Server]:
    host, port = mosquitto
    state = Server()
    ready = threading.Event()

    def run() -> None:
        state.summary.append(
            serve_mqtt(
                host,
                port,
                state.handler,
                stop=state.stop,
                ready=ready,
                on_refused=lambda t, r, n: state.refused.put((t, r, n)),
            )
        )

    thread = state.thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(WAIT_S), "serve_mqtt did not subscribe"
    yield state
    state.stop.set()
    thread.join(WAIT_S)
    assert not thread.is_alive(), "serve_mqtt did not stop on stop.set()"


def test_json_and_framed_messages_reach_the_handler_intact(
    mosquitto: tuple[str, int], server: Server
) -> None:
    host, port = mosquitto
    samples = np.random.default_rng(2).normal(size=25600)
    publish_waveform(host, port, TOPIC, encode_samples(T0, 25600.0, "g", samples, channel="DE"))
    data = np.random.default_rng(3).bytes(300_000)
    publish_waveform(host, port, TOPIC, encode_file(data, "rec.bin", acquired_at=T0))

    first = server.items.get(timeout=WAIT_S)
    second = server.items.get(timeout=WAIT_S)
    assert isinstance(first, IncomingSamples)
    np.testing.assert_array_equal(first.samples, samples)
    assert (first.point, first.channel, first.acquired_at) == ("plant-1/fan-2/de", "DE", T0)
    assert isinstance(second, IncomingBytes)
    assert (second.data, second.name) == (data, "rec.bin")
    assert server.refused.empty()


def test_malformed_message_is_refused_and_the_next_one_arrives(
    mosquitto: tuple[str, int], server: Server
) -> None:
    host, port = mosquitto
    publish_waveform(host, port, TOPIC, b'{"fs_hz": 25600}')
    publish_waveform(host, port, "openphm/x/y/z/waveform", encode_samples(T0, 10.0, "g", [1.0]))
    topic, reason, size = server.refused.get(timeout=WAIT_S)
    assert topic == TOPIC and "missing 'acquired_at'" in reason and size == 16
    good = server.items.get(timeout=WAIT_S)
    assert isinstance(good, IncomingSamples) and good.point == "x/y/z"


def test_handler_exception_is_reported_and_serving_goes_on(
    mosquitto: tuple[str, int], server: Server
) -> None:
    host, port = mosquitto
    publish_waveform(host, port, TOPIC, encode_samples(T0, 10.0, "g", [1.0], channel="boom"))
    publish_waveform(host, port, TOPIC, encode_samples(T0, 10.0, "g", [2.0], channel="ok"))
    topic, reason, _ = server.refused.get(timeout=WAIT_S)
    assert topic == TOPIC and "handler raised" in reason and "database is locked" in reason
    good = server.items.get(timeout=WAIT_S)
    assert isinstance(good, IncomingSamples) and good.channel == "ok"


def test_stop_returns_the_counts(mosquitto: tuple[str, int], server: Server) -> None:
    host, port = mosquitto
    publish_waveform(host, port, TOPIC, encode_samples(T0, 10.0, "g", [1.0]))
    publish_waveform(host, port, TOPIC, b"garbage")
    server.items.get(timeout=WAIT_S)
    server.refused.get(timeout=WAIT_S)
    server.stop.set()
    assert server.thread is not None
    server.thread.join(WAIT_S)
    assert server.summary == [MqttSummary(received=2, stored=1, invalid=1)]


def test_publish_to_a_closed_port_says_so() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ConnectionError, match="cannot connect"):
        publish_waveform("127.0.0.1", port, TOPIC, b"{}")


def test_persistent_session_keeps_messages_sent_while_away(mosquitto: tuple[str, int]) -> None:
    host, port = mosquitto
    received: queue.Queue[Incoming] = queue.Queue()

    def handler(item: Incoming) -> HandlerOutcome:
        received.put(item)
        return HandlerOutcome("stored", "", 1)

    def serve(stop: threading.Event, ready: threading.Event | None = None) -> threading.Thread:
        thread = threading.Thread(
            target=serve_mqtt,
            args=(host, port, handler),
            kwargs={
                "stop": stop,
                "ready": ready,
                "on_outcome": lambda item, outcome: stop.set(),
                "client_id": "openphm-test-persistent",
            },
            daemon=True,
        )
        thread.start()
        return thread

    stop, ready = threading.Event(), threading.Event()
    first = serve(stop, ready)
    assert ready.wait(WAIT_S)
    stop.set()  # the session now exists on the broker, with its subscription
    first.join(WAIT_S)
    publish_waveform(host, port, TOPIC, encode_samples(T0, 10.0, "g", [4.0]))  # nobody listens
    second = serve(threading.Event())  # stops after its first answer
    item = received.get(timeout=WAIT_S)
    second.join(WAIT_S)
    assert not first.is_alive() and not second.is_alive()
    assert isinstance(item, IncomingSamples) and item.samples.tolist() == [4.0]
