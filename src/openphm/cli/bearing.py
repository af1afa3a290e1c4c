"""``openphm bearing``: characteristic defect frequencies of a bearing and its catalogue data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import console, print_json, print_table
from openphm.core.bearing import BearingGeometry, as_ring
from openphm.core.errors import ConfigError
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import CatalogueBearing, get_bearing

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


def bearing_geometry(
    entry: CatalogueBearing | None,
    n_rolling: int | None,
    rolling_diameter_mm: float | None,
    pitch_diameter_mm: float | None,
    contact_angle_deg: float | None,
) -> BearingGeometry:
    """The internal geometry the options give: theirs, else the catalogue entry's.

    Parameters
    ----------
    entry : CatalogueBearing or None
        The catalogue entry named, if any.
    n_rolling : int or None
        ``--rolling-elements``.
    rolling_diameter_mm : float or None
        ``--rolling-diameter-mm``, mm.
    pitch_diameter_mm : float or None
        ``--pitch-diameter-mm``, mm.
    contact_angle_deg : float or None
        ``--contact-angle-deg``, degrees (overrides the entry's).

    Returns
    -------
    BearingGeometry
        The geometry, named after the entry when there is one.
    """
    given = [v is not None for v in (n_rolling, rolling_diameter_mm, pitch_diameter_mm)]
    if any(given):
        if n_rolling is None or rolling_diameter_mm is None or pitch_diameter_mm is None:
            raise ConfigError(
                "give --rolling-elements, --rolling-diameter-mm and --pitch-diameter-mm together"
            )
        name = entry.designation if entry is not None else "custom bearing"
        return BearingGeometry(
            n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg or 0.0, name
        )
    if entry is None:
        raise ConfigError(
            "name a bearing (a catalogue designation such as 6205) or give its geometry with "
            "--rolling-elements, "
            "--rolling-diameter-mm and --pitch-diameter-mm"
        )
    if entry.geometry is None:
        raise ConfigError(
            f"the catalogue has no internal geometry for {entry.designation}; give it with "
            "--rolling-elements, --rolling-diameter-mm and --pitch-diameter-mm"
        )
    if contact_angle_deg is not None:
        g = entry.geometry
        return BearingGeometry(
            g.n_rolling,
            g.rolling_diameter_mm,
            g.pitch_diameter_mm,
            contact_angle_deg,
            g.designation,
        )
    return entry.geometry


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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    f = fault_frequencies(geometry, as_ring(rotating_ring))
    orders = {
        "shaft": 1.0,
        "ftf": f.ftf,
        "bsf": f.bsf,
        "2bsf": f.two_bsf,
        "bpfo": f.bpfo,
        "bpfi": f.bpfi,
    }
    if rpm is not None and not rpm > 0.0:
        raise ConfigError(f"--rpm must be > 0, got {rpm}")
    shaft_hz = None if rpm is None else rpm / 60.0
    hz = None if shaft_hz is None else {k: v * shaft_hz for k, v in orders.items()}
    if as_json:
        print_json(
            {
                "bearing": None if entry is None else entry.to_dict(),
                "geometry": {
                    "n_rolling": geometry.n_rolling,
                    "rolling_diameter_mm": geometry.rolling_diameter_mm,
                    "pitch_diameter_mm": geometry.pitch_diameter_mm,
                    "contact_angle_deg": geometry.contact_angle_deg,
                },
                "rotating_ring": rotating_ring,
                "rpm": rpm,
                "shaft_hz": shaft_hz,
                "orders": orders,
                "frequencies_hz": hz,
            }
        )
        return
    name = entry.designation if entry is not None else "custom bearing"
    speed = "" if rpm is None else f" at {rpm:g} r/min"
    if rotating_ring == "outer":
        speed += " (outer ring turning)"
    columns = ["frequency", "order"] if hz is None else ["frequency", "order", "Hz"]
    rows = [
        [_LABELS[k], f"{v:.5g}"] + ([] if hz is None else [f"{hz[k]:.2f}"])
        for k, v in orders.items()
    ]
    print_table(f"Characteristic frequencies of {name}{speed}", columns, rows)
    details: list[list[object]] = []
    if entry is not None:
        data = entry.to_dict()
        details.append(["type", entry.type.replace("_", " ")])
        details += [
            [label, f"{data[key]:g} {unit}"]
            for key, label, unit in _CATALOGUE_ROWS
            if data[key] is not None
        ]
    details += [
        ["rolling elements", geometry.n_rolling],
        ["rolling-element diameter", f"{geometry.rolling_diameter_mm:g} mm"],
        ["pitch diameter", f"{geometry.pitch_diameter_mm:g} mm"],
        ["contact angle", f"{geometry.contact_angle_deg:g} deg"],
    ]
    if entry is not None:
        details.append(["source", entry.source])
    print_table(f"Bearing {name}", ["property", "value"], details)
    if entry is None or entry.geometry != geometry:
        console.print("[dim]internal geometry as given on the command line[/]")


def register(app: typer.Typer) -> None:
    """Add the ``bearing`` command to the CLI application ``app``."""
    app.command("bearing")(bearing)
