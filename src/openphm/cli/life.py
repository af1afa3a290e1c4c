"""``openphm life``: ISO 281:2007 basic and modified rating life of a rolling bearing."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import print_json, print_table
from openphm.core.errors import ConfigError
from openphm.knowledge.catalogue import CatalogueBearing, get_bearing
from openphm.knowledge.iso281 import (
    equivalent_load_deep_groove,
    estimate_fatigue_load_limit_ball,
    modified_rating_life,
    rating_life_hours,
    reference_viscosity_nu1,
    viscosity_ratio,
)


def _pick(option: float | None, entry: CatalogueBearing | None, attribute: str) -> float | None:
    if option is not None:
        return option
    return None if entry is None else getattr(entry, attribute)


def _equivalent_load(
    p_kn: float | None,
    radial_kn: float | None,
    axial_kn: float | None,
    c0_kn: float | None,
    f0: float | None,
    entry: CatalogueBearing | None,
) -> dict[str, Any]:
    if p_kn is not None:
        if radial_kn is not None or axial_kn is not None:
            raise ConfigError("give either --p-kn or the radial/axial loads, not both")
        return {"P_kN": p_kn}
    if radial_kn is None and axial_kn is None:
        raise ConfigError("give the load: --radial-load-kn (and --axial-load-kn) or --p-kn")
    radial, axial = radial_kn or 0.0, axial_kn or 0.0
    if axial == 0.0:
        return {"P_kN": radial}
    if entry is not None and entry.type != "deep_groove_ball":
        raise ConfigError(
            "X and Y factors are implemented for deep groove ball bearings only; "
            f"{entry.designation} is a {entry.type.replace('_', ' ')} bearing: give the "
            "equivalent load with --p-kn"
        )
    if c0_kn is None or f0 is None:
        raise ConfigError(
            "an axial load needs C0 (--c0-kn) and the calculation factor f0 (--f0) of the bearing"
        )
    q = equivalent_load_deep_groove(radial, axial, c0_kn, f0)
    return {"P_kN": q.p, "X": q.x, "Y": q.y, "e": q.e, "f0_Fa_over_C0": q.f0_fa_over_c0}


def life(
    bearing: Annotated[
        str | None, typer.Option("--bearing", help="Catalogue designation, e.g. 6309.")
    ] = None,
    c_kn: Annotated[
        float | None,
        typer.Option("--c-kn", "--dynamic-load-rating-kn", help="Basic dynamic load rating C, kN."),
    ] = None,
    c0_kn: Annotated[
        float | None,
        typer.Option("--c0-kn", "--static-load-rating-kn", help="Basic static load rating C0, kN."),
    ] = None,
    pu_kn: Annotated[
        float | None,
        typer.Option("--pu-kn", "--fatigue-load-limit-kn", help="Fatigue load limit Pu (Cu), kN."),
    ] = None,
    f0: Annotated[
        float | None, typer.Option("--f0", help="Calculation factor f0 (for axial loads).")
    ] = None,
    p_kn: Annotated[
        float | None,
        typer.Option("--p-kn", "--equivalent-load-kn", help="Dynamic equivalent load P, kN."),
    ] = None,
    radial_kn: Annotated[
        float | None, typer.Option("--radial-load-kn", help="Radial load Fr, kN.")
    ] = None,
    axial_kn: Annotated[
        float | None, typer.Option("--axial-load-kn", help="Axial load Fa, kN.")
    ] = None,
    rpm: Annotated[
        float | None, typer.Option("--rpm", help="Speed in r/min (for hours and viscosity).")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="ball or roller (default: from the catalogue, else ball)."),
    ] = None,
    reliability: Annotated[
        float, typer.Option("--reliability", help="Reliability in percent, 90 to 99.95.")
    ] = 90.0,
    viscosity: Annotated[
        float | None,
        typer.Option("--viscosity-mm2s", help="Lubricant viscosity at operating temperature."),
    ] = None,
    contamination: Annotated[
        float | None,
        typer.Option("--contamination-factor", help="Contamination factor eC, 0 to 1."),
    ] = None,
    mean_diameter_mm: Annotated[
        float | None,
        typer.Option("--mean-diameter-mm", help="Mean diameter dm = (d + D)/2, mm."),
    ] = None,
    ep_additives: Annotated[
        bool, typer.Option("--ep-additives", help="Lubricant with effective EP additives.")
    ] = False,
    catalogue: Annotated[
        list[Path] | None,
        typer.Option("--catalogue", help="Extra bearing catalogue CSV file (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """ISO 281:2007 rating life: L10, L10h and, with lubrication data, Lnm = a1 aISO L10.

    Load ratings come from the catalogue (--bearing) or the options, which override it. Give
    --viscosity-mm2s and --contamination-factor (with --rpm) for the modified life; the fatigue
    load limit is the catalogue's Pu, --pu-kn, or for ball bearings an ISO 281 Annex B estimate
    from C0.
    """
    entry = get_bearing(bearing, extra_files=catalogue or ()) if bearing else None
    c = _pick(c_kn, entry, "dynamic_load_rating_kn")
    if c is None:
        where = f"the catalogue has no C for {entry.designation}; " if entry is not None else ""
        raise ConfigError(f"{where}give the dynamic load rating with --c-kn (or --bearing)")
    if rpm is not None and not (math.isfinite(rpm) and rpm > 0.0):
        raise ConfigError(f"--rpm must be a positive speed in r/min, got {rpm:g}")
    c0 = _pick(c0_kn, entry, "static_load_rating_kn")
    load = _equivalent_load(p_kn, radial_kn, axial_kn, c0, _pick(f0, entry, "f0"), entry)
    family = kind or (entry.life_kind if entry is not None else "ball")
    result: dict[str, Any] = {
        "bearing": None if entry is None else entry.designation,
        "kind": family,
        "C_kN": c,
        **load,
        "rpm": rpm,
    }
    lubrication: dict[str, Any] = {}
    if viscosity is not None or contamination is not None:
        if viscosity is None or contamination is None:
            raise ConfigError(
                "the modified life needs both --viscosity-mm2s and --contamination-factor"
            )
        if rpm is None:
            raise ConfigError(
                "the modified life needs the speed (--rpm) for the reference viscosity"
            )
        dm = _pick(mean_diameter_mm, entry, "mean_diameter_mm")
        if dm is None:
            raise ConfigError(
                "give the mean diameter --mean-diameter-mm (or a catalogue --bearing)"
            )
        cu = _pick(pu_kn, entry, "fatigue_load_limit_kn")
        estimated = cu is None
        if cu is None:
            if c0 is None or family != "ball":
                raise ConfigError("give the fatigue load limit with --pu-kn")
            cu = estimate_fatigue_load_limit_ball(c0, dm)
        nu1 = reference_viscosity_nu1(dm, rpm)
        lubrication = {
            "kappa": viscosity_ratio(viscosity, nu1),
            "contamination_factor": contamination,
            "fatigue_load_limit": cu,
            "ep_additives": ep_additives,
        }
        result |= {
            "dm_mm": dm,
            "nu_mm2_s": viscosity,
            "nu1_mm2_s": nu1,
            "eC": contamination,
            "Cu_kN": cu,
            "Cu_estimated": estimated,
        }
    rating = modified_rating_life(
        c, load["P_kN"], kind=family, reliability_pct=reliability, **lubrication
    )
    result |= {
        "L10_mrev": rating.l10_mrev,
        "L10h": None if rpm is None else rating_life_hours(rating.l10_mrev, rpm),
        "reliability_pct": rating.reliability_pct,
        "a1": rating.a1,
        "kappa": rating.kappa,
        "a_iso": rating.a_iso,
        "Lnm_mrev": rating.lnm_mrev,
        "Lnmh": None if rpm is None else rating_life_hours(rating.lnm_mrev, rpm),
    }
    if as_json:
        print_json(result)
        return
    modified, formula = ("modified", "a1 aISO L10") if rating.a_iso else ("adjusted", "a1 L10")
    labels = {
        "C_kN": ("dynamic load rating C", "kN"),
        "P_kN": ("equivalent load P", "kN"),
        "X": ("radial factor X", ""),
        "Y": ("axial factor Y", ""),
        "e": ("limit e of Fa/Fr", ""),
        "rpm": ("speed", "r/min"),
        "L10_mrev": ("basic rating life L10", "million rev"),
        "L10h": ("basic rating life L10h", "h"),
        "reliability_pct": ("reliability", "%"),
        "a1": ("reliability factor a1", ""),
        "nu_mm2_s": ("viscosity nu", "mm²/s"),
        "nu1_mm2_s": ("reference viscosity nu1", "mm²/s"),
        "kappa": ("viscosity ratio kappa", ""),
        "eC": ("contamination factor eC", ""),
        "Cu_kN": (
            "fatigue load limit Cu",
            "kN (estimated)" if result.get("Cu_estimated") else "kN",
        ),
        "a_iso": ("life modification factor aISO", ""),
        "Lnm_mrev": (f"{modified} rating life Lnm = {formula}", "million rev"),
        "Lnmh": (f"{modified} rating life Lnmh", "h"),
    }
    rows = [
        [label, result[key], unit]
        for key, (label, unit) in labels.items()
        if result.get(key) is not None
    ]
    name = f" of {entry.designation}" if entry is not None else ""
    print_table(
        f"ISO 281:2007 rating life{name} ({family} bearing)", ["quantity", "value", "unit"], rows
    )


def register(app: typer.Typer) -> None:
    """Add the ``life`` command to the CLI application ``app``."""
    app.command("life")(life)
