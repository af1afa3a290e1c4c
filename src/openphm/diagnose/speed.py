"""The shaft speed a diagnosis uses: given and refined from shaft harmonics, estimated, or
tracked over the record from a tachometer or a speed profile."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import FloatArray
from openphm.diagnose.evidence import prominence_ratio
from openphm.signal.spectrum import amplitude_spectrum

__all__ = ["SpeedEstimate", "SpeedTrack", "shaft_speed"]

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


@dataclass(frozen=True)
class SpeedTrack:
    """How the shaft turned during a record: tachometer pulses or a speed profile.

    Give one to :func:`openphm.diagnose.diagnose_bearing` for records at varying speed (run-ups,
    wind turbines, shearers); the diagnosis then order-tracks the squared envelope.

    Parameters
    ----------
    tacho_pulses_s : array_like, optional
        Tachometer pulse times in s from the first sample (see
        :func:`openphm.signal.order.tacho_pulse_times`), strictly increasing.
    speed_profile_hz : array_like, optional
        Shaft speed in Hz at every sample of the record. Give exactly one of the two.
    pulses_per_rev : int, default 1
        Tachometer pulses per shaft revolution (1 for a once-per-rev key, more for an encoder).
    origin : str, optional
        Where a profile comes from, in words (for example "from channel rpm"); diagnoses quote
        it.

    Examples
    --------
    >>> track = SpeedTrack(tacho_pulses_s=np.arange(0.0, 2.0, 0.04))
    >>> round(track.estimate(20000, 10000.0).speed_hz, 3)
    25.0
    """

    tacho_pulses_s: FloatArray | None = None
    speed_profile_hz: FloatArray | None = None
    pulses_per_rev: int = 1
    origin: str = ""

    def __post_init__(self) -> None:
        if (self.tacho_pulses_s is None) == (self.speed_profile_hz is None):
            raise ConfigError("SpeedTrack: give exactly one of tacho_pulses_s and speed_profile_hz")
        if int(self.pulses_per_rev) != self.pulses_per_rev or self.pulses_per_rev < 1:
            raise ConfigError(
                "SpeedTrack: pulses_per_rev must be a positive integer, got "
                f"{self.pulses_per_rev!r}"
            )
        for name in ("tacho_pulses_s", "speed_profile_hz"):
            value = getattr(self, name)
            if value is not None:
                arr = np.array(value, dtype=np.float64).ravel()
                arr.setflags(write=False)
                object.__setattr__(self, name, arr)

    @property
    def source(self) -> str:
        """Where the track comes from, in words."""
        if self.tacho_pulses_s is not None:
            return f"tachometer, {self.pulses_per_rev} pulse(s) per revolution"
        return f"speed profile {self.origin}".strip()

    def speeds_hz(self, n_samples: int, fs: float) -> tuple[float, float, float, float]:
        """Revolutions covered and the mean, lowest and highest shaft speed.

        Parameters
        ----------
        n_samples : int
            Samples in the record.
        fs : float
            Sampling rate in Hz.

        Returns
        -------
        (float, float, float, float)
            Revolutions between the first and last pulse (or over the whole record), and the
            mean, lowest and highest speed in Hz (the mean is revolutions over the time they
            take).

        Raises
        ------
        DataError
            Pulses that do not increase, fall outside the record or are fewer than two; a
            profile whose length is not the record's or that is not finite and positive.
        """
        duration = (n_samples - 1) / fs
        if self.tacho_pulses_s is not None:
            p = self.tacho_pulses_s
            if p.size < 2 or np.any(np.diff(p) <= 0.0):
                raise DataError("tacho_pulses_s: need at least two strictly increasing pulse times")
            if p[0] < 0.0 or p[-1] > duration:
                raise DataError(
                    f"tacho_pulses_s: pulses from {p[0]:.4g} s to {p[-1]:.4g} s fall outside the "
                    f"record (0 to {duration:.4g} s)"
                )
            revs = (p.size - 1) / self.pulses_per_rev
            _, speeds = self._pulse_speeds()
            return revs, revs / float(p[-1] - p[0]), float(speeds.min()), float(speeds.max())
        v = np.asarray(self.speed_profile_hz)
        if v.size != n_samples:
            raise DataError(
                f"speed_profile_hz: {v.size} values for a record of {n_samples} samples; give one "
                "speed per sample"
            )
        if not np.all(np.isfinite(v)) or np.any(v <= 0.0):
            raise DataError("speed_profile_hz: shaft speed must be finite and positive everywhere")
        revs = float(np.sum(0.5 * (v[1:] + v[:-1]))) / fs
        return revs, revs / duration, float(v.min()), float(v.max())

    def _pulse_speeds(self) -> tuple[FloatArray, FloatArray]:
        """Speed over each whole revolution between pulses (an encoder's single gaps jitter)."""
        p = self.tacho_pulses_s
        assert p is not None
        step = self.pulses_per_rev if p.size > self.pulses_per_rev else 1
        span = (p[step:] - p[:-step]) * self.pulses_per_rev / step
        return 0.5 * (p[step:] + p[:-step]), 1.0 / span

    def curve(self, n_samples: int, fs: float) -> tuple[FloatArray, FloatArray]:
        """The speed over the record, for plots.

        Parameters
        ----------
        n_samples : int
            Samples in the record.
        fs : float
            Sampling rate in Hz.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            Times in s and speeds in Hz: every sample of a profile, or the speed over each
            revolution between tachometer pulses, at its middle.
        """
        self.speeds_hz(n_samples, fs)  # validates the track against the record
        if self.tacho_pulses_s is not None:
            return self._pulse_speeds()
        assert self.speed_profile_hz is not None
        return np.arange(n_samples) / fs, self.speed_profile_hz

    def estimate(self, n_samples: int, fs: float) -> SpeedEstimate:
        """The mean speed as a :class:`SpeedEstimate` for the order-tracked diagnosis.

        Parameters
        ----------
        n_samples : int
            Samples in the record.
        fs : float
            Sampling rate in Hz.

        Returns
        -------
        SpeedEstimate
            Mean speed; the source names the track and the speed range; the uncertainty is
            0.002 for a tachometer (the angle is measured) and 0.01 for a profile (as for a
            given speed that the signal does not refine).
        """
        _, mean, lo, hi = self.speeds_hz(n_samples, fs)
        uncertainty = 0.002 if self.tacho_pulses_s is not None else 0.01
        return SpeedEstimate(
            mean, f"order-tracked from {self.source}; {lo:.3f}-{hi:.3f} Hz", uncertainty
        )


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
