"""Telemetry ingestion: tables of named values with a time column, and single readings.

A machine's process data (leg pressures, thrust, torque, flows, temperatures) arrive as tables
(CSV or Parquet, one row per time) or as messages of named values. A table file is kept once,
content-addressed like a waveform file (a ``scalars`` measurement holding it, with nothing to
judge). Each row goes to one measurement point as a ``scalars`` measurement (the store
identifies it by the point, the values and the time, so ingesting the same table again stores
nothing twice), and each named value is
then judged like a vibration indicator (:func:`openphm.pipeline.monitor.process_measurement`):
baseline per operating regime learned from the first values, both sides watched, alarms with
hysteresis, CUSUM onset; the values are trended under their names (``openphm trend``).

MQTT messages of named values (topic ``<prefix>/<site>/<machine>/<point>/values``) are parsed by
:func:`parse_values_message` and stored by :func:`ingest_message`, which ``openphm mqtt`` hands
them to (:func:`openphm.pipeline.mqtt.serve_mqtt`'s ``values_handler``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError, OpenPHMError
from openphm.detect.regime_discovery import RegimeModel, discover_regimes
from openphm.pipeline.monitor import (
    AlarmChange,
    MonitorOutcome,
    MonitorSettings,
    process_measurement,
)
from openphm.pipeline.transport import HandlerOutcome
from openphm.store import Store

__all__ = [
    "TIME_COLUMNS",
    "TelemetryOutcome",
    "TelemetryTable",
    "ValuesMessage",
    "ingest_message",
    "ingest_table",
    "ingest_values",
    "parse_values_message",
    "read_table",
]

#: Column names taken as the time column when none is given (case-insensitive), in order.
TIME_COLUMNS = ("time", "timestamp", "datetime", "date_time", "t")

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TelemetryTable:
    """A telemetry table as read: times and one float column per named value.

    Parameters
    ----------
    times : tuple of datetime.datetime
        Time of each row (timezone-aware, UTC when the file gave none).
    columns : dict of str to ndarray
        Each numeric column (NaN where a value is missing).
    source : str
        The file read.
    """

    times: tuple[datetime, ...]
    columns: dict[str, FloatArray]
    source: str

    @property
    def n_rows(self) -> int:
        """Rows in the table."""
        return len(self.times)


def read_table(path: str | Path, *, time_column: str | None = None) -> TelemetryTable:
    """Read a CSV or Parquet telemetry table.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` (comma-separated, header row) or ``.parquet`` file.
    time_column : str, optional
        Name of the time column; default the first of :data:`TIME_COLUMNS` present. Times are
        ISO 8601 text or datetimes (naive ones are taken as UTC), or numbers of seconds since
        1970-01-01 UTC.

    Returns
    -------
    TelemetryTable
        Times and numeric columns; text columns other than the time are left out.

    Raises
    ------
    DataError
        Unreadable file, unknown format, no time column, unparsable times, or no numeric column.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = pathlib.Path(tmp) / "legs.csv"
    ...     _ = f.write_text("time,P-LEFT,P-RIGHT\\n2026-01-01T00:00:00Z,30.1,29.8\\n")
    ...     table = read_table(f)
    >>> table.n_rows, sorted(table.columns), table.times[0].isoformat()
    (1, ['P-LEFT', 'P-RIGHT'], '2026-01-01T00:00:00+00:00')
    """
    import pandas as pd

    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(p)
        elif suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(p)
        else:
            raise DataError(f"{p}: telemetry tables are .csv or .parquet, not {suffix!r}")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{p}: cannot read the table ({exc})") from exc
    lower = {str(c).lower(): str(c) for c in frame.columns}
    name = time_column or next((lower[c] for c in TIME_COLUMNS if c in lower), None)
    if name is None or name not in frame.columns:
        wanted = repr(time_column) if time_column else f"one of {list(TIME_COLUMNS)}"
        raise DataError(f"{p}: no time column {wanted}; columns are {list(frame.columns)}")
    raw = frame[name]
    try:
        if pd.api.types.is_numeric_dtype(raw):
            stamps = pd.to_datetime(raw, unit="s", utc=True)
        else:
            stamps = pd.to_datetime(raw, utc=True, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise DataError(f"{p}: time column {name!r} cannot be read as times ({exc})") from exc
    if stamps.isna().any():
        raise DataError(f"{p}: time column {name!r} has missing times")
    columns = {
        str(c): frame[c].to_numpy(dtype=np.float64, na_value=np.nan)
        for c in frame.columns
        if c != name and pd.api.types.is_numeric_dtype(frame[c])
    }
    if not columns:
        raise DataError(f"{p}: no numeric column beside the time column {name!r}")
    times = tuple(t.to_pydatetime().astimezone(UTC) for t in stamps)
    return TelemetryTable(times, columns, str(p))


def ingest_values(
    store: Store,
    point: int | str,
    acquired_at: datetime,
    values: Mapping[str, float],
    settings: MonitorSettings | None = None,
    *,
    process: bool = True,
    regime: str | None = None,
) -> tuple[HandlerOutcome, MonitorOutcome | None]:
    """Store one reading of named values at a point, then judge it.

    Parameters
    ----------
    store : Store
        Where it goes.
    point : int or str
        The point (id or ``site/machine/point`` path).
    acquired_at : datetime.datetime
        When the values were read (timezone-aware).
    values : Mapping of str to float
        Named values in the point's units; non-finite ones are left out.
    settings : MonitorSettings, optional
        Baselines, limits and alarm counts.
    process : bool, default True
        Judge the stored reading at once.
    regime : str, optional
        Operating regime of the reading (its baselines are that regime's); default the point's
        speed and load bins.

    Returns
    -------
    (HandlerOutcome, MonitorOutcome or None)
        ``stored`` or ``duplicate`` (same point, values and time: nothing written) with the
        measurement id, and the judgement of a newly stored reading.

    Raises
    ------
    DataError
        No finite value, or a time without timezone.
    ConfigError
        Unknown point.
    """
    finite = {str(k): float(v) for k, v in values.items() if math.isfinite(float(v))}
    if not finite:
        raise DataError(f"reading at {acquired_at.isoformat()} for {point}: no finite value")
    added = store.add_measurement(
        point,
        data=None,
        original_name="",
        acquired_at=acquired_at,
        kind="scalars",
        scalars=finite,
        regime=regime,
    )
    outcome = HandlerOutcome(added.status, str(point), added.measurement_id)
    if added.status != "stored" or not process:
        return outcome, None
    return outcome, process_measurement(store, added.measurement_id, settings)


@dataclass(frozen=True)
class TelemetryOutcome:
    """What ingesting a table did.

    Parameters
    ----------
    source : str
        The table.
    stored, duplicates, skipped : int
        Rows stored, rows already stored, rows with no finite value.
    refused : str
        Why the whole table was refused (empty when it was read).
    alarms : tuple of AlarmChange
        The alarm transitions the new rows caused, in time order.
    assessments : dict of str to str
        Each value's status after the last row (``"learning"``, ``"normal"``, ``"alert"``,
        ``"danger"``).
    table_measurement_id : int or None
        The measurement keeping the table file itself (content-addressed, once).
    """

    source: str
    stored: int = 0
    duplicates: int = 0
    skipped: int = 0
    refused: str = ""
    alarms: tuple[AlarmChange, ...] = ()
    assessments: dict[str, str] = field(default_factory=dict)
    table_measurement_id: int | None = None


def _regimes(
    store: Store, point: int | str, table: TelemetryTable, columns: tuple[str, ...]
) -> list[str | None]:
    """Regime of each row: found from ``columns`` (kept as the point's detector state)."""
    if not columns:
        return [None] * table.n_rows
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"{table.source}: regime columns {missing} not in {sorted(table.columns)}")
    x = np.column_stack([table.columns[c] for c in columns])
    finite = np.all(np.isfinite(x), axis=1)
    key = "regimes:" + ",".join(columns)
    known = store.states(point).get(key)
    if known is not None:
        model = RegimeModel.from_dict(dict(known))
    else:
        model = discover_regimes(x[finite], columns, rng=np.random.default_rng(0))
        store.set_state(point, key, model.to_dict())
    names = model.regime_of(np.where(finite[:, None], x, 0.0))
    return [f"regime:{n}" if ok else "regime:unknown" for n, ok in zip(names, finite, strict=True)]


def ingest_table(
    store: Store,
    path: str | Path,
    point: int | str,
    *,
    time_column: str | None = None,
    settings: MonitorSettings | None = None,
    process: bool = True,
    regime_columns: Sequence[str] = (),
) -> TelemetryOutcome:
    """Ingest a telemetry table: every row a reading of its named values at ``point``.

    Rows are stored and judged in time order. A table that cannot be read is refused as a whole,
    with a dead-letter record naming why. With ``regime_columns`` (a boring machine's thrust,
    torque and cutterhead speed), operating regimes are found from those columns
    (:func:`~openphm.detect.regime_discovery.discover_regimes`) the first time and kept as a
    detector state of the point, so that later tables reuse them; each row's baselines are then
    its regime's.

    Parameters
    ----------
    store : Store
        Where it goes.
    path : str or pathlib.Path
        CSV or Parquet table (see :func:`read_table`).
    point : int or str
        The point the values belong to (id or path).
    time_column : str, optional
        Name of the time column.
    settings : MonitorSettings, optional
        Baselines, limits and alarm counts.
    process : bool, default True
        Judge each stored row at once.
    regime_columns : sequence of str, optional
        Operating variables whose clusters are the regimes.

    Returns
    -------
    TelemetryOutcome
        Counts, the alarm transitions and the last status of each value.
    """
    p = Path(path)
    try:
        store.point(point)
        table = read_table(p, time_column=time_column)
        regimes = _regimes(store, point, table, tuple(regime_columns))
    except OpenPHMError as exc:
        store.add_dead_letter(
            p.name, str(exc), point_ref=str(point), data=p if p.is_file() else None
        )
        return TelemetryOutcome(str(p), refused=str(exc))
    order = sorted(range(table.n_rows), key=lambda i: table.times[i])
    kept = store.add_measurement(
        point,
        data=p,
        original_name=p.name,
        acquired_at=table.times[order[0]],
        kind="scalars",
        scalars={"table": p.name, "rows": str(table.n_rows), "columns": ",".join(table.columns)},
    )
    if kept.status == "stored":
        # The file itself, kept once under its content address: nothing in it to judge.
        store.add_results(kept.measurement_id, [], status="processed")
    stored = duplicates = skipped = 0
    alarms: list[AlarmChange] = []
    assessments: dict[str, str] = {}
    for i in order:
        row = {k: float(v[i]) for k, v in table.columns.items()}
        if not any(math.isfinite(v) for v in row.values()):
            skipped += 1
            continue
        outcome, judged = ingest_values(
            store, point, table.times[i], row, settings, process=process, regime=regimes[i]
        )
        if outcome.status == "stored":
            stored += 1
        else:
            duplicates += 1
        if judged is not None:
            alarms.extend(judged.alarms)
            assessments.update(judged.assessments)
    return TelemetryOutcome(
        str(p), stored, duplicates, skipped, "", tuple(alarms), assessments, kept.measurement_id
    )


@dataclass(frozen=True)
class ValuesMessage:
    """A message of named values for one point.

    Parameters
    ----------
    point : str
        ``"<site>/<machine>/<point>"``.
    acquired_at : datetime.datetime
        When the values were read (timezone-aware).
    values : dict of str to float
        The named values.
    """

    point: str
    acquired_at: datetime
    values: dict[str, float]


def parse_values_message(topic: str, payload: bytes, *, prefix: str = "openphm") -> ValuesMessage:
    """Parse an MQTT message of named values.

    Topic ``<prefix>/<site>/<machine>/<point>/values``; payload a UTF-8 JSON object
    ``{"acquired_at": "2026-01-01T00:00:00Z", "values": {"pressure": 30.1, "oil_temp": 45}}``
    (``acquired_at`` ISO 8601 with a time zone; values numbers or null for a missing reading).
    Any other key is refused, so that a misspelt one does not vanish silently.

    Parameters
    ----------
    topic : str
        The message's topic.
    payload : bytes
        Its payload.
    prefix : str, default "openphm"
        First level of the topic.

    Returns
    -------
    ValuesMessage
        The point, time and finite values.

    Raises
    ------
    DataError
        Topic or payload not following the convention, or no finite value.

    Examples
    --------
    >>> msg = parse_values_message(
    ...     "openphm/face/shield-7/P-LEFT/values",
    ...     b'{"acquired_at": "2026-01-01T00:00:00Z", "values": {"pressure": 30.1, "t": null}}')
    >>> msg.point, msg.values
    ('face/shield-7/P-LEFT', {'pressure': 30.1})
    """
    levels = topic.split("/")
    if len(levels) != 5 or levels[0] != prefix or levels[4] != "values" or "" in levels:
        raise DataError(f"MQTT topic {topic!r}: expected {prefix}/<site>/<machine>/<point>/values")
    try:
        obj = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{topic}: payload is not UTF-8 JSON ({exc})") from exc
    if not isinstance(obj, dict) or set(obj) - {"acquired_at", "values"}:
        extra = sorted(set(obj) - {"acquired_at", "values"}) if isinstance(obj, dict) else obj
        raise DataError(f"{topic}: expected keys acquired_at and values, got extra {extra!r}")
    raw, stamp = obj.get("values"), obj.get("acquired_at")
    try:
        when = datetime.fromisoformat(stamp) if isinstance(stamp, str) else None
    except ValueError:
        when = None
    if when is None or when.utcoffset() is None:
        raise DataError(f"{topic}: acquired_at {stamp!r} is not an ISO 8601 time with a time zone")
    if not isinstance(raw, dict):
        raise DataError(f"{topic}: values must be an object of named numbers, got {raw!r}")
    values: dict[str, float] = {}
    for name, value in raw.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DataError(f"{topic}: value {name!r} = {value!r} is not a number")
        if math.isfinite(value):
            values[str(name)] = float(value)
    if not values:
        raise DataError(f"{topic}: no finite value")
    return ValuesMessage("/".join(levels[1:4]), when, values)


def ingest_message(
    store: Store,
    topic: str,
    payload: bytes,
    settings: MonitorSettings | None = None,
    *,
    prefix: str = "openphm",
) -> tuple[HandlerOutcome, MonitorOutcome | None]:
    """Store and judge an MQTT message of named values; refuse a bad one with a reason.

    Parameters
    ----------
    store : Store
        Where it goes.
    topic : str
        The message's topic (see :func:`parse_values_message`).
    payload : bytes
        Its payload.
    settings : MonitorSettings, optional
        Baselines, limits and alarm counts.
    prefix : str, default "openphm"
        First level of the topic.

    Returns
    -------
    (HandlerOutcome, MonitorOutcome or None)
        ``stored``, ``duplicate`` or ``refused`` (with a dead-letter record), and the
        judgement of a newly stored reading.
    """
    try:
        msg = parse_values_message(topic, payload, prefix=prefix)
        return ingest_values(store, msg.point, msg.acquired_at, msg.values, settings)
    except OpenPHMError as exc:
        parts = topic.split("/")
        ref = "/".join(parts[1:4]) if len(parts) == 5 else None
        store.add_dead_letter(topic, str(exc), point_ref=ref, data=payload)
        return HandlerOutcome("refused", str(exc)), None
