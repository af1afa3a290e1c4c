"""``openphm demo``: a running service watching a demo fleet that replays real recordings.

The fleet and its replay are :mod:`openphm.pipeline.demo_fleet`; the service is the one
``openphm serve`` starts (:func:`openphm.cli.serve.serve`). ``--report-only`` instead writes the
static report of :func:`openphm.evaluate.demo.run_demo`.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import console, err_console, print_json, print_table, track
from openphm.cli.store_options import DatabaseUrl, open_store
from openphm.pipeline.demo_fleet import DemoFleet, build_demo_fleet, replay
from openphm.pipeline.transport import HandlerOutcome, Incoming
from openphm.store import Store

#: Default folder of the demo's store (not ``./openphm-data``: the demo keeps out of a real one).
DEMO_HOME = Path("openphm-demo")
#: Seconds the replay thread is given to finish its measurement when the service stops.
_JOIN_S = 30.0


def _report(out: Path, as_json: bool) -> None:
    from openphm.evaluate.demo import run_demo

    result = run_demo(
        out, progress=lambda records: track(list(records), "diagnosing CWRU records", not as_json)
    )
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        "CWRU drive-end bearing diagnosis",
        ("record", "label", "verdict", "confidence", "report"),
        (
            (r.record, r.label, r.diagnosis.verdict, r.diagnosis.confidence, out / r.report)
            for r in result.cwru
        ),
    )
    print_table(
        "FEMTO Bearing1_1 (horizontal), new to failed",
        ("snapshot", "time h", "RMS g", "kurtosis"),
        ((p.snapshot, p.time_h, p.rms_g, p.kurtosis) for p in result.femto_bearing1_1),
    )
    console.print(f"report: {result.report}", markup=False)


def _replay_in_background(
    store: Store, fleet: DemoFleet, speed: float, stop: threading.Event
) -> threading.Thread:
    """Start the replay in a daemon thread that says how far it got and when it is done."""
    seen = {"n": 0}

    def progress(item: Incoming, outcome: HandlerOutcome) -> None:
        seen["n"] += 1
        if outcome.status == "refused":
            err_console.print(f"replay: refused: {outcome.detail}", markup=False)
        elif seen["n"] % 100 == 0:
            alarms = len(store.alarms(open_only=True))
            console.print(f"replay: {seen['n']} measurements, {alarms} open alarms", markup=False)

    def run() -> None:
        summary = replay(store, fleet, speed=speed, stop=stop, on_outcome=progress)
        alarms = len(store.alarms(open_only=True))
        console.print(
            f"replay {'stopped' if summary.stopped else 'finished'}: {summary.stored} stored, "
            f"{summary.duplicate} already stored, {summary.refused} refused, "
            f"{alarms} open alarms",
            markup=False,
        )

    thread = threading.Thread(target=run, name="openphm-demo-replay", daemon=True)
    thread.start()
    return thread


def demo(
    report_only: Annotated[
        bool,
        typer.Option("--report-only", help="Write the static HTML report folder (--out) and exit."),
    ] = False,
    out: Annotated[
        Path, typer.Option(help="Folder for the report of --report-only (created).")
    ] = Path("demo-report"),
    as_json: Annotated[
        bool, typer.Option("--json", help="With --report-only: print JSON instead of tables.")
    ] = False,
    port: Annotated[int, typer.Option(help="TCP port of the service on 127.0.0.1.")] = 8000,
    home: Annotated[
        Path,
        typer.Option(
            "--home", envvar="OPENPHM_HOME", help="The demo store's folder (reused when it exists)."
        ),
    ] = DEMO_HOME,
    database_url: DatabaseUrl = None,
    data: Annotated[
        Path | None,
        typer.Option(
            envvar="OPENPHM_DATA",
            help="Reference data (cwru/, femto/); default the excerpt in data/demo.",
            show_default=False,
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            help="Recorded seconds replayed per second (50: a FEMTO snapshot every 0.2 s; "
            "inf: as fast as ingestion goes)."
        ),
    ] = 50.0,
) -> None:
    """Serve a demo fleet replaying real recordings on http://127.0.0.1:8000 (--report-only: the
    static HTML report). Its points replay CWRU faults and a FEMTO bearing's life in accelerated
    time while you watch; --report-only writes the report folder of the shipped excerpt instead.

    The fleet (a shield machine's main drive, a shearer's ranging arm, two CWRU test-rig set-ups)
    is built in --home, once; each machine's description says what its points replay. Running
    the demo again reuses the store and replays only what it had not reached. Ctrl-C stops it.
    """
    if report_only:
        _report(out, as_json)
        return
    if as_json:
        raise typer.BadParameter("--json goes with --report-only", param_hint="--json")
    if not speed > 0.0:
        raise typer.BadParameter("must be positive (inf for no waiting)", param_hint="--speed")
    from openphm.cli.serve import serve

    store = open_store(home, database_url)
    fleet = build_demo_fleet(store, data)
    print_table(
        "Demo fleet",
        ("machine", "profile", "replays"),
        ((m.path, m.profile, m.description.partition("Demo replay: ")[2]) for m in fleet.machines),
    )
    if store.users():
        console.print(
            f"The demo store {store.home} exists: its admin password was printed when it was "
            "created. To start afresh (and get a new one), stop the demo and delete that folder.",
            markup=False,
        )
    pace = "" if math.isinf(speed) else f", {fleet.span_s / speed / 60.0:.0f} min or more"
    console.print(
        f"Replaying {fleet.span_s / 60.0:.0f} min of recordings at {speed:g}x{pace}; "
        f"the service is at http://127.0.0.1:{port}/",
        markup=False,
    )
    stop = threading.Event()
    thread = _replay_in_background(store, fleet, speed, stop)
    try:
        serve(host="127.0.0.1", port=port, home=store.home, database_url=database_url)
    finally:
        stop.set()
        thread.join(_JOIN_S)
        store.close()


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the CLI application ``app``."""
    app.command("demo")(demo)
