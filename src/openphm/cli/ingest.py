"""``openphm ingest``, ``watch`` and ``mqtt``: measurements into the store, through one door."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import AsJson, console, err_console, print_json, print_table, track
from openphm.cli.store_options import DatabaseUrl, Home, open_store
from openphm.core.serialize import to_plain
from openphm.pipeline.ingest import IngestSettings, make_handler, process_pending
from openphm.pipeline.ingest import ingest as ingest_item
from openphm.pipeline.monitor import MonitorOutcome
from openphm.pipeline.transport import HandlerOutcome, Incoming, IncomingFile

Point = Annotated[
    str | None,
    typer.Option(
        "--point",
        help="The measurement point (site/machine/point, machine/point or its id).",
        show_default=False,
    ),
]


def _alarm_lines(outcome: MonitorOutcome) -> list[str]:
    return [f"{c.transition.kind} {c.transition.to_level}: {c.message}" for c in outcome.alarms]


def ingest(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Records in any format openphm reads.")
    ] = None,
    point: Point = None,
    store_only: Annotated[
        bool, typer.Option("--store-only", help="Store without processing (see --pending).")
    ] = False,
    pending: Annotated[
        bool,
        typer.Option("--pending", help="Also process measurements stored but not processed."),
    ] = False,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Store measurements once each and run them through the chain (indicators, zone,
    diagnosis, baselines, alarms); a table says what was stored, skipped as a duplicate, or
    refused and why. Exit status 1 when any file was refused."""
    files = files or []
    if not files and not pending:
        raise typer.BadParameter("give the files to ingest, or --pending", param_hint="FILES")
    if files and point is None:
        raise typer.BadParameter("give the point the files were measured at", param_hint="--point")
    store = open_store(home, database_url)
    alarms: list[str] = []
    settings = IngestSettings(process=not store_only)
    rows: list[dict[str, Any]] = []
    processed: list[int] = []
    for file in track(files, "ingesting", enabled=not as_json):
        item = IncomingFile(file, str(point), datetime.now(UTC))
        out = ingest_item(
            store, item, settings, on_processed=lambda o: alarms.extend(_alarm_lines(o))
        )
        rows.append({"file": str(file), **to_plain(out)})
    if pending:
        for done in process_pending(store, settings.monitor):
            processed.append(done.measurement_id)
            alarms.extend(_alarm_lines(done))
    if as_json:
        print_json({"records": rows, "processed": processed, "alarms": alarms})
    else:
        if rows:
            print_table(
                f"Ingested into {store.home}",
                ("file", "status", "measurement", "detail"),
                (
                    (Path(r["file"]).name, r["status"], r["measurement_id"], r["detail"])
                    for r in rows
                ),
            )
        if pending:
            console.print(f"processed {len(processed)} pending measurement(s)", markup=False)
        for line in alarms:
            console.print(f"alarm {line}", markup=False)
    if any(r["status"] == "refused" for r in rows):
        raise typer.Exit(1)


def _report(item: Incoming, outcome: HandlerOutcome) -> None:
    name = item.path.name if isinstance(item, IncomingFile) else item.point
    stream = err_console if outcome.status == "refused" else console
    stream.print(f"{outcome.status}: {name} {outcome.detail}", markup=False, soft_wrap=True)


def watch(
    folder: Annotated[Path, typer.Argument(help="The folder an acquisition unit writes into.")],
    point: Point = None,
    poll_s: Annotated[float, typer.Option("--poll", help="Seconds between scans.")] = 1.0,
    settle_s: Annotated[
        float, typer.Option("--settle", help="Seconds a file must stay unchanged.")
    ] = 2.0,
    cycles: Annotated[
        int | None, typer.Option(help="Stop after this many scans (default: until Ctrl-C).")
    ] = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Watch a drop folder and ingest each file once it has settled. Without --point, the
    first sub-folder's name is the point (FOLDER/POINT/file). Bad files are refused and
    recorded, never stopping the watcher; your files are never moved or deleted."""
    from openphm.pipeline.watch import watch_folder

    store = open_store(home, database_url)
    stop = threading.Event()
    console.print(f"watching {folder} (Ctrl-C to stop)", markup=False)
    try:
        summary = watch_folder(
            folder,
            point,
            make_handler(store),
            poll_s=poll_s,
            settle_s=settle_s,
            stop=stop,
            on_outcome=_report,
            max_cycles=cycles,
        )
    except KeyboardInterrupt:
        stop.set()
        return
    console.print(str(summary), markup=False)


def mqtt(
    host: Annotated[str, typer.Option(help="MQTT broker's address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="MQTT broker's port.")] = 1883,
    prefix: Annotated[str, typer.Option(help="Topic prefix.")] = "openphm",
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscribe to PREFIX/SITE/MACHINE/POINT/waveform and ingest every message (see
    docs/ingestion.md for the payloads); malformed messages are refused and recorded. Telemetry
    (named values) comes on PREFIX/SITE/MACHINE/POINT/values as JSON {"acquired_at": ...,
    "values": {"pressure": 30.1}}."""
    from openphm.pipeline.mqtt import serve_mqtt
    from openphm.pipeline.telemetry import ingest_message

    store = open_store(home, database_url)

    def values(topic: str, payload: bytes) -> HandlerOutcome:
        outcome, _ = ingest_message(store, topic, payload, prefix=prefix)
        if outcome.status == "refused":
            err_console.print(f"refused: {topic}: {outcome.detail}", markup=False, soft_wrap=True)
        return outcome

    def refused(topic: str, reason: str, size: int) -> None:
        store.add_dead_letter(topic, reason)
        err_console.print(f"refused: {topic}: {reason}", markup=False, soft_wrap=True)

    console.print(f"subscribed at {host}:{port} (Ctrl-C to stop)", markup=False)
    stop = threading.Event()
    try:
        serve_mqtt(
            host,
            port,
            make_handler(store),
            topic_prefix=prefix,
            stop=stop,
            on_outcome=_report,
            on_refused=refused,
            values_handler=values,
        )
    except KeyboardInterrupt:
        stop.set()


def register(app: typer.Typer) -> None:
    """Add the ``ingest``, ``watch`` and ``mqtt`` commands to the openphm app."""
    app.command("ingest")(ingest)
    app.command("watch")(watch)
    app.command("mqtt")(mqtt)
