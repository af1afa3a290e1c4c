"""``openphm life``: ISO 281:2007 basic and modified rating life of a rolling bearing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.options import check_rpm
from openphm.cli.output import print_json, print_table
from openphm.knowledge.life import BearingLife, LifeInputs, bearing_life


def _rows(life: BearingLife) -> list[list[object]]:
    """The table's (quantity, value, unit) rows, for the values that were used."""
    lube = life.lubrication
    modified, formula = ("modified", "a1 aISO L10") if life.a_iso else ("adjusted", "a1 L10")
    cu_unit = "kN (estimated)" if lube is not None and lube.cu_estimated else "kN"
    rows: list[tuple[str, float | None, str]] = [
        ("dynamic load rating C", life.c_kn, "kN"),
        ("equivalent load P", life.p_kn, "kN"),
        ("radial factor X", life.x, ""),
        ("axial factor Y", life.y, ""),
        ("limit e of Fa/Fr", life.e, ""),
        ("speed", life.rpm, "r/min"),
        ("basic rating life L10", life.l10_mrev, "million rev"),
        ("basic rating life L10h", life.l10_h, "h"),
        ("reliability", life.reliability_pct, "%"),
        ("reliability factor a1", life.a1, ""),
        ("viscosity nu", None if lube is None else lube.nu_mm2_s, "mm²/s"),
        ("reference viscosity nu1", None if lube is None else lube.nu1_mm2_s, "mm²/s"),
        ("viscosity ratio kappa", life.kappa, ""),
        ("contamination factor eC", None if lube is None else lube.ec, ""),
        ("fatigue load limit Cu", None if lube is None else lube.cu_kn, cu_unit),
        ("life modification factor aISO", life.a_iso, ""),
        (f"{modified} rating life Lnm = {formula}", life.lnm_mrev, "million rev"),
        (f"{modified} rating life Lnmh", life.lnm_h, "h"),
    ]
    return [[label, value, unit] for label, value, unit in rows if value is not None]


BearingOpt = Annotated[
    str | None, typer.Option("--bearing", help="Catalogue designation, e.g. 6309.")
]
CKnOpt = Annotated[
    float | None,
    typer.Option("--c-kn", "--dynamic-load-rating-kn", help="Basic dynamic load rating C, kN."),
]
C0KnOpt = Annotated[
    float | None,
    typer.Option("--c0-kn", "--static-load-rating-kn", help="Basic static load rating C0, kN."),
]
PuKnOpt = Annotated[
    float | None,
    typer.Option("--pu-kn", "--fatigue-load-limit-kn", help="Fatigue load limit Pu (Cu), kN."),
]
F0Opt = Annotated[
    float | None, typer.Option("--f0", help="Calculation factor f0 (for axial loads).")
]
PKnOpt = Annotated[
    float | None,
    typer.Option("--p-kn", "--equivalent-load-kn", help="Dynamic equivalent load P, kN."),
]
RadialKnOpt = Annotated[float | None, typer.Option("--radial-load-kn", help="Radial load Fr, kN.")]
AxialKnOpt = Annotated[float | None, typer.Option("--axial-load-kn", help="Axial load Fa, kN.")]
RpmOpt = Annotated[
    float | None, typer.Option("--rpm", help="Speed in r/min (for hours and viscosity).")
]
KindOpt = Annotated[
    str | None,
    typer.Option("--kind", help="ball or roller (default: from the catalogue, else ball)."),
]
ReliabilityOpt = Annotated[
    float, typer.Option("--reliability", help="Reliability in percent, 90 to 99.95.")
]
ViscosityOpt = Annotated[
    float | None,
    typer.Option("--viscosity-mm2s", help="Lubricant viscosity at operating temperature."),
]
ContaminationOpt = Annotated[
    float | None,
    typer.Option("--contamination-factor", help="Contamination factor eC, 0 to 1."),
]
MeanDiameterMmOpt = Annotated[
    float | None,
    typer.Option("--mean-diameter-mm", help="Mean diameter dm = (d + D)/2, mm."),
]
EpAdditivesOpt = Annotated[
    bool, typer.Option("--ep-additives", help="Lubricant with effective EP additives.")
]
CatalogueOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalogue", help="Extra bearing catalogue CSV file (repeatable)."),
]
AsJsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def life(
    bearing: BearingOpt = None,
    c_kn: CKnOpt = None,
    c0_kn: C0KnOpt = None,
    pu_kn: PuKnOpt = None,
    f0: F0Opt = None,
    p_kn: PKnOpt = None,
    radial_kn: RadialKnOpt = None,
    axial_kn: AxialKnOpt = None,
    rpm: RpmOpt = None,
    kind: KindOpt = None,
    reliability: ReliabilityOpt = 90.0,
    viscosity: ViscosityOpt = None,
    contamination: ContaminationOpt = None,
    mean_diameter_mm: MeanDiameterMmOpt = None,
    ep_additives: EpAdditivesOpt = False,
    catalogue: CatalogueOpt = None,
    as_json: AsJsonOpt = False,
) -> None:
    """ISO 281:2007 rating life: L10, L10h and, with lubrication data, Lnm = a1 aISO L10.

    Load ratings come from the catalogue (--bearing) or the options, which override it. Give
    --viscosity-mm2s and --contamination-factor (with --rpm) for the modified life; the fatigue
    load limit is the catalogue's Pu, --pu-kn, or for ball bearings an ISO 281 Annex B estimate
    from C0.
    """
    check_rpm(rpm)
    result = bearing_life(
        LifeInputs(
            bearing=bearing,
            catalogue=tuple(str(c) for c in catalogue or ()),
            c_kn=c_kn,
            c0_kn=c0_kn,
            pu_kn=pu_kn,
            f0=f0,
            p_kn=p_kn,
            radial_kn=radial_kn,
            axial_kn=axial_kn,
            rpm=rpm,
            kind=kind,
            reliability_pct=reliability,
            viscosity_mm2_s=viscosity,
            contamination_factor=contamination,
            mean_diameter_mm=mean_diameter_mm,
            ep_additives=ep_additives,
        )
    )
    if as_json:
        print_json(result.to_dict())
        return
    name = f" of {result.bearing}" if result.bearing is not None else ""
    print_table(
        f"ISO 281:2007 rating life{name} ({result.kind} bearing)",
        ["quantity", "value", "unit"],
        _rows(result),
    )


def register(app: typer.Typer) -> None:
    """Add the ``life`` command to the CLI application ``app``."""
    app.command("life")(life)
