"""Shaft speed from the signal: refine a given speed, or estimate it, from shaft harmonics."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.diagnose.evidence import prominence_ratio
from openphm.signal.spectrum import amplitude_spectrum

__all__ = ["SpeedEstimate", "shaft_speed"]

#: Shaft harmonics summed by the harmonic-comb search.
N_HARMONICS = 8
#: Relative search range around a given speed (covers tachometer error and drift).
GIVEN_SPEED_RANGE = 0.02
#: Search range in Hz when no speed is given.
ESTIMATE_RANGE_HZ = (2.0, 120.0)
#: Mean prominence (ratio to the local floor) the comb must reach to be trusted.
MIN_COMB_RATIO = 2.0


@dataclass(frozen=True)
class SpeedEstimate:
    """The shaft speed used by a diagnosis.

    Parameters
    ----------
    speed_hz : float
        Shaft speed in Hz.
    source : str
        ``"given"``, ``"given, refined from shaft harmonics"`` or
        ``"estimated from shaft harmonics"``.
    uncertainty : float
        Relative uncertainty of ``speed_hz`` that the fault-frequency search must allow for.
    """

    speed_hz: float
    source: str
    uncertainty: float


def _comb(
    ratio: npt.NDArray[np.float64], df: float, candidates: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    k = np.arange(1, N_HARMONICS + 1)
    idx = np.rint(np.outer(candidates, k) / df).astype(np.intp)
    idx = np.clip(idx, 0, ratio.size - 1)
    return np.asarray(np.log(np.maximum(ratio[idx], 1e-12)).mean(axis=1), dtype=np.float64)


def shaft_speed(x: npt.ArrayLike, fs: float, given_hz: float | None = None) -> SpeedEstimate:
    """Refine a given shaft speed, or estimate it, from the harmonics of the shaft speed.

    Parameters
    ----------
    x : array_like
        Vibration samples (raw, not pre-whitened: the shaft harmonics are what is sought).
    fs : float
        Sampling rate in Hz.
    given_hz : float, optional
        Shaft speed stated by the user or the file, Hz. ``None`` estimates it.

    Returns
    -------
    SpeedEstimate
        The speed maximising the mean log prominence of the first 8 shaft harmonics in the
        amplitude spectrum (a harmonic-comb search, the logarithm playing the role of the
        harmonic product spectrum of Schroeder 1968), within +-2 % of ``given_hz`` or over
        2-120 Hz. A given speed is kept unchanged when the comb is weak (mean ratio below 2).
        An estimate may lock on a multiple or fraction of the true speed when some harmonics
        are missing; giving the speed avoids that.

    Raises
    ------
    ConfigError
        ``given_hz`` is not a positive finite number, or no speed is given and none can be
        found.

    Examples
    --------
    >>> fs = 2000.0
    >>> t = np.arange(20000) / fs
    >>> x = sum(np.sin(2 * np.pi * k * 25.3 * t) / k for k in range(1, 6))
    >>> round(shaft_speed(x, fs, given_hz=25.0).speed_hz, 1)
    25.3
    """
    if given_hz is not None and not (np.isfinite(given_hz) and given_hz > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of Hz, got {given_hz!r}")
    spec = amplitude_spectrum(x, fs)
    df = float(spec.freqs_hz[1] - spec.freqs_hz[0])
    ratio = prominence_ratio(spec.values, df, floor_width_hz=max(20.0 * df, 5.0))
    if given_hz is not None:
        lo, hi = given_hz * (1 - GIVEN_SPEED_RANGE), given_hz * (1 + GIVEN_SPEED_RANGE)
    else:
        lo, hi = ESTIMATE_RANGE_HZ[0], min(ESTIMATE_RANGE_HZ[1], fs / (2.0 * N_HARMONICS))
    step = df / (2.0 * N_HARMONICS)
    candidates = np.arange(lo, hi, step)
    comb = _comb(ratio, df, candidates)
    best = int(np.argmax(comb))
    strong = float(np.exp(comb[best])) >= MIN_COMB_RATIO
    if given_hz is not None:
        if strong:
            return SpeedEstimate(
                float(candidates[best]), "given, refined from shaft harmonics", 0.002
            )
        return SpeedEstimate(float(given_hz), "given", 0.01)
    if not strong:
        raise ConfigError(
            "no shaft speed given and no clear shaft harmonics in the signal; give the speed"
        )
    return SpeedEstimate(float(candidates[best]), "estimated from shaft harmonics", 0.005)
