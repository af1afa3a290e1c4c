"""A gearbox vibration simulator with known answers: healthy, local tooth and distributed faults.

The signal at a casing accelerometer is the sum, over the stages of a
:class:`~openphm.knowledge.gear_train.GearTrain` turning at a constant speed, of:

- the mesh harmonics ``k = 1..3`` of each stage, amplitude ``1/k`` relative to the first, with
  weak amplitude and phase modulation once per turn of each gear (eccentricity, run-out: the
  first-order sidebands every real gear has; Randall 2011, section 2.2.3);
- for a planetary stage, the planets passing the sensor on the ring: each planet's mesh is
  weighted by a window centred where the planet faces the sensor, which puts sidebands at
  multiples of the planet-pass rate ``N f_c`` around the mesh (McFadden & Smith 1985);
- a local tooth fault (crack, chip, broken tooth): once per fault period (its gear's
  :attr:`~openphm.knowledge.gear_train.GearMember.fault_hz`) the mesh amplitude drops over
  about one tooth and an impact excites a structural resonance (the transmission path: a
  single-degree-of-freedom resonator at ``resonance_hz``, 5 % damping);
- distributed wear: the second and third mesh harmonics grow by ``severity`` and each tooth's
  mesh amplitude varies at random from tooth to tooth (the same each turn);
- white Gaussian noise at ``snr_db`` below (negative) or above the gear signal's power.

Everything random comes from the ``rng`` passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import signal as sps

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray, Waveform
from openphm.knowledge.gear_train import GearMember, GearTrain, StageFrequencies

__all__ = ["GearFault", "simulate_gearbox"]

#: Depth of the once-per-turn amplitude modulation of a healthy mesh (fraction).
HEALTHY_AM = 0.05
#: Peak phase modulation of a healthy mesh once per turn, radians.
HEALTHY_PM = 0.05


@dataclass(frozen=True)
class GearFault:
    """A fault put into a simulated gear.

    Parameters
    ----------
    member : str
        Name of the gear (:attr:`~openphm.knowledge.gear_train.GearMember.name`, for example
        ``"hs pinion"`` or ``"planetary sun"``).
    kind : {"tooth", "distributed"}
        One damaged tooth, or distributed wear.
    severity : float, default 1.0
        Tooth: the impact's peak over the mesh amplitude (and the depth of the amplitude drop,
        capped at 0.9). Distributed: the growth of the second and third mesh harmonics
        (0.5 = 50 % larger) and the spread (standard deviation) of the tooth-to-tooth
        amplitude (a fifth of it).
    tooth_angle : float, default 0.25
        Angle of the damaged tooth on its gear, revolutions (0 .. 1).
    """

    member: str
    kind: Literal["tooth", "distributed"]
    severity: float = 1.0
    tooth_angle: float = 0.25


def _member(stages: Sequence[StageFrequencies], name: str) -> tuple[int, GearMember]:
    for i, s in enumerate(stages):
        for m in s.members:
            if m.name == name:
                return i, m
    known = ", ".join(m.name for s in stages for m in s.members)
    raise ConfigError(f"simulate_gearbox: no gear {name!r} in the train; gears: {known}")


def _planet_window(t: FloatArray, f: StageFrequencies, planets: int) -> FloatArray:
    """Sum over planets of a Gaussian window in carrier angle (standard deviation a tenth of
    a turn), 1 when a planet faces the sensor: the transmission path from each planet's
    meshes shortens as it passes (McFadden & Smith 1985)."""
    out = np.zeros_like(t)
    for p in range(planets):
        angle = np.mod(f.carrier_hz * t + p / planets + 0.5, 1.0) - 0.5
        out += np.exp(-0.5 * (angle / 0.1) ** 2)
    return out


def simulate_gearbox(
    train: GearTrain,
    reference_hz: float,
    fs: float,
    duration_s: float,
    rng: np.random.Generator,
    *,
    faults: Sequence[GearFault] = (),
    snr_db: float = 10.0,
    resonance_hz: float | None = None,
) -> Waveform:
    """Simulate a casing accelerometer on a gearbox at constant speed.

    Parameters
    ----------
    train : GearTrain
        The stages (all heard by the sensor, the first stage loudest: stage ``i`` has mesh
        amplitude ``0.7**i``).
    reference_hz : float
        Speed of the train's reference shaft, Hz.
    fs : float
        Sampling rate, Hz (above twice the third harmonic of the highest mesh).
    duration_s : float
        Length, s.
    rng : numpy.random.Generator
        Source of the noise, the phases and the tooth-to-tooth variation.
    faults : sequence of GearFault
        Faults to put in (none: a healthy gearbox).
    snr_db : float, default 10
        Power of the gear signal (faults included) over the noise's, dB.
    resonance_hz : float, optional
        Resonance of the transmission path that impacts excite; default ``0.3 fs``.

    Returns
    -------
    Waveform
        Acceleration (unit ``"m/s^2"``, arbitrary scale), ``speed_hz = reference_hz``.

    Examples
    --------
    >>> from openphm.knowledge.gear_train import GearStage
    >>> train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    >>> w = simulate_gearbox(train, 25.0, 10000.0, 1.0, np.random.default_rng(0))
    >>> w.samples.size, w.speed_hz
    (10000, 25.0)
    """
    stages = train.frequencies(reference_hz)
    top = max(3.0 * s.mesh_hz for s in stages)
    if fs <= 2.0 * top:
        raise ConfigError(
            f"simulate_gearbox: fs {fs:g} Hz is too low for the third mesh harmonic at "
            f"{top:.4g} Hz; use more than {2 * top:.4g} Hz"
        )
    n = round(duration_s * fs)
    if n < 16:
        raise ConfigError(f"simulate_gearbox: duration {duration_s!r} s is too short")
    t = np.arange(n) / fs
    clean = np.zeros(n)
    impacts = np.zeros(n)
    by_stage: dict[int, list[tuple[GearMember, GearFault]]] = {}
    for fault in faults:
        i, member = _member(stages, fault.member)
        by_stage.setdefault(i, []).append((member, fault))
    for i, (spec, f) in enumerate(zip(train.stages, stages, strict=True)):
        level = 0.7**i
        am = np.ones(n)
        pm = np.zeros(n)
        for m in f.members:
            if m.tsa_hz > 0.0:
                phase = rng.uniform(0.0, 2.0 * np.pi)
                am += HEALTHY_AM * np.cos(2.0 * np.pi * m.tsa_hz * t + phase)
                pm += HEALTHY_PM * np.sin(2.0 * np.pi * m.tsa_hz * t + phase)
        growth = np.ones(3)
        for member, fault in by_stage.get(i, []):
            angle = member.tsa_hz * t - fault.tooth_angle
            if fault.kind == "tooth":
                # Distance (in teeth) to the damaged tooth, each time it comes round.
                teeth_away = (np.mod(angle + 0.5, 1.0) - 0.5) * member.teeth
                am *= 1.0 - min(0.9, fault.severity) * np.exp(-0.5 * (teeth_away / 0.5) ** 2)
                period = 1.0 / member.fault_hz
                first = (fault.tooth_angle / member.tsa_hz) % period
                hits = np.arange(first, n / fs, period)
                impacts[np.minimum(np.rint(hits * fs).astype(int), n - 1)] += fault.severity * level
            else:
                growth[1:] += fault.severity
                tooth = np.floor(np.mod(angle, 1.0) * member.teeth).astype(int)
                spread = rng.normal(0.0, 0.2 * fault.severity, member.teeth)
                am *= 1.0 + spread[tooth]
        window = _planet_window(t, f, spec.planets) if spec.kind == "planetary" else np.ones(n)
        for k in range(1, 4):
            phase0 = rng.uniform(0.0, 2.0 * np.pi)
            clean += (
                level
                * growth[k - 1]
                / k
                * window
                * am
                * np.cos(2.0 * np.pi * k * f.mesh_hz * t + k * pm + phase0)
            )
    if impacts.any():
        fn = 0.3 * fs if resonance_hz is None else resonance_hz
        zeta = 0.05
        r = math.exp(-zeta * 2.0 * math.pi * fn / fs)
        theta = 2.0 * math.pi * fn * math.sqrt(1.0 - zeta**2) / fs
        a = [1.0, -2.0 * r * math.cos(theta), r * r]
        ringing = sps.lfilter([1.0 - r], a, impacts)
        clean += ringing * (1.0 / max(float(np.abs(ringing).max()), 1e-300)) * impacts.max()
    noise_rms = float(np.sqrt(np.mean(clean**2))) * 10.0 ** (-snr_db / 20.0)
    return Waveform(
        clean + rng.normal(0.0, noise_rms, n),
        fs=fs,
        unit="m/s^2",
        channel="gearbox",
        speed_hz=reference_hz,
        source="openphm.simulate.gearbox",
    )
