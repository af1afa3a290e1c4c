"""``openphm diagnose``: bearing fault verdict from one vibration record, with the evidence.

The command parses its options into a :class:`~openphm.pipeline.ProcessingContext`, runs
:mod:`openphm.pipeline` and prints; the chain itself lives in the library.
"""

from __future__ import annotations

import math
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from openphm.acquire.channels import channel_choice, load_record
from openphm.cli.bearing import (
    Catalogue,
    ContactAngle,
    PitchDiameter,
    RollingDiameter,
    RollingElements,
    RotatingRing,
)
from openphm.cli.output import (
    AsJson,
    console,
    err_console,
    output_file,
    output_folder,
    print_json,
    print_table,
    track,
)
from openphm.cli.records import Channel, Ppr, SpeedChannel, SpeedUnit, Tacho
from openphm.core.bearing import (
    BearingGeometry,
    BearingPosition,
    FaultFrequencies,
    Ring,
    as_ring,
)
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError
from openphm.core.units import rpm_to_hz
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.tracks import as_speed_unit
from openphm.knowledge.bearing_spec import bearing_geometry
from openphm.knowledge.catalogue import get_bearing
from openphm.pipeline import (
    BatchItem,
    BatchOutcome,
    ProcessingContext,
    Results,
    process,
    process_file,
    process_snapshots,
    run_batch,
)


def other_bearings(texts: list[str], catalogue: list[Path]) -> dict[str, BearingPosition]:
    """Parse ``--other-bearing LABEL=BEARING[@RATIO]`` options into bearing positions.

    Parameters
    ----------
    texts : list of str
        Each ``LABEL=BEARING@RATIO``; the label defaults to the designation and the speed
        ratio (the bearing's speed over the reference shaft's) to 1.
    catalogue : list of pathlib.Path
        Extra catalogue files in which designations are looked up too.

    Returns
    -------
    dict of str to BearingPosition
        The bearings by label.

    Raises
    ------
    ConfigError
        A malformed option, a ratio that is not a positive number, a repeated label or a
        designation the catalogues do not have (or have without internal geometry).

    Examples
    --------
    >>> found = other_bearings(["fan end=6203", "6205@0.5"], [])
    >>> {k: (v.bearing.designation, v.speed_ratio) for k, v in found.items()}
    {'fan end': ('6203', 1.0), '6205': ('6205', 0.5)}
    """
    out: dict[str, BearingPosition] = {}
    for text in texts:
        label, _, spec = text.rpartition("=")
        designation, at, ratio_text = spec.partition("@")
        label, designation = (label or designation).strip(), designation.strip()
        if not designation:
            raise ConfigError(f"--other-bearing {text!r}: expected LABEL=BEARING[@RATIO]")
        try:
            ratio = float(ratio_text) if at else 1.0
        except ValueError:
            raise ConfigError(
                f"--other-bearing {text!r}: the speed ratio after '@' must be a number"
            ) from None
        if label in out:
            raise ConfigError(f"--other-bearing: label {label!r} is given twice")
        entry = get_bearing(designation, extra_files=catalogue)
        if entry.geometry is None:
            raise ConfigError(
                f"--other-bearing {text!r}: the catalogue has no internal geometry for "
                f"{designation!r}; add it to a catalogue file given with --catalogue"
            )
        out[label] = BearingPosition(entry.geometry, speed_ratio=ratio)
    return out


def _bearing(
    designation: str | None,
    geometry: tuple[int | None, float | None, float | None, float | None],
    fault_orders: tuple[float, float, float, float] | None,
    catalogue: list[Path],
    ring: Ring,
) -> str | BearingGeometry | FaultFrequencies | None:
    """What to diagnose from the options: fault orders, a geometry, a catalogue entry, or None
    (the bearing the file names)."""
    if fault_orders is not None:
        if any(v is not None for v in geometry):
            raise ConfigError("give --fault-orders or the geometry options, not both")
        bpfo, bpfi, bsf, ftf = fault_orders
        if not all(math.isfinite(v) and v > 0.0 for v in fault_orders):
            raise ConfigError(f"--fault-orders must be four positive orders, got {fault_orders}")
        return FaultFrequencies(ftf=ftf, bsf=bsf, bpfo=bpfo, bpfi=bpfi, rotating_ring=ring)
    if designation is None and not any(v is not None for v in geometry[:3]):
        return None
    entry = None if designation is None else get_bearing(designation, extra_files=catalogue)
    found = bearing_geometry(entry, *geometry)
    if any(v is not None for v in geometry[:3]):
        # Dimensions given: the bearing is the one they describe, not the catalogue's.
        name = f"custom geometry (not the catalogue's {designation})" if designation else ""
        return replace(found, designation=name)
    if designation is not None and geometry[3] is not None:
        return replace(found, designation=f"{designation}, contact angle {geometry[3]:g} deg given")
    return found


def _payload(results: Results) -> dict[str, Any]:
    """A record's results as plain data for ``--json``: the channel, the diagnosis, the others'."""
    diagnoses = results.diagnoses
    assert diagnoses is not None
    payload: dict[str, Any] = {"channel": results.channel, **diagnoses.main.to_dict()}
    if diagnoses.others:
        payload["other_bearings"] = [
            {"label": label, **d.to_dict()} for label, d in diagnoses.others.items()
        ]
    return payload


def _report_names(files: list[Path], folder: Path) -> list[Path]:
    """One report file per record in ``folder``: the record's name plus ``.html``, made unique."""
    seen: dict[str, int] = {}
    out = []
    for file in files:
        n = seen[file.name] = seen.get(file.name, 0) + 1
        out.append(folder / (f"{file.name}.html" if n == 1 else f"{file.name}-{n}.html"))
    return out


def _note(diag: Diagnosis, others: dict[str, Diagnosis]) -> str:
    """What a batch table says beside the verdict: other bearings' faults, a series."""
    notes = [f"{label}: {d.verdict}" for label, d in others.items() if d.verdict != "healthy"]
    if diag.unexplained is not None:
        notes.append(f"unexplained series {diag.unexplained.orders:.3f} orders")
    return "; ".join(notes)


def _batch_items(files: list[Path], report: Path | None) -> list[BatchItem]:
    """The batch, with one report per record in the folder ``report``."""
    if report is None:
        return [BatchItem(f) for f in files]
    output_folder(report, "--report (a folder, with several files)")
    return [BatchItem(f, page) for f, page in zip(files, _report_names(files, report), strict=True)]


def _row(outcome: BatchOutcome) -> dict[str, Any]:
    """One record of a batch as plain data: its results, or the error that stopped it."""
    row: dict[str, Any] = {"file": str(outcome.item.path)}
    if outcome.results is None:
        return {**row, "error": outcome.error}
    row.update(_payload(outcome.results))
    if outcome.item.report is not None:
        row["report"] = str(outcome.item.report)
    diagnoses = outcome.results.diagnoses
    assert diagnoses is not None
    row["note"] = _note(diagnoses.main, diagnoses.others)
    return row


def _print_batch(rows: list[dict[str, Any]], report: Path | None, as_json: bool) -> None:
    """The batch's table of verdicts (or JSON) and its summary line."""
    failed = [r for r in rows if "error" in r]
    done = [r for r in rows if "error" not in r]
    verdicts = Counter(str(r["verdict"]) for r in done)
    if as_json:
        summary = {"files": len(rows), "failed": len(failed), "verdicts": dict(verdicts)}
        print_json({"summary": summary, "records": rows})
        return
    columns = ("file", "channel", "bearing", "verdict", "confidence", "best", "score")
    print_table(
        f"Diagnosis of {len(rows)} records",
        (*columns, "shaft Hz", "note"),
        (
            (
                Path(r["file"]).name,
                r["channel"],
                r["bearing"] or "custom",
                r["verdict"],
                r["confidence"],
                max(r["scores"], key=r["scores"].get),
                max(r["scores"].values()),
                r["speed_hz"],
                r["note"],
            )
            for r in done
        ),
    )
    for r in failed:
        err_console.print(f"error: {r['error']}", markup=False)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items()))
    console.print(f"{len(done)} diagnosed ({counts}); {len(failed)} failed", markup=False)
    if report is not None:
        console.print(f"reports written to {report}", markup=False)


def _diagnose_many(
    files: list[Path], context: ProcessingContext, report: Path | None, as_json: bool, jobs: int
) -> None:
    """Diagnose every file, one failing file not stopping the others; exit 1 if any failed."""
    items = _batch_items(files, report)
    progress = lambda it: track(list(it), "diagnosing")  # noqa: E731
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = run_batch(items, context, executor=pool, progress=progress)
    else:
        outcomes = run_batch(items, context, progress=progress)
    rows = [_row(o) for o in outcomes]
    _print_batch(rows, report, as_json)
    if any("error" in r for r in rows):
        raise typer.Exit(1)


def _print_evidence(title: str, peaks: Any) -> None:
    print_table(
        title,
        ("line", "expected Hz", "found Hz", "amplitude", "prominence dB", "p"),
        (
            (p.label, p.expected_hz, p.freq_hz, p.amplitude, p.prominence_db, p.p_value)
            for p in peaks
        ),
    )


def _print_one(results: Results, read: str) -> None:
    """One record's diagnosis as an analyst reads it: verdict, reasons, scores, evidence."""
    diagnoses = results.diagnoses
    assert diagnoses is not None
    diag, found = diagnoses.main, diagnoses.others
    console.print(
        f"[bold]{diag.verdict}[/] (confidence {diag.confidence:.2f}); shaft {diag.speed_hz:.3f} Hz "
        f"({diag.speed_source}); channel {escape(results.channel)}{read}; bearing "
        f"{escape(diag.bearing or 'custom')}; pre-whitened: {'yes' if diag.prewhitened else 'no'}"
    )
    for reason in diag.reasons:
        console.print(f"  - {reason}", markup=False)
    print_table(
        "Scores (-log10 false-alarm probability)",
        ("candidate", "score", "fault Hz", "slip", "band Hz"),
        (
            (e.fault, e.score, e.fault_hz, e.slip_factor, f"{e.band_hz[0]:.0f}-{e.band_hz[1]:.0f}")
            for e in diag.evidence
        ),
    )
    _print_evidence(f"Evidence for {diag.best.fault}", diag.best.peaks)
    series = diag.unexplained
    if series is not None:
        _print_evidence(
            f"Unexplained line series {series.fundamental_hz:.2f} Hz ({series.orders:.3f} orders)",
            series.harmonics + series.sidebands,
        )
    if found:
        print_table(
            "Other bearings this sensor hears",
            ("position", "bearing", "speed ratio", "verdict", "confidence", "best", "score"),
            (
                (
                    k,
                    d.bearing or "custom",
                    d.speed_ratio,
                    d.verdict,
                    d.confidence,
                    d.best.fault,
                    d.best.score,
                )
                for k, d in found.items()
            ),
        )
        for label, d in found.items():
            if d.verdict != "healthy":
                console.print(f"  - {label}: {d.reasons[-1]}", markup=False)


def _diagnose_one(
    file: Path, context: ProcessingContext, report: Path | None
) -> tuple[Results, str]:
    """One record's results, and why its channel was chosen when none was named."""
    if context.channel is not None:
        return process_file(file, context, report=report), ""
    recording = load_record(file, context.fs_hz)
    choice = channel_choice(recording)
    context = replace(context, channel=choice.waveform.channel)
    if report is not None:
        return process_file(file, context, report=report), choice.reason
    return process(recording, context), choice.reason


FilesOption = Annotated[
    list[Path],
    typer.Argument(
        help="Vibration records (any format openphm reads); with several, a table of "
        "verdicts, a progress bar, and --report names a folder.",
        show_default=False,
    ),
]
BearingOption = Annotated[
    str | None,
    typer.Option(
        help="Bearing designation from the catalogue (default: the one the file names for "
        "the channel, as CWRU records do)."
    ),
]
RpmOption = Annotated[
    float | None,
    typer.Option(
        help="Shaft speed in r/min, refined within 5 % from the shaft harmonics (a "
        "nameplate speed will do; default: from the file, else estimated from the signal)."
    ),
]
ReportOption = Annotated[
    Path | None,
    typer.Option(
        help="Write a self-contained HTML report to this file (with several records: one "
        "per record into this folder)."
    ),
]
FsOption = Annotated[
    float | None,
    typer.Option("--fs", help="Sampling rate in Hz; overrides the file's (needed for bare CSV)."),
]
FaultOrdersOption = Annotated[
    tuple[float, float, float, float] | None,
    typer.Option(
        "--fault-orders",
        metavar="BPFO BPFI BSF FTF",
        help="The four fault frequencies in orders of the shaft speed, as the bearing maker "
        "gives them, separated by spaces (no commas): --fault-orders 3.585 5.415 2.357 0.398 "
        "(instead of a catalogue entry or a geometry).",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        min=1,
        help="With several records, diagnose this many at once in worker processes.",
    ),
]
SnapshotsOption = Annotated[
    bool,
    typer.Option(
        "--snapshots",
        help="The files are short snapshots of one machine state (a monitoring system's "
        "records, of one length and sampling rate): diagnose them together, their envelope "
        "spectra averaged, which brings out a fault that one snapshot's noise hides.",
    ),
]
OtherBearingOption = Annotated[
    list[str] | None,
    typer.Option(
        "--other-bearing",
        metavar="LABEL=BEARING[@RATIO]",
        help="Another bearing the sensor hears (repeatable): a catalogue designation with "
        "its speed over the shaft's given with --rpm (default 1, the same shaft; the gear "
        "ratio on another shaft), e.g. 'fan end=6203' or 'output=6310@0.32'. Each fault "
        "pattern then goes to the bearing whose lines explain it (its inner ring is taken to "
        "turn).",
    ),
]


GearboxOption = Annotated[
    str | None,
    typer.Option(
        "--gearbox",
        metavar="PROFILE|FILE",
        help="Also diagnose the gears of this machine profile (a built-in name such as "
        "wind_turbine, or a profile .toml file); --rpm is then the speed of the profile's "
        "reference shaft.",
    ),
]


def _gear_context(context: ProcessingContext, gearbox: str | None) -> ProcessingContext:
    """The context with the profile's gear train and the "gears" stage, when one is named."""
    if gearbox is None:
        return context
    from openphm.knowledge.profiles import load_profile
    from openphm.pipeline.gear_stage import with_gears

    geared = with_gears(context, load_profile(gearbox))
    if geared.gearbox is None:
        raise ConfigError(f"--gearbox {gearbox}: the profile has no gear stage")
    return geared


def _print_gears(results: Results) -> None:
    """The gear diagnoses of a record: one row per gear, then the worst gear's reasons."""
    gears = results.outputs.get("gears")
    if gears is None:
        return
    print_table(
        "Gears (synchronous average per gear)",
        ("gear", "verdict", "confidence", "tooth", "distributed", "fault Hz", "speed ratio"),
        (
            (
                name,
                d.verdict,
                d.confidence,
                d.scores["tooth"],
                d.scores["distributed"],
                d.evidence[0].fault_hz,
                d.speed_ratio,
            )
            for name, d in gears.by_gear.items()
        ),
    )
    worst = gears.worst
    for reason in worst.reasons:
        console.print(f"  - {reason}", markup=False)
    _print_evidence(f"Mesh sidebands of {worst.bearing}", worst.evidence[0].peaks)


def diagnose(
    files: FilesOption,
    bearing: BearingOption = None,
    rpm: RpmOption = None,
    channel: Channel = None,
    as_json: AsJson = False,
    report: ReportOption = None,
    fs: FsOption = None,
    tacho: Tacho = None,
    ppr: Ppr = 1,
    speed_channel: SpeedChannel = None,
    speed_unit: SpeedUnit = "rpm",
    n_rolling: RollingElements = None,
    rolling_diameter_mm: RollingDiameter = None,
    pitch_diameter_mm: PitchDiameter = None,
    contact_angle_deg: ContactAngle = None,
    fault_orders: FaultOrdersOption = None,
    catalogue: Catalogue = None,
    rotating_ring: RotatingRing = "inner",
    jobs: JobsOption = 1,
    snapshots: SnapshotsOption = False,
    other_bearing: OtherBearingOption = None,
    gearbox: GearboxOption = None,
) -> None:
    """Diagnose the bearing: verdict, confidence and the evidence behind it.

    The bearing is --bearing (a catalogue designation), its geometry (--rolling-elements,
    --rolling-diameter-mm, --pitch-diameter-mm, --contact-angle-deg) or its fault orders
    (--fault-orders); default: the bearing the file names for the channel.

    At constant speed give --rpm (or let the file or the signal say it); at varying speed give
    --tacho with the tachometer channel (and --ppr for an encoder) or --speed-channel with a
    channel that holds the speed.

    Several files are diagnosed one by one (a table of verdicts), or together with
    --snapshots when they are short records of one machine state.

    With --gearbox PROFILE|FILE the gears of that machine profile are diagnosed too (a local
    tooth fault or distributed wear per gear, from each gear's synchronous average).
    """
    if rpm is not None and not rpm > 0.0:
        raise ConfigError(f"--rpm must be a positive speed in r/min, got {rpm:g}")
    ring = as_ring(rotating_ring)
    geometry = (n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg)
    context = ProcessingContext(
        bearing=_bearing(bearing, geometry, fault_orders, catalogue or [], ring),
        rotating_ring=ring,
        others=other_bearings(other_bearing or [], catalogue or []),
        speed_hz=None if rpm is None else rpm_to_hz(rpm),
        tacho=tacho,
        ppr=ppr,
        speed_channel=speed_channel,
        speed_unit=as_speed_unit(speed_unit),
        channel=channel,
        fs_hz=fs,
        catalogue=tuple(str(c) for c in catalogue or []),
        diagnosis=DiagnosisSettings(),
        stages=("diagnosis",),
    )
    context = _gear_context(context, gearbox)
    if len(files) > 1 and not snapshots:
        _diagnose_many(files, context, report, as_json, jobs)
        return
    output_file(report, "--report")
    if snapshots:
        results = process_snapshots(files, context, report=report)
        heading: dict[str, Any] = {"files": [str(f) for f in files]}
        read = f"; {len(files)} snapshots averaged"
    else:
        results, why = _diagnose_one(files[0], context, report)
        heading = {"file": str(files[0])}
        read = f" (chosen as {why})" if why else ""
        if why:
            heading["channel_choice"] = why
    if as_json:
        gears = results.outputs.get("gears")
        extra = {} if gears is None else {"gears": gears.to_dict()["by_gear"]}
        print_json({**heading, **_payload(results), **extra})
        return
    _print_one(results, read)
    _print_gears(results)
    if report is not None:
        console.print(f"report written to {report}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``diagnose`` command to the CLI application ``app``."""
    app.command("diagnose")(diagnose)
