"""Kinematic (characteristic) frequencies of rolling-element bearings.

A localised defect on a race or a rolling element is struck at a rate fixed by the bearing's
internal geometry and the shaft speed. With ``n`` rolling elements of diameter ``d`` on a pitch
diameter ``D``, contact angle ``a``, an inner ring turning with the shaft and a stationary outer
ring, the frequencies as orders of the shaft speed are (no slip)::

    FTF  = 1/2   (1 - d/D cos a)                 cage (fundamental train)
    BPFO = n/2   (1 - d/D cos a)                 ball pass, outer race
    BPFI = n/2   (1 + d/D cos a)                 ball pass, inner race
    BSF  = D/(2d) (1 - (d/D cos a)^2)            ball spin (a defect on one ball: 2 x BSF)

References: R. B. Randall and J. Antoni, "Rolling element bearing diagnostics - A tutorial",
Mechanical Systems and Signal Processing 25 (2011) 485-520, eqs. (1)-(4); T. A. Harris and
M. N. Kotzalas, *Rolling Bearing Analysis*, 5th ed., CRC Press 2006, ch. 7. Real bearings slip
1-2 %, so measured peaks sit slightly off these values, mostly below them.
"""

from __future__ import annotations

import math

from openphm.core.bearing import BearingGeometry, FaultFrequencies
from openphm.core.errors import ConfigError

__all__ = ["fault_frequencies", "fault_frequencies_hz"]


def fault_frequencies(geometry: BearingGeometry) -> FaultFrequencies:
    """Characteristic defect frequencies of a bearing, as orders of the shaft speed.

    Parameters
    ----------
    geometry : BearingGeometry
        Number of rolling elements, rolling-element diameter ``d`` (mm), pitch diameter ``D``
        (mm) and contact angle ``a`` (degrees). Only the ratio ``d/D`` matters, so inches work
        as well as millimetres.

    Returns
    -------
    FaultFrequencies
        ``ftf``, ``bsf``, ``bpfo`` and ``bpfi`` in orders (cycles per shaft revolution), for a
        rotating inner ring and a stationary outer ring. ``two_bsf`` gives 2 x BSF.

    Notes
    -----
    ``FTF = (1 - r)/2``, ``BPFO = n (1 - r)/2``, ``BPFI = n (1 + r)/2`` and
    ``BSF = (1 - r^2) D/(2 d)`` with ``r = d cos(a)/D`` (Randall & Antoni 2011, eqs. 1-4).
    Identities that always hold: ``BPFO + BPFI = n`` and ``BPFO = n FTF``.

    Examples
    --------
    The drive-end bearing of the CWRU rig (SKF 6205-2RS JEM: 9 balls of 0.3126 in on a
    1.537 in pitch circle):

    >>> from openphm.core import BearingGeometry
    >>> f = fault_frequencies(BearingGeometry(9, 0.3126, 1.537))
    >>> round(f.bpfi, 4), round(f.bpfo, 4), round(f.two_bsf, 4)
    (5.4152, 3.5848, 4.7134)
    """
    n = int(geometry.n_rolling)
    d = float(geometry.rolling_diameter_mm)
    pitch = float(geometry.pitch_diameter_mm)
    r = d / pitch * math.cos(math.radians(float(geometry.contact_angle_deg)))
    return FaultFrequencies(
        ftf=0.5 * (1.0 - r),
        bsf=pitch / (2.0 * d) * (1.0 - r * r),
        bpfo=0.5 * n * (1.0 - r),
        bpfi=0.5 * n * (1.0 + r),
    )


def fault_frequencies_hz(geometry: BearingGeometry, rpm: float) -> dict[str, float]:
    """Characteristic defect frequencies in Hz at a shaft speed given in r/min.

    Parameters
    ----------
    geometry : BearingGeometry
        Internal geometry of the bearing (see :func:`fault_frequencies`).
    rpm : float
        Shaft (inner-ring) speed in revolutions per minute, > 0.

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
    return {"shaft": shaft_hz, **fault_frequencies(geometry).in_hz(shaft_hz)}
