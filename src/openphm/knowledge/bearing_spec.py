"""A bearing as a user names it: the catalogue entry, the geometry that overrides it, its lines.

A bearing is named by a catalogue designation, by its internal geometry (number of rolling
elements, their diameter, the pitch diameter and the contact angle), or by both, the given
values then overriding the entry's. :func:`bearing_geometry` settles which geometry that is;
:func:`bearing_frequencies` gives its characteristic defect frequencies (see
:mod:`openphm.knowledge.bearings` for the kinematics) as orders and, with a speed, in Hz.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from openphm.core.bearing import BearingGeometry, Ring
from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import CatalogueBearing

__all__ = ["BearingFrequencies", "bearing_frequencies", "bearing_geometry"]

_GEOMETRY_OPTIONS = "--rolling-elements, --rolling-diameter-mm and --pitch-diameter-mm"


def bearing_geometry(
    entry: CatalogueBearing | None,
    n_rolling: int | None = None,
    rolling_diameter_mm: float | None = None,
    pitch_diameter_mm: float | None = None,
    contact_angle_deg: float | None = None,
) -> BearingGeometry:
    """The internal geometry given, else the catalogue entry's (a given contact angle wins).

    Parameters
    ----------
    entry : CatalogueBearing or None
        The catalogue entry named, if any.
    n_rolling : int or None
        Number of rolling elements (``--rolling-elements``).
    rolling_diameter_mm : float or None
        Rolling-element diameter, mm (``--rolling-diameter-mm``).
    pitch_diameter_mm : float or None
        Pitch diameter, mm (``--pitch-diameter-mm``).
    contact_angle_deg : float or None
        Contact angle, degrees (``--contact-angle-deg``); overrides the entry's.

    Returns
    -------
    BearingGeometry
        The geometry, named after the entry when there is one.

    Raises
    ------
    ConfigError
        A geometry given in part, or neither a geometry nor an entry that has one.

    Examples
    --------
    >>> from openphm.knowledge.catalogue import get_bearing
    >>> g = bearing_geometry(get_bearing("6205"), contact_angle_deg=10.0)
    >>> g.n_rolling, g.contact_angle_deg, g.designation
    (9, 10.0, '6205')
    >>> bearing_geometry(None, 8, 12.0, 60.0).designation
    'custom bearing'
    """
    given = [v is not None for v in (n_rolling, rolling_diameter_mm, pitch_diameter_mm)]
    if any(given):
        if n_rolling is None or rolling_diameter_mm is None or pitch_diameter_mm is None:
            raise ConfigError(f"give {_GEOMETRY_OPTIONS} together")
        name = entry.designation if entry is not None else "custom bearing"
        return BearingGeometry(
            n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg or 0.0, name
        )
    if entry is None:
        raise ConfigError(
            "name a bearing (a catalogue designation such as 6205) or give its geometry with "
            + _GEOMETRY_OPTIONS
        )
    g = entry.geometry
    if g is None:
        raise ConfigError(
            f"the catalogue has no internal geometry for {entry.designation}; give it with "
            + _GEOMETRY_OPTIONS
        )
    if contact_angle_deg is None:
        return g
    return BearingGeometry(
        g.n_rolling, g.rolling_diameter_mm, g.pitch_diameter_mm, contact_angle_deg, g.designation
    )


@dataclass(frozen=True)
class BearingFrequencies(Serializable):
    """The characteristic defect frequencies of one bearing, and where its data come from.

    Parameters
    ----------
    bearing : Mapping of str to object or None
        The catalogue entry (:meth:`CatalogueBearing.to_dict`: dimensions, load ratings, type,
        source), when the bearing was named by designation.
    geometry : BearingGeometry
        The internal geometry used.
    rotating_ring : {"inner", "outer"}
        The ring that turns.
    shaft_hz : float or None
        Speed of the turning ring, Hz, when one was given.
    orders : Mapping of str to float
        ``shaft`` (1), ``ftf``, ``bsf``, ``2bsf``, ``bpfo`` and ``bpfi`` in orders of that speed.
    frequencies_hz : Mapping of str to float or None
        The same in Hz at ``shaft_hz``.
    """

    bearing: Mapping[str, Any] | None
    geometry: BearingGeometry
    rotating_ring: Ring
    shaft_hz: float | None
    orders: Mapping[str, float] = field(default_factory=dict)
    frequencies_hz: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if self.bearing is not None:
            object.__setattr__(self, "bearing", MappingProxyType(dict(self.bearing)))
        object.__setattr__(self, "orders", MappingProxyType(dict(self.orders)))
        if self.frequencies_hz is not None:
            hz = MappingProxyType(dict(self.frequencies_hz))
            object.__setattr__(self, "frequencies_hz", hz)


def bearing_frequencies(
    geometry: BearingGeometry,
    *,
    rotating_ring: Ring = "inner",
    shaft_hz: float | None = None,
    entry: CatalogueBearing | None = None,
) -> BearingFrequencies:
    """Characteristic defect frequencies of a bearing as orders and, with a speed, in Hz.

    Orders from :func:`openphm.knowledge.bearings.fault_frequencies` (no slip), times the
    speed of the turning ring for Hz.

    Parameters
    ----------
    geometry : BearingGeometry
        Internal geometry (see :func:`bearing_geometry`).
    rotating_ring : {"inner", "outer"}
        The ring that turns; ``shaft_hz`` is its speed.
    shaft_hz : float or None
        Speed of the turning ring, Hz (> 0); None gives orders only.
    entry : CatalogueBearing or None
        The catalogue entry the bearing was named by, recorded in the result.

    Returns
    -------
    BearingFrequencies
        Orders, frequencies in Hz and the data used.

    Examples
    --------
    The CWRU drive-end bearing at 1797 r/min:

    >>> from openphm.knowledge.catalogue import get_bearing
    >>> entry = get_bearing("6205")
    >>> f = bearing_frequencies(entry.geometry, shaft_hz=29.95, entry=entry)
    >>> round(f.orders["bpfi"], 4), round(f.frequencies_hz["bpfi"], 2)
    (5.4152, 162.19)
    """
    if shaft_hz is not None and not (math.isfinite(shaft_hz) and shaft_hz > 0.0):
        raise ConfigError(f"the speed must be > 0, got {shaft_hz!r} Hz")
    orders = {"shaft": 1.0, **fault_frequencies(geometry, rotating_ring).in_hz(1.0)}
    hz = None if shaft_hz is None else {k: v * shaft_hz for k, v in orders.items()}
    return BearingFrequencies(
        bearing=None if entry is None else entry.to_dict(),
        geometry=geometry,
        rotating_ring=rotating_ring,
        shaft_hz=shaft_hz,
        orders=orders,
        frequencies_hz=hz,
    )
