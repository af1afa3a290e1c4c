"""``openphm bearing``: characteristic defect frequencies of a bearing and its catalogue data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.options import speed_hz
from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.core.bearing import as_ring
from openphm.knowledge.bearing_spec import BearingFrequencies, bearing_frequencies, bearing_geometry
from openphm.knowledge.catalogue import get_bearing

__all__ = ["Catalogue", "RotatingRing", "bearing", "register"]

_CATALOGUE_ROWS = (
    ("bore_mm", "bore d", "mm"),
    ("outer_diameter_mm", "outside diameter D", "mm"),
    ("width_mm", "width B", "mm"),
    ("C_kN", "dynamic load rating C", "kN"),
    ("C0_kN", "static load rating C0", "kN"),
    ("Pu_kN", "fatigue load limit Pu", "kN"),
)
_LABELS = {
    "shaft": "shaft",
    "ftf": "FTF (cage)",
    "bsf": "BSF",
    "2bsf": "2xBSF",
    "bpfo": "BPFO",
    "bpfi": "BPFI",
}


RollingElements = Annotated[
    int | None, typer.Option("--rolling-elements", help="Number of balls or rollers.")
]
RollingDiameter = Annotated[
    float | None, typer.Option("--rolling-diameter-mm", help="Ball or roller diameter, mm.")
]
PitchDiameter = Annotated[
    float | None, typer.Option("--pitch-diameter-mm", help="Pitch diameter, mm.")
]
ContactAngle = Annotated[
    float | None, typer.Option("--contact-angle-deg", help="Contact angle, degrees.")
]
RotatingRing = Annotated[
    str,
    typer.Option(
        "--rotating-ring",
        help="The ring that turns: inner (a shaft in a housing) or outer (a wheel hub, an "
        "idler, a disc cutter on a fixed shaft); the speed is that ring's.",
    ),
]
Catalogue = Annotated[
    list[Path] | None,
    typer.Option("--catalogue", help="Extra bearing catalogue CSV file (repeatable)."),
]


def bearing(
    designation: Annotated[
        str | None,
        typer.Argument(
            help="Catalogue designation or alias, e.g. 6205, '6205-2RS JEM SKF', FEMTO."
        ),
    ] = None,
    rpm: Annotated[
        float | None,
        typer.Option(
            "--rpm",
            help="Speed of the turning ring (the shaft's, unless --rotating-ring outer) in "
            "r/min; without it only orders.",
        ),
    ] = None,
    n_rolling: RollingElements = None,
    rolling_diameter_mm: RollingDiameter = None,
    pitch_diameter_mm: PitchDiameter = None,
    contact_angle_deg: ContactAngle = None,
    catalogue: Catalogue = None,
    rotating_ring: RotatingRing = "inner",
    as_json: AsJson = False,
) -> None:
    """Characteristic defect frequencies (FTF, BSF, 2xBSF, BPFO, BPFI) of a bearing.

    The geometry comes from the bearing catalogue, or from --rolling-elements,
    --rolling-diameter-mm and --pitch-diameter-mm (which override it). Frequencies assume a
    turning inner ring and a stationary outer ring (--rotating-ring outer for the reverse; the
    speed is then the outer ring's) and no slip.
    """
    entry = get_bearing(designation, extra_files=catalogue or ()) if designation else None
    geometry = bearing_geometry(
        entry, n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg
    )
    result = bearing_frequencies(
        geometry, rotating_ring=as_ring(rotating_ring), shaft_hz=speed_hz(rpm), entry=entry
    )
    if as_json:
        print_json(result.to_dict())
        return
    _print_frequencies(result, rpm)
    _print_details(result)
    if entry is None or entry.geometry != geometry:
        console.print("[dim]internal geometry as given on the command line[/]")


def _print_frequencies(result: BearingFrequencies, rpm: float | None) -> None:
    name = result.geometry.designation or "custom bearing"
    speed = "" if rpm is None else f" at {rpm:g} r/min"
    if result.rotating_ring == "outer":
        speed += " (outer ring turning)"
    hz = result.frequencies_hz
    columns = ["frequency", "order"] if hz is None else ["frequency", "order", "Hz"]
    rows = [
        [_LABELS[k], f"{v:.5g}"] + ([] if hz is None else [f"{hz[k]:.2f}"])
        for k, v in result.orders.items()
    ]
    print_table(f"Characteristic frequencies of {name}{speed}", columns, rows)


def _print_details(result: BearingFrequencies) -> None:
    g, data = result.geometry, result.bearing
    details: list[list[object]] = []
    if data is not None:
        details.append(["type", str(data["type"]).replace("_", " ")])
        details += [
            [label, f"{data[key]:g} {unit}"]
            for key, label, unit in _CATALOGUE_ROWS
            if data[key] is not None
        ]
    details += [
        ["rolling elements", g.n_rolling],
        ["rolling-element diameter", f"{g.rolling_diameter_mm:g} mm"],
        ["pitch diameter", f"{g.pitch_diameter_mm:g} mm"],
        ["contact angle", f"{g.contact_angle_deg:g} deg"],
    ]
    if data is not None:
        details.append(["source", data["source"]])
    print_table(f"Bearing {g.designation or 'custom bearing'}", ["property", "value"], details)


def register(app: typer.Typer) -> None:
    """Add the ``bearing`` command to the CLI application ``app``."""
    app.command("bearing")(bearing)
