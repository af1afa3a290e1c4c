"""Vibration severity zones A-D of ISO 10816-3 / ISO 20816-3 and ISO 10816-1.

The measured quantity is the broadband r.m.s. vibration velocity (mm/s) on the bearing housings
(10-1000 Hz; see ``openphm.signal`` for integrating acceleration into that band). Zone A: new
machines; B: acceptable for long-term operation; C: unsatisfactory for long-term operation;
D: damaging. The zone boundaries are data, in ``openphm/knowledge/data/iso20816.toml``. A value
equal to a boundary belongs to the lower zone.
"""

from __future__ import annotations

import functools
import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, cast

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable

__all__ = ["Zone", "ZoneLetter", "zone", "zone_boundaries", "zone_iso10816_1"]

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


@functools.cache
def _tables() -> dict[str, Any]:
    text = resources.files("openphm.knowledge").joinpath("data", "iso20816.toml").read_text("utf-8")
    return tomllib.loads(text)


#: An evaluation zone of ISO 10816 / 20816.
ZoneLetter = Literal["A", "B", "C", "D"]


@dataclass(frozen=True)
class Zone(Serializable):
    """Evaluation zone of a vibration velocity.

    Attributes
    ----------
    letter : {"A", "B", "C", "D"}
        ``"A"``, ``"B"``, ``"C"`` or ``"D"``.
    description : str
        What the zone means for operation.
    velocity_mm_s : float
        The r.m.s. velocity evaluated, mm/s.
    lower_mm_s : float
        Lower limit of the zone (0 for A), mm/s.
    upper_mm_s : float
        Upper limit of the zone (infinite for D), mm/s.
    boundaries_mm_s : tuple of float
        The three boundaries A/B, B/C, C/D, mm/s.
    machine : str
        The machine group or class and its description.
    standard : str
        Standard and table the boundaries come from.
    """

    letter: ZoneLetter
    description: str
    velocity_mm_s: float
    lower_mm_s: float
    upper_mm_s: float
    boundaries_mm_s: tuple[float, float, float]
    machine: str
    standard: str


def _classify(
    v_rms_mm_s: float, boundaries: tuple[float, float, float], machine: str, standard: str
) -> Zone:
    v = float(v_rms_mm_s)
    if not (math.isfinite(v) and v >= 0.0):
        raise ConfigError(f"r.m.s. velocity must be a finite number >= 0 mm/s, got {v_rms_mm_s!r}")
    edges = (0.0, *boundaries, math.inf)
    index = sum(v > b for b in boundaries)
    letter = cast(ZoneLetter, "ABCD"[index])
    return Zone(
        letter=letter,
        description=_tables()["zones"][letter],
        velocity_mm_s=v,
        lower_mm_s=edges[index],
        upper_mm_s=edges[index + 1],
        boundaries_mm_s=boundaries,
        machine=machine,
        standard=standard,
    )


def zone_boundaries(*, group: int, foundation: str = "rigid") -> tuple[float, float, float]:
    """Zone boundaries A/B, B/C, C/D (r.m.s. velocity, mm/s) of ISO 10816-3 / 20816-3.

    Parameters
    ----------
    group : {1, 2}
        Machine group: 1 = large machines (300 kW to 50 MW), 2 = medium machines (15 to 300 kW).
    foundation : {"rigid", "flexible"}
        Support class: rigid when the lowest natural frequency of machine and support is at least
        25 % above the main excitation (running) frequency, flexible otherwise.

    Returns
    -------
    tuple of float
        The three boundaries in mm/s.

    Examples
    --------
    >>> zone_boundaries(group=2, foundation="rigid")
    (1.4, 2.8, 4.5)
    """
    groups = _tables()["iso10816_3"]
    key = f"group_{group}"
    if key not in groups:
        raise ConfigError(f"machine group must be 1 or 2, got {group!r}")
    if foundation not in ("rigid", "flexible"):
        raise ConfigError(f"foundation must be 'rigid' or 'flexible', got {foundation!r}")
    low, mid, high = (float(b) for b in groups[key][foundation])
    return (low, mid, high)


def zone(v_rms_mm_s: float, *, group: int, foundation: str = "rigid") -> Zone:
    """Evaluation zone of a broadband r.m.s. velocity after ISO 10816-3 / ISO 20816-3.

    Parameters
    ----------
    v_rms_mm_s : float
        Broadband r.m.s. vibration velocity on the bearing housing, mm/s (10-1000 Hz).
    group : {1, 2}
        Machine group (see :func:`zone_boundaries`).
    foundation : {"rigid", "flexible"}
        Support class.

    Returns
    -------
    Zone
        Zone letter, meaning and limits.

    Examples
    --------
    >>> z = zone(3.1, group=2, foundation="rigid")
    >>> z.letter, z.lower_mm_s, z.upper_mm_s
    ('C', 2.8, 4.5)
    """
    boundaries = zone_boundaries(group=group, foundation=foundation)
    table = _tables()["iso10816_3"]
    machine = f"group {group}, {foundation} foundation: {table[f'group_{group}']['description']}"
    return _classify(v_rms_mm_s, boundaries, machine, f"{table['standard']} ({table['band']})")


def zone_iso10816_1(v_rms_mm_s: float, machine_class: str | int) -> Zone:
    """Evaluation zone of a broadband r.m.s. velocity after ISO 10816-1 (classes I-IV).

    Parameters
    ----------
    v_rms_mm_s : float
        Broadband r.m.s. vibration velocity, mm/s (10-1000 Hz).
    machine_class : {"I", "II", "III", "IV"} or {1, 2, 3, 4}
        Machine class of ISO 10816-1 Annex B.

    Returns
    -------
    Zone
        Zone letter, meaning and limits.

    Examples
    --------
    >>> zone_iso10816_1(2.0, "II").letter
    'B'
    """
    key = _ROMAN.get(str(machine_class).strip(), str(machine_class).strip().upper())
    table = _tables()["iso10816_1"]
    if key not in _ROMAN.values():
        raise ConfigError(
            f"ISO 10816-1 machine class must be I, II, III or IV, got {machine_class!r}"
        )
    low, mid, high = (float(b) for b in table[key]["boundaries"])
    machine = f"class {key}: {table[key]['description']}"
    return _classify(
        v_rms_mm_s, (low, mid, high), machine, f"{table['standard']} ({table['band']})"
    )
