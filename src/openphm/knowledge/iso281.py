"""Rolling-bearing rating life after ISO 281:2007.

Basic rating life ``L10 = (C/P)^p`` (millions of revolutions; ``p = 3`` for ball bearings,
``10/3`` for roller bearings), the same in hours ``L10h = 1e6 L10 / (60 n)``, and the modified
rating life ``Lnm = a1 aISO L10`` with the reliability factor ``a1`` (ISO 281:2007 Table 12) and the
systems-approach factor ``aISO`` (ISO 281:2007 clause 9.3, after Ioannides and Harris), which
depends on the lubrication (viscosity ratio ``kappa = nu / nu1``) and the contamination factor
``eC`` times the fatigue load limit ``Cu`` over the load ``P``. The tables used are data, in
``openphm/knowledge/data/iso281.toml``.

Forces may be in any unit as long as ``C``, ``C0``, ``Cu`` and the loads share it (kN in the
examples). Speeds are in r/min, viscosities in mm^2/s, diameters in mm.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from openphm.core.errors import ConfigError

__all__ = [
    "AISO_CAP",
    "LIFE_EXPONENT",
    "EquivalentLoad",
    "RatingLife",
    "basic_rating_life_mrev",
    "contamination_factor_guide",
    "equivalent_load_deep_groove",
    "estimate_fatigue_load_limit_ball",
    "life_modification_factor_aiso",
    "modified_rating_life",
    "rating_life_hours",
    "reference_viscosity_nu1",
    "reliability_factor_a1",
    "viscosity_ratio",
]

#: Exponent ``p`` of the life equation ``L10 = (C/P)^p`` per bearing family (ISO 281:2007, 6.2).
LIFE_EXPONENT: dict[str, float] = {
    "ball": 3.0,
    "roller": 10.0 / 3.0,
    "thrust_ball": 3.0,
    "thrust_roller": 10.0 / 3.0,
}

#: Upper limit of aISO (ISO 281:2007, 9.3.3).
AISO_CAP = 50.0

#: aISO constants per kind and kappa range: (coefficient, kappa exponent), ISO 281:2007 eqs. for
#: radial ball bearings (base 2.5671, exponents 0.83, 1/3, -9.3) and radial roller bearings
#: (base 1.5859, exponents 1, 0.4, -9.185).
_AISO: dict[str, dict[str, Any]] = {
    "ball": {
        "base": 2.5671,
        "bracket_exp": 0.83,
        "load_exp": 1.0 / 3.0,
        "outer_exp": -9.3,
        "ranges": ((2.2649, 0.054381), (1.9987, 0.19087), (1.9987, 0.071739)),
    },
    "roller": {
        "base": 1.5859,
        "bracket_exp": 1.0,
        "load_exp": 0.4,
        "outer_exp": -9.185,
        "ranges": ((1.3993, 0.054381), (1.2348, 0.19087), (1.2348, 0.071739)),
    },
}


@functools.cache
def _tables() -> dict[str, Any]:
    text = resources.files("openphm.knowledge").joinpath("data", "iso281.toml").read_text("utf-8")
    return tomllib.loads(text)


def _positive(value: float, name: str) -> float:
    x = float(value)
    if not (math.isfinite(x) and x > 0.0):
        raise ConfigError(f"{name} must be a positive finite number, got {value!r}")
    return x


def _exponent(kind: str) -> float:
    if kind not in LIFE_EXPONENT:
        raise ConfigError(f"bearing kind {kind!r} unknown; use one of {', '.join(LIFE_EXPONENT)}")
    return LIFE_EXPONENT[kind]


def basic_rating_life_mrev(c: float, p: float, kind: str = "ball") -> float:
    """Basic rating life L10 in millions of revolutions, ISO 281:2007 eq. for ``L10 = (C/P)^p``.

    Parameters
    ----------
    c : float
        Basic dynamic load rating C (e.g. kN).
    p : float
        Dynamic equivalent load P, same unit as ``c``.
    kind : {"ball", "roller", "thrust_ball", "thrust_roller"}
        Bearing family: exponent 3 for ball bearings, 10/3 for roller bearings.

    Returns
    -------
    float
        L10 in millions of revolutions (90 % reliability).

    Examples
    --------
    SKF's worked example, a 6309 (C = 55.3 kN) under P = 10 kN:

    >>> round(basic_rating_life_mrev(55.3, 10.0))
    169
    """
    ratio = _positive(c, "dynamic load rating C") / _positive(p, "equivalent load P")
    return math.pow(ratio, _exponent(kind))


def rating_life_hours(life_mrev: float, rpm: float) -> float:
    """Convert a life in millions of revolutions to operating hours: ``Lh = 1e6 L / (60 n)``.

    Parameters
    ----------
    life_mrev : float
        Life in millions of revolutions (L10, Lnm...).
    rpm : float
        Constant rotational speed n in r/min.

    Returns
    -------
    float
        Life in operating hours.

    Examples
    --------
    >>> round(rating_life_hours(basic_rating_life_mrev(55.3, 10.0), rpm=3000), -1)
    940.0
    """
    life = float(life_mrev)
    if not (math.isfinite(life) and life >= 0.0):
        raise ConfigError(f"life must be a finite number >= 0, got {life_mrev!r}")
    return 1e6 * life / (60.0 * _positive(rpm, "speed (r/min)"))


def reliability_factor_a1(reliability_pct: float) -> float:
    """Life modification factor for reliability a1, ISO 281:2007 Table 12.

    Parameters
    ----------
    reliability_pct : float
        Required reliability in percent, 90 to 99.95 (failure probability 10 % to 0.05 %).

    Returns
    -------
    float
        a1: the table value at a table point, linear interpolation between points (within
        0.008 of the Weibull model behind the table, ISO/TR 1281-2).

    Examples
    --------
    >>> reliability_factor_a1(90), reliability_factor_a1(99), reliability_factor_a1(99.95)
    (1.0, 0.25, 0.077)
    """
    r = float(reliability_pct)
    table = _tables()["reliability_factor_a1"]
    points, values = table["reliability_pct"], table["a1"]
    if not (math.isfinite(r) and points[0] <= r <= points[-1]):
        raise ConfigError(
            f"reliability {reliability_pct!r} % outside the ISO 281 range {points[0]} to "
            f"{points[-1]} %"
        )
    return float(np.interp(r, points, values))


def reference_viscosity_nu1(dm_mm: float, rpm: float) -> float:
    """Reference kinematic viscosity nu1 (mm^2/s) for adequate lubrication, ISO 281:2007.

    ``nu1 = 45000 n^-0.83 dm^-0.5`` for ``n < 1000`` r/min and ``nu1 = 4500 n^-0.5 dm^-0.5`` for
    ``n >= 1000`` r/min.

    Parameters
    ----------
    dm_mm : float
        Mean (pitch) diameter of the bearing in mm, ``0.5 (d + D)``.
    rpm : float
        Rotational speed in r/min.

    Returns
    -------
    float
        nu1 in mm^2/s.

    Examples
    --------
    >>> round(reference_viscosity_nu1(72.5, 3000), 2)
    9.65
    >>> round(reference_viscosity_nu1(72.5, 500), 1)
    30.4
    """
    dm = _positive(dm_mm, "mean diameter dm (mm)")
    n = _positive(rpm, "speed (r/min)")
    if n < 1000.0:
        return 45000.0 * math.pow(n, -0.83) / math.sqrt(dm)
    return 4500.0 / math.sqrt(n * dm)


def viscosity_ratio(nu_mm2_s: float, nu1_mm2_s: float) -> float:
    """Viscosity ratio ``kappa = nu / nu1`` (ISO 281:2007).

    Parameters
    ----------
    nu_mm2_s : float
        Actual kinematic viscosity of the lubricant at operating temperature, mm^2/s.
    nu1_mm2_s : float
        Reference viscosity from :func:`reference_viscosity_nu1`, mm^2/s.

    Returns
    -------
    float
        kappa (dimensionless).

    Examples
    --------
    >>> viscosity_ratio(20.0, 8.0)
    2.5
    """
    return _positive(nu_mm2_s, "viscosity nu (mm^2/s)") / _positive(nu1_mm2_s, "nu1 (mm^2/s)")


def life_modification_factor_aiso(ec_cu_p: float, kappa: float, kind: str = "ball") -> float:
    """Life modification factor aISO of radial bearings, ISO 281:2007 clause 9.3.

    Radial ball bearings::

        aISO = 0.1 [1 - (2.5671 - c_k / kappa^e_k)^0.83 (eC Cu/P)^(1/3)]^-9.3

    radial roller bearings::

        aISO = 0.1 [1 - (1.5859 - c_k / kappa^e_k) (eC Cu/P)^0.4]^-9.185

    with ``(c_k, e_k)`` = (2.2649, 0.054381) ball / (1.3993, 0.054381) roller for
    ``0.1 <= kappa < 0.4``, (1.9987, 0.19087) / (1.2348, 0.19087) for ``0.4 <= kappa < 1`` and
    (1.9987, 0.071739) / (1.2348, 0.071739) for ``1 <= kappa <= 4``.

    Parameters
    ----------
    ec_cu_p : float
        Contamination factor times fatigue load limit over equivalent load, ``eC Cu / P`` (>= 0).
    kappa : float
        Viscosity ratio ``nu / nu1``; values above 4 are taken as 4, values below 0.1 are outside
        the standard and rejected.
    kind : {"ball", "roller"}
        Radial ball or radial roller bearing.

    Returns
    -------
    float
        aISO, between about 0.1 and the cap 50 (also returned when the bracket reaches 0).

    Notes
    -----
    At ``kappa = 0.1`` the rounded constants make the roller term ``1.5859 - 1.3993/0.1^0.054381``
    marginally negative (about -6e-5; the ball term is +8e-5); a negative term is taken as 0,
    which gives aISO = 0.1, the value the standard's curves show there.

    Examples
    --------
    >>> round(life_modification_factor_aiso(0.107, 2.45), 2)
    5.5
    >>> life_modification_factor_aiso(0.0, 1.0)
    0.1
    """
    if kind not in _AISO:
        raise ConfigError(
            f"aISO is implemented for radial bearings only: kind must be 'ball' or 'roller', "
            f"got {kind!r}"
        )
    x = float(ec_cu_p)
    if not (math.isfinite(x) and x >= 0.0):
        raise ConfigError(f"eC Cu/P must be a finite number >= 0, got {ec_cu_p!r}")
    k = float(kappa)
    if not math.isfinite(k) or k < 0.1:
        raise ConfigError(
            f"viscosity ratio kappa = {kappa!r} is below 0.1, outside ISO 281's aISO range: "
            "the lubricant is far too thin for a life calculation"
        )
    k = min(k, 4.0)
    c = _AISO[kind]
    coefficient, exponent = c["ranges"][0 if k < 0.4 else 1 if k < 1.0 else 2]
    term = max(c["base"] - coefficient / k**exponent, 0.0) ** c["bracket_exp"]
    bracket = 1.0 - term * x ** c["load_exp"]
    if bracket <= 0.0:
        return AISO_CAP
    return float(min(0.1 * bracket ** c["outer_exp"], AISO_CAP))


def estimate_fatigue_load_limit_ball(c0: float, pitch_diameter_mm: float) -> float:
    """Rough fatigue load limit Cu of a ball bearing from C0, ISO 281:2007 Annex B (simplified).

    ``Cu = C0 / 22`` for ``Dpw <= 100`` mm and ``Cu = C0/22 (100/Dpw)^0.5`` above. Use the
    manufacturer's Pu when it is published: the annex itself warns that the simplified value can
    differ markedly from the detailed calculation.

    Parameters
    ----------
    c0 : float
        Basic static load rating C0 (e.g. kN).
    pitch_diameter_mm : float
        Pitch diameter Dpw in mm (the mean diameter ``0.5 (d + D)`` is a fair stand-in).

    Returns
    -------
    float
        Estimated Cu, same unit as ``c0``.

    Examples
    --------
    >>> round(estimate_fatigue_load_limit_ball(31.5, 72.5), 2)
    1.43
    """
    cu = _positive(c0, "static load rating C0") / 22.0
    dpw = _positive(pitch_diameter_mm, "pitch diameter (mm)")
    return cu if dpw <= 100.0 else cu * math.sqrt(100.0 / dpw)


def contamination_factor_guide(level: str, pitch_diameter_mm: float) -> tuple[float, float]:
    """Guideline range of the contamination factor eC, ISO 281:2007 Table 13.

    Parameters
    ----------
    level : str
        One of ``extreme cleanliness``, ``high cleanliness``, ``normal cleanliness``,
        ``slight contamination``, ``typical contamination``, ``severe contamination``,
        ``very severe contamination``.
    pitch_diameter_mm : float
        Pitch diameter Dpw in mm (the table has columns for Dpw < 100 mm and >= 100 mm).

    Returns
    -------
    tuple of float
        ``(low, high)`` guideline values of eC.

    Examples
    --------
    >>> contamination_factor_guide("normal cleanliness", 72.5)
    (0.5, 0.6)
    """
    table = _tables()["contamination_factor_ec"]
    key = " ".join(level.lower().replace("_", " ").split())
    if key not in table["levels"]:
        raise ConfigError(
            f"contamination level {level!r} unknown; use one of {', '.join(table['levels'])}"
        )
    column = (
        "small_bearing" if _positive(pitch_diameter_mm, "Dpw (mm)") < 100.0 else "large_bearing"
    )
    low, high = table[column][table["levels"].index(key)]
    return float(low), float(high)


@dataclass(frozen=True)
class EquivalentLoad:
    """Dynamic equivalent radial load ``P = X Fr + Y Fa`` and the factors used.

    Attributes
    ----------
    p : float
        Equivalent load, unit of the input forces.
    x, y : float
        Radial and axial load factors.
    e : float
        Limit of ``Fa/Fr`` below which ``P = Fr``.
    f0_fa_over_c0 : float
        Relative axial load ``f0 Fa / C0`` at which ``e`` and ``Y`` were read.
    """

    p: float
    x: float
    y: float
    e: float
    f0_fa_over_c0: float


def equivalent_load_deep_groove(fr: float, fa: float, c0: float, f0: float) -> EquivalentLoad:
    """Dynamic equivalent load of a single-row deep groove ball bearing, normal clearance.

    ``P = Fr`` when ``Fa/Fr <= e``, else ``P = X Fr + Y Fa`` with ``X = 0.56`` and ``e``, ``Y``
    read (linear interpolation) from ISO 281:2007 Table 3 against ``f0 Fa / C0``. Below the first
    row (0.172) the first row is used; above the last (6.89) the axial load exceeds what the
    table covers (about 0.5 C0) and is rejected.

    Parameters
    ----------
    fr : float
        Radial load Fr (e.g. kN), >= 0.
    fa : float
        Axial load Fa, same unit, >= 0.
    c0 : float
        Basic static load rating C0, same unit.
    f0 : float
        Calculation factor f0 of the bearing (ISO 76; listed in makers' tables, typically 12-16).

    Returns
    -------
    EquivalentLoad
        P and the factors X, Y, e used.

    Examples
    --------
    >>> q = equivalent_load_deep_groove(fr=4.0, fa=2.0, c0=11.2, f0=14.0)
    >>> round(q.f0_fa_over_c0, 2), round(q.e, 3), round(q.y, 3), round(q.p, 3)
    (2.5, 0.352, 1.26, 4.76)
    """
    radial, axial = float(fr), float(fa)
    if not (math.isfinite(radial) and math.isfinite(axial) and radial >= 0.0 and axial >= 0.0):
        raise ConfigError(f"loads must be finite and >= 0, got Fr={fr!r}, Fa={fa!r}")
    if radial == 0.0 and axial == 0.0:
        raise ConfigError("both the radial and the axial load are zero")
    table = _tables()["radial_ball_xye"]
    points = table["f0_fa_over_c0"]
    relative = _positive(f0, "calculation factor f0") * axial / _positive(c0, "C0")
    if relative > points[-1]:
        raise ConfigError(
            f"f0 Fa/C0 = {relative:.3g} exceeds the ISO 281 table ({points[-1]}): the axial load "
            "is beyond what a deep groove ball bearing should carry"
        )
    e = float(np.interp(relative, points, table["e"]))
    if radial > 0.0 and axial / radial <= e:
        return EquivalentLoad(p=radial, x=1.0, y=0.0, e=e, f0_fa_over_c0=relative)
    x = float(table["x"])
    y = float(np.interp(relative, points, table["y"]))
    return EquivalentLoad(p=x * radial + y * axial, x=x, y=y, e=e, f0_fa_over_c0=relative)


@dataclass(frozen=True)
class RatingLife:
    """Result of :func:`modified_rating_life`; lives in millions of revolutions.

    Attributes
    ----------
    kind : str
        Bearing family (``ball``, ``roller``...).
    l10_mrev : float
        Basic rating life L10.
    reliability_pct : float
        Reliability the modified life refers to.
    a1 : float
        Reliability factor.
    a_iso : float or None
        Systems-approach factor, None when no lubrication data were given.
    kappa : float or None
        Viscosity ratio used for aISO (after the EP-additive rule and the cap at 4).
    lnm_mrev : float
        Modified rating life ``a1 aISO L10`` (``a1 L10`` without lubrication data).
    """

    kind: str
    l10_mrev: float
    reliability_pct: float
    a1: float
    a_iso: float | None
    kappa: float | None
    lnm_mrev: float


def modified_rating_life(
    c: float,
    p: float,
    *,
    kind: str = "ball",
    reliability_pct: float = 90.0,
    kappa: float | None = None,
    contamination_factor: float | None = None,
    fatigue_load_limit: float | None = None,
    ep_additives: bool = False,
) -> RatingLife:
    """Modified rating life ``Lnm = a1 aISO L10``, ISO 281:2007 clause 9.

    Parameters
    ----------
    c : float
        Basic dynamic load rating C (e.g. kN).
    p : float
        Dynamic equivalent load P, same unit.
    kind : {"ball", "roller"}
        Radial ball or radial roller bearing (thrust kinds give L10 and a1 only).
    reliability_pct : float
        Reliability in percent, 90 to 99.95, for a1.
    kappa : float, optional
        Viscosity ratio ``nu / nu1``.
    contamination_factor : float, optional
        eC, 0 to 1 (see :func:`contamination_factor_guide`).
    fatigue_load_limit : float, optional
        Cu (SKF's Pu), same unit as ``c``.
    ep_additives : bool
        Lubricant with proven effective EP additives: when ``kappa < 1`` and ``eC >= 0.2`` the
        standard allows ``kappa = 1`` with aISO limited to 3, never below the plain-oil value.

    Returns
    -------
    RatingLife
        L10, a1, aISO and Lnm. Without ``kappa``, ``contamination_factor`` and
        ``fatigue_load_limit`` (all three or none) aISO is not computed and ``Lnm = a1 L10``.

    Examples
    --------
    A 6309 (C 55.3 kN, Cu 1.34 kN) at P = 10 kN, 99 % reliability, kappa 2.45, eC 0.8:

    >>> life = modified_rating_life(55.3, 10.0, reliability_pct=99, kappa=2.45,
    ...                             contamination_factor=0.8, fatigue_load_limit=1.34)
    >>> round(life.l10_mrev), life.a1, round(life.a_iso, 2), round(life.lnm_mrev)
    (169, 0.25, 5.52, 233)
    """
    l10 = basic_rating_life_mrev(c, p, kind)
    a1 = reliability_factor_a1(reliability_pct)
    given = [v is not None for v in (kappa, contamination_factor, fatigue_load_limit)]
    if not any(given):
        return RatingLife(kind, l10, float(reliability_pct), a1, None, None, a1 * l10)
    if (
        not all(given)
        or kappa is None
        or contamination_factor is None
        or fatigue_load_limit is None
    ):
        raise ConfigError(
            "aISO needs the viscosity ratio kappa, the contamination factor eC and the fatigue "
            "load limit Cu together"
        )
    ec = float(contamination_factor)
    if not (math.isfinite(ec) and 0.0 <= ec <= 1.0):
        raise ConfigError(f"contamination factor eC must be between 0 and 1, got {ec!r}")
    cu = float(fatigue_load_limit)
    if not (math.isfinite(cu) and cu >= 0.0):
        raise ConfigError(f"fatigue load limit Cu must be a finite number >= 0, got {cu!r}")
    ec_cu_p = ec * cu / _positive(p, "equivalent load P")
    used_kappa = min(float(kappa), 4.0)
    a_iso = life_modification_factor_aiso(ec_cu_p, kappa, kind)
    if ep_additives and float(kappa) < 1.0 and ec >= 0.2:
        used_kappa = 1.0
        a_iso = max(a_iso, min(life_modification_factor_aiso(ec_cu_p, 1.0, kind), 3.0))
    return RatingLife(kind, l10, float(reliability_pct), a1, a_iso, used_kappa, a1 * a_iso * l10)
