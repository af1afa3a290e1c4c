"""Bearing diagnosis without a known geometry: a line series classified by its modulation.

Field engineers often know the shaft speed but not the bearing's internals (an insert bearing
in a housing, a maker that publishes no ball count, a sealed unit). A local defect still leaves
a non-synchronous harmonic series in the squared-envelope spectrum, and how that series is
modulated says where the defect is (Randall & Antoni 2011, "Rolling element bearing
diagnostics - A tutorial", MSSP 25(2) 485-520, section 1.2):

- a defect on the turning ring passes through the load zone once per revolution: its series
  carries shaft-rate sidebands (inner race, when the inner ring turns);
- a defect on the standing ring stays in the load zone: a clean series (outer race);
- a defect on a rolling element strikes both races once per spin and passes through the load
  zone once per cage revolution: a series at 2xBSF with cage-rate (FTF) sidebands.

Which fundamental a class may have follows from the ranges real bearings span
(:class:`BearingRanges`): with ``r = (d/D) cos(a)``, ``BPFO = n (1 - r)/2``,
``BPFI = n (1 + r)/2`` (so ``BPFO + BPFI = n``), ``FTF = (1 - r)/2`` and
``BSF = (1 - r^2)/(2 d/D)``. A series whose class allows no geometry in those ranges is not
called a bearing fault. The geometries that do fit (:func:`fitting_geometries`) are reported.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Annotated, Any, cast

import numpy as np

from openphm.core.bearing import FaultFrequencies, Ring
from openphm.core.diagnosis import (
    BEARING_FAULTS,
    BearingFault,
    Diagnosis,
    Evidence,
    LineSeries,
    MatchedPeak,
    Verdict,
)
from openphm.core.errors import ConfigError, DataError, DataQualityWarning
from openphm.core.provenance import InputRef, Provenance
from openphm.core.serialize import Serializable
from openphm.core.validation import Range, validate_fields
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.evidence import SEARCH_BINS, line_p_values, match_pattern, prominence_ratio
from openphm.diagnose.patterns import fault_lines, slip_tolerance
from openphm.diagnose.series import SERIES_MIN_ORDERS, explained_mask, unexplained_series
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedEstimate, SpeedTrack, shaft_speed
from openphm.diagnose.views import EnvelopeView, envelope_spectra, prewhitened, snapshots_of

__all__ = [
    "FAULT_CONFIDENCE_CAP",
    "HEALTHY_CONFIDENCE_CAP",
    "BearingRanges",
    "GeometryFit",
    "diagnose_geometry_free",
    "fitting_geometries",
    "stored_fault_frequencies",
]

#: Highest confidence of a fault verdict made without the geometry (a verdict with a known
#: geometry reaches 1). The class rests on the modulation alone: no predicted frequency
#: confirms it, a series whose shaft-rate sidebands are weak (a light or evenly spread load, a
#: vertical shaft) reads as the standing race, and the slip of 1-2 % cannot be told from the
#: geometry. The known-geometry diagnosis caps verdicts resting on one kind of evidence (a
#: rolling-element fault carried by cage lines, a clipped record) at the same 0.7.
FAULT_CONFIDENCE_CAP = 0.7
#: Highest confidence of a healthy verdict made without the geometry: a search over every
#: fundamental pays a look-elsewhere penalty (about 2 to 3 in score) that a match at known
#: frequencies does not, so a weak fault the geometry would reveal can pass unseen.
HEALTHY_CONFIDENCE_CAP = 0.8
#: Highest confidence of any verdict when the shaft speed was estimated: a speed that locked on
#: a fault line or a multiple of the speed puts every order, and so the class, wrong.
ESTIMATED_SPEED_CONFIDENCE_CAP = 0.5
#: Smallest shaft-rate modulation index (first sidebands over their harmonic in the squared
#: envelope spectrum, above the floor) read as a defect on the turning ring. A defect that
#: passes through a load zone of half the circumference or less (load distribution factor
#: ``epsilon <= 1``, every radially loaded bearing with clearance; Harris & Kotzalas, "Rolling
#: Bearing Analysis", load distribution ``q = q_max (1 - (1 - cos psi)/(2 epsilon))^(10/9 or
#: 3/2)``) gives 0.69-0.88; a defect on the standing ring is modulated only by how the load
#: itself varies with the shaft (unbalance, misalignment: a few tens of per cent of the static
#: load, 0.1-0.3). The boundary is half the smallest load-zone value.
MIN_LOAD_ZONE_MODULATION = 0.35


@dataclass(frozen=True)
class BearingRanges(Serializable):
    """The internal geometries real rolling bearings span, which bound the fault orders.

    Parameters
    ----------
    n_min, n_max : int, default 6 and 30
        Fewest and most rolling elements per row (small deep-groove ball bearings have 7-9,
        large roller bearings 20-30).
    dd_min, dd_max : float, default 0.15 and 0.35
        Smallest and largest rolling-element to pitch diameter ratio ``d/D``.
    angle_max_deg : float, default 40
        Largest contact angle in degrees (0 for radial ball and cylindrical roller bearings,
        10-30 for tapered and spherical roller bearings, up to 40 for angular-contact balls).

    Examples
    --------
    >>> lo, hi = BearingRanges().order_range("outer")
    >>> round(lo, 2), round(hi, 2)
    (1.95, 13.28)
    """

    n_min: Annotated[int, Range(ge=3)] = 6
    n_max: Annotated[int, Range(ge=3)] = 30
    dd_min: Annotated[float, Range(gt=0.0, lt=1.0)] = 0.15
    dd_max: Annotated[float, Range(gt=0.0, lt=1.0)] = 0.35
    angle_max_deg: Annotated[float, Range(ge=0.0, lt=90.0)] = 40.0

    def __post_init__(self) -> None:
        validate_fields(self)
        if self.n_min > self.n_max or self.dd_min > self.dd_max:
            raise ConfigError(
                f"BearingRanges: need n_min <= n_max and dd_min <= dd_max, got n {self.n_min}-"
                f"{self.n_max} and d/D {self.dd_min}-{self.dd_max}"
            )

    @property
    def r_range(self) -> tuple[float, float]:
        """Smallest and largest ``r = (d/D) cos(a)``."""
        return self.dd_min * math.cos(math.radians(self.angle_max_deg)), self.dd_max

    def order_range(
        self, fault: BearingFault, rotating_ring: Ring = "inner"
    ) -> tuple[float, float]:
        """Lowest and highest fault order of a class over the ranges.

        Parameters
        ----------
        fault : {"outer", "inner", "ball", "cage"}
            ``"ball"`` gives 2xBSF, the rate of a rolling-element defect's impacts.
        rotating_ring : {"inner", "outer"}, default "inner"
            The ring that turns (only the cage's order depends on it).

        Returns
        -------
        (float, float)
            The range in orders of the turning ring's speed.
        """
        r_lo, r_hi = self.r_range
        if fault == "outer":
            return self.n_min * (1.0 - r_hi) / 2.0, self.n_max * (1.0 - r_lo) / 2.0
        if fault == "inner":
            return self.n_min * (1.0 + r_lo) / 2.0, self.n_max * (1.0 + r_hi) / 2.0
        if fault == "ball":
            c = math.cos(math.radians(self.angle_max_deg))
            return _two_bsf(self.dd_max, 1.0), _two_bsf(self.dd_min, c)
        if rotating_ring == "inner":
            return (1.0 - r_hi) / 2.0, (1.0 - r_lo) / 2.0
        return (1.0 + r_lo) / 2.0, (1.0 + r_hi) / 2.0


def _two_bsf(dd: float, cos_a: float) -> float:
    return (1.0 - (dd * cos_a) ** 2) / dd


@dataclass(frozen=True)
class GeometryFit(Serializable):
    """One family of bearing geometries that puts a fault line where it was found.

    Parameters
    ----------
    n_rolling : int or None
        Number of rolling elements; None where the fault order does not depend on it (a
        rolling-element or cage fault).
    r : float or None
        ``(d/D) cos(a)``, the ratio the orders depend on; None where the lines found leave it
        open (a rolling-element fault without cage sidebands).
    dd_range : (float, float)
        The ``d/D`` ratios that fit within the ranges.
    angle_range_deg : (float, float)
        The contact angles that fit, degrees.
    """

    n_rolling: int | None
    r: float | None
    dd_range: tuple[float, float]
    angle_range_deg: tuple[float, float]

    def describe(self) -> str:
        """One phrase for reports (``"n=9, d/D 0.20-0.27, angle 0-40 deg"``).

        Returns
        -------
        str
            The fit in words.
        """
        parts = [] if self.n_rolling is None else [f"n={self.n_rolling}"]
        lo, hi = self.dd_range
        parts.append(f"d/D {lo:.2f}" if hi - lo < 0.005 else f"d/D {lo:.2f}-{hi:.2f}")
        a0, a1 = self.angle_range_deg
        parts.append(f"angle {a0:.0f} deg" if a1 - a0 < 0.5 else f"angle {a0:.0f}-{a1:.0f} deg")
        return ", ".join(parts)


def _fit_for_r(r: float, n: int | None, ranges: BearingRanges) -> GeometryFit | None:
    """The ``d/D`` and angles with ``(d/D) cos(a) = r`` inside the ranges, or None."""
    c_min = math.cos(math.radians(ranges.angle_max_deg))
    lo, hi = max(ranges.dd_min, r), min(ranges.dd_max, r / c_min)
    if r <= 0.0 or lo > hi:
        return None
    angles = (math.degrees(math.acos(min(1.0, r / lo))), math.degrees(math.acos(min(1.0, r / hi))))
    return GeometryFit(n, r, (lo, hi), angles)


def fitting_geometries(
    fault: BearingFault,
    order: float,
    ranges: BearingRanges | None = None,
    *,
    ftf: float | None = None,
    rotating_ring: Ring = "inner",
) -> tuple[GeometryFit, ...]:
    """The bearing geometries within ``ranges`` whose fault order of class ``fault`` is ``order``.

    Parameters
    ----------
    fault : {"outer", "inner", "ball", "cage"}
        The class of the line series.
    order : float
        Its fundamental in orders of the turning ring's speed (for ``"ball"``, 2xBSF; for
        ``"cage"``, FTF). It may sit up to the class's slip (1 % for races, 2 % for rolling
        elements and the cage) off its kinematic value.
    ranges : BearingRanges, optional
        The geometries considered (default: :class:`BearingRanges`).
    ftf : float, optional
        The cage rate found beside a rolling-element series, orders: it fixes ``r``, and with
        2xBSF then ``d/D`` and the contact angle.
    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns.

    Returns
    -------
    tuple of GeometryFit
        For a race, one fit per number of rolling elements (``r = 1 - 2 BPFO/n`` or
        ``r = 2 BPFI/n - 1``, from ``BPFO = n (1 - r)/2`` and ``BPFI = n (1 + r)/2``); for a
        rolling element, the ``d/D`` range over the contact angles (``BSF = (1 - r^2)/(2 d/D)``,
        Randall & Antoni 2011, eq. 4); for the cage, ``r`` from ``FTF = (1 -+ r)/2``. Empty when
        nothing fits.

    Examples
    --------
    >>> [f.n_rolling for f in fitting_geometries("outer", 3.585)]
    [9, 10, 11]
    >>> fitting_geometries("ball", 4.713, ftf=0.3983)[0].describe()
    'd/D 0.20, angle 0 deg'
    """
    g = ranges or BearingRanges()
    tol = slip_tolerance(fault)
    r_lo, r_hi = g.r_range
    fits: list[GeometryFit] = []
    if fault in ("outer", "inner"):
        sign = -1.0 if fault == "outer" else 1.0
        for n in range(g.n_min, g.n_max + 1):
            r = sign * (2.0 * order / n - 1.0)
            # the slip lets the kinematic order lie within tol of the one found
            r_a = sign * (2.0 * order * (1.0 - tol) / n - 1.0)
            r_b = sign * (2.0 * order * (1.0 + tol) / n - 1.0)
            lo, hi = min(r_a, r_b), max(r_a, r_b)
            if hi < r_lo or lo > r_hi:
                continue
            fit = _fit_for_r(min(max(r, r_lo), r_hi), n, g)
            if fit is not None:
                fits.append(fit)
        return tuple(fits)
    if fault == "cage":
        r = 1.0 - 2.0 * order if rotating_ring == "inner" else 2.0 * order - 1.0
        fit = _fit_for_r(r, None, g)
        return () if fit is None else (fit,)
    bsf = order / 2.0
    if ftf is not None:
        r = 1.0 - 2.0 * ftf if rotating_ring == "inner" else 2.0 * ftf - 1.0
        dd = (1.0 - r * r) / (2.0 * bsf)
        if r > 0.0 and g.dd_min <= dd <= g.dd_max and r <= dd:
            angle = math.degrees(math.acos(min(1.0, r / dd)))
            if angle <= g.angle_max_deg:
                return (GeometryFit(None, r, (dd, dd), (angle, angle)),)
    # d/D at each contact angle: (d/D)^2 cos^2(a) + 2 BSF d/D - 1 = 0
    edges = []
    for angle in (0.0, g.angle_max_deg):
        c2 = math.cos(math.radians(angle)) ** 2
        for b in (bsf * (1.0 - tol), bsf * (1.0 + tol)):
            edges.append(((-b + math.sqrt(b * b + c2)) / c2, angle))
    lo = max(g.dd_min, min(e[0] for e in edges))
    hi = min(g.dd_max, max(e[0] for e in edges))
    if lo > hi:
        return ()
    return (GeometryFit(None, None, (lo, hi), (0.0, g.angle_max_deg)),)


_ORDER_KEYS = {"bpfo": "bpfo", "bpfi": "bpfi", "bsf": "bsf", "ftf": "ftf"}
_KEY = re.compile(r"^(bpfo|bpfi|bsf|ftf)(hz|orders?|x)?$")
_VALUE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | np.floating | np.integer):
        x = float(value)
    elif isinstance(value, str):
        m = _VALUE.match(value)
        if m is None:
            return None
        x = float(m.group(1))
    else:
        arr = np.asarray(value)
        if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
            return None
        x = float(arr.reshape(()))
    return x if math.isfinite(x) and x > 0.0 else None


def stored_fault_frequencies(
    metadata: Mapping[str, Any], rotating_ring: Ring = "inner", source: str = "record"
) -> FaultFrequencies | None:
    """The defect frequencies a file stores beside its signal, as orders, or None.

    Parameters
    ----------
    metadata : Mapping of str to object
        A recording's metadata; keys named ``BPFO``, ``BPFI``, ``BSF`` and ``FTF`` (any case,
        ``bearing.BPFO``, ``bpfo_hz``, ``BPFO orders``...) with numbers, or text starting
        with one.
    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns.
    source : str
        Name of the file, for the warning.

    Returns
    -------
    FaultFrequencies or None
        The four frequencies in orders; None when any of them is missing, or when they
        contradict the kinematics (a :class:`DataQualityWarning` then says so).

    Notes
    -----
    Files store the frequencies in Hz at some speed or in orders, and rarely say which. The
    kinematics tell: with a turning inner ring ``BPFO = n FTF`` and ``BPFO + BPFI = n fr``, so
    ``fr = FTF (BPFO + BPFI) / BPFO`` is the speed they were computed at (1 for orders); with a
    turning outer ring ``BPFI = n FTF``. Dividing by ``fr`` gives orders either way. The number
    of rolling elements this implies must be whole (within 0.15, what rounding the stored values
    to three digits allows).

    Examples
    --------
    >>> f = stored_fault_frequencies({"BPFO": 107.36, "BPFI": 162.19, "BSF": 70.58, "FTF": 11.93})
    >>> round(f.bpfo, 2), round(f.bpfi, 2), round(f.ftf, 3)
    (3.58, 5.41, 0.398)
    """
    found: dict[str, float] = {}
    for key, value in metadata.items():
        name = re.sub(r"[^0-9a-z]", "", str(key).rsplit(".", 1)[-1].lower())
        m = _KEY.match(name)
        number = _number(value)
        if m is not None and number is not None and m.group(1) not in found:
            found[_ORDER_KEYS[m.group(1)]] = number
    if len(found) < 4:
        return None
    bpfo, bpfi, bsf, ftf = found["bpfo"], found["bpfi"], found["bsf"], found["ftf"]
    counted = bpfo if rotating_ring == "inner" else bpfi
    n = counted / ftf
    shaft = ftf * (bpfo + bpfi) / counted
    if round(n) < 1 or abs(n - round(n)) > 0.15:
        warnings.warn(
            f"{source}: stored defect frequencies BPFO {bpfo:g}, BPFI {bpfi:g}, FTF {ftf:g} "
            f"imply {n:.2f} rolling elements for a turning {rotating_ring} ring (not a whole "
            "number): they are not used",
            DataQualityWarning,
            stacklevel=2,
        )
        return None
    return FaultFrequencies(ftf / shaft, bsf / shaft, bpfo / shaft, bpfi / shaft, rotating_ring)


@dataclass(frozen=True)
class _Spectrum:
    """One envelope view's bins up to the analysed top, with floor ratios and ``-ln p``."""

    view: EnvelopeView
    f: FloatArray
    v: FloatArray
    ratio: FloatArray
    log_p: FloatArray
    free: FloatArray

    @property
    def df(self) -> float:
        return float(self.f[1] - self.f[0])


def _spectrum(view: EnvelopeView, speed: SpeedEstimate, s: DiagnosisSettings) -> _Spectrum:
    f_all, v_all = view.spectrum.freqs_hz, view.spectrum.values
    df = float(f_all[1] - f_all[0])
    ratio_all = prominence_ratio(v_all, df, s.floor_width_orders * speed.speed_hz)
    keep = f_all <= view.top_hz
    f, v, ratio = f_all[keep], v_all[keep], ratio_all[keep]
    log_p = -np.log(line_p_values(ratio, ratio_all[2:]))
    mask = explained_mask(f, speed.speed_hz, [], speed.uncertainty)
    return _Spectrum(view, f, v, ratio, log_p, np.where(mask, 0.0, log_p))


def _search_correction(sp: _Spectrum, shaft_hz: float, harmonics: int) -> float:
    """``log10`` of the independent fundamentals the series search tried (as
    :func:`openphm.diagnose.series.unexplained_series` counts them)."""
    lo, hi = SERIES_MIN_ORDERS * shaft_hz, float(sp.f[-1]) / 2.0
    return math.log10(max(1.0, harmonics * (hi - lo) / (SEARCH_BINS * sp.df)))


def _orders(fundamental: float, ftf: float, ring: Ring) -> FaultFrequencies:
    """Fault orders that put every race's and the rolling element's series at ``fundamental``."""
    return FaultFrequencies(ftf, fundamental / 2.0, fundamental, fundamental, ring)


@dataclass(frozen=True)
class _Classified:
    """A series' evidence per class and the modulation tests that classify it."""

    evidence: dict[BearingFault, Evidence]
    shaft_sidebands: float
    modulation: float
    cage_sidebands: float
    ftf: float


def _classify(
    sp: _Spectrum,
    series: LineSeries,
    speed: SpeedEstimate,
    ring: Ring,
    s: DiagnosisSettings,
    g: BearingRanges,
    n_views: int,
) -> _Classified:
    """Each class's pattern at the series' fundamental, and its modulation scores."""
    shaft = speed.speed_hz
    fundamental = series.orders
    view = sp.view
    ftf_lo, ftf_hi = g.order_range("cage", ring)
    ftf_lo, ftf_hi = (
        ftf_lo * (1.0 - slip_tolerance("cage")),
        ftf_hi * (1.0 + slip_tolerance("cage")),
    )
    ftf_mid = 0.5 * (ftf_lo + ftf_hi)
    correction = _search_correction(sp, shaft, s.n_harmonics) + math.log10(n_views)

    def match(lines: Sequence[Any], tolerance: float = 0.0) -> Any:
        return match_pattern(sp.f, sp.v, sp.ratio, sp.free, lines, shaft, tolerance)

    # Cage-rate sidebands and lines of a rolling-element series, over the cage rates the
    # ranges allow (each step moves the sidebands by half a bin).
    step = 0.5 * sp.df / shaft
    trials = np.arange(ftf_lo, ftf_hi + 0.5 * step, step)
    best_ftf, best_cage = ftf_mid, -math.inf
    for ftf in trials:
        lines = fault_lines(_orders(fundamental, float(ftf), ring), s.n_harmonics)["ball"]
        m = match([ln for ln in lines if ln.kind != "harmonic"])
        if m.score > best_cage:
            best_ftf, best_cage = float(ftf), m.score
    cage_sidebands = best_cage - math.log10(trials.size)
    patterns = fault_lines(_orders(fundamental, best_ftf, ring), s.n_harmonics)
    turning: BearingFault = "inner" if ring == "inner" else "outer"
    shaft_sidebands = match([ln for ln in patterns[turning] if ln.kind == "sideband"]).score
    evidence: dict[BearingFault, Evidence] = {}
    races: tuple[BearingFault, ...] = ("outer", "inner", "ball")
    for fault in races:
        m = match(patterns[fault])
        tried = math.log10(trials.size) if fault == "ball" else 0.0
        evidence[fault] = Evidence(
            fault=fault,
            score=m.score - correction - tried,
            fault_hz=fundamental * shaft,
            slip_factor=1.0,
            peaks=m.peaks,
            band_hz=view.band_hz,
            band_source=view.source,
        )
    cage_lines = fault_lines(_orders(fundamental, ftf_mid, ring), s.n_harmonics)["cage"]
    m = match(cage_lines, (ftf_hi - ftf_lo) / (ftf_hi + ftf_lo))
    evidence["cage"] = Evidence(
        fault="cage",
        score=m.score - math.log10(n_views),
        fault_hz=ftf_mid * m.slip_factor * shaft,
        slip_factor=m.slip_factor,
        peaks=m.peaks,
        band_hz=view.band_hz,
        band_source=view.source,
    )
    modulation = _modulation_index(evidence[turning].peaks)
    return _Classified(evidence, shaft_sidebands, modulation, cage_sidebands, best_ftf)


def _modulation_index(peaks: Sequence[MatchedPeak]) -> float:
    """Shaft-rate modulation index: mean first-sideband amplitude over the harmonic's, each
    above the floor, summed over the significant harmonics (p below 1 %); 0 without any."""

    def excess(p: MatchedPeak) -> float:
        return max(0.0, float(p.amplitude * (1.0 - 10.0 ** (-p.prominence_db / 20.0))))

    harmonics = {p.order: p for p in peaks if p.kind == "harmonic" and p.p_value < 0.01}
    carrier = sum(excess(p) for p in harmonics.values())
    sides = sum(excess(p) for p in peaks if p.kind == "sideband" and p.order in harmonics)
    return 0.5 * sides / carrier if carrier > 0.0 else 0.0


def _speed(
    snaps: tuple[Waveform, ...], speed_hz: float | None, track: SpeedTrack | None
) -> tuple[SpeedEstimate, float, float, tuple[float, float] | None]:
    """Speed estimate, revolutions of one snapshot, fastest speed and the range of a track."""
    first = snaps[0]
    if track is not None:
        if speed_hz is not None:
            raise ConfigError("give the shaft speed as speed_hz or as a track, not both")
        if len(snaps) > 1:
            raise ConfigError("snapshots are averaged at constant speed: give no speed track")
        revolutions, _, slowest, fastest = track.speeds_hz(first.n_samples, first.fs)
        return track.estimate(first.n_samples, first.fs), revolutions, fastest, (slowest, fastest)
    if speed_hz is None:
        stated = [w.speed_hz for w in snaps if w.speed_hz is not None]
        speed_hz = float(np.mean(stated)) if stated else None
    x = first.samples if len(snaps) == 1 else np.stack([w.samples for w in snaps])
    speed = shaft_speed(x, first.fs, speed_hz)
    return speed, first.duration_s * speed.speed_hz, speed.speed_hz, None


def _plausible(fault: BearingFault, g: BearingRanges, ring: Ring, order: float) -> bool:
    """Whether a race or rolling-element series at ``order`` fits some geometry's range."""
    if fault == "cage":
        return True
    lo, hi = g.order_range(fault, ring)
    tol = slip_tolerance(fault)
    return lo * (1.0 - tol) <= order <= hi * (1.0 + tol)


def diagnose_geometry_free(
    waveform: Waveform | Sequence[Waveform],
    speed_hz: float | None = None,
    *,
    track: SpeedTrack | None = None,
    rotating_ring: Ring = "inner",
    settings: DiagnosisSettings | None = None,
    ranges: BearingRanges | None = None,
) -> Diagnosis:
    """Diagnose a rolling-element bearing whose geometry nobody knows.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        Vibration (acceleration) of one channel near the bearing, or snapshots of it of one
        length and sampling rate (taken at one speed).
    speed_hz : float, optional
        Shaft (turning ring) speed in Hz; defaults to the waveform's, and is estimated from
        the shaft harmonics when neither is known (the confidence is then at most
        :data:`ESTIMATED_SPEED_CONFIDENCE_CAP`).
    track : SpeedTrack, optional
        Tachometer pulses or a speed profile of a record at varying speed (order-tracked).
    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns: its race's defect carries the shaft-rate sidebands.
    settings : DiagnosisSettings, optional
        Thresholds, harmonics, band choice (as :func:`~openphm.diagnose.diagnose_bearing`).
    ranges : BearingRanges, optional
        The geometries a bearing may have (default: 6-30 elements, d/D 0.15-0.35, contact
        angles 0-40 deg).

    Returns
    -------
    Diagnosis
        ``bearing`` is ``""``; the verdict of the strongest non-synchronous series, its
        confidence capped at :data:`FAULT_CONFIDENCE_CAP` (:data:`HEALTHY_CONFIDENCE_CAP` for
        a healthy verdict), each class's pattern at the series' fundamental as evidence (the
        fault order in ``fault_hz``), and reasons that say the verdict was made without the
        geometry, give the fault order, the modulation tests and the geometries that fit. A
        series whose class fits no geometry in ``ranges`` gives "undetermined" and is kept
        in ``unexplained``.

    Raises
    ------
    ConfigError
        A speed that is not positive, both ``speed_hz`` and ``track``, or no speed given and
        none found.
    DataError
        A dead channel, a record too short for ten revolutions of the slowest cage the ranges
        allow, or sampled too slowly for two harmonics of the lowest race order.

    Notes
    -----
    The chain of :func:`~openphm.diagnose.diagnose_bearing` up to the envelope spectra
    (pre-whitening, full band and kurtogram band); then the strongest harmonic series of
    non-synchronous lines (:func:`~openphm.diagnose.series.unexplained_series`, shaft harmonics
    masked, scored with the look-elsewhere correction for every fundamental tried) is
    classified by its modulation: its shaft-rate sidebands (Fisher's combination of the
    ``k F +- fr`` lines, one test) and its cage-rate sidebands (``k F +- FTF`` with the ``FTF``
    and ``fr - FTF`` lines, the best cage rate of the ranges, Bonferroni-corrected). A
    modulation counts when its score reaches ``settings.undetermined_threshold``; shaft-rate
    sidebands mark the turning race, cage-rate sidebands stronger than those a rolling
    element (the series being 2xBSF), neither the standing race. A fault verdict needs a series
    score of ``settings.threshold`` and a class whose fundamental fits a geometry of
    ``ranges``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> w = Waveform(rng.normal(size=120000), fs=12000.0)
    >>> d = diagnose_geometry_free(w, speed_hz=29.95)
    >>> d.verdict, d.bearing, d.confidence <= HEALTHY_CONFIDENCE_CAP
    ('healthy', '', True)
    """
    s = settings or DiagnosisSettings()
    g = ranges or BearingRanges()
    snaps = snapshots_of(waveform)
    first = snaps[0]
    where = first.source or first.channel or "waveform"
    for w in snaps:
        if w.samples.size and float(w.samples.min()) == float(w.samples.max()):
            raise DataError(
                f"{w.source or w.channel or 'waveform'}: all samples are equal; there is no "
                "vibration to diagnose (a dead channel or a disconnected sensor?)"
            )
    speed, revolutions, fastest, speed_range = _speed(snaps, speed_hz, track)
    slowest_cage = g.order_range("cage", rotating_ring)[0]
    if revolutions * slowest_cage < s.min_cage_revolutions:
        need = s.min_cage_revolutions / slowest_cage
        raise DataError(
            f"{where}: record of {first.duration_s:.3g} s ({revolutions:.3g} shaft revolutions) "
            f"is too short to diagnose a bearing of unknown geometry; need {need:.3g} "
            f"revolutions ({need / speed.speed_hz:.3g} s at {speed.speed_hz:.3g} Hz), ten of "
            "the slowest cage the bearing ranges allow"
        )
    top_order = s.n_harmonics * g.order_range("inner", rotating_ring)[1] * 1.01 + 1.0
    # The kurtogram's band must be at least top_hz wide and lie below fs / 2.56, which its
    # level-1 bands (fs / 4 wide) do; the full band (level 0) reaches past that limit.
    top_hz = min(top_order * fastest, first.fs / 4.0)
    lowest = g.order_range("outer", rotating_ring)[0]
    if top_hz < (2.0 * lowest + 1.0) * fastest:
        raise DataError(
            f"{where}: sampling rate {first.fs:g} Hz is too low for {fastest:.4g} Hz; two "
            f"harmonics of the lowest race order ({lowest:.2f}) need at least "
            f"{(2.0 * lowest + 1.0) * fastest * 4.0:.4g} Hz"
        )
    speeds = (speed.speed_hz,) * len(snaps) if len(snaps) > 1 else ()
    views, kg = envelope_spectra(
        prewhitened(snaps, s), first.fs, top_hz, s, track, speed.speed_hz, speed_range, speeds
    )
    best: tuple[_Spectrum, LineSeries] | None = None
    for view in views:
        sp = _spectrum(view, speed, s)
        found = unexplained_series(
            sp.f, sp.v, sp.ratio, sp.log_p, sp.free == 0.0, speed.speed_hz, view.band_hz
        )
        if found is None:
            continue
        found = replace(found, score=found.score - math.log10(len(views)))
        if best is None or found.score > best[1].score:
            best = (sp, found)
    if best is None:
        raise DataError(f"{where}: the envelope spectrum is too short to search for line series")
    sp, series = best
    c = _classify(sp, series, speed, rotating_ring, s, g, len(views))
    verdict, confidence, reasons, unexplained = _decide(series, c, s, g, rotating_ring)
    evidence = {
        f: ev if _plausible(f, g, rotating_ring, series.orders) else replace(ev, score=0.0)
        for f, ev in c.evidence.items()
    }
    reasons.insert(0, _speed_reason(speed))
    reasons.insert(
        1,
        "made WITHOUT the bearing's geometry: the class comes from the modulation of the "
        "strongest non-synchronous line series, not from predicted fault frequencies",
    )
    if speed.source.startswith("estimated") and confidence > ESTIMATED_SPEED_CONFIDENCE_CAP:
        confidence = ESTIMATED_SPEED_CONFIDENCE_CAP
        reasons.append(
            f"confidence capped at {ESTIMATED_SPEED_CONFIDENCE_CAP:g}: the orders rest on an "
            "estimated speed"
        )
    return Diagnosis(
        verdict=cast(Verdict, verdict),
        confidence=confidence,
        scores={f: evidence[f].score for f in BEARING_FAULTS},
        evidence=tuple(evidence[f] for f in BEARING_FAULTS),
        threshold=s.threshold,
        speed_hz=speed.speed_hz,
        speed_source=speed.source,
        prewhitened=s.prewhiten,
        bands_hz=tuple(v.band_hz for v in views),
        kurtogram_kurtosis=float(kg.best_kurtosis) if kg is not None else float("nan"),
        reasons=tuple(reasons),
        bearing="",
        settings={**asdict(s), "geometry_ranges": asdict(g)},
        provenance=Provenance.of(s, InputRef(first.source, first.channel)),
        unexplained=unexplained,
        speed_range_hz=speed_range,
        rotating_ring=rotating_ring,
        snapshot_speeds_hz=speeds,
    )


def _speed_reason(speed: SpeedEstimate) -> str:
    caveat = ""
    if speed.source.startswith("estimated"):
        caveat = (
            "; no speed was given, and an estimate can lock on a bearing's impact train or a "
            "multiple of the speed: give the speed to be sure"
        )
    return f"shaft speed {speed.speed_hz:.3f} Hz ({speed.source}){caveat}"


_RACE_NAMES = {"outer": "outer race", "inner": "inner race", "ball": "rolling element"}


def _decide(
    series: LineSeries,
    c: _Classified,
    s: DiagnosisSettings,
    g: BearingRanges,
    ring: Ring,
) -> tuple[str, float, list[str], LineSeries | None]:
    """Verdict, confidence, reasons and the series kept as unexplained (when it fits nothing).

    The series is classified by its modulation first; its score is then the larger of the
    harmonics' alone and of the class's whole pattern (harmonics with the sidebands that class
    predicts), since a load-zone modulation moves much of a turning race's energy into the
    sidebands.
    """
    turning: BearingFault = "inner" if ring == "inner" else "outer"
    standing: BearingFault = "outer" if ring == "inner" else "inner"
    floor = s.undetermined_threshold
    tests = (
        f"shaft-rate sidebands score {c.shaft_sidebands:.1f} with a modulation index of "
        f"{c.modulation:.2f}, cage-rate sidebands (best FTF {c.ftf:.3f} orders) "
        f"{c.cage_sidebands:.1f} (a modulation counts from a score of {floor:g}, a load zone "
        f"from an index of {MIN_LOAD_ZONE_MODULATION:g})"
    )
    load_zone = c.shaft_sidebands >= floor and c.modulation >= MIN_LOAD_ZONE_MODULATION
    if c.cage_sidebands >= floor and c.cage_sidebands > c.shaft_sidebands:
        fault: BearingFault = "ball"
        why = "its harmonics carry cage-rate sidebands: a rolling-element defect (2xBSF)"
    elif load_zone:
        fault = turning
        why = (
            "it carries deep shaft-rate sidebands: a defect on the turning ring, passing "
            "through the load zone once per revolution"
        )
    else:
        fault = standing
        why = (
            "a series without load-zone modulation: a defect on the standing ring, which "
            "stays in the load zone"
        )
    score = max(series.score, c.evidence[fault].score)
    cage = c.evidence["cage"].score
    if score < floor:
        return _healthy_or_cage(series, score, c, s, g, ring)
    name = {"outer": "BPFO", "inner": "BPFI", "ball": "2xBSF"}[fault]
    found = (
        f"line series at {series.fundamental_hz:.2f} Hz = {series.orders:.3f} orders "
        f"(fault order {name} = {series.orders:.3f}): harmonics score {series.score:.1f}, the "
        f"{_RACE_NAMES[fault]} pattern {c.evidence[fault].score:.1f}; {tests}; {why}"
    )
    ftf = c.ftf if fault == "ball" and c.cage_sidebands >= floor else None
    fits = fitting_geometries(fault, series.orders, g, ftf=ftf, rotating_ring=ring)
    if not fits:
        lo, hi = g.order_range(fault, ring)
        reason = (
            f"but no bearing within the ranges ({g.n_min}-{g.n_max} elements, d/D "
            f"{g.dd_min:g}-{g.dd_max:g}, contact angle 0-{g.angle_max_deg:g} deg) has a "
            f"{_RACE_NAMES[fault]} order there ({lo:.2f}-{hi:.2f}): another source (a belt, a "
            "gear, another shaft) or a bearing outside the ranges"
        )
        return "undetermined", 0.5, [found, reason], series
    if score < s.threshold:
        reason = (
            f"the series scores {score:.1f}: above {floor:g} (not noise-like) but below "
            f"{s.threshold:g} (not enough for a fault verdict)"
        )
        return "undetermined", 0.5, [found, reason], None
    if cage >= s.threshold and cage > score and fault != "ball":
        reason = f"cage-rate lines score {cage:.1f}, more than the series: two patterns compete"
        return "undetermined", 0.5, [found, reason], None
    return _fault(fault, score, fits, s, [found])


def _healthy_or_cage(
    series: LineSeries,
    score: float,
    c: _Classified,
    s: DiagnosisSettings,
    g: BearingRanges,
    ring: Ring,
) -> tuple[str, float, list[str], LineSeries | None]:
    """The verdict when no race or rolling-element series stands out."""
    floor = s.undetermined_threshold
    cage = c.evidence["cage"]
    if cage.score >= s.threshold:
        order = cage.fault_hz * series.orders / series.fundamental_hz
        fits = fitting_geometries("cage", order, g, rotating_ring=ring)
        if fits:
            found = f"cage-rate series at {cage.fault_hz:.2f} Hz = {order:.3f} orders scores "
            return _fault("cage", cage.score, fits, s, [f"{found}{cage.score:.1f}"])
    reasons = [
        f"no line series stands out: the strongest non-synchronous series "
        f"({series.orders:.3f} orders) scores {score:.1f} and the cage-rate lines "
        f"{cage.score:.1f}, below {floor:g}"
        if cage.score < floor
        else f"cage-rate lines score {cage.score:.1f}: above {floor:g} but below {s.threshold:g}"
    ]
    if cage.score >= floor:
        return "undetermined", 0.5, reasons, None
    confidence = float(np.clip(1.0 - 10.0 ** -(floor - max(score, cage.score)), 0.0, 1.0))
    if confidence > HEALTHY_CONFIDENCE_CAP:
        confidence = HEALTHY_CONFIDENCE_CAP
        reasons.append(
            f"confidence capped at {HEALTHY_CONFIDENCE_CAP:g}: a search over every fundamental "
            "needs stronger lines than a match at a known bearing's frequencies, so a weak "
            "fault can pass unseen"
        )
    return "healthy", confidence, reasons, None


def _fault(
    fault: BearingFault,
    score: float,
    fits: tuple[GeometryFit, ...],
    s: DiagnosisSettings,
    reasons: list[str],
) -> tuple[str, float, list[str], LineSeries | None]:
    """A fault verdict, its confidence capped at :data:`FAULT_CONFIDENCE_CAP`."""
    margin = score - s.undetermined_threshold
    confidence = float(np.clip(1.0 - 10.0 ** (-margin / 2.0), 0.0, 1.0))
    shown = "; ".join(f.describe() for f in fits[:8]) + ("; ..." if len(fits) > 8 else "")
    reasons.append(f"geometries that fit ({len(fits)}): {shown}")
    if confidence > FAULT_CONFIDENCE_CAP:
        confidence = FAULT_CONFIDENCE_CAP
        reasons.append(
            f"confidence capped at {FAULT_CONFIDENCE_CAP:g} (a verdict with a known geometry "
            "reaches 1): the class rests on the modulation alone, and weak shaft-rate "
            "sidebands (a light or evenly spread load) would make a turning-ring defect read "
            "as the standing ring's"
        )
    return fault, confidence, reasons, None
