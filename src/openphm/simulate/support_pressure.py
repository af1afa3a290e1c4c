"""Leg pressure of a longwall roof support over its set, yield and lower cycles, with known answers.

A powered roof support (shield) is lowered, advanced behind the shearer and set against the roof
again, once per web; while set, its leg pressure moves with the roof and with the leg's seals:

- setting: the pump raises the leg to the setting pressure (the rated one, or less when the pump,
  the hoses or the valve are weak, or the operator cuts the setting short);
- set: the pressure obeys ``dp/dt = -lambda p + k`` (first order): ``k`` is the load build-up
  from roof convergence (MPa/s) and ``lambda`` the leak of the leg's seals or check valve
  (1/s; 0 when tight), so ``p(t) = k / lambda + (p0 - k / lambda) exp(-lambda t)``;
- yield: when the pressure reaches the yield valve's pressure the valve opens and lets it fall
  by the valve's hysteresis;
- missed advance: the support stays set through a shearer pass instead of being lowered and
  advanced.

The simulator returns the sampled pressure with the true setting pressures, leak rate, yield
events and missed advances, so that :mod:`openphm.diagnose.hydraulic_support` can be tested
against them. Figures are typical of the class (setting about 30 MPa, yield about 40-45 MPa;
the ``hydraulic_roof_support`` profile), not of one face.

References
----------
S. S. Peng, *Longwall Mining*, 3rd ed., CRC Press, 2019, ch. 6 (shield leg pressure cycles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields

__all__ = ["SupportRecord", "SupportScenario", "SupportTruth", "simulate_support"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SupportScenario(Serializable):
    """One support's leg over several advance cycles.

    Parameters
    ----------
    n_cycles : int
        Shearer passes (advance opportunities) simulated.
    cycle_s : float
        Time between passes, s.
    dt_s : float
        Sampling interval of the pressure telemetry, s.
    rated_setting_mpa : float
        Rated setting pressure, MPa.
    setting_ratio : float
        Setting pressure reached, as a fraction of the rated one (1: healthy).
    leak_per_h : float
        Leak rate ``lambda`` of the set leg, 1/h (0: tight).
    convergence_mpa_per_h : float
        Load build-up ``k`` from roof convergence while set, MPa/h.
    yield_mpa : float
        Opening pressure of the yield valve, MPa.
    yield_drop_mpa : float
        Pressure the valve releases when it opens, MPa.
    lowered_mpa : float
        Pressure while lowered and advancing, MPa.
    lower_s, ramp_s : float
        Time lowered (advance included) and time to set, s.
    missed : tuple of int
        Passes (0-based) at which the support is not advanced.
    noise_mpa : float
        Standard deviation of the sensor noise, MPa.
    """

    n_cycles: Annotated[int, Range(ge=1)] = 8
    cycle_s: Annotated[float, Range(gt=0.0)] = 1800.0
    dt_s: Annotated[float, Range(gt=0.0)] = 2.0
    rated_setting_mpa: Annotated[float, Range(gt=0.0)] = 30.0
    setting_ratio: Annotated[float, Range(gt=0.0, le=1.5)] = 1.0
    leak_per_h: Annotated[float, Range(ge=0.0)] = 0.0
    convergence_mpa_per_h: Annotated[float, Range(ge=0.0)] = 4.0
    yield_mpa: Annotated[float, Range(gt=0.0)] = 42.0
    yield_drop_mpa: Annotated[float, Range(gt=0.0)] = 2.0
    lowered_mpa: Annotated[float, Range(ge=0.0)] = 0.5
    lower_s: Annotated[float, Range(gt=0.0)] = 20.0
    ramp_s: Annotated[float, Range(gt=0.0)] = 10.0
    missed: tuple[int, ...] = ()
    noise_mpa: Annotated[float, Range(ge=0.0)] = 0.05

    def __post_init__(self) -> None:
        validate_fields(self)
        if self.lower_s + self.ramp_s >= self.cycle_s:
            raise ConfigError(
                f"SupportScenario: lower_s + ramp_s ({self.lower_s + self.ramp_s:g} s) must be "
                f"shorter than cycle_s ({self.cycle_s:g} s)"
            )
        if any(not 0 < i < self.n_cycles for i in self.missed):
            raise ConfigError(
                f"SupportScenario.missed: passes must lie in 1 ... {self.n_cycles - 1}, "
                f"got {self.missed}"
            )


@dataclass(frozen=True)
class SupportTruth(Serializable):
    """The known answers of a simulated record.

    Parameters
    ----------
    set_times_s : tuple of float
        When each setting ended (the set period starts), s.
    setting_mpa : tuple of float
        Setting pressure reached at each setting, MPa.
    leak_per_h : float
        The leg's leak rate, 1/h.
    yield_times_s : tuple of float
        When the yield valve opened, s.
    missed : tuple of int
        Passes at which the support was not advanced.
    """

    set_times_s: tuple[float, ...]
    setting_mpa: tuple[float, ...]
    leak_per_h: float
    yield_times_s: tuple[float, ...]
    missed: tuple[int, ...]


@dataclass(frozen=True)
class SupportRecord:
    """A simulated leg-pressure record and its answers.

    Parameters
    ----------
    t_s : ndarray
        Sample times, s.
    pressure_mpa : ndarray
        Leg pressure, MPa.
    scenario : SupportScenario
        What was simulated.
    truth : SupportTruth
        The known answers.
    """

    t_s: FloatArray
    pressure_mpa: FloatArray
    scenario: SupportScenario
    truth: SupportTruth


def _set_pressure(p0: float, t: float, lam: float, k: float) -> float:
    """``p(t)`` of ``dp/dt = -lam p + k`` from ``p0``; the linear limit when ``lam = 0``."""
    if lam == 0.0:
        return p0 + k * t
    return p0 * math.exp(-lam * t) - k * math.expm1(-lam * t) / lam


def simulate_support(scenario: SupportScenario, rng: np.random.Generator) -> SupportRecord:
    """Simulate one leg's pressure telemetry over its advance cycles.

    Each pass starts with the leg lowered (``lower_s``), a linear rise to the setting pressure
    (``ramp_s``), then the set period ``dp/dt = -lambda p + k`` until the next pass; a yield
    event lowers the pressure by ``yield_drop_mpa`` each time it reaches ``yield_mpa``. At a
    missed pass the set period simply continues.

    Parameters
    ----------
    scenario : SupportScenario
        What to simulate.
    rng : numpy.random.Generator
        Source of the sensor noise.

    Returns
    -------
    SupportRecord
        Times, pressures and the known answers.

    Examples
    --------
    >>> scenario = SupportScenario(n_cycles=2, leak_per_h=0.5)
    >>> rec = simulate_support(scenario, np.random.default_rng(0))
    >>> len(rec.truth.set_times_s), rec.truth.setting_mpa[0], rec.t_s.size
    (2, 30.0, 1800)
    """
    s = scenario
    lam = s.leak_per_h / 3600.0
    k = s.convergence_mpa_per_h / 3600.0
    t = np.arange(0.0, s.n_cycles * s.cycle_s, s.dt_s)
    p = np.empty(t.size)
    set_times: list[float] = []
    settings: list[float] = []
    yields: list[float] = []
    p_set = s.rated_setting_mpa * s.setting_ratio
    advanced = [i for i in range(s.n_cycles) if i not in s.missed]
    for j, start in enumerate(advanced):
        end = advanced[j + 1] if j + 1 < len(advanced) else s.n_cycles
        t0, t1 = start * s.cycle_s, end * s.cycle_s
        lowered = (t >= t0) & (t < t0 + s.lower_s)
        p[lowered] = s.lowered_mpa
        ramp = (t >= t0 + s.lower_s) & (t < t0 + s.lower_s + s.ramp_s)
        frac = (t[ramp] - t0 - s.lower_s) / s.ramp_s
        p[ramp] = s.lowered_mpa + (p_set - s.lowered_mpa) * frac
        ts = t0 + s.lower_s + s.ramp_s
        set_times.append(ts)
        settings.append(p_set)
        held = np.flatnonzero((t >= ts) & (t < t1))
        level, since = p_set, ts
        for i in held:
            value = _set_pressure(level, float(t[i]) - since, lam, k)
            if value >= s.yield_mpa:
                yields.append(float(t[i]))
                level, since = s.yield_mpa - s.yield_drop_mpa, float(t[i])
                value = level
            p[i] = value
    noisy = p + rng.normal(0.0, s.noise_mpa, t.size) if s.noise_mpa > 0 else p.copy()
    truth = SupportTruth(
        tuple(set_times), tuple(settings), s.leak_per_h, tuple(yields), tuple(sorted(s.missed))
    )
    return SupportRecord(t, noisy, s, truth)
