"""Gear diagnosis from physics: which gear, local tooth fault or distributed wear, and why.

For every gear a measurement point hears, the record is averaged synchronously with the rate at
which the gear's teeth all pass the mesh once (its shaft; relative to the carrier in a planetary
stage), so that the gear's mesh sits at the order of its tooth count
(:mod:`openphm.signal.tsa`). Then (Randall 2011, *Vibration-based Condition Monitoring*,
chapter 5; McFadden 1986; Lebold et al. 2000):

- a local tooth fault (crack, chip, broken tooth) is a short event once per turn in the
  difference signal: its kurtosis FM4 is judged against what a Gaussian residual of the same
  spectral shape gives (the false-alarm probability becomes the score, as the bearing evidence's);
  the mesh sidebands at the gear's fault rate are matched in the spectrum of the record with the
  line statistics of :mod:`openphm.diagnose.evidence` and reported with their order and
  prominence; the damaged tooth's angle is where the difference signal's envelope peaks; with
  a :class:`GearBaseline`, the growth of the first-order mesh sidebands (sideband level factor)
  is a second test of the same fault (the tooth score is the better of the two, Bonferroni
  corrected);
- distributed wear (pitting, scuffing, uniform wear) shows as growth of the mesh harmonics:
  judged against a :class:`GearBaseline` learned from the healthy gearbox (without one it is
  not assessed, and the reasons say so).

When the train is unknown, :func:`unknown_train` finds the strongest harmonic family (a mesh)
and the shaft rates whose sidebands the cepstrum shows, and the same analysis runs on them. A
known train without a speed takes it from its mesh lines (:func:`estimate_train_speed`); at
varying speed every gear is averaged along the tachometer angle or speed profile, scaled by its
ratio to the reference shaft.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Annotated

import numpy as np
from scipy import ndimage, special
from scipy import signal as sps

from openphm.core.diagnosis import Diagnosis, Evidence, GearFault, MatchedPeak
from openphm.core.errors import ConfigError, DataError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.evidence import line_p_values, match_pattern, prominence_ratio
from openphm.diagnose.patterns import Line
from openphm.diagnose.speed import SpeedTrack
from openphm.knowledge.gear_train import GearMember, GearTrain
from openphm.signal.cepstrum import real_cepstrum
from openphm.signal.gear_indicators import (
    GearIndicators,
    GearSignals,
    gear_indicators,
    gear_signals,
)
from openphm.signal.order import angle_from_tacho
from openphm.signal.tsa import SynchronousAverage, time_synchronous_average

__all__ = [
    "GearAnalysis",
    "GearBaseline",
    "GearSettings",
    "analyse_gears",
    "common_teeth",
    "diagnose_gear",
    "diagnose_gears",
    "estimate_train_speed",
    "learn_gear_baseline",
    "unknown_train",
]


@dataclass(frozen=True)
class GearSettings(Serializable):
    """The one configuration of the gear diagnosis.

    Parameters
    ----------
    threshold : float, default 3.0
        Score (``-log10`` false-alarm probability) a fault needs for a verdict.
    undetermined_threshold : float, default 1.5
        Best score above which the verdict is "undetermined" rather than "healthy".
    min_revolutions : float, default 20
        Fewest turns of a gear (at its averaging rate) for its synchronous average; gears
        with fewer are not assessed (20 turns lower the non-synchronous noise by 13 dB;
        fewer leave averages whose indicators are mostly noise).
    n_harmonics : int, default 3
        Mesh harmonics whose sidebands are matched and whose growth is judged.
    n_sidebands : int, default 3
        Sideband pairs matched around each mesh harmonic, at the gear's fault rate.
    shaft_orders : int, default 2
        Shaft orders removed from the residual (unbalance, misalignment).
    baseline_floor_db : float, default 1.5
        Smallest spread (one standard deviation, dB) assumed for a baseline's mesh-harmonic
        level, so that a baseline of one or two records does not make every small change a
        fault.
    """

    threshold: Annotated[float, Range(gt=0.0)] = 3.0
    undetermined_threshold: Annotated[float, Range(ge=0.0)] = 1.5
    min_revolutions: Annotated[float, Range(ge=2.0)] = 20.0
    n_harmonics: Annotated[int, Range(ge=1, le=10)] = 3
    n_sidebands: Annotated[int, Range(ge=1, le=20)] = 3
    shaft_orders: Annotated[int, Range(ge=0, le=10)] = 2
    baseline_floor_db: Annotated[float, Range(gt=0.0)] = 1.5

    def __post_init__(self) -> None:
        validate_fields(self)


@dataclass(frozen=True)
class GearAnalysis:
    """What the synchronous average of one gear shows.

    Parameters
    ----------
    member : GearMember
        The gear and its rates at the speed used.
    mesh_hz : float
        Mesh frequency of its stage, Hz.
    average : SynchronousAverage
        The average turn.
    signals : GearSignals
        Regular, residual and difference signals.
    indicators : GearIndicators
        FM0, FM4, NA4, NB4, M6A, M8A, ER, SLF.
    harmonic_db : tuple of float
        Levels of the mesh harmonics in the average, ``20 log10`` of the amplitude (unit of the
        signal).
    impulse_score : float
        ``-log10`` of the probability that a Gaussian difference signal of the same spectral
        shape reaches this FM4.
    tooth_angle_rev : float
        Angle of the difference signal's largest envelope value, revolutions of the gear.
    """

    member: GearMember
    mesh_hz: float
    average: SynchronousAverage
    signals: GearSignals
    indicators: GearIndicators
    harmonic_db: tuple[float, ...]
    impulse_score: float
    tooth_angle_rev: float

    @property
    def tooth(self) -> int:
        """Index of the tooth at :attr:`tooth_angle_rev` (0 .. teeth - 1)."""
        return int(self.tooth_angle_rev * self.member.teeth) % self.member.teeth


@dataclass(frozen=True)
class GearBaseline(Serializable):
    """Mesh-harmonic levels of each gear in the healthy state (see :func:`learn_gear_baseline`).

    Parameters
    ----------
    mean_db : Mapping of str to tuple of float
        Mean level of each mesh harmonic, dB, by gear name.
    std_db : Mapping of str to tuple of float
        Their standard deviation, dB (0 from one record).
    residual_variance : Mapping of str to float
        Mean residual variance of each gear (unit squared), the reference of NA4.
    n_records : int
        Records learned from.
    sideband_mean_db : Mapping of str to float
        Mean sideband level factor of each gear, ``20 log10 SLF`` (dB).
    sideband_std_db : Mapping of str to float
        Its standard deviation, dB.
    """

    mean_db: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    std_db: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    residual_variance: Mapping[str, float] = field(default_factory=dict)
    n_records: int = 0
    sideband_mean_db: Mapping[str, float] = field(default_factory=dict)
    sideband_std_db: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "mean_db",
            "std_db",
            "residual_variance",
            "sideband_mean_db",
            "sideband_std_db",
        ):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


def _impulse_score(difference: FloatArray, fm4: float) -> float:
    """``-log10 P(FM4 >= observed)`` for a Gaussian signal with ``difference``'s spectrum.

    The sample kurtosis of ``N`` independent Gaussian values has mean 3 and variance
    ``24 / N`` (Kendall & Stuart); the independent values of a coloured signal are its
    effective degrees of freedom ``(sum P)^2 / sum P^2`` over its order spectrum ``P`` (one per
    occupied order, the conservative count of a complex line as one).
    """
    p = np.abs(np.fft.rfft(difference)) ** 2
    total = float(p.sum())
    if total <= 0.0 or not math.isfinite(fm4):
        return 0.0
    n_eff = total**2 / float(np.sum(p**2))
    z = (fm4 - 3.0) / math.sqrt(24.0 / max(n_eff, 1.0))
    return float(-math.log10(max(0.5 * special.erfc(z / math.sqrt(2.0)), 1e-300)))


def _tsa(
    w: Waveform, rate_hz: float, profile: FloatArray | None, reference_hz: float | None
) -> SynchronousAverage:
    """Average at ``rate_hz``; at varying speed, along the reference profile scaled by the
    gear's ratio to the reference shaft (a shaft that is not the one measured)."""
    spr = 2 ** max(2, math.ceil(math.log2(w.fs / rate_hz)))
    if profile is None or reference_hz is None:
        return time_synchronous_average(w.samples, w.fs, speed_hz=rate_hz, samples_per_rev=spr)
    speed = profile * (rate_hz / reference_hz)
    return time_synchronous_average(w.samples, w.fs, speed_hz=speed, samples_per_rev=spr)


def _analyse(
    w: Waveform,
    member: GearMember,
    mesh_hz: float,
    s: GearSettings,
    reference_variance: float | None,
    other_meshes_hz: Sequence[float] = (),
    profile: FloatArray | None = None,
    reference_hz: float | None = None,
) -> GearAnalysis | None:
    """The analysis of one gear, or None when the record holds too few of its turns or is
    sampled too slowly for its mesh."""
    if member.tsa_hz <= 0.0 or w.duration_s * member.tsa_hz < s.min_revolutions:
        return None
    if mesh_hz * 2.0 >= w.fs / 2.0:
        return None
    tsa = _tsa(w, member.tsa_hz, profile, reference_hz)
    if tsa.samples_per_rev < 4 * member.teeth:
        return None
    orders = [m / member.tsa_hz for m in other_meshes_hz]
    others = [round(o) for o in orders if abs(o - round(o)) < 1e-6 * o and round(o) >= 2]
    sig = gear_signals(tsa.average, member.teeth, s.shaft_orders, others)
    ind = gear_indicators(sig, reference_residual_variance=reference_variance)
    amp = 2.0 * np.abs(np.fft.rfft(tsa.average)) / tsa.samples_per_rev
    z = member.teeth
    levels = tuple(
        float(20.0 * np.log10(max(amp[k * z], 1e-300)))
        for k in range(1, s.n_harmonics + 1)
        if k * z < amp.size
    )
    env = np.abs(sps.hilbert(sig.difference))
    angle = float(np.argmax(env)) / tsa.samples_per_rev
    return GearAnalysis(
        member, mesh_hz, tsa, sig, ind, levels, _impulse_score(sig.difference, ind.fm4), angle
    )


def _spectrum(w: Waveform) -> tuple[FloatArray, FloatArray]:
    """Welch power spectrum of a record (segments of a quarter of it, at most 2**k samples)."""
    x = w.samples - w.samples.mean()
    nper = min(x.size, 2 ** int(math.log2(max(x.size // 4, 256))))
    f, p = sps.welch(x, w.fs, nperseg=nper)
    return np.asarray(f, dtype=np.float64), np.asarray(p, dtype=np.float64)


def _mesh_family(w: Waveform) -> float:
    """Fundamental of the strongest harmonic family between ``fs/400`` and ``fs/8``, Hz."""
    f, p = _spectrum(w)
    df = float(f[1] - f[0])
    floor = prominence_ratio(p, df, 40.0 * df)
    lo, hi = w.fs / 400.0, w.fs / 8.0
    sel = np.flatnonzero((f >= lo) & (f <= hi))
    if sel.size == 0:
        raise DataError(f"{w.source or 'waveform'}: too short to search for a mesh")
    peaks = sel[np.argsort(floor[sel])[::-1][:12]]
    best, best_power = float(f[peaks[0]]), -np.inf
    for i in peaks:
        f0 = float(f[i])
        power = 0.0
        for k in range(1, 6):
            j = round(k * f0 / df)
            if j + 2 >= f.size:
                break
            power += float(p[j - 2 : j + 3].max())
        if power > best_power:
            best, best_power = f0, power
    j = round(best / df)
    band = slice(max(j - 2, 0), j + 3)
    return float(np.sum(f[band] * p[band]) / np.sum(p[band]))


def estimate_train_speed(w: Waveform, train: GearTrain) -> float:
    """Speed of a known train's reference shaft from its mesh lines, Hz.

    Parameters
    ----------
    w : Waveform
        A record at constant speed.
    train : GearTrain
        The stages the record hears.

    Returns
    -------
    float
        The strongest harmonic family's fundamental (a mesh) divided by the mesh order of the
        stage that, at the speed this gives, puts the most power on every stage's mesh.

    Examples
    --------
    >>> from openphm.knowledge.gear_train import GearStage
    >>> from openphm.simulate.gearbox import simulate_gearbox
    >>> train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    >>> w = simulate_gearbox(train, 25.0, 10000.0, 4.0, np.random.default_rng(1))
    >>> round(estimate_train_speed(w, train), 1)
    25.0
    """
    mesh = _mesh_family(w)
    f, p = _spectrum(w)
    df = float(f[1] - f[0])

    def power(speed: float) -> float:
        total = 0.0
        for st in train.frequencies(speed):
            j = round(st.mesh_hz / df)
            if 2 <= j < f.size - 2:
                total += float(p[j - 2 : j + 3].max())
        return total

    speeds = [mesh / st.mesh_order for st in train.stages]
    return max(speeds, key=power)


def unknown_train(
    w: Waveform, max_shafts: int = 2, teeth: Sequence[int] = (), min_revolutions: float = 0.0
) -> tuple[float, tuple[GearMember, ...]]:
    """Mesh and shafts of a gearbox whose train is unknown: a mesh-line and sideband search.

    Parameters
    ----------
    w : Waveform
        The record (at constant speed).
    max_shafts : int, default 2
        Most shaft rates returned.
    teeth : sequence of int
        Mesh orders of the shafts when they are already known (learned from earlier records
        of the machine, see :func:`common_teeth`): the cepstrum is then not searched.
    min_revolutions : float, default 0
        Shafts turning fewer times in the record are left out of the search.

    Returns
    -------
    (float, tuple of GearMember)
        The mesh frequency found (Hz: the fundamental of the strongest family of harmonics
        between ``fs/400`` and ``fs/8``: of the dozen most prominent lines there, the one
        whose first five harmonics hold the most power), and one pseudo-gear per shaft rate
        found: a cepstral peak (a sideband or harmonic family of spacing ``1/q``) at a
        quefrency ``q`` where the mesh is a whole number ``z >= 8`` of the family's spacing
        (within 0.15) and not a multiple of one found before (a rahmonic); the gear's
        "teeth" are that ``z`` and its rate ``f_m / z``. Empty when none is found.

    Notes
    -----
    The same reading a vibration analyst makes of an unknown gearbox (Randall 2011, section
    5.2: the cepstrum's rahmonics give the sideband spacings, hence the shaft rates).
    """
    x = w.samples - w.samples.mean()
    mesh = _mesh_family(w)
    if teeth:
        return mesh, tuple(
            GearMember(f"shaft {i + 1} (z={z})", "pinion", z, mesh / z, mesh / z, mesh / z)
            for i, z in enumerate(teeth)
        )
    n_cep = min(x.size, 2**16)
    c = real_cepstrum(x[:n_cep])
    q = np.arange(c.size) / w.fs
    ok = (q > 3.0 / mesh) & (q < q[-1] / 4.0)
    idx = np.flatnonzero(ok)
    # Rahmonics stand out from the cepstrum's slowly varying low-quefrency part.
    c = c - ndimage.median_filter(c, size=31, mode="nearest")
    local = idx[(c[idx] > c[idx - 1]) & (c[idx] >= c[idx + 1])]
    strength: dict[int, float] = {}
    first = 3.0 / mesh * w.fs
    for top in local[np.argsort(c[local])[::-1][:20]]:
        # The peak and the quefrencies it may be a rahmonic of.
        for div in range(1, 6):
            guess = round(top / div)
            if guess < first:
                break
            i = guess - 2 + int(np.argmax(c[guess - 2 : guess + 3]))
            ratio = mesh * q[i]
            z = round(ratio)
            if z < 8 or abs(ratio - z) > 0.15:
                continue
            # The family's strength: the mean of its first rahmonics (an impulse train's
            # rahmonics decay slowly, so a multiple can outrank the fundamental alone).
            ks = [k * i for k in range(1, 6) if k * i + 1 < c.size // 2]
            strength.setdefault(z, float(np.mean([c[k - 1 : k + 2].max() for k in ks])))
    members: list[GearMember] = []
    for z in sorted(strength, key=lambda k: -strength[k]):
        # A family's first rahmonic is at least about as strong as its later ones.
        z = min(d for d in strength if z % d == 0 and strength[d] >= 0.5 * strength[z])
        if any(z % m.teeth == 0 for m in members):
            continue  # a rahmonic of a shaft already found
        if w.duration_s * mesh / z < min_revolutions:
            continue
        rate = mesh / z
        members.append(
            GearMember(f"shaft {len(members) + 1} (z={z})", "pinion", z, rate, rate, rate)
        )
        if len(members) == max_shafts:
            break
    return mesh, tuple(members)


def common_teeth(
    waveforms: Sequence[Waveform], max_shafts: int = 2, settings: GearSettings | None = None
) -> tuple[int, ...]:
    """The mesh orders of an unknown train's shafts that most records agree on.

    Parameters
    ----------
    waveforms : sequence of Waveform
        Records of the machine (healthy ones, at any load).
    max_shafts : int, default 2
        Most shafts returned.
    settings : GearSettings, optional
        Shafts with fewer than its ``min_revolutions`` in a record are not counted.

    Returns
    -------
    tuple of int
        The ``z`` values :func:`unknown_train` finds most often, most frequent first.
    """
    votes: dict[int, int] = {}
    revs = (settings or GearSettings()).min_revolutions
    for w in waveforms:
        for m in unknown_train(w, max_shafts, min_revolutions=revs)[1]:
            votes[m.teeth] = votes.get(m.teeth, 0) + 1
    return tuple(sorted(votes, key=lambda z: (-votes[z], z))[:max_shafts])


def _members(
    w: Waveform,
    train: GearTrain | None,
    speed_hz: float | None,
    s: GearSettings,
    teeth: Sequence[int] = (),
) -> list[tuple[GearMember, float]]:
    if train is None:
        mesh, found = unknown_train(w, teeth=teeth, min_revolutions=s.min_revolutions)
        return [(m, mesh) for m in found]
    if speed_hz is None or not (math.isfinite(speed_hz) and speed_hz > 0.0):
        raise ConfigError(
            f"{w.source or 'waveform'}: a gear train needs the reference shaft's speed "
            f"(speed_hz > 0, or the waveform's speed_hz), got {speed_hz!r}"
        )
    return [(m, st.mesh_hz) for st in train.frequencies(speed_hz) for m in st.members]


def analyse_gears(
    waveform: Waveform,
    train: GearTrain | None,
    speed_hz: float | None = None,
    *,
    settings: GearSettings | None = None,
    baseline: GearBaseline | None = None,
    teeth: Sequence[int] = (),
    track: SpeedTrack | None = None,
) -> tuple[GearAnalysis, ...]:
    """Synchronous average, signals and indicators of every gear a record can assess.

    Parameters
    ----------
    waveform : Waveform
        Vibration of a casing near the gears, at constant speed.
    train : GearTrain or None
        The stages heard; None for an unknown train (see :func:`unknown_train`).
    speed_hz : float, optional
        Speed of the train's reference shaft, Hz (default ``waveform.speed_hz``).
    settings : GearSettings, optional
        The configuration.
    baseline : GearBaseline, optional
        Healthy reference (its residual variances normalise NA4).
    teeth : sequence of int
        For an unknown train: the shafts' mesh orders when known (:func:`common_teeth`).
    track : SpeedTrack, optional
        Tachometer pulses or a speed profile of the reference shaft at varying speed: each
        gear is then averaged along it, scaled by the gear's ratio to the reference shaft.

    Returns
    -------
    tuple of GearAnalysis
        One per gear that turns at least ``settings.min_revolutions`` times in the record and
        whose mesh the sampling rate resolves.

    Examples
    --------
    >>> from openphm.knowledge.gear_train import GearStage
    >>> from openphm.simulate.gearbox import simulate_gearbox
    >>> train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    >>> w = simulate_gearbox(train, 25.0, 10000.0, 4.0, np.random.default_rng(1))
    >>> [a.member.name for a in analyse_gears(w, train)]
    ['s1 pinion', 's1 wheel']
    """
    s = settings or GearSettings()
    cut, speed, profile, _ = _reference(waveform, train, speed_hz, track)
    return _analyse_all(cut, train, speed, profile, s, baseline, teeth)


def _reference(
    w: Waveform, train: GearTrain | None, speed_hz: float | None, track: SpeedTrack | None
) -> tuple[Waveform, float | None, FloatArray | None, str]:
    """The record (cut to a tachometer's pulses), the reference speed (Hz; the mean of a
    track), the per-sample speed of a track, and where the speed comes from.

    From a tachometer the speed is the derivative of the shaft angle fitted through the pulses
    (:func:`~openphm.signal.order.angle_from_tacho`), so that integrating it gives the angle
    back at every pulse: a gear's mesh order stays where it belongs even at high orders.
    """
    if track is not None:
        if speed_hz is not None:
            raise ConfigError("give the reference speed or a speed track, not both")
        t = np.arange(w.samples.size) / w.fs
        if track.tacho_pulses_s is not None:
            angle = angle_from_tacho(track.tacho_pulses_s, t, pulses_per_rev=track.pulses_per_rev)
            keep = np.isfinite(angle)
            if keep.sum() < 16:
                raise DataError(f"{w.source or 'waveform'}: the tachometer pulses miss the record")
            w = replace(w, samples=w.samples[keep])
            profile = np.gradient(angle[keep]) * w.fs
        else:
            times, speeds = track.curve(w.samples.size, w.fs)
            profile = np.interp(t, times, speeds)
        return w, float(profile.mean()), profile, f"order-tracked from the {track.source}"
    speed = speed_hz if speed_hz is not None else w.speed_hz
    if speed is not None or train is None:
        return w, speed, None, "given"
    return w, estimate_train_speed(w, train), None, "estimated from the strongest mesh family"


def _analyse_all(
    waveform: Waveform,
    train: GearTrain | None,
    speed: float | None,
    profile: FloatArray | None,
    s: GearSettings,
    baseline: GearBaseline | None,
    teeth: Sequence[int] = (),
) -> tuple[GearAnalysis, ...]:
    out = []
    pairs = _members(waveform, train, speed, s, teeth)
    meshes = sorted({mesh for _, mesh in pairs})
    for member, mesh in pairs:
        ref = baseline.residual_variance.get(member.name) if baseline is not None else None
        others = [m for m in meshes if m != mesh]
        a = _analyse(waveform, member, mesh, s, ref, others, profile, speed)
        if a is not None:
            out.append(a)
    return tuple(out)


def learn_gear_baseline(
    waveforms: Sequence[Waveform],
    train: GearTrain | None,
    speed_hz: float | None = None,
    settings: GearSettings | None = None,
    teeth: Sequence[int] = (),
) -> GearBaseline:
    """Mesh-harmonic levels and residual variances of each gear in healthy records.

    Parameters
    ----------
    waveforms : sequence of Waveform
        Healthy records of one point, in one operating state (same speed and load).
    train : GearTrain or None
        The train (None: unknown, see :func:`unknown_train`).
    speed_hz : float, optional
        Reference speed (default each waveform's own).
    settings : GearSettings, optional
        The configuration.
    teeth : sequence of int
        For an unknown train: the shafts' mesh orders (:func:`common_teeth`), so that every
        record names its shafts alike.

    Returns
    -------
    GearBaseline
        Mean and spread of each gear's harmonic levels and sideband level factor (dB), and its
        mean residual variance.
    """
    if not waveforms:
        raise DataError("learn_gear_baseline: no healthy records given")
    levels: dict[str, list[tuple[float, ...]]] = {}
    variances: dict[str, list[float]] = {}
    sidebands: dict[str, list[float]] = {}
    for w in waveforms:
        for a in analyse_gears(w, train, speed_hz, settings=settings, teeth=teeth):
            levels.setdefault(a.member.name, []).append(a.harmonic_db)
            variances.setdefault(a.member.name, []).append(a.indicators.residual_variance)
            sidebands.setdefault(a.member.name, []).append(_slf_db(a))
    mean = {k: tuple(float(v) for v in np.mean(np.array(v), axis=0)) for k, v in levels.items()}
    std = {k: tuple(float(v) for v in np.std(np.array(v), axis=0)) for k, v in levels.items()}
    var = {k: float(np.mean(v)) for k, v in variances.items()}
    side_mean = {k: float(np.mean(v)) for k, v in sidebands.items()}
    side_std = {k: float(np.std(v)) for k, v in sidebands.items()}
    return GearBaseline(mean, std, var, len(waveforms), side_mean, side_std)


def _slf_db(a: GearAnalysis) -> float:
    return float(20.0 * np.log10(max(a.indicators.sideband_level, 1e-300)))


def _sideband_evidence(
    w: Waveform, a: GearAnalysis, s: GearSettings
) -> tuple[tuple[MatchedPeak, ...], float]:
    """Mesh harmonics and their sidebands at the gear's fault rate in the record's spectrum:
    the matched lines and the pattern's score."""
    rate = a.member.fault_hz
    lines = []
    for k in range(1, s.n_harmonics + 1):
        h = k * a.mesh_hz / rate
        lines.append(Line(f"{k}xGMF", "harmonic", k, h))
        for j in range(1, s.n_sidebands + 1):
            lines.append(Line(f"{k}xGMF-{j}f", "sideband", k, h, -float(j)))
            lines.append(Line(f"{k}xGMF+{j}f", "sideband", k, h, float(j)))
    x = w.samples - w.samples.mean()
    spec = np.abs(np.fft.rfft(x * np.hanning(x.size))) ** 2
    freqs = np.asarray(np.fft.rfftfreq(x.size, 1.0 / w.fs), dtype=np.float64)
    df = float(freqs[1] - freqs[0])
    ratio = prominence_ratio(spec, df, max(4.0 * rate, 20.0 * df))
    log_p = -np.log(line_p_values(ratio, ratio[2:]))
    m = match_pattern(freqs, spec, ratio, log_p, lines, rate, 0.002)
    return m.peaks, m.score


def _upper_score(z: float, n: int) -> float:
    """``-log10`` of the one-sided Gaussian probability of ``z`` or more, Bonferroni over
    ``n`` values."""
    p = 0.5 * special.erfc(z / math.sqrt(2.0))
    return float(-math.log10(max(p, 1e-300)) - math.log10(max(n, 1)))


def _sideband_score(a: GearAnalysis, baseline: GearBaseline | None, s: GearSettings) -> float:
    """Growth of the first-order sidebands of the gear's mesh (its sideband level factor)
    over the baseline: a damaged tooth modulates the mesh once per turn (Randall 2011, 5.3)."""
    name = a.member.name
    if baseline is None or name not in baseline.sideband_mean_db:
        return 0.0
    std = max(baseline.sideband_std_db[name], s.baseline_floor_db)
    return _upper_score((_slf_db(a) - baseline.sideband_mean_db[name]) / std, 1)


def _distributed_score(a: GearAnalysis, baseline: GearBaseline | None, s: GearSettings) -> float:
    if baseline is None or a.member.name not in baseline.mean_db:
        return 0.0
    mean = np.array(baseline.mean_db[a.member.name])
    std = np.maximum(np.array(baseline.std_db[a.member.name]), s.baseline_floor_db)
    n = min(mean.size, len(a.harmonic_db))
    z = (np.array(a.harmonic_db[:n]) - mean[:n]) / std[:n]
    return _upper_score(float(z.max()), n)


def _verdict(scores: Mapping[str, float], s: GearSettings) -> tuple[GearFault | str, float, str]:
    best = max(scores, key=lambda k: scores[k])
    top = scores[best]
    if top >= s.threshold:
        margin = top - s.undetermined_threshold
        return best, float(np.clip(1.0 - 10.0 ** (-margin / 2.0), 0.0, 1.0)), best
    if top >= s.undetermined_threshold:
        return "undetermined", 0.5, best
    return "healthy", float(np.clip(1.0 - 10.0 ** -(s.undetermined_threshold - top), 0, 1)), best


def _diagnosis(
    w: Waveform,
    a: GearAnalysis,
    speed_hz: float,
    speed_source: str,
    baseline: GearBaseline | None,
    s: GearSettings,
    n_gears: int,
) -> tuple[Diagnosis, float]:
    """The diagnosis of one gear and the score of its sideband pattern."""
    peaks, side_score = _sideband_evidence(w, a, s)
    correction = math.log10(max(n_gears, 1))
    impulse = a.impulse_score - correction
    growth = _sideband_score(a, baseline, s)
    has_sidebands = baseline is not None and a.member.name in baseline.sideband_mean_db
    # Two tests of one fault when a baseline holds the sidebands: Bonferroni over both.
    sideband = growth - correction - math.log10(2.0) if has_sidebands else -np.inf
    tooth = max(impulse - (math.log10(2.0) if has_sidebands else 0.0), sideband)
    distributed = _distributed_score(a, baseline, s) - correction
    scores = {"tooth": tooth, "distributed": distributed}
    verdict, confidence, best = _verdict(scores, s)
    ind = a.indicators
    name = a.member.name
    reasons = [
        f"{name} ({a.member.teeth} teeth): synchronous average over {a.average.n_revolutions} "
        f"turns at {a.member.tsa_hz:.4g} Hz, mesh {a.mesh_hz:.5g} Hz; FM4 {ind.fm4:.2f}, "
        f"NA4 {ind.na4:.2f}, M6A {ind.m6a:.1f}, energy ratio {ind.energy_ratio:.2f}, "
        f"sideband level {ind.sideband_level:.2f}",
        f"local tooth fault: the difference signal's kurtosis FM4 {ind.fm4:.2f} scores "
        f"{impulse:.1f} against a Gaussian residual of the same spectrum (3 when no tooth stands "
        f"out); the largest event is at {a.tooth_angle_rev * 360.0:.0f} deg of the gear "
        f"(tooth {a.tooth} counted from the average's start)",
        f"sidebands at the gear's fault rate {a.member.fault_hz:.4g} Hz around the first "
        f"{s.n_harmonics} mesh harmonics score {side_score:.1f}",
    ]
    if has_sidebands:
        assert baseline is not None
        reasons.append(
            f"sideband level factor {_slf_db(a) - baseline.sideband_mean_db[name]:+.1f} dB "
            f"against the baseline: scores {sideband:.1f} for a local tooth fault"
        )
    if baseline is None or name not in baseline.mean_db:
        reasons.append("distributed wear not assessed: no healthy baseline for this gear")
    else:
        change = [h - m for h, m in zip(a.harmonic_db, baseline.mean_db[name], strict=False)]
        reasons.append(
            "distributed wear: mesh harmonics changed by "
            + ", ".join(f"{g:+.1f} dB" for g in change)
            + f" against the baseline of {baseline.n_records} record(s); score {distributed:.1f}"
        )
    if verdict in ("tooth", "distributed"):
        reasons.append(
            f"{verdict} score {scores[best]:.1f} >= threshold {s.threshold:g} (false-alarm "
            f"probability about 10^-{scores[best]:.1f}, corrected for the {n_gears} gears tested)"
        )
    elif verdict == "undetermined":
        reasons.append(
            f"best candidate {best} scores {scores[best]:.1f}: above "
            f"{s.undetermined_threshold:g} but below {s.threshold:g}"
        )
    else:
        reasons.append(f"no gear fault stands out: best candidate {best} {scores[best]:.1f}")
    band = (0.0, w.fs / 2.0)
    evidence = (
        Evidence("tooth", tooth, a.member.fault_hz, 1.0, peaks, band, "full band"),
        Evidence(
            "distributed",
            distributed,
            a.mesh_hz,
            1.0,
            tuple(p for p in peaks if p.kind == "harmonic"),
            band,
            "full band",
        ),
    )
    diagnosis = Diagnosis(
        verdict=verdict,  # type: ignore[arg-type]
        confidence=confidence,
        scores=scores,
        evidence=evidence,
        threshold=s.threshold,
        speed_hz=speed_hz,
        speed_source=speed_source,
        prewhitened=False,
        bands_hz=(band,),
        kurtogram_kurtosis=0.0,
        reasons=tuple(reasons),
        bearing=name,
        settings=s.to_dict(),
        speed_ratio=a.member.tsa_hz / speed_hz if speed_hz > 0 else 1.0,
        element="gear",
        provenance=Provenance.of(s, InputRef(w.source, w.channel)),
    )
    return diagnosis, side_score


def diagnose_gears(
    waveform: Waveform,
    train: GearTrain | None,
    speed_hz: float | None = None,
    *,
    settings: GearSettings | None = None,
    baseline: GearBaseline | None = None,
    track: SpeedTrack | None = None,
    teeth: Sequence[int] = (),
) -> dict[str, Diagnosis]:
    """One diagnosis per gear a record can assess.

    Parameters
    ----------
    waveform : Waveform
        Vibration near the gears, at constant speed.
    train : GearTrain or None
        The stages the point hears; None for an unknown train.
    speed_hz : float, optional
        Reference shaft speed, Hz (default ``waveform.speed_hz``; else, for a known train,
        estimated from its mesh lines, see :func:`estimate_train_speed`).
    settings : GearSettings, optional
        The configuration.
    baseline : GearBaseline, optional
        Healthy reference for distributed wear (and NA4).
    track : SpeedTrack, optional
        Tachometer or speed profile of the reference shaft at varying speed (see
        :func:`analyse_gears`); the sidebands are then matched at the mean speed.
    teeth : sequence of int
        For an unknown train: the shafts' mesh orders when known (:func:`common_teeth`).

    Returns
    -------
    dict of str to Diagnosis
        By gear name (``element == "gear"``, the gear's name in ``bearing``).

    Raises
    ------
    ConfigError
        A known train without a speed.
    DataError
        No gear can be assessed (record too short or sampled too slowly).
    """
    s = settings or GearSettings()
    waveform, speed, profile, source = _reference(waveform, train, speed_hz, track)
    analyses = _analyse_all(waveform, train, speed, profile, s, baseline, teeth)
    if not analyses:
        raise DataError(
            f"{waveform.source or 'waveform'}: no gear can be assessed: the record "
            f"({waveform.duration_s:.3g} s at {waveform.fs:g} Hz) holds fewer than "
            f"{s.min_revolutions:g} turns of every gear, its sampling rate does not resolve the "
            "meshes, or no mesh was found"
        )
    if train is None:
        ref = analyses[0].member.tsa_hz
        source = "estimated: unknown train, mesh-line and sideband search"
    else:
        assert speed is not None
        ref = speed
    made = {
        a.member.name: _diagnosis(waveform, a, ref, source, baseline, s, len(analyses))
        for a in analyses
    }
    out = {}
    for a in analyses:
        d = made[a.member.name][0]
        same = [
            b.member.name
            for b in analyses
            if math.isclose(b.member.tsa_hz, a.member.tsa_hz, rel_tol=1e-9)
        ]
        # The gear whose own mesh shows the fault: its tooth score (which holds the growth of
        # its mesh's sidebands when a baseline is given), then its matched sidebands.
        holder = max(same, key=lambda n: (made[n][0].scores["tooth"], made[n][1]))
        if d.verdict == "tooth" and holder != a.member.name:
            d = replace(
                d,
                verdict="healthy",
                confidence=0.5,
                reasons=(
                    *d.reasons,
                    f"the event in this shaft's synchronous average belongs to {holder}, on the "
                    "same shaft, whose mesh carries the stronger evidence (tooth score "
                    f"{made[holder][0].scores['tooth']:.1f}, sidebands {made[holder][1]:.1f})",
                ),
            )
        out[a.member.name] = d
    return out


def diagnose_gear(
    waveform: Waveform,
    train: GearTrain | None,
    speed_hz: float | None = None,
    *,
    settings: GearSettings | None = None,
    baseline: GearBaseline | None = None,
    track: SpeedTrack | None = None,
) -> Diagnosis:
    """Diagnose the gears of one record: the verdict of the gear with the strongest evidence.

    Parameters
    ----------
    waveform : Waveform
        Vibration near the gears, at constant speed.
    train : GearTrain or None
        The stages the point hears; None for an unknown train (mesh-line and sideband search).
    speed_hz : float, optional
        Reference shaft speed, Hz (default ``waveform.speed_hz``).
    settings : GearSettings, optional
        The configuration.
    baseline : GearBaseline, optional
        Healthy reference for distributed wear (and NA4).
    track : SpeedTrack, optional
        Tachometer or speed profile of the reference shaft at varying speed.

    Returns
    -------
    Diagnosis
        ``element == "gear"``; ``bearing`` names the gear; verdict ``"tooth"``,
        ``"distributed"``, ``"healthy"`` or ``"undetermined"``.

    Examples
    --------
    >>> from openphm.knowledge.gear_train import GearStage
    >>> from openphm.simulate.gearbox import GearFault, simulate_gearbox
    >>> train = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
    >>> rng = np.random.default_rng(0)
    >>> w = simulate_gearbox(train, 25.0, 10000.0, 4.0, rng,
    ...                      faults=[GearFault("s1 wheel", "tooth", 2.0)], snr_db=-10.0)
    >>> d = diagnose_gear(w, train)
    >>> d.verdict, d.bearing
    ('tooth', 's1 wheel')
    """
    per_gear = diagnose_gears(
        waveform, train, speed_hz, settings=settings, baseline=baseline, track=track
    )
    return max(
        per_gear.values(),
        key=lambda d: (d.verdict in ("tooth", "distributed"), max(d.scores.values())),
    )
