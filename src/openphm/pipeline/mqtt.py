"""MQTT ingestion: the topic and payload convention, its parser, a subscriber loop and a publisher.

Topic ``openphm/<site>/<machine>/<point>/waveform``; the point's reference is
``"<site>/<machine>/<point>"``. The payload is either

- **JSON samples**, a UTF-8 JSON object (first byte ``{``)::

      {"acquired_at": "2024-05-01T12:00:00+02:00", "fs_hz": 25600, "unit": "g",
       "channel": "DE", "samples": [0.01, -0.02, ...],
       "speed_hz": 29.95, "load": 0.8, "extra": {...}}

  (``channel``, ``speed_hz``, ``load`` and ``extra`` optional), or
- **a framed file**: a 4-byte big-endian length ``n`` (1 to 65 536), ``n`` bytes of a UTF-8 JSON
  header (``{"name": "rec.tdms", "acquired_at": ..., ...}``, ``name`` required), then the file's
  bytes, unchanged. The framing works on MQTT 3.1.1 and 5 alike and keeps a message
  self-contained when it is logged or replayed.

Unknown header keys are refused (a misspelt ``speed_Hz`` must not vanish silently); free-form facts
go in ``extra``. Messages are received with QoS 1 and acknowledged only after the handler has
answered, so a message the handler stored is never lost. See ``docs/ingestion.md``.
"""

from __future__ import annotations

import json
import logging
import math
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError
from openphm.core.waveform import MAX_FS_HZ, MIN_FS_HZ
from openphm.pipeline.transport import (
    Handler,
    HandlerOutcome,
    Incoming,
    IncomingBytes,
    IncomingSamples,
    OutcomeCallback,
    call_handler,
)

if TYPE_CHECKING:
    import paho.mqtt.client as paho

__all__ = [
    "MAX_HEADER_BYTES",
    "MAX_PAYLOAD_BYTES",
    "MAX_SPEED_HZ",
    "MqttSummary",
    "RefusedCallback",
    "encode_file",
    "encode_samples",
    "parse_message",
    "parse_topic",
    "publish_waveform",
    "serve_mqtt",
    "subscription",
    "waveform_topic",
]

_log = logging.getLogger(__name__)

#: Largest payload accepted (bytes); a larger one is refused before it is decoded.
MAX_PAYLOAD_BYTES = 64 * 2**20
#: Largest JSON header of a framed file (bytes).
MAX_HEADER_BYTES = 64 * 2**10
#: Highest plausible shaft speed (Hz).
MAX_SPEED_HZ = 1e5

_FRAME = struct.Struct(">I")
_SAMPLE_KEYS = frozenset(
    {"acquired_at", "fs_hz", "unit", "channel", "samples", "speed_hz", "load", "extra"}
)
_FILE_KEYS = frozenset(
    {"name", "acquired_at", "fs_hz", "unit", "channel", "speed_hz", "load", "extra"}
)
_WILDCARDS = ("/", "+", "#", "\x00")

#: Told ``(topic, reason, payload size in bytes)`` of each message that cannot be handed over.
RefusedCallback: TypeAlias = Callable[[str, str, int], None]


def _check_level(value: str, what: str) -> str:
    if not value or any(c in value for c in _WILDCARDS):
        raise DataError(f"MQTT topic {what} {value!r} must be non-empty, without '/', '+' or '#'")
    return value


def waveform_topic(site: str, machine: str, point: str, *, prefix: str = "openphm") -> str:
    """The topic a point's waveforms are published on.

    Parameters
    ----------
    site, machine, point : str
        Names of the site, machine and measurement point (no ``/``, ``+`` or ``#``).
    prefix : str
        First level of the topic.

    Returns
    -------
    str
        ``"<prefix>/<site>/<machine>/<point>/waveform"``.

    Raises
    ------
    DataError
        A level is empty or holds a topic separator or wildcard.

    Examples
    --------
    >>> waveform_topic("tunnel-3", "tbm", "main-bearing-ax")
    'openphm/tunnel-3/tbm/main-bearing-ax/waveform'
    """
    levels = ((prefix, "prefix"), (site, "site"), (machine, "machine"), (point, "point"))
    return "/".join(_check_level(v, w) for v, w in levels) + "/waveform"


def subscription(prefix: str = "openphm") -> str:
    """The topic filter that receives every point's waveforms.

    Parameters
    ----------
    prefix : str
        First level of the topics.

    Returns
    -------
    str
        ``"<prefix>/+/+/+/waveform"``.

    Examples
    --------
    >>> subscription()
    'openphm/+/+/+/waveform'
    """
    return f"{_check_level(prefix, 'prefix')}/+/+/+/waveform"


def parse_topic(topic: str, *, prefix: str = "openphm") -> str:
    """The point reference ``"<site>/<machine>/<point>"`` named by a waveform topic.

    Parameters
    ----------
    topic : str
        The message's topic.
    prefix : str
        The expected first level.

    Returns
    -------
    str
        ``"<site>/<machine>/<point>"``.

    Raises
    ------
    DataError
        The topic does not follow ``<prefix>/<site>/<machine>/<point>/waveform``.

    Examples
    --------
    >>> parse_topic("openphm/plant/fan-2/de/waveform")
    'plant/fan-2/de'
    """
    levels = topic.split("/")
    if len(levels) != 5 or levels[0] != prefix or levels[4] != "waveform" or "" in levels:
        raise DataError(
            f"MQTT topic {topic!r}: expected {prefix}/<site>/<machine>/<point>/waveform"
        )
    return "/".join(levels[1:4])


def _refuse_constant(name: str) -> float:
    raise DataError(f"non-finite number {name} in the JSON")


def _json_object(raw: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except DataError as exc:
        raise DataError(f"{where}: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise DataError(f"{where}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(value, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(value).__name__}")
    return value


def _number(
    obj: Mapping[str, Any], key: str, where: str, *, low: float, high: float, required: bool
) -> float | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise DataError(f"{where}: missing {key!r}")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DataError(f"{where}: {key!r} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise DataError(f"{where}: {key!r} = {value!r} is absurd; expected {low:g} to {high:g}")
    return number


def _text(obj: Mapping[str, Any], key: str, where: str, *, required: bool) -> str:
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise DataError(f"{where}: missing {key!r}")
        return ""
    if not isinstance(value, str):
        raise DataError(f"{where}: {key!r} must be a string, got {value!r}")
    return value


def _instant(obj: Mapping[str, Any], key: str, where: str, *, required: bool) -> datetime | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise DataError(f"{where}: missing {key!r} (ISO 8601 with a time zone)")
        return None
    try:
        instant = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        instant = None
    if instant is None:
        raise DataError(f"{where}: {key!r} = {value!r} is not an ISO 8601 time")
    if instant.utcoffset() is None:
        raise DataError(f"{where}: {key!r} = {value!r} has no time zone; add Z or +hh:mm")
    return instant


def _check_header(obj: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise DataError(
            f"{where}: unknown field(s) {', '.join(map(repr, unknown))}; "
            f"expected some of {', '.join(sorted(allowed))} (put free-form facts in 'extra')"
        )
    if "extra" in obj and not isinstance(obj["extra"], dict):
        raise DataError(f"{where}: 'extra' must be a JSON object")
    _number(obj, "fs_hz", where, low=MIN_FS_HZ, high=MAX_FS_HZ, required=False)
    _number(obj, "speed_hz", where, low=1e-9, high=MAX_SPEED_HZ, required=False)
    _number(obj, "load", where, low=-math.inf, high=math.inf, required=False)
    _instant(obj, "acquired_at", where, required=False)
    for key in ("unit", "channel"):
        _text(obj, key, where, required=False)


def _samples(obj: Mapping[str, Any], where: str) -> npt.NDArray[np.float64]:
    raw = obj.get("samples")
    if not isinstance(raw, list) or not raw:
        raise DataError(f"{where}: 'samples' must be a non-empty list of numbers")
    try:
        arr = np.array(raw)
    except ValueError:
        arr = np.array([], dtype=object)
    if arr.ndim != 1 or arr.dtype.kind not in "iuf":
        raise DataError(f"{where}: 'samples' must be a flat list of numbers")
    samples = arr.astype(np.float64)
    if not np.isfinite(samples).all():
        raise DataError(f"{where}: 'samples' holds {int((~np.isfinite(samples)).sum())} non-finite")
    return samples


def _parse_samples(raw: bytes, point: str, received_at: datetime, where: str) -> IncomingSamples:
    obj = _json_object(raw, where)
    _check_header(obj, _SAMPLE_KEYS, where)
    acquired_at = _instant(obj, "acquired_at", where, required=True)
    fs_hz = _number(obj, "fs_hz", where, low=MIN_FS_HZ, high=MAX_FS_HZ, required=True)
    assert acquired_at is not None and fs_hz is not None  # required=True raised otherwise
    return IncomingSamples(
        point=point,
        acquired_at=acquired_at,
        fs_hz=fs_hz,
        unit=_text(obj, "unit", where, required=True),
        samples=_samples(obj, where),
        channel=_text(obj, "channel", where, required=False),
        speed_hz=_number(obj, "speed_hz", where, low=1e-9, high=MAX_SPEED_HZ, required=False),
        load=_number(obj, "load", where, low=-math.inf, high=math.inf, required=False),
        header={k: v for k, v in obj.items() if k != "samples"},
        received_at=received_at,
    )


def _parse_framed(payload: bytes, point: str, received_at: datetime, where: str) -> IncomingBytes:
    if len(payload) < _FRAME.size:
        raise DataError(f"{where}: payload of {len(payload)} bytes is too short to be framed")
    (n,) = _FRAME.unpack_from(payload)
    if not 1 <= n <= MAX_HEADER_BYTES:
        raise DataError(
            f"{where}: header length {n} is out of range (1 to {MAX_HEADER_BYTES}); the payload is "
            "neither a JSON object nor a framed file (4-byte big-endian length, JSON header, bytes)"
        )
    if len(payload) < _FRAME.size + n:
        raise DataError(f"{where}: truncated: header of {n} bytes announced, fewer sent")
    header = _json_object(payload[_FRAME.size : _FRAME.size + n], f"{where} header")
    _check_header(header, _FILE_KEYS, f"{where} header")
    name = _text(header, "name", f"{where} header", required=True)
    if any(c in name for c in "/\\\x00") or name in {".", ".."} or len(name) > 255:
        raise DataError(f"{where} header: file name {name!r} must be a plain name, no folders")
    data = payload[_FRAME.size + n :]
    if not data:
        raise DataError(f"{where}: file {name!r} has no bytes after its header")
    return IncomingBytes(data=data, name=name, point=point, received_at=received_at, header=header)


def parse_message(
    topic: str,
    payload: bytes,
    *,
    topic_prefix: str = "openphm",
    received_at: datetime | None = None,
    max_payload_bytes: int = MAX_PAYLOAD_BYTES,
) -> Incoming:
    """Turn one MQTT message into the item the ingestion handler takes.

    A payload whose first non-blank byte is ``{`` is JSON samples; any other is a framed file
    (see the module's description and ``docs/ingestion.md``).

    Parameters
    ----------
    topic : str
        ``<prefix>/<site>/<machine>/<point>/waveform``.
    payload : bytes
        The message's payload.
    topic_prefix : str
        The topic's expected first level.
    received_at : datetime.datetime, optional
        When the message arrived (default: now, UTC).
    max_payload_bytes : int
        Larger payloads are refused before decoding.

    Returns
    -------
    IncomingSamples or IncomingBytes
        Samples for a JSON payload, a file's bytes for a framed one.

    Raises
    ------
    DataError
        A bad topic, an empty or too large payload, bad JSON or framing, a missing or unknown
        field, a time without zone, an absurd sampling rate or speed, empty or non-finite samples.

    Examples
    --------
    >>> msg = parse_message("openphm/plant/fan/de/waveform",
    ...     b'{"acquired_at": "2024-05-01T12:00:00Z", "fs_hz": 4, "unit": "g", '
    ...     b'"samples": [0, 1, 0, -1]}')
    >>> msg.point, msg.fs_hz, msg.samples.tolist()
    ('plant/fan/de', 4.0, [0.0, 1.0, 0.0, -1.0])
    >>> parse_message("openphm/plant/fan/de/waveform", encode_file(b"1,2\\n", "r.csv")).name
    'r.csv'
    """
    point = parse_topic(topic, prefix=topic_prefix)
    where = f"MQTT message on {topic}"
    size = len(payload)
    if size == 0:
        raise DataError(f"{where}: empty payload")
    if size > max_payload_bytes:
        raise DataError(f"{where}: payload of {size} bytes exceeds {max_payload_bytes} bytes")
    received = received_at or datetime.now(UTC)
    if payload[:64].lstrip()[:1] == b"{":
        return _parse_samples(bytes(payload), point, received, where)
    return _parse_framed(bytes(payload), point, received, where)


def _header(fields: Mapping[str, object]) -> dict[str, object]:
    header: dict[str, object] = {}
    for key, value in fields.items():
        if value is None:
            continue
        header[key] = value.isoformat() if isinstance(value, datetime) else value
    return header


def encode_samples(
    acquired_at: datetime,
    fs_hz: float,
    unit: str,
    samples: npt.ArrayLike,
    *,
    channel: str = "",
    speed_hz: float | None = None,
    load: float | None = None,
    extra: Mapping[str, object] | None = None,
) -> bytes:
    """The JSON payload of one channel's samples, as :func:`parse_message` reads it.

    Parameters
    ----------
    acquired_at : datetime.datetime
        Time of the first sample, time-zone aware.
    fs_hz : float
        Sampling rate in Hz.
    unit : str
        Unit of the samples (``"g"``, ``"m/s^2"``...).
    samples : array_like
        1-D finite samples (written with full float64 precision).
    channel : str
        Channel name, if the point has several.
    speed_hz : float, optional
        Shaft speed in Hz.
    load : float, optional
        Load in the machine's unit.
    extra : Mapping, optional
        Free-form JSON-serialisable facts.

    Returns
    -------
    bytes
        The UTF-8 JSON payload.

    Raises
    ------
    DataError
        The time has no zone, or the samples are not 1-D and finite.

    Examples
    --------
    >>> payload = encode_samples(datetime(2024, 5, 1, tzinfo=UTC), 2.0, "g", [0.5, -0.5])
    >>> json.loads(payload)["samples"]
    [0.5, -0.5]
    """
    arr = np.asarray(samples, dtype=np.float64)
    if arr.ndim != 1 or not np.isfinite(arr).all():
        raise DataError("encode_samples: samples must be 1-D and finite")
    if acquired_at.utcoffset() is None:
        raise DataError("encode_samples: acquired_at has no time zone")
    header = _header(
        {
            "acquired_at": acquired_at,
            "fs_hz": float(fs_hz),
            "unit": unit,
            "channel": channel or None,
            "samples": arr.tolist(),
            "speed_hz": speed_hz,
            "load": load,
            "extra": dict(extra) if extra else None,
        }
    )
    return json.dumps(header, allow_nan=False).encode("utf-8")


def encode_file(
    data: bytes,
    name: str,
    *,
    acquired_at: datetime | None = None,
    header: Mapping[str, object] | None = None,
) -> bytes:
    """The framed payload of a file: 4-byte big-endian header length, JSON header, file bytes.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name (no folder); its extension tells the reader the format.
    acquired_at : datetime.datetime, optional
        Acquisition time, time-zone aware, when the file itself does not say.
    header : Mapping, optional
        Other header fields: ``fs_hz``, ``unit``, ``channel``, ``speed_hz``, ``load``, ``extra``.

    Returns
    -------
    bytes
        The payload.

    Examples
    --------
    >>> encode_file(b"1,2", "r.csv")
    b'\\x00\\x00\\x00\\x11{"name": "r.csv"}1,2'
    """
    fields = _header({"name": name, "acquired_at": acquired_at, **(header or {})})
    encoded = json.dumps(fields, allow_nan=False).encode("utf-8")
    return _FRAME.pack(len(encoded)) + encoded + bytes(data)


@dataclass(frozen=True)
class MqttSummary:
    """Counts of a :func:`serve_mqtt` run, returned when it stops.

    Parameters
    ----------
    received : int
        Messages received.
    stored, duplicate, refused : int
        Messages the handler stored, found already stored, refused.
    invalid : int
        Messages refused before the handler (bad topic or payload), reported via ``on_refused``.
    failed : int
        Handler calls that raised (reported via ``on_refused`` too).
    """

    received: int = 0
    stored: int = 0
    duplicate: int = 0
    refused: int = 0
    invalid: int = 0
    failed: int = 0


def _safe_refused(on_refused: RefusedCallback | None, topic: str, reason: str, size: int) -> None:
    _log.warning("refused %d-byte message on %s: %s", size, topic, reason)
    if on_refused is None:
        return
    try:
        on_refused(topic, reason, size)
    except Exception:
        _log.exception("on_refused callback raised on %s", topic)


def serve_mqtt(
    host: str,
    port: int,
    handler: Handler,
    *,
    topic_prefix: str = "openphm",
    stop: threading.Event | None = None,
    on_outcome: OutcomeCallback | None = None,
    on_refused: RefusedCallback | None = None,
    ready: threading.Event | None = None,
    client_id: str | None = None,
    keepalive_s: int = 60,
    max_payload_bytes: int = MAX_PAYLOAD_BYTES,
    values_handler: Callable[[str, bytes], HandlerOutcome] | None = None,
) -> MqttSummary:
    """Subscribe to every point's waveforms and hand each message to the handler, until stopped.

    Subscribes to ``<prefix>/+/+/+/waveform`` with QoS 1 (again after each reconnection; paho
    reconnects by itself). Each message is parsed (:func:`parse_message`) and handed to the
    handler in the network thread; its acknowledgement (PUBACK) is sent only once the handler has
    answered, so a stored message is never lost and an unanswered one is redelivered when a
    persistent session (``client_id``) resumes. A message that cannot be parsed goes to
    ``on_refused`` and the loop goes on; so does one whose handler raises (logged, counted, and
    acknowledged: it is not redelivered).

    Parameters
    ----------
    host : str
        The broker's host name or address.
    port : int
        The broker's port.
    handler : Handler
        The ingestion function; it should answer well within ``keepalive_s``.
    topic_prefix : str
        First level of the topics.
    stop : threading.Event, optional
        Set it to disconnect and return; None serves until interrupted.
    on_outcome : callable, optional
        Told ``(item, outcome)`` for each answer of the handler.
    on_refused : callable, optional
        Told ``(topic, reason, payload size in bytes)`` of each message not handed over or whose
        handler raised, for the dead-letter record.
    ready : threading.Event, optional
        Set once the subscription is acknowledged by the broker.
    client_id : str, optional
        A fixed client id makes a persistent session: the broker keeps QoS 1 messages for the
        subscriber while it is away. None: a random id and a clean session.
    keepalive_s : int
        MQTT keep-alive in seconds.
    max_payload_bytes : int
        Larger payloads are refused without decoding.
    values_handler : callable, optional
        Also subscribe to ``<prefix>/+/+/+/values`` (telemetry: named values) and hand each
        such message's topic and payload to it
        (:func:`openphm.pipeline.telemetry.ingest_message` bound to a store).

    Returns
    -------
    MqttSummary
        Counts of the run.
    """
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    stop = stop or threading.Event()
    counts = dict.fromkeys(("received", "stored", "duplicate", "refused", "invalid", "failed"), 0)
    topic_filter = subscription(topic_prefix)

    def on_connect(
        client: paho.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            _log.error("MQTT broker %s:%d refused the connection: %s", host, port, reason)
            return
        _log.info("connected to MQTT broker %s:%d, subscribing to %s", host, port, topic_filter)
        if values_handler is None:
            client.subscribe(topic_filter, qos=1)
        else:
            client.subscribe([(topic_filter, 1), (topic_filter[: -len("waveform")] + "values", 1)])

    def on_subscribe(
        client: paho.Client, userdata: Any, mid: int, reasons: list[Any], properties: Any
    ) -> None:
        if any(r.is_failure for r in reasons):
            _log.error("MQTT broker %s:%d refused the subscription to %s", host, port, topic_filter)
        elif ready is not None:
            ready.set()

    def on_disconnect(
        client: paho.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if not stop.is_set():
            _log.warning("lost MQTT broker %s:%d (%s); reconnecting", host, port, reason)

    def on_connect_fail(client: paho.Client, userdata: Any) -> None:
        _log.warning("cannot reach MQTT broker %s:%d; retrying", host, port)

    def on_message(client: paho.Client, userdata: Any, message: paho.MQTTMessage) -> None:
        try:
            _handle(message)
        except Exception:
            _log.exception("MQTT message handling failed")

    def _handle(message: paho.MQTTMessage) -> None:
        counts["received"] += 1
        size = len(message.payload)
        try:
            topic = message.topic
        except UnicodeDecodeError:
            topic = "<topic not UTF-8>"
        if values_handler is not None and topic.endswith("/values"):
            try:
                outcome = values_handler(topic, bytes(message.payload))
            except Exception as exc:
                counts["failed"] += 1
                _safe_refused(on_refused, topic, f"values handler raised {exc!r}", size)
                return
            counts[outcome.status] += 1
            return
        try:
            item = parse_message(
                topic,
                bytes(message.payload),
                topic_prefix=topic_prefix,
                max_payload_bytes=max_payload_bytes,
            )
        except DataError as exc:
            counts["invalid"] += 1
            _safe_refused(on_refused, topic, str(exc), size)
            return
        answer = call_handler(handler, item, on_outcome)
        if isinstance(answer, HandlerOutcome):
            counts[answer.status] += 1
        else:
            counts["failed"] += 1
            _safe_refused(on_refused, topic, f"handler raised {answer!r}", size)

    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id or "",
        clean_session=client_id is None,
    )
    client.enable_logger(_log)
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_disconnect = on_disconnect
    client.on_connect_fail = on_connect_fail
    client.on_message = on_message
    client.connect_async(host, port, keepalive=keepalive_s)
    client.loop_start()
    try:
        stop.wait()
    finally:
        client.disconnect()
        client.loop_stop()
    return MqttSummary(**counts)


def publish_waveform(
    host: str,
    port: int,
    topic: str,
    payload: bytes,
    *,
    qos: int = 1,
    timeout_s: float = 30.0,
) -> None:
    """Publish one payload (from :func:`encode_samples` or :func:`encode_file`) and wait for it.

    Parameters
    ----------
    host : str
        The broker's host name or address.
    port : int
        The broker's port.
    topic : str
        The topic (:func:`waveform_topic`).
    payload : bytes
        The message.
    qos : int
        MQTT quality of service; 1 (the default) waits for the broker's acknowledgement.
    timeout_s : float
        Seconds to wait for the broker.

    Raises
    ------
    ConnectionError
        The broker cannot be reached or did not acknowledge in time.
    """
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2)
    try:
        client.connect(host, port)
    except OSError as exc:
        raise ConnectionError(f"MQTT broker {host}:{port}: cannot connect ({exc})") from exc
    client.loop_start()
    try:
        info = client.publish(topic, payload, qos=qos)
        try:
            info.wait_for_publish(timeout_s)
        except (RuntimeError, ValueError) as exc:
            raise ConnectionError(f"MQTT broker {host}:{port}: publish failed ({exc})") from exc
        if not info.is_published():
            raise ConnectionError(
                f"MQTT broker {host}:{port}: message on {topic} not acknowledged in {timeout_s:g} s"
            )
    finally:
        client.disconnect()
        client.loop_stop()
