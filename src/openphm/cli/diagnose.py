"""``openphm diagnose``: bearing fault verdict from one vibration record, with the evidence."""

from __future__ import annotations

import math
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from openphm.cli.bearing import (
    Catalogue,
    ContactAngle,
    PitchDiameter,
    RollingDiameter,
    RollingElements,
    RotatingRing,
    bearing_geometry,
)
from openphm.cli.output import console, err_console, print_json, print_table, track
from openphm.cli.records import (
    Channel,
    Ppr,
    SpeedChannel,
    SpeedUnit,
    Tacho,
    load_record,
    pick_channel,
    speed_track,
)
from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError, OpenPHMError
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose import SpeedTrack, diagnose_bearings
from openphm.diagnose.report import write_report
from openphm.knowledge.catalogue import get_bearing


def diagnosis_payload(d: Diagnosis) -> dict[str, Any]:
    """The diagnosis as plain data for ``--json``."""
    return {
        "verdict": d.verdict,
        "confidence": d.confidence,
        "scores": dict(d.scores),
        "threshold": d.threshold,
        "bearing": d.bearing,
        "speed_hz": d.speed_hz,
        "speed_source": d.speed_source,
        "speed_range_hz": None if d.speed_range_hz is None else list(d.speed_range_hz),
        "rotating_ring": d.rotating_ring,
        "prewhitened": d.prewhitened,
        "bands_hz": [list(b) for b in d.bands_hz],
        "kurtogram_kurtosis": d.kurtogram_kurtosis,
        "reasons": list(d.reasons),
        "snapshot_speeds_hz": list(d.snapshot_speeds_hz),
        "evidence": [
            {
                "fault": ev.fault,
                "score": ev.score,
                "fault_hz": ev.fault_hz,
                "slip_factor": ev.slip_factor,
                "band_hz": list(ev.band_hz),
                "band_source": ev.band_source,
                "peaks": [p.__dict__ for p in ev.peaks],
            }
            for ev in d.evidence
        ],
        "unexplained_series": None
        if d.unexplained is None
        else {
            "fundamental_hz": d.unexplained.fundamental_hz,
            "orders": d.unexplained.orders,
            "score": d.unexplained.score,
            "has_shaft_sidebands": d.unexplained.has_shaft_sidebands,
            "band_hz": list(d.unexplained.band_hz),
            "harmonics": [p.__dict__ for p in d.unexplained.harmonics],
            "sidebands": [p.__dict__ for p in d.unexplained.sidebands],
        },
        "settings": dict(d.settings),
    }


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
    file: Path,
    channel: str,
    designation: str | None,
    geometry: tuple[int | None, float | None, float | None, float | None],
    fault_orders: tuple[float, float, float, float] | None,
    catalogue: list[Path],
    ring: str,
) -> str | BearingGeometry | FaultFrequencies:
    """What to diagnose: fault orders, a geometry, or a catalogue entry, from the options."""
    if fault_orders is not None:
        if any(v is not None for v in geometry):
            raise ConfigError("give --fault-orders or the geometry options, not both")
        bpfo, bpfi, bsf, ftf = fault_orders
        if not all(math.isfinite(v) and v > 0.0 for v in fault_orders):
            raise ConfigError(f"--fault-orders must be four positive orders, got {fault_orders}")
        return FaultFrequencies(ftf=ftf, bsf=bsf, bpfo=bpfo, bpfi=bpfi, rotating_ring=ring)
    entry = None if designation is None else get_bearing(designation, extra_files=catalogue)
    if entry is None and not any(v is not None for v in geometry[:3]):
        raise ConfigError(
            f"{file}: the file does not name the bearing of channel {channel!r}; give it with "
            "--bearing (a designation of the bearing catalogue, e.g. 6205), its geometry "
            "(--rolling-elements, --rolling-diameter-mm, --pitch-diameter-mm) or --fault-orders"
        )
    return bearing_geometry(entry, *geometry)


def _payload(diag: Diagnosis, others: dict[str, Diagnosis]) -> dict[str, Any]:
    """The diagnosis and the other bearings' as plain data for ``--json``."""
    payload = diagnosis_payload(diag)
    if others:
        payload["other_bearings"] = [
            {"label": label, "speed_ratio": d.speed_ratio, **diagnosis_payload(d)}
            for label, d in others.items()
        ]
    return payload


@dataclass(frozen=True)
class _Request:
    """What to diagnose in every record: the command's options, picklable for worker processes."""

    fs: float | None
    channel: str | None
    rpm: float | None
    tacho: str | None
    ppr: int
    speed_channel: str | None
    speed_unit: str
    bearing: str | None
    geometry: tuple[int | None, float | None, float | None, float | None]
    fault_orders: tuple[float, float, float, float] | None
    catalogue: tuple[Path, ...]
    rotating_ring: str
    others: dict[str, BearingPosition]


def _run(
    file: Path, r: _Request
) -> tuple[Waveform, Diagnosis, dict[str, Diagnosis], SpeedTrack | None]:
    """Read one record and diagnose it: the waveform, its diagnosis, the others', the track."""
    rec = load_record(file, r.fs)
    wave = pick_channel(rec, r.channel)
    speed = speed_track(
        file,
        rec,
        wave,
        rpm=r.rpm,
        tacho=r.tacho,
        ppr=r.ppr,
        speed_channel=r.speed_channel,
        speed_unit=r.speed_unit,
    )
    found = diagnose_bearings(
        wave,
        _positions(file, rec, wave, r),
        None if r.rpm is None else r.rpm / 60.0,
        track=speed,
    )
    return wave, found.pop(""), found, speed


def _positions(
    file: Path, rec: Recording, wave: Waveform, r: _Request
) -> dict[str, BearingPosition]:
    """The bearings to diagnose: the sensor's (label ``""``) from the options or the file,
    then the others."""
    target = _bearing(
        file,
        wave.channel,
        r.bearing or rec.metadata.get("bearings", {}).get(wave.channel),
        r.geometry,
        r.fault_orders,
        list(r.catalogue),
        r.rotating_ring,
    )
    return {"": BearingPosition(target, 1.0, r.rotating_ring), **r.others}


def _run_snapshots(
    files: list[Path], r: _Request
) -> tuple[list[Waveform], Diagnosis, dict[str, Diagnosis]]:
    """Read the snapshots and diagnose them together: the waveforms, the diagnosis, the others'."""
    if r.tacho is not None or r.speed_channel is not None:
        raise ConfigError(
            "--snapshots: the snapshots' spectra are averaged at constant speed; give no "
            "--tacho or --speed-channel (each file may state its own speed)"
        )
    records = [load_record(file, r.fs) for file in files]
    waves = [pick_channel(rec, r.channel) for rec in records]
    positions = _positions(files[0], records[0], waves[0], r)
    found = diagnose_bearings(waves, positions, None if r.rpm is None else r.rpm / 60.0)
    return waves, found.pop(""), found


def _row(file: Path, page: Path | None, r: _Request) -> dict[str, Any]:
    """One record of a batch as a table row (and its report): an error names the problem."""
    try:
        wave, diag, others, speed = _run(file, r)
    except OpenPHMError as exc:
        return {"file": str(file), "error": str(exc)}
    row = {"file": str(file), "channel": wave.channel, **_payload(diag, others)}
    if page is not None:
        write_report(page, wave, diag, track=speed, others=others)
        row["report"] = str(page)
    row["note"] = _note(diag, others)
    return row


def _rows(
    files: list[Path], pages: list[Path | None], r: _Request, jobs: int
) -> list[dict[str, Any]]:
    """The batch's rows in the order of ``files``, on ``jobs`` worker processes if over one."""
    if jobs <= 1:
        return [_row(f, p, r) for f, p in track(list(zip(files, pages, strict=True)), "diagnosing")]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_row, f, p, r) for f, p in zip(files, pages, strict=True)]
        for _ in track(list(as_completed(futures)), "diagnosing"):
            pass
        return [f.result() for f in futures]


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


def _diagnose_many(
    files: list[Path], request: _Request, report: Path | None, as_json: bool, jobs: int
) -> None:
    """Diagnose every file, one failing file not stopping the others; exit 1 if any failed."""
    if report is not None:
        if report.exists() and not report.is_dir():
            raise ConfigError(
                f"--report {report}: with several files, give a folder for the reports"
            )
        report.mkdir(parents=True, exist_ok=True)
    pages: list[Path | None] = [None] * len(files)
    if report is not None:
        pages = [*_report_names(files, report)]
    rows = _rows(files, pages, request, jobs)
    failed = [r for r in rows if "error" in r]
    done = [r for r in rows if "error" not in r]
    verdicts = Counter(str(r["verdict"]) for r in done)
    if as_json:
        summary = {"files": len(rows), "failed": len(failed), "verdicts": dict(verdicts)}
        print_json({"summary": summary, "records": rows})
    else:
        print_table(
            f"Diagnosis of {len(rows)} records",
            (
                "file",
                "channel",
                "bearing",
                "verdict",
                "confidence",
                "best",
                "score",
                "shaft Hz",
                "note",
            ),
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
        console.print(
            f"{len(rows) - len(failed)} diagnosed ({counts}); {len(failed)} failed", markup=False
        )
        if report is not None:
            console.print(f"reports written to {report}", markup=False)
    if failed:
        raise typer.Exit(1)


def diagnose(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Vibration records (any format openphm reads); with several, a table of "
            "verdicts, a progress bar, and --report names a folder.",
            show_default=False,
        ),
    ],
    bearing: Annotated[
        str | None,
        typer.Option(
            help="Bearing designation from the catalogue (default: the one the file names for "
            "the channel, as CWRU records do)."
        ),
    ] = None,
    rpm: Annotated[
        float | None,
        typer.Option(
            help="Shaft speed in r/min, refined within 5 % from the shaft harmonics (a "
            "nameplate speed will do; default: from the file, else estimated from the signal)."
        ),
    ] = None,
    channel: Channel = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            help="Write a self-contained HTML report to this file (with several records: one "
            "per record into this folder)."
        ),
    ] = None,
    fs: Annotated[
        float | None,
        typer.Option(
            "--fs", help="Sampling rate in Hz; overrides the file's (needed for bare CSV)."
        ),
    ] = None,
    tacho: Tacho = None,
    ppr: Ppr = 1,
    speed_channel: SpeedChannel = None,
    speed_unit: SpeedUnit = "rpm",
    n_rolling: RollingElements = None,
    rolling_diameter_mm: RollingDiameter = None,
    pitch_diameter_mm: PitchDiameter = None,
    contact_angle_deg: ContactAngle = None,
    fault_orders: Annotated[
        tuple[float, float, float, float] | None,
        typer.Option(
            "--fault-orders",
            help="BPFO BPFI BSF FTF in orders of the shaft speed, as the bearing maker gives "
            "them (instead of a catalogue entry or a geometry).",
        ),
    ] = None,
    catalogue: Catalogue = None,
    rotating_ring: RotatingRing = "inner",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            min=1,
            help="With several records, diagnose this many at once in worker processes.",
        ),
    ] = 1,
    snapshots: Annotated[
        bool,
        typer.Option(
            "--snapshots",
            help="The files are short snapshots of one machine state (a monitoring system's "
            "records, of one length and sampling rate): diagnose them together, their envelope "
            "spectra averaged, which brings out a fault that one snapshot's noise hides.",
        ),
    ] = False,
    other_bearing: Annotated[
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
    ] = None,
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
    """
    if rpm is not None and not rpm > 0.0:
        raise ConfigError(f"--rpm must be a positive speed in r/min, got {rpm:g}")
    request = _Request(
        fs=fs,
        channel=channel,
        rpm=rpm,
        tacho=tacho,
        ppr=ppr,
        speed_channel=speed_channel,
        speed_unit=speed_unit,
        bearing=bearing,
        geometry=(n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg),
        fault_orders=fault_orders,
        catalogue=tuple(catalogue or []),
        rotating_ring=rotating_ring,
        others=other_bearings(other_bearing or [], catalogue or []),
    )
    if snapshots:
        waves, diag, found = _run_snapshots(files, request)
        if report is not None:
            write_report(report, waves, diag, others=found)
        heading: dict[str, Any] = {"files": [str(f) for f in files]}
        name, read = waves[0].channel, f"; {len(waves)} snapshots averaged"
    elif len(files) > 1:
        _diagnose_many(files, request, report, as_json, jobs)
        return
    else:
        wave, diag, found, speed = _run(files[0], request)
        if report is not None:
            write_report(report, wave, diag, track=speed, others=found)
        heading, name, read = {"file": str(files[0])}, wave.channel, ""
    if as_json:
        print_json({**heading, "channel": name, **_payload(diag, found)})
        return
    console.print(
        f"[bold]{diag.verdict}[/] (confidence {diag.confidence:.2f}); shaft {diag.speed_hz:.3f} Hz "
        f"({diag.speed_source}); channel {escape(name)}{read}; bearing "
        f"{escape(diag.bearing or 'custom')}; pre-whitened: {'yes' if diag.prewhitened else 'no'}"
    )
    for reason in diag.reasons:
        console.print(f"  - {reason}", markup=False)
    print_table(
        "Scores (-log10 false-alarm probability)",
        ("candidate", "score", "fault Hz", "slip", "band Hz"),
        (
            (
                ev.fault,
                ev.score,
                ev.fault_hz,
                ev.slip_factor,
                f"{ev.band_hz[0]:.0f}-{ev.band_hz[1]:.0f}",
            )
            for ev in diag.evidence
        ),
    )
    best = diag.best
    print_table(
        f"Evidence for {best.fault}",
        ("line", "expected Hz", "found Hz", "amplitude", "prominence dB", "p"),
        (
            (p.label, p.expected_hz, p.freq_hz, p.amplitude, p.prominence_db, p.p_value)
            for p in best.peaks
        ),
    )
    series = diag.unexplained
    if series is not None:
        print_table(
            f"Unexplained line series {series.fundamental_hz:.2f} Hz ({series.orders:.3f} orders)",
            ("line", "expected Hz", "found Hz", "amplitude", "prominence dB", "p"),
            (
                (p.label, p.expected_hz, p.freq_hz, p.amplitude, p.prominence_db, p.p_value)
                for p in series.harmonics + series.sidebands
            ),
        )
    if found:
        print_table(
            "Other bearings this sensor hears",
            ("position", "bearing", "speed ratio", "verdict", "confidence", "best", "score"),
            (
                (
                    label,
                    d.bearing or "custom",
                    d.speed_ratio,
                    d.verdict,
                    d.confidence,
                    d.best.fault,
                    d.best.score,
                )
                for label, d in found.items()
            ),
        )
        for label, d in found.items():
            if d.verdict != "healthy":
                console.print(f"  - {label}: {d.reasons[-1]}", markup=False)
    if report is not None:
        console.print(f"report written to {report}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``diagnose`` command to the CLI application ``app``."""
    app.command("diagnose")(diagnose)
