"""Narrow-band amplitude and phase demodulation around a mesh harmonic of an average revolution.

A gear's mesh in its time-synchronous average is a carrier at order ``k z`` modulated by the
teeth: a damaged tooth makes a dip or bump in the amplitude and a jump in the phase at its
angle. Keeping the orders ``k z - z/2 .. k z + z/2`` (the sidebands of the harmonic, not the
neighbouring harmonics), forming the analytic signal and removing the carrier gives both
(McFadden 1986, "Detecting fatigue cracks in gears by amplitude and phase demodulation of the
meshing vibration", J. Vib. Acoust. Stress Reliab. Des. 108(2) 165-170).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_positive_int, as_signal, frozen_copy

__all__ = ["MeshDemodulation", "demodulate_mesh"]


@dataclass(frozen=True)
class MeshDemodulation:
    """Amplitude and phase modulation of one mesh harmonic over one revolution.

    Parameters
    ----------
    amplitude : numpy.ndarray
        Instantaneous amplitude of the harmonic (unit of the signal), one value per sample of
        the revolution.
    phase_rad : numpy.ndarray
        Phase modulation in radians: the unwrapped phase less the carrier ``2 pi k z theta`` and
        its mean.
    order : int
        Order of the carrier (``k z``).
    """

    amplitude: FloatArray
    phase_rad: FloatArray
    order: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "amplitude", frozen_copy(self.amplitude))
        object.__setattr__(self, "phase_rad", frozen_copy(self.phase_rad))

    @property
    def angle_rev(self) -> FloatArray:
        """Angle of each sample in revolutions, 0 .. 1."""
        return np.arange(self.amplitude.size) / self.amplitude.size


def demodulate_mesh(
    average: npt.ArrayLike, mesh_order: int, harmonic: int = 1, half_band: int | None = None
) -> MeshDemodulation:
    """Amplitude and phase demodulation of mesh harmonic ``harmonic`` of an average revolution.

    Parameters
    ----------
    average : array_like
        One average revolution (samples uniformly in angle).
    mesh_order : int
        Mesh order ``z`` on the averaged shaft (the gear's tooth count).
    harmonic : int, default 1
        Which mesh harmonic ``k`` to demodulate.
    half_band : int, optional
        Sideband orders kept each side of the carrier; default ``(z - 1) // 2`` (up to half way
        to the neighbouring harmonics).

    Returns
    -------
    MeshDemodulation
        Amplitude and phase modulation over the revolution.

    Examples
    --------
    >>> theta = np.arange(512) / 512
    >>> am = 1.0 + 0.5 * np.cos(2 * np.pi * theta)
    >>> d = demodulate_mesh(am * np.cos(2 * np.pi * 30 * theta), 30)
    >>> bool(np.allclose(d.amplitude, am)), bool(np.abs(d.phase_rad).max() < 1e-9)
    (True, True)
    """
    x = as_signal(average, "average", min_len=8)
    z = as_positive_int(mesh_order, "mesh_order", minimum=2)
    k = as_positive_int(harmonic, "harmonic")
    width = (z - 1) // 2 if half_band is None else as_positive_int(half_band, "half_band")
    carrier = k * z
    n = x.size
    if carrier + width >= n // 2:
        raise ConfigError(
            f"average: {n} samples per revolution cannot hold order {carrier} with {width} "
            "sideband orders; use a lower harmonic or more samples per revolution"
        )
    spec = np.fft.fft(x)
    shifted = np.zeros(n, dtype=complex)
    for m in range(-width, width + 1):
        shifted[m % n] = 2.0 * spec[carrier + m] / n
    baseband = np.fft.ifft(shifted) * n
    phase = np.unwrap(np.angle(baseband))
    return MeshDemodulation(np.abs(baseband), phase - phase.mean(), carrier)
