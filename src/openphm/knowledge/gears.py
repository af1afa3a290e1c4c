"""Characteristic frequencies of a gear pair: mesh, sidebands, hunting tooth, assembly phase.

For a pinion with ``z1`` teeth on a shaft turning at ``f1`` Hz driving a gear with ``z2`` teeth:

- gear mesh frequency ``f_m = z1 f1 = z2 f2`` (``f2 = f1 z1/z2``);
- modulation by either shaft puts sidebands at ``f_m +/- k f1`` and ``f_m +/- k f2``;
- the same pair of teeth meets again after ``lcm(z1, z2)`` meshes, so the hunting-tooth
  frequency is ``f_ht = f_m / lcm(z1, z2) = f_m gcd(z1, z2) / (z1 z2) = f1 gcd(z1, z2) / z2``;
- with ``N_a = gcd(z1, z2)`` assembly phases, a given tooth of one gear meets the same group of
  teeth of the other ``f_m / N_a`` times a second (assembly phase passing frequency).

Reference: R. B. Randall, *Vibration-based Condition Monitoring*, Wiley 2011, section 2.2.3
(gear vibrations: mesh frequency, sidebands, hunting tooth and assembly phase frequencies).
"""

from __future__ import annotations

import math

import numpy as np

from openphm.core.errors import ConfigError

__all__ = [
    "assembly_phase_passing_frequency",
    "gear_mesh_frequency",
    "hunting_tooth_frequency",
    "mating_shaft_hz",
    "mesh_sidebands",
]


def _teeth(z: int, name: str) -> int:
    if isinstance(z, bool) or int(z) != z or int(z) < 1:
        raise ConfigError(f"{name} must be a whole number of teeth >= 1, got {z!r}")
    return int(z)


def _hz(f: float, name: str) -> float:
    x = float(f)
    if not (math.isfinite(x) and x > 0.0):
        raise ConfigError(f"{name} must be a positive frequency in Hz, got {f!r}")
    return x


def gear_mesh_frequency(n_teeth: int, shaft_hz: float) -> float:
    """Gear mesh frequency ``f_m = z f`` in Hz.

    Parameters
    ----------
    n_teeth : int
        Number of teeth of the gear on the shaft.
    shaft_hz : float
        Rotational speed of that shaft in Hz.

    Returns
    -------
    float
        Mesh frequency in Hz.

    Examples
    --------
    >>> gear_mesh_frequency(23, 25.0)
    575.0
    """
    return _teeth(n_teeth, "number of teeth") * _hz(shaft_hz, "shaft speed")


def mating_shaft_hz(z_driver: int, z_driven: int, driver_shaft_hz: float) -> float:
    """Speed of the driven shaft of a gear pair, ``f2 = f1 z1 / z2`` in Hz.

    Parameters
    ----------
    z_driver : int
        Teeth of the driving gear.
    z_driven : int
        Teeth of the driven gear.
    driver_shaft_hz : float
        Speed of the driving shaft in Hz.

    Returns
    -------
    float
        Speed of the driven shaft in Hz.

    Examples
    --------
    >>> mating_shaft_hz(20, 50, 25.0)
    10.0
    """
    z1, z2 = _teeth(z_driver, "driver teeth"), _teeth(z_driven, "driven teeth")
    return _hz(driver_shaft_hz, "driver shaft speed") * z1 / z2


def mesh_sidebands(gmf_hz: float, shaft_hz: float, n: int = 3) -> np.ndarray:
    """Sidebands ``f_m +/- k f_s`` (k = 1..n) of a mesh frequency modulated by one shaft.

    Parameters
    ----------
    gmf_hz : float
        Mesh frequency (or one of its harmonics) in Hz.
    shaft_hz : float
        Speed of the modulating shaft in Hz.
    n : int
        Number of sideband pairs, >= 1.

    Returns
    -------
    numpy.ndarray
        ``2 n`` frequencies in Hz, ascending: ``f_m - n f_s ... f_m - f_s, f_m + f_s ...
        f_m + n f_s`` (the carrier itself is not included).

    Examples
    --------
    >>> mesh_sidebands(575.0, 25.0, n=2)
    array([525., 550., 600., 625.])
    """
    count = _teeth(n, "number of sideband pairs")
    carrier, fs = _hz(gmf_hz, "mesh frequency"), _hz(shaft_hz, "shaft speed")
    if count * fs >= carrier:
        raise ConfigError(
            f"{count} sidebands of {fs} Hz around {carrier} Hz reach 0 Hz; use fewer sidebands"
        )
    k = np.arange(1, count + 1, dtype=float)
    return np.concatenate([carrier - k[::-1] * fs, carrier + k * fs])


def hunting_tooth_frequency(z_pinion: int, z_gear: int, pinion_shaft_hz: float) -> float:
    """Hunting-tooth frequency: how often a given pair of teeth meets, in Hz.

    ``f_ht = f_m / lcm(z1, z2) = f1 gcd(z1, z2) / z2`` with ``f_m = z1 f1``.

    Parameters
    ----------
    z_pinion : int
        Teeth of the pinion (z1).
    z_gear : int
        Teeth of the gear (z2).
    pinion_shaft_hz : float
        Pinion shaft speed f1 in Hz.

    Returns
    -------
    float
        Hunting-tooth frequency in Hz.

    Examples
    --------
    With 20 and 50 teeth (gcd 10) on a 25 Hz pinion: the mesh frequency is 500 Hz and the same
    two teeth meet every lcm = 100 meshes.

    >>> hunting_tooth_frequency(20, 50, 25.0)
    5.0
    """
    z1, z2 = _teeth(z_pinion, "pinion teeth"), _teeth(z_gear, "gear teeth")
    return gear_mesh_frequency(z1, pinion_shaft_hz) / math.lcm(z1, z2)


def assembly_phase_passing_frequency(z_pinion: int, z_gear: int, pinion_shaft_hz: float) -> float:
    """Assembly phase passing frequency ``f_m / N_a`` with ``N_a = gcd(z1, z2)``, in Hz.

    Parameters
    ----------
    z_pinion : int
        Teeth of the pinion (z1).
    z_gear : int
        Teeth of the gear (z2).
    pinion_shaft_hz : float
        Pinion shaft speed f1 in Hz.

    Returns
    -------
    float
        Assembly phase passing frequency in Hz (equals the mesh frequency when the tooth
        numbers share no factor).

    Examples
    --------
    >>> assembly_phase_passing_frequency(20, 50, 25.0)
    50.0
    """
    z1, z2 = _teeth(z_pinion, "pinion teeth"), _teeth(z_gear, "gear teeth")
    return gear_mesh_frequency(z1, pinion_shaft_hz) / math.gcd(z1, z2)
