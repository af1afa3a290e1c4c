"""Kinematic (characteristic) frequencies of rolling-element bearings.

A localised defect on a race or a rolling element is struck at a rate fixed by the bearing's
internal geometry and the shaft speed. With ``n`` rolling elements of diameter ``d`` on a pitch
diameter ``D``, contact angle ``a``, an inner ring turning with the shaft and a stationary outer
ring, the frequencies as orders of the shaft speed are (no slip)::

    FTF  = 1/2   (1 - d/D cos a)                 cage (fundamental train)
    BPFO = n/2   (1 - d/D cos a)                 ball pass, outer race
    BPFI = n/2   (1 + d/D cos a)                 ball pass, inner race
    BSF  = D/(2d) (1 - (d/D cos a)^2)            ball spin (a defect on one ball: 2 x BSF)

When the outer ring turns and the inner ring stands still (wheel hubs, conveyor idlers, the disc
cutters of a tunnel-boring machine), the same formulas hold in orders of the outer ring's speed
except ``FTF = 1/2 (1 + d/D cos a)``.

References: R. B. Randall and J. Antoni, "Rolling element bearing diagnostics - A tutorial",
Mechanical Systems and Signal Processing 25 (2011) 485-520, eqs. (1)-(4); T. A. Harris and
M. N. Kotzalas, *Rolling Bearing Analysis*, 5th ed., CRC Press 2006, ch. 7. Real bearings slip
1-2 %, so measured peaks sit slightly off these values, mostly below them.
"""

from __future__ import annotations

import math

from openphm.core.bearing import BearingGeometry, FaultFrequencies, Ring
from openphm.core.errors import ConfigError

__all__ = ["fault_frequencies", "fault_frequencies_hz"]


def fault_frequencies(geometry: BearingGeometry, rotating_ring: Ring = "inner") -> FaultFrequencies:
    """Characteristic defect frequencies of a bearing, as orders of the rotating ring's speed.

    Parameters
    ----------
    geometry : BearingGeometry
        Number of rolling elements, rolling-element diameter ``d`` (mm), pitch diameter ``D``
        (mm) and contact angle ``a`` (degrees). Only the ratio ``d/D`` matters, so inches work
        as well as millimetres.
    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns; the other stands still.

    Returns
    -------
    FaultFrequencies
        ``ftf``, ``bsf``, ``bpfo`` and ``bpfi`` in orders (cycles per revolution of the
        rotating ring). ``two_bsf`` gives 2 x BSF.

    Notes
    -----
    With ``r = d cos(a)/D``, the cage turns at ``(1 - r)/2`` of an inner ring's speed or
    ``(1 + r)/2`` of an outer ring's; a race defect is struck by each element as the element
    passes it, ``n`` times the speed of that race relative to the cage, and an element spins at
    ``BSF = (1 - r^2) D/(2 d)`` of the rings' relative speed (Randall & Antoni 2011, eqs. 1-4;
    Harris & Kotzalas, "Rolling Bearing Analysis", for the general kinematics). For either
    rotating ring, ``BPFO = n (1 - r)/2`` and ``BPFI = n (1 + r)/2``, so only ``FTF`` changes:
    ``(1 - r)/2`` (inner ring turning) or ``(1 + r)/2`` (outer ring turning). Identities:
    ``BPFO + BPFI = n`` always; ``BPFO = n FTF`` with a turning inner ring, ``BPFI = n FTF``
    with a turning outer ring.

    Examples
    --------
    The drive-end bearing of the CWRU rig (SKF 6205-2RS JEM: 9 balls of 0.3126 in on a
    1.537 in pitch circle):

    >>> from openphm.core import BearingGeometry
    >>> f = fault_frequencies(BearingGeometry(9, 0.3126, 1.537))
    >>> round(f.bpfi, 4), round(f.bpfo, 4), round(f.two_bsf, 4)
    (5.4152, 3.5848, 4.7134)
    >>> round(fault_frequencies(BearingGeometry(9, 0.3126, 1.537), "outer").ftf, 4)
    0.6017
    """
    n = int(geometry.n_rolling)
    d = float(geometry.rolling_diameter_mm)
    pitch = float(geometry.pitch_diameter_mm)
    r = d / pitch * math.cos(math.radians(float(geometry.contact_angle_deg)))
    return FaultFrequencies(
        ftf=0.5 * (1.0 - r) if rotating_ring == "inner" else 0.5 * (1.0 + r),
        bsf=pitch / (2.0 * d) * (1.0 - r * r),
        bpfo=0.5 * n * (1.0 - r),
        bpfi=0.5 * n * (1.0 + r),
        rotating_ring=rotating_ring,
    )


def fault_frequencies_hz(
    geometry: BearingGeometry, rpm: float, rotating_ring: Ring = "inner"
) -> dict[str, float]:
    """Characteristic defect frequencies in Hz at a shaft speed given in r/min.

    Parameters
    ----------
    geometry : BearingGeometry
        Internal geometry of the bearing (see :func:`fault_frequencies`).
    rpm : float
        Speed of the rotating ring in revolutions per minute, > 0.
    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns.

    Returns
    -------
    dict of str to float
        Keys ``shaft``, ``ftf``, ``bsf``, ``2bsf``, ``bpfo``, ``bpfi``; values in Hz.

    Examples
    --------
    >>> from openphm.core import BearingGeometry
    >>> hz = fault_frequencies_hz(BearingGeometry(9, 0.3126, 1.537), rpm=1797)
    >>> round(hz["bpfi"], 1), round(hz["bpfo"], 1)
    (162.2, 107.4)
    """
    speed = float(rpm)
    if not (math.isfinite(speed) and speed > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of r/min, got {rpm!r}")
    shaft_hz = speed / 60.0
    return {"shaft": shaft_hz, **fault_frequencies(geometry, rotating_ring).in_hz(shaft_hz)}
