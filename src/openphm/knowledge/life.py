"""The ISO 281:2007 life of one bearing from what a user knows: catalogue data, loads, lubricant.

:mod:`openphm.knowledge.iso281` holds the standard's equations; this module chooses their inputs
as a reliability engineer would. Each rating is the value given, else the catalogue entry's; the
dynamic equivalent load is ``P`` as given, or ``Fr`` alone, or ``X Fr + Y Fa`` for a deep groove
ball bearing (ISO 281:2007 Table 3, needing ``C0`` and ``f0``); the modified life needs the
viscosity, the contamination factor, the speed (for the reference viscosity ``nu1``), the mean
diameter and the fatigue load limit, which for a ball bearing without a published one is
estimated from ``C0`` (ISO 281:2007 Annex B).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from openphm.core.errors import ConfigError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import OneOf, Range, validate_fields
from openphm.knowledge.catalogue import CatalogueBearing, get_bearing
from openphm.knowledge.iso281 import (
    LIFE_EXPONENT,
    equivalent_load_deep_groove,
    estimate_fatigue_load_limit_ball,
    modified_rating_life,
    rating_life_hours,
    reference_viscosity_nu1,
    viscosity_ratio,
)

__all__ = ["BearingLife", "LifeInputs", "Lubrication", "bearing_life"]

_KINDS: tuple[object, ...] = (None, *LIFE_EXPONENT)


@dataclass(frozen=True)
class LifeInputs(Serializable):
    """What a life calculation is given; a rating left as None comes from the catalogue entry.

    Forces in kN, speed in r/min (the unit of ISO 281), viscosity in mm^2/s, diameters in mm.

    Parameters
    ----------
    bearing : str or None
        Catalogue designation or alias whose ratings and dimensions are used.
    catalogue : tuple of str
        Extra catalogue files in which ``bearing`` is looked up too.
    c_kn, c0_kn : float or None
        Basic dynamic and static load ratings C and C0, kN.
    pu_kn : float or None
        Fatigue load limit Pu (Cu of ISO 281), kN.
    f0 : float or None
        ISO 76 calculation factor f0 (for an axial load).
    p_kn : float or None
        Dynamic equivalent load P, kN (instead of the radial and axial loads).
    radial_kn, axial_kn : float or None
        Radial load Fr and axial load Fa, kN.
    rpm : float or None
        Constant speed in r/min, for lives in hours and the reference viscosity.
    kind : {"ball", "roller", "thrust_ball", "thrust_roller"} or None
        Life-equation family (default: the catalogue entry's, else ``"ball"``).
    reliability_pct : float
        Reliability in percent, 90 to 99.95.
    viscosity_mm2_s : float or None
        Lubricant viscosity at operating temperature, mm^2/s.
    contamination_factor : float or None
        Contamination factor eC, 0 to 1.
    mean_diameter_mm : float or None
        Mean diameter ``dm = (d + D)/2``, mm.
    ep_additives : bool
        Lubricant with effective EP additives.
    """

    bearing: str | None = None
    catalogue: tuple[str, ...] = ()
    c_kn: Annotated[float | None, Range(gt=0.0)] = None
    c0_kn: Annotated[float | None, Range(gt=0.0)] = None
    pu_kn: Annotated[float | None, Range(ge=0.0)] = None
    f0: Annotated[float | None, Range(gt=0.0)] = None
    p_kn: Annotated[float | None, Range(gt=0.0)] = None
    radial_kn: Annotated[float | None, Range(ge=0.0)] = None
    axial_kn: Annotated[float | None, Range(ge=0.0)] = None
    rpm: Annotated[float | None, Range(gt=0.0)] = None
    kind: Annotated[str | None, OneOf(_KINDS)] = None
    reliability_pct: float = 90.0
    viscosity_mm2_s: Annotated[float | None, Range(gt=0.0)] = None
    contamination_factor: Annotated[float | None, Range(ge=0.0, le=1.0)] = None
    mean_diameter_mm: Annotated[float | None, Range(gt=0.0)] = None
    ep_additives: bool = False

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class Lubrication(Serializable):
    """The lubrication and cleanliness data behind a modified rating life.

    Parameters
    ----------
    dm_mm : float
        Mean diameter used for ``nu1`` and the Cu estimate, mm.
    nu_mm2_s : float
        Lubricant viscosity, mm^2/s.
    nu1_mm2_s : float
        Reference viscosity ``nu1`` at the speed, mm^2/s.
    ec : float
        Contamination factor eC.
    cu_kn : float
        Fatigue load limit Cu, kN.
    cu_estimated : bool
        Whether Cu is the ISO 281 Annex B estimate from C0 (no published value).
    ep_additives : bool
        Lubricant with effective EP additives.
    """

    dm_mm: float
    nu_mm2_s: float
    nu1_mm2_s: float
    ec: float
    cu_kn: float
    cu_estimated: bool
    ep_additives: bool


@dataclass(frozen=True)
class BearingLife(Serializable):
    """The ISO 281:2007 rating life of a bearing and every value that went into it.

    Parameters
    ----------
    bearing : str or None
        Catalogue designation, when one was used.
    kind : str
        Life-equation family (``"ball"``, ``"roller"``...).
    c_kn : float
        Basic dynamic load rating C, kN.
    p_kn : float
        Dynamic equivalent load P, kN.
    x, y, e, f0_fa_over_c0 : float or None
        Radial and axial factors, limit ``e`` of ``Fa/Fr`` and the relative axial load at which
        they were read, when P was combined from an axial load.
    rpm : float or None
        Speed, r/min.
    lubrication : Lubrication or None
        Lubrication data of the modified life, when given.
    l10_mrev : float
        Basic rating life L10, millions of revolutions.
    l10_h : float or None
        L10 in operating hours (with a speed).
    reliability_pct : float
        Reliability the modified life refers to, %.
    a1 : float
        Reliability factor.
    kappa : float or None
        Viscosity ratio used for aISO.
    a_iso : float or None
        Life modification factor aISO (None without lubrication data).
    lnm_mrev : float
        Modified rating life ``a1 aISO L10`` (``a1 L10`` without lubrication data), millions of
        revolutions.
    lnm_h : float or None
        Lnm in operating hours (with a speed).
    provenance : Provenance
        The openphm version and the :class:`LifeInputs` that made the result.
    """

    bearing: str | None
    kind: str
    c_kn: float
    p_kn: float
    x: float | None
    y: float | None
    e: float | None
    f0_fa_over_c0: float | None
    rpm: float | None
    lubrication: Lubrication | None
    l10_mrev: float
    l10_h: float | None
    reliability_pct: float
    a1: float
    kappa: float | None
    a_iso: float | None
    lnm_mrev: float
    lnm_h: float | None
    provenance: Provenance


def _pick(given: float | None, entry: CatalogueBearing | None, attribute: str) -> float | None:
    if given is not None:
        return given
    value: float | None = None if entry is None else getattr(entry, attribute)
    return value


def _load(
    inputs: LifeInputs, entry: CatalogueBearing | None
) -> tuple[float, tuple[float, float, float, float] | None]:
    """P in kN, and (X, Y, e, f0 Fa/C0) when it was combined from an axial load."""
    if inputs.p_kn is not None:
        if inputs.radial_kn is not None or inputs.axial_kn is not None:
            raise ConfigError("give either --p-kn or the radial/axial loads, not both")
        return inputs.p_kn, None
    if inputs.radial_kn is None and inputs.axial_kn is None:
        raise ConfigError("give the load: --radial-load-kn (and --axial-load-kn) or --p-kn")
    radial, axial = inputs.radial_kn or 0.0, inputs.axial_kn or 0.0
    if axial == 0.0:
        return radial, None
    if entry is not None and entry.type != "deep_groove_ball":
        raise ConfigError(
            "X and Y factors are implemented for deep groove ball bearings only; "
            f"{entry.designation} is a {entry.type.replace('_', ' ')} bearing: give the "
            "equivalent load with --p-kn"
        )
    c0, f0 = _pick(inputs.c0_kn, entry, "static_load_rating_kn"), _pick(inputs.f0, entry, "f0")
    if c0 is None or f0 is None:
        raise ConfigError(
            "an axial load needs C0 (--c0-kn) and the calculation factor f0 (--f0) of the bearing"
        )
    q = equivalent_load_deep_groove(radial, axial, c0, f0)
    return q.p, (q.x, q.y, q.e, q.f0_fa_over_c0)


def _lubrication(
    inputs: LifeInputs, entry: CatalogueBearing | None, kind: str
) -> Lubrication | None:
    nu, ec = inputs.viscosity_mm2_s, inputs.contamination_factor
    if nu is None and ec is None:
        return None
    if nu is None or ec is None:
        raise ConfigError(
            "the modified life needs both --viscosity-mm2s and --contamination-factor"
        )
    if inputs.rpm is None:
        raise ConfigError("the modified life needs the speed (--rpm) for the reference viscosity")
    dm = _pick(inputs.mean_diameter_mm, entry, "mean_diameter_mm")
    if dm is None:
        raise ConfigError("give the mean diameter --mean-diameter-mm (or a catalogue --bearing)")
    cu = _pick(inputs.pu_kn, entry, "fatigue_load_limit_kn")
    estimated = cu is None
    if cu is None:
        c0 = _pick(inputs.c0_kn, entry, "static_load_rating_kn")
        if c0 is None or kind != "ball":
            raise ConfigError("give the fatigue load limit with --pu-kn")
        cu = estimate_fatigue_load_limit_ball(c0, dm)
    nu1 = reference_viscosity_nu1(dm, inputs.rpm)
    return Lubrication(dm, nu, nu1, ec, cu, estimated, inputs.ep_additives)


def bearing_life(inputs: LifeInputs) -> BearingLife:
    """ISO 281:2007 rating life L10, and with lubrication data the modified life Lnm.

    ``L10 = (C/P)^p`` (``p = 3`` ball, ``10/3`` roller), ``Lnm = a1 aISO L10``, lives in hours
    ``1e6 L / (60 n)``; see :mod:`openphm.knowledge.iso281` for each factor. Ratings and
    dimensions not given come from the catalogue entry of ``inputs.bearing``; the fatigue load
    limit of a ball bearing without one is estimated from C0 (ISO 281:2007 Annex B).

    Parameters
    ----------
    inputs : LifeInputs
        The bearing, loads, speed and lubrication.

    Returns
    -------
    BearingLife
        The lives, the factors, and the values chosen for each input.

    Raises
    ------
    ConfigError
        A rating or load that is missing or given twice, lubrication data given in part, or a
        value outside the standard's range.

    Examples
    --------
    SKF's worked example, a 6309 (C = 55.3 kN) under a radial load of 10 kN at 3000 r/min:

    >>> life = bearing_life(LifeInputs(bearing="6309", radial_kn=10.0, rpm=3000.0))
    >>> life.c_kn, round(life.l10_mrev), round(life.l10_h)
    (55.3, 169, 940)
    """
    entry = None
    if inputs.bearing is not None:
        entry = get_bearing(inputs.bearing, extra_files=inputs.catalogue)
    c = _pick(inputs.c_kn, entry, "dynamic_load_rating_kn")
    if c is None:
        where = f"the catalogue has no C for {entry.designation}; " if entry is not None else ""
        raise ConfigError(f"{where}give the dynamic load rating with --c-kn (or --bearing)")
    p, factors = _load(inputs, entry)
    kind = inputs.kind or (entry.life_kind if entry is not None else "ball")
    lube = _lubrication(inputs, entry, kind)
    rating = modified_rating_life(
        c,
        p,
        kind=kind,
        reliability_pct=inputs.reliability_pct,
        kappa=None if lube is None else viscosity_ratio(lube.nu_mm2_s, lube.nu1_mm2_s),
        contamination_factor=None if lube is None else lube.ec,
        fatigue_load_limit=None if lube is None else lube.cu_kn,
        ep_additives=inputs.ep_additives,
    )
    rpm = inputs.rpm
    x, y, e, relative = factors if factors is not None else (None, None, None, None)
    return BearingLife(
        bearing=None if entry is None else entry.designation,
        kind=kind,
        c_kn=c,
        p_kn=p,
        x=x,
        y=y,
        e=e,
        f0_fa_over_c0=relative,
        rpm=rpm,
        lubrication=lube,
        l10_mrev=rating.l10_mrev,
        l10_h=None if rpm is None else rating_life_hours(rating.l10_mrev, rpm),
        reliability_pct=rating.reliability_pct,
        a1=rating.a1,
        kappa=rating.kappa,
        a_iso=rating.a_iso,
        lnm_mrev=rating.lnm_mrev,
        lnm_h=None if rpm is None else rating_life_hours(rating.lnm_mrev, rpm),
        provenance=Provenance.of(inputs, InputRef(source=inputs.bearing or "")),
    )
