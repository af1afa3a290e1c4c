"""The shaft speed a diagnosis uses: given and refined from shaft harmonics, estimated, or
tracked over the record from a tachometer or a speed profile."""

from __future__ import annotations

import math
from collections.abc import Sequence
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
#: Relative search range around a given speed: tachometer error and drift, and the slip of an
#: induction motor (its rated speed lies 1-5 % under the synchronous one, and the speed under
#: load between the two), so that a nameplate or synchronous speed may be given.
GIVEN_SPEED_RANGE = 0.05
#: Search range in Hz when no speed is given.
ESTIMATE_RANGE_HZ = (2.0, 120.0)
#: Mains frequencies, Hz: lines at their exact multiples are electrical (magnetic forces,
#: interference), never an induction machine's shaft harmonics, which slip below them.
MAINS_HZ = (50.0, 60.0)
#: Relative range searched around a sub-multiple of the strongest comb.
SUBHARMONIC_RANGE = 0.002
#: Relative range searched around the strongest comb divided by a fault order (slip).
FAULT_SLIP_RANGE = 0.015
#: A rival fundamental's harmonic closer than this (in multiples of the strongest comb) to a
#: line of the strongest comb adds nothing new.
NEW_LINE_DISTANCE = 0.05
#: Mean prominence that the lines a lower fundamental adds must reach for it to replace the
#: strongest comb as the estimated speed.
RIVAL_COMB_RATIO = 3.0
#: ... and at least this fraction (geometric mean) of the strongest comb's prominence: a few
#: weak low-frequency lines do not make a shaft.
RIVAL_COMB_SHARE = 0.1
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
        ``"given; no clear shaft harmonics ..."``, ``"given, refined from shaft harmonics"`` or
        ``"estimated from shaft harmonics..."`` (with a note on how the comb was read).
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


HARMONICS = np.arange(1, N_HARMONICS + 1)


def _comb(
    log_ratio: FloatArray,
    df: float,
    candidates: FloatArray,
    harmonics: npt.NDArray[np.int_] = HARMONICS,
) -> FloatArray:
    """Mean log prominence of the given harmonics of each candidate fundamental."""
    idx = np.rint(np.outer(candidates, harmonics) / df).astype(np.intp)
    idx = np.clip(idx, 0, log_ratio.size - 1)
    return np.asarray(log_ratio[idx].mean(axis=1), dtype=np.float64)


def _best_near(
    log_ratio: FloatArray,
    df: float,
    centre_hz: float,
    rel: float,
    harmonics: npt.NDArray[np.int_] = HARMONICS,
) -> tuple[float, float]:
    """The fundamental within ``centre_hz * (1 +- rel)`` whose comb is strongest, and its comb."""
    grid = np.arange(centre_hz * (1.0 - rel), centre_hz * (1.0 + rel), df / (2.0 * N_HARMONICS))
    comb = _comb(log_ratio, df, grid, harmonics)
    best = int(np.argmax(comb))
    return float(grid[best]), float(comb[best])


def _estimate(
    log_ratio: FloatArray, df: float, top_hz: float, fault_orders: Sequence[float]
) -> tuple[float, str]:
    """Shaft speed from the spectrum alone, and a note on how it was read.

    The strongest comb is not always the shaft's: (1) when its odd harmonics are missing it is
    half the speed, so the speed doubles; (2) when a lower fundamental explains new lines of its
    own, either at the strongest comb divided by a fault order (the comb is then a bearing's
    impact train, far stronger than the shaft's in a faulty bearing's spectrum) or at a half or
    a third of it (the comb is a multiple of the speed), that fundamental is the speed. Its
    new lines (harmonics the strongest comb does not hold) must average
    :data:`RIVAL_COMB_RATIO` over the floor and :data:`RIVAL_COMB_SHARE` of the strongest
    comb's prominence.
    """
    grid = np.arange(ESTIMATE_RANGE_HZ[0], top_hz, df / (2.0 * N_HARMONICS))
    speed = float(grid[int(np.argmax(_comb(log_ratio, df, grid)))])
    note = ""
    odd = HARMONICS % 2 == 1
    floor = math.log(MIN_COMB_RATIO)
    while 2.0 * speed <= top_hz:
        idx = np.clip(np.rint(speed * HARMONICS / df).astype(np.intp), 0, log_ratio.size - 1)
        if log_ratio[idx[odd]].mean() >= floor or log_ratio[idx[~odd]].mean() < floor:
            break
        speed = _best_near(log_ratio, df, 2.0 * speed, SUBHARMONIC_RANGE)[0]
        note = "; odd harmonics missing at half this speed"
    orders = tuple(fault_orders)
    for _ in range(2):
        rivals = []
        for divisor in (*orders, 2.0, 3.0):
            fundamental = speed / divisor
            if fundamental < ESTIMATE_RANGE_HZ[0]:
                continue
            # Only the rival's harmonics that the strongest comb does not already hold count.
            multiple = HARMONICS / divisor
            new = HARMONICS[np.abs(multiple - np.rint(multiple)) > NEW_LINE_DISTANCE]
            rel = SUBHARMONIC_RANGE if divisor in (2.0, 3.0) else FAULT_SLIP_RANGE
            rivals.append((*_best_near(log_ratio, df, fundamental, rel, new), divisor))
        strongest_comb = _best_near(log_ratio, df, speed, SUBHARMONIC_RANGE)[1]
        need = max(math.log(RIVAL_COMB_RATIO), strongest_comb + math.log(RIVAL_COMB_SHARE))
        found = [r for r in rivals if r[1] >= need]
        if not found:
            break
        fundamental, _, divisor = max(found, key=lambda r: r[1])
        strongest = speed
        speed = _best_near(log_ratio, df, fundamental, SUBHARMONIC_RANGE)[0]
        what = "a multiple" if divisor in (2.0, 3.0) else "a bearing fault frequency"
        if divisor not in (2.0, 3.0):
            orders = ()  # a fault frequency of a fault frequency is not a shaft speed
        note = (
            f"; the strongest comb, {strongest:.2f} Hz, is {strongest / speed:.3f} x this "
            f"speed, read as {what}"
        )
    return speed, note


def _without_mains(ratio: FloatArray, df: float) -> FloatArray:
    """Prominence ratios with the lines at exact multiples of the mains frequencies flattened.

    The bin of each multiple counts as flat, and so do its neighbours where they are lower
    (the skirt a strong electrical line spreads over its window's main lobe); a neighbour
    higher than the multiple's bin is a line of its own (a shaft harmonic just below it).
    """
    out = ratio.copy()
    top = (ratio.size - 1) * df
    for mains in MAINS_HZ:
        lines = np.rint(np.arange(mains, top, mains) / df).astype(np.intp)
        for side in (-1, 1):
            near = np.clip(lines + side, 0, ratio.size - 1)
            skirt = near[ratio[near] < ratio[lines]]
            out[skirt] = 1.0
        out[lines] = 1.0
    return out


def _check_rate(fs: float, given_hz: float | None) -> None:
    """Refuse, before any spectrum is computed, a speed the sampling rate cannot show."""
    nyquist = fs / 2.0
    if given_hz is not None and given_hz * (1.0 + GIVEN_SPEED_RANGE) >= nyquist:
        raise DataError(
            f"shaft speed {given_hz:.6g} Hz ({60.0 * given_hz:.6g} r/min) is not below half the "
            f"sampling rate ({nyquist:.6g} Hz): the record cannot show it; check the speed "
            "(--rpm is in r/min) and the sampling rate (--fs is in Hz)"
        )
    if given_hz is None and nyquist <= N_HARMONICS * ESTIMATE_RANGE_HZ[0]:
        raise DataError(
            f"sampling rate {fs:.6g} Hz is too low to estimate the shaft speed from its "
            f"harmonics (at least {2 * N_HARMONICS * ESTIMATE_RANGE_HZ[0]:g} Hz is needed); "
            "check the sampling rate (--fs is in Hz)"
        )


def shaft_speed(
    x: npt.ArrayLike,
    fs: float,
    given_hz: float | None = None,
    fault_orders: Sequence[float] = (),
) -> SpeedEstimate:
    """Refine a given shaft speed, or estimate it, from the harmonics of the shaft speed.

    Parameters
    ----------
    x : array_like
        Vibration samples (raw, not pre-whitened: the shaft harmonics are what is sought); or
        snapshots of one length, one per row, whose power spectra are averaged (a machine at
        one speed).
    fs : float
        Sampling rate in Hz.
    given_hz : float, optional
        Shaft speed stated by the user or the file, Hz. ``None`` estimates it.
    fault_orders : sequence of float, optional
        Fault frequencies of the bearings heard, in orders of the shaft speed (BPFO, BPFI,
        2xBSF): an estimate checks whether the strongest comb is one of them rather than the
        shaft's (a faulty bearing's impact train often outshines the shaft harmonics).

    Returns
    -------
    SpeedEstimate
        The speed maximising the mean log prominence of the first 8 shaft harmonics in the
        amplitude spectrum (a harmonic-comb search, the logarithm playing the role of the
        harmonic product spectrum of Schroeder 1968), within +-5 % of ``given_hz``, or over
        2-120 Hz. An estimate ignores lines at exact multiples of the mains frequencies
        (:data:`MAINS_HZ`; a synchronous machine at exactly a sub-multiple of the mains loses
        those harmonics); the strongest comb gives way to twice its frequency when its odd
        harmonics are missing (it was half the speed), and to a lower fundamental with strong
        lines of its own when it is a fault order or a multiple of that fundamental (see
        ``_estimate``). A given speed is kept unchanged when the comb is weak (mean ratio
        below 2). On the 114 CWRU channels an estimate is within 1 % on 92 knowing both
        bearings of the motor, 74 knowing the sensor's bearing, 55 knowing none
        (docs/benchmarks.md); it can still lock on a multiple of the speed or on a line family
        of another source: give the speed.

    Raises
    ------
    ConfigError
        ``given_hz`` is not a positive finite number, or no speed is given and none can be
        found.
    DataError
        The sampling rate cannot show the speed given (it is not below half the rate), or is
        too low to estimate one (refused before any spectrum is computed).

    Examples
    --------
    >>> fs = 2000.0
    >>> t = np.arange(20000) / fs
    >>> x = sum(np.sin(2 * np.pi * k * 25.3 * t) / k for k in range(1, 9))
    >>> round(shaft_speed(x, fs, given_hz=25.0).speed_hz, 1)
    25.3
    >>> round(shaft_speed(x, fs).speed_hz, 1)
    25.3
    """
    if given_hz is not None and not (np.isfinite(given_hz) and given_hz > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of Hz, got {given_hz!r}")
    _check_rate(fs, given_hz)
    rows = np.atleast_2d(np.asarray(x, dtype=np.float64))
    power = None
    for row in rows:
        spec = amplitude_spectrum(row, fs)
        power = spec.values**2 if power is None else power + spec.values**2
    assert power is not None
    df = float(spec.freqs_hz[1] - spec.freqs_hz[0])
    amplitude = spec.values if rows.shape[0] == 1 else np.sqrt(power / rows.shape[0])
    ratio = prominence_ratio(amplitude, df, floor_width_hz=max(20.0 * df, 5.0))
    if given_hz is not None:
        log_ratio = np.log(np.maximum(ratio, 1e-12))
        speed, comb = _best_near(log_ratio, df, given_hz, GIVEN_SPEED_RANGE)
        if comb >= math.log(MIN_COMB_RATIO):
            return SpeedEstimate(speed, "given, refined from shaft harmonics", 0.002)
        return SpeedEstimate(
            float(given_hz), "given; no clear shaft harmonics within 5 % to confirm it", 0.01
        )
    log_ratio = np.log(np.maximum(_without_mains(ratio, df), 1e-12))
    top = min(ESTIMATE_RANGE_HZ[1], fs / (2.0 * N_HARMONICS))
    speed, note = _estimate(log_ratio, df, top, fault_orders)
    if _best_near(log_ratio, df, speed, 0.001)[1] < math.log(MIN_COMB_RATIO):
        raise ConfigError(
            "no shaft speed given and no clear shaft harmonics in the signal; give the speed"
        )
    return SpeedEstimate(speed, f"estimated from shaft harmonics{note}", 0.005)
