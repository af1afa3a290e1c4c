"""Gear condition indicators of a time-synchronous average: FM0, FM4, NA4, NB4, M6A, M8A, ER, SLF.

The average revolution of a gear's shaft (:func:`openphm.signal.tsa.time_synchronous_average`)
holds the gear's mesh at order ``z`` (its tooth count) and harmonics. It splits into (Lebold,
McClintic, Campbell, Byington & Maynard 2000, "Review of vibration analysis methods for gearbox
diagnostics and prognostics", Proc. 54th Meeting of the Society for Machinery Failure
Prevention Technology, 623-634; Zakrajsek, Townsend & Decker 1993, NASA TM-105950):

- the *regular* signal: the mesh harmonics (orders ``k z``);
- the *residual* signal: the average less the shaft orders 1..``shaft_orders`` and the mesh
  harmonics; a damaged tooth leaves a short event here;
- the *difference* signal: the residual less the first-order sidebands of the mesh harmonics.

The indicators, with ``d`` the difference signal, ``r`` the residual, ``N`` samples:

- FM0 = peak-to-peak of the average / sum of the mesh-harmonic amplitudes (Stewart 1977);
- FM4 = ``N sum (d - mean d)^4 / (sum (d - mean d)^2)^2`` (3 for Gaussian noise);
- NA4 = ``N sum (r - mean r)^4 / (N * var_ref)^2`` with ``var_ref`` the residual variance of a
  healthy reference (Zakrajsek 1993; FM4 of the residual when no reference is given);
- NB4 = the same statistic on the envelope of the band around the fundamental mesh;
- M6A = ``N^2 sum d^6 / (sum d^2)^3`` and M8A = ``N^3 sum d^8 / (sum d^2)^4`` (Martin 1989);
- ER (energy ratio) = RMS of ``d`` / RMS of the regular signal;
- SLF (sideband level factor) = sum of the two first-order sideband amplitudes of the
  fundamental mesh / standard deviation of the average.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_positive_int, as_signal, frozen_copy

__all__ = ["GearIndicators", "GearSignals", "gear_indicators", "gear_signals"]


@dataclass(frozen=True)
class GearSignals:
    """The regular, residual and difference signals of one average revolution.

    Parameters
    ----------
    average : numpy.ndarray
        The average revolution (unit of the signal).
    regular : numpy.ndarray
        Mesh harmonics only.
    residual : numpy.ndarray
        Average less shaft orders and mesh harmonics.
    difference : numpy.ndarray
        Residual less the first-order sidebands of the mesh harmonics.
    mesh_order : int
        Mesh order on the averaged shaft (its tooth count).
    """

    average: FloatArray
    regular: FloatArray
    residual: FloatArray
    difference: FloatArray
    mesh_order: int

    def __post_init__(self) -> None:
        for name in ("average", "regular", "residual", "difference"):
            object.__setattr__(self, name, frozen_copy(getattr(self, name)))


def _mesh_mask(n_orders: int, z: int, width: int) -> npt.NDArray[np.bool_]:
    """Orders within ``width`` of a mesh harmonic ``k z`` (k >= 1)."""
    o = np.arange(n_orders)
    dist = np.abs(((o + z // 2) % z) - z // 2)
    return (dist <= width) & (o >= z - width)


def gear_signals(
    average: npt.ArrayLike,
    mesh_order: int,
    shaft_orders: int = 2,
    other_meshes: Sequence[int] = (),
) -> GearSignals:
    """Split an average revolution into regular, residual and difference signals.

    Parameters
    ----------
    average : array_like
        One average revolution, at least ``4 mesh_order`` samples (mesh and its first harmonic
        below the angular Nyquist order).
    mesh_order : int
        Mesh order on this shaft: the tooth count of the gear on it.
    shaft_orders : int, default 2
        Shaft orders ``1..shaft_orders`` removed from the residual (unbalance, misalignment).
    other_meshes : sequence of int
        Orders of other meshes locked to the same shaft (a second gear on it): their
        harmonics are removed like the gear's own (with their first-order sidebands from the
        difference signal), and kept out of the regular signal.

    Returns
    -------
    GearSignals
        The three signals, each as long as ``average``.

    Examples
    --------
    >>> theta = np.arange(256) / 256
    >>> tsa = np.sin(2 * np.pi * 20 * theta) + 0.1 * np.sin(2 * np.pi * 7 * theta)
    >>> s = gear_signals(tsa, 20)
    >>> bool(np.allclose(s.regular, np.sin(2 * np.pi * 20 * theta)))
    True
    >>> bool(np.allclose(s.residual, 0.1 * np.sin(2 * np.pi * 7 * theta)))
    True
    """
    x = as_signal(average, "average", min_len=8)
    z = as_positive_int(mesh_order, "mesh_order", minimum=2)
    if x.size < 4 * z:
        raise ConfigError(
            f"average: {x.size} samples per revolution cannot hold mesh order {z} and its "
            f"harmonic; need at least {4 * z}"
        )
    spec = np.fft.rfft(x - x.mean())
    n_orders = spec.size
    mesh = _mesh_mask(n_orders, z, 0)
    side = _mesh_mask(n_orders, z, 1) & ~mesh
    others = np.zeros(n_orders, dtype=bool)
    for zo in other_meshes:
        zo = as_positive_int(zo, "other_meshes", minimum=2)
        others |= _mesh_mask(n_orders, zo, 0)
        side |= _mesh_mask(n_orders, zo, 1)
    shaft = np.arange(n_orders) <= as_positive_int(shaft_orders, "shaft_orders", minimum=0)
    regular = np.fft.irfft(np.where(mesh, spec, 0.0), x.size)
    removed = mesh | others | shaft
    residual = np.fft.irfft(np.where(removed, 0.0, spec), x.size)
    difference = np.fft.irfft(np.where(removed | side, 0.0, spec), x.size)
    return GearSignals(x, regular, residual, difference, z)


@dataclass(frozen=True)
class GearIndicators(Serializable):
    """Condition indicators of one gear (dimensionless; see the module docstring).

    Parameters
    ----------
    fm0 : float
        Peak-to-peak over the sum of mesh-harmonic amplitudes.
    fm4 : float
        Normalised kurtosis of the difference signal.
    na4 : float
        Kurtosis of the residual normalised by the reference variance.
    nb4 : float
        Kurtosis of the mesh band's envelope normalised by the reference variance.
    m6a : float
        Sixth normalised moment of the difference signal.
    m8a : float
        Eighth normalised moment of the difference signal.
    energy_ratio : float
        RMS of the difference signal over RMS of the regular signal.
    sideband_level : float
        First-order sidebands of the fundamental mesh over the average's standard deviation.
    residual_variance : float
        Variance of the residual (unit squared), the reference of later NA4 values.
    envelope_variance : float
        Variance of the mesh band's envelope (unit squared), the reference of NB4.
    """

    fm0: float
    fm4: float
    na4: float
    nb4: float
    m6a: float
    m8a: float
    energy_ratio: float
    sideband_level: float
    residual_variance: float
    envelope_variance: float


def _moment_ratio(x: FloatArray, power: int, variance: float | None = None) -> float:
    d = x - x.mean()
    var = float(np.mean(d**2)) if variance is None else variance
    if var <= 0.0:
        return float("nan")
    return float(np.mean(d**power) / var ** (power // 2))


def gear_indicators(
    signals: GearSignals,
    *,
    reference_residual_variance: float | None = None,
    reference_envelope_variance: float | None = None,
) -> GearIndicators:
    """FM0, FM4, NA4, NB4, M6A, M8A, energy ratio and sideband level factor of one gear.

    Parameters
    ----------
    signals : GearSignals
        The split average (:func:`gear_signals`).
    reference_residual_variance : float, optional
        Residual variance of the gear in a healthy reference state (unit squared); NA4 is
        normalised by it (Zakrajsek 1993). Default: the residual's own variance.
    reference_envelope_variance : float, optional
        Same for NB4's envelope.

    Returns
    -------
    GearIndicators
        The indicators and the two variances a later record may be normalised by.

    Examples
    --------
    >>> theta = np.arange(512) / 512
    >>> tsa = np.sin(2 * np.pi * 25 * theta)
    >>> tsa[100:104] += 2.0  # one damaged tooth
    >>> ind = gear_indicators(gear_signals(tsa, 25))
    >>> bool(ind.fm4 > 10.0)
    True
    """
    s = signals
    spec = np.fft.rfft(s.average - s.average.mean())
    amp = 2.0 * np.abs(spec) / s.average.size
    z = s.mesh_order
    harmonics = amp[z::z]
    fm0 = float(np.ptp(s.average) / max(float(harmonics.sum()), 1e-300))
    band = np.zeros_like(spec)
    lo, hi = z - z // 2 + 1, min(z + z // 2, spec.size - 1)
    band[lo : hi + 1] = spec[lo : hi + 1]
    band[z] = 0.0
    analytic = np.fft.ifft(np.concatenate([2.0 * band, np.zeros(s.average.size - band.size)]))
    env = np.abs(analytic)
    res_var = float(np.var(s.residual))
    env_var = float(np.var(env))
    regular_rms = float(np.sqrt(np.mean(s.regular**2)))
    std = float(np.std(s.average))
    return GearIndicators(
        fm0=fm0,
        fm4=_moment_ratio(s.difference, 4),
        na4=_moment_ratio(s.residual, 4, reference_residual_variance),
        nb4=_moment_ratio(env, 4, reference_envelope_variance),
        m6a=_moment_ratio(s.difference, 6),
        m8a=_moment_ratio(s.difference, 8),
        energy_ratio=float(np.sqrt(np.mean(s.difference**2)) / max(regular_rms, 1e-300)),
        sideband_level=float((amp[z - 1] + amp[z + 1]) / max(std, 1e-300)),
        residual_variance=res_var,
        envelope_variance=env_var,
    )
