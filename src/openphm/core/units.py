"""Units at the edges: r/min and Hz, acceleration units and their factor to m/s^2.

Inside openphm speeds are in Hz, frequencies in Hz, time in seconds and velocity in mm/s; r/min
appear only where people type or read them (CLI flags, catalogue and profile files). Acceleration
stays in the unit its source states (the waveform's ``unit`` field); this module says which texts
name an acceleration and converts between them.
"""

from __future__ import annotations

from openphm.core.errors import ConfigError

__all__ = [
    "ACCELERATION_TO_M_S2",
    "STANDARD_GRAVITY",
    "acceleration_factor",
    "hz_to_rpm",
    "is_acceleration_unit",
    "normalise_unit",
    "rpm_to_hz",
]

#: Standard gravity in m/s^2 (ISO 80000-3), to convert g to m/s^2.
STANDARD_GRAVITY = 9.80665

#: Acceleration units (as :func:`normalise_unit` writes them) and their factor to m/s^2.
ACCELERATION_TO_M_S2 = {
    "g": STANDARD_GRAVITY,
    "m/s^2": 1.0,
    "mm/s^2": 1e-3,
}

_SPELLINGS = {"m/s2": "m/s^2", "m/s**2": "m/s^2", "m/s²": "m/s^2", "mm/s2": "mm/s^2",
              "mm/s**2": "mm/s^2", "mm/s²": "mm/s^2"}  # fmt: skip


def rpm_to_hz(rpm: float) -> float:
    """Revolutions per minute to Hz (revolutions per second).

    Parameters
    ----------
    rpm : float
        Speed in revolutions per minute.

    Returns
    -------
    float
        Speed in Hz.

    Examples
    --------
    >>> rpm_to_hz(1797.0)
    29.95
    """
    return float(rpm) / 60.0


def hz_to_rpm(hz: float) -> float:
    """Hz (revolutions per second) to revolutions per minute.

    Parameters
    ----------
    hz : float
        Speed in Hz.

    Returns
    -------
    float
        Speed in r/min.

    Examples
    --------
    >>> hz_to_rpm(29.95)
    1797.0
    """
    return float(hz) * 60.0


def normalise_unit(unit: str) -> str:
    """A unit text in one spelling: no spaces, ``m/s2``, ``m/s**2`` and ``m/s²`` as ``m/s^2``.

    Parameters
    ----------
    unit : str
        The unit as a file or a user wrote it; ``G`` and ``g`` are both standard gravity.

    Returns
    -------
    str
        The normalised text.

    Examples
    --------
    >>> normalise_unit(" m/s² "), normalise_unit("G")
    ('m/s^2', 'g')
    """
    text = unit.replace(" ", "")
    text = "g" if text in ("g", "G") else text.lower() if text.lower().startswith("m") else text
    return _SPELLINGS.get(text, text)


def is_acceleration_unit(unit: str) -> bool:
    """Whether ``unit`` names an acceleration openphm converts (g, m/s^2, mm/s^2).

    Parameters
    ----------
    unit : str
        The unit text.

    Returns
    -------
    bool
        True for g, m/s^2 and mm/s^2 in any spelling.

    Examples
    --------
    >>> is_acceleration_unit("m/s2"), is_acceleration_unit("mm/s")
    (True, False)
    """
    return normalise_unit(unit) in ACCELERATION_TO_M_S2


def acceleration_factor(unit: str) -> float:
    """Factor from acceleration in ``unit`` to m/s^2.

    Parameters
    ----------
    unit : str
        The unit text.

    Returns
    -------
    float
        Multiply by it to get m/s^2.

    Raises
    ------
    ConfigError
        ``unit`` is not an acceleration unit openphm knows.

    Examples
    --------
    >>> acceleration_factor("g")
    9.80665
    """
    try:
        return ACCELERATION_TO_M_S2[normalise_unit(unit)]
    except KeyError:
        known = ", ".join(ACCELERATION_TO_M_S2)
        raise ConfigError(f"unit: unknown acceleration unit {unit!r}; use one of {known}") from None
