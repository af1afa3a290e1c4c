"""``openphm severity FILE``: ISO 10816 / 20816 velocity severity, channel by channel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.acquire.channels import load_record
from openphm.cli.output import print_json, print_table
from openphm.pipeline import ProcessingContext, SeveritySettings
from openphm.pipeline.stages import channel_severity
from openphm.signal.integrate import ISO_20816_BAND_HZ


def register(app: typer.Typer) -> None:
    """Add the ``severity`` command to the openphm app."""
    app.command("severity")(severity)


def severity(
    file: Annotated[Path, typer.Argument(help="Acceleration record (any format openphm reads).")],
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", help="Channel to evaluate (repeat for several; default all)."),
    ] = None,
    fs: Annotated[
        float | None,
        typer.Option("--fs", help="Sampling rate in Hz; provides or overrides the file's."),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Acceleration unit when the file states none: g, m/s^2 or mm/s^2."),
    ] = None,
    group: Annotated[
        int | None,
        typer.Option(
            help="ISO 10816-3 / 20816-3 machine group: 1 (300 kW-50 MW) or 2 (15-300 kW)."
        ),
    ] = None,
    foundation: Annotated[
        str, typer.Option(help="Support of the machine group: rigid or flexible.")
    ] = "rigid",
    machine_class: Annotated[
        str | None,
        typer.Option("--machine-class", help="ISO 10816-1 machine class: I, II, III or IV."),
    ] = None,
    band: Annotated[
        tuple[float, float],
        typer.Option(help="Measurement band LOW HIGH in Hz (2 1000 for machines below 600 r/min)."),
    ] = ISO_20816_BAND_HZ,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Broadband velocity r.m.s. in mm/s (ISO 10816 / 20816) and, with --group or
    --machine-class, its evaluation zone A-D."""
    rec = load_record(file, fs, channels=channel)
    context = ProcessingContext(
        severity=SeveritySettings(
            band_hz=band, group=group, foundation=foundation, machine_class=machine_class, unit=unit
        )
    )
    rows = [{"channel": w.channel, **channel_severity(w, context).to_dict()} for w in rec]
    if as_json:
        print_json({"file": str(file), "channels": rows})
        return
    zones = [key for key in ("iso10816_3", "iso10816_1") if rows[0][key] is not None]
    print_table(
        f"{file}: velocity r.m.s. {band[0]:g}-{band[1]:g} Hz",
        ["channel", "velocity (mm/s)", *(f"zone {key[3:].replace('_', '-')}" for key in zones)],
        [
            [r["channel"], r["velocity_rms_mm_s"], *(_zone_cell(r[key]) for key in zones)]
            for r in rows
        ],
    )
    if not zones:
        print("give --group (ISO 10816-3) or --machine-class (ISO 10816-1) to see the zone")


def _zone_cell(z: dict[str, Any]) -> str:
    return f"{z['letter']}: {z['description']}"
