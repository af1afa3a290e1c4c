"""Rolling-element bearing diagnosis from physics: which fault, how sure, and why."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import cast

import numpy as np

from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies, Ring
from openphm.core.diagnosis import (
    BEARING_FAULTS,
    BearingFault,
    Diagnosis,
    Evidence,
    LineSeries,
    Verdict,
)
from openphm.core.errors import ConfigError, DataError
from openphm.core.provenance import InputRef, Provenance
from openphm.core.vibration import not_vibration
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.evidence import line_p_values, match_pattern, prominence_ratio
from openphm.diagnose.patterns import Line, fault_lines, slip_tolerance
from openphm.diagnose.series import (
    TONAL_DB,
    explained_mask,
    tonal_prominence_db,
    unexplained_series,
)
from openphm.diagnose.settings import DiagnosisSettings
from openphm.diagnose.speed import SpeedEstimate, SpeedTrack, shaft_speed
from openphm.diagnose.verdict import attribute, decide
from openphm.diagnose.views import EnvelopeView, envelope_spectra, prewhitened, snapshots_of
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import get_bearing

__all__ = ["diagnose_bearing", "diagnose_bearings", "resolve_bearing"]


def resolve_bearing(
    bearing: str | BearingGeometry | FaultFrequencies, rotating_ring: Ring | None = None
) -> tuple[str, FaultFrequencies]:
    """Turn a designation, a geometry or fault orders into a name and fault orders.

    Parameters
    ----------
    bearing : str or BearingGeometry or FaultFrequencies
        A catalogue designation (``"6205"``), an internal geometry, or the fault frequencies
        in orders of the rotating ring's speed.
    rotating_ring : {"inner", "outer"}, optional
        The ring that turns, for a designation or a geometry (default ``"inner"``); fault
        orders carry their own, which this must not contradict.

    Returns
    -------
    (str, FaultFrequencies)
        The designation (empty when unknown) and the fault orders.

    Raises
    ------
    ConfigError
        Unknown designation, a catalogue entry without internal geometry, or a rotating ring
        that contradicts the fault orders given.
    """
    if isinstance(bearing, FaultFrequencies):
        if rotating_ring is not None and rotating_ring != bearing.rotating_ring:
            raise ConfigError(
                f"rotating_ring {rotating_ring!r} contradicts the fault orders given, which are "
                f"for a turning {bearing.rotating_ring} ring"
            )
        return "", bearing
    ring = rotating_ring or "inner"
    if isinstance(bearing, BearingGeometry):
        return bearing.designation, fault_frequencies(bearing, ring)
    entry = get_bearing(bearing)
    if entry.geometry is None:
        raise ConfigError(
            f"bearing {bearing!r}: the catalogue has no internal geometry for it; "
            "give a BearingGeometry (number and diameter of the rolling elements, pitch diameter)"
        )
    return entry.designation, fault_frequencies(entry.geometry, ring)


#: Shortest record (each snapshot) in shaft revolutions for the race patterns: a line at a
#: harmonic of BPFO or BPFI and its shaft-rate sidebands are then two bins or more apart.
MIN_RACE_REVOLUTIONS = 2.0
#: Faults left out when a record is too short for the cage: the cage pattern, and the rolling-
#: element one, whose lines are told apart by their cage-rate sidebands.
CAGE_BOUND: tuple[BearingFault, ...] = ("ball", "cage")


def _check_record(
    w: Waveform,
    orders: FaultFrequencies,
    speed: SpeedEstimate,
    s: DiagnosisSettings,
    revolutions: float,
    top_hz: float,
) -> tuple[BearingFault, ...]:
    """The faults a record is too short to assess (empty, or :data:`CAGE_BOUND`); a record
    too short for the race patterns, or sampled too slowly for the lines, is refused."""
    where = w.source or w.channel or "waveform"
    if w.fs / 2.0 <= top_hz:
        raise DataError(
            f"{where}: sampling rate {w.fs:g} Hz is too low; the fault lines reach "
            f"{top_hz:.4g} Hz, so at least {2 * top_hz:.4g} Hz is needed"
        )
    if revolutions * orders.ftf >= s.min_cage_revolutions:
        return ()
    need = s.min_cage_revolutions / orders.ftf
    if revolutions < MIN_RACE_REVOLUTIONS:
        raise DataError(
            f"{where}: record of {w.duration_s:.3g} s ({revolutions:.3g} shaft revolutions at "
            f"{speed.speed_hz:.3g} Hz) is too short to resolve the fault frequencies; need at "
            f"least {MIN_RACE_REVOLUTIONS:g} revolutions for the race faults "
            f"({MIN_RACE_REVOLUTIONS / speed.speed_hz:.3g} s at this speed) and {need:.3g} for "
            f"all ({s.min_cage_revolutions:g} cage revolutions)"
        )
    return CAGE_BOUND


@dataclass(frozen=True)
class _Candidate:
    """One bearing under diagnosis: its fault orders, lines and speed."""

    label: str
    name: str
    orders: FaultFrequencies
    ratio: float
    speed: SpeedEstimate
    lines: dict[str, tuple[Line, ...]]
    top_hz: float
    unassessed: tuple[BearingFault, ...] = ()


def _prominence(
    view: EnvelopeView, floor_orders: float, speed_hz: float, top_hz: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bins up to ``top_hz``: frequencies, values, floor ratios and ``-ln`` p-values, the
    p-values judged against the ratios of the whole view (see
    :data:`~openphm.diagnose.views.MIN_REFERENCE_BINS`)."""
    f_all, v_all = view.spectrum.freqs_hz, view.spectrum.values
    df = float(f_all[1] - f_all[0])
    ratio_all = prominence_ratio(v_all, df, floor_orders * speed_hz)
    keep = f_all <= top_hz
    f, v, ratio = f_all[keep], v_all[keep], ratio_all[keep]
    log_p = -np.log(line_p_values(ratio, ratio_all[2:]))
    return f, v, ratio, log_p


def _floor_orders(orders: FaultFrequencies, s: DiagnosisSettings) -> float:
    return max(s.floor_width_orders, orders.bpfo / 8.0)


def _evidence(
    view: EnvelopeView, c: _Candidate, s: DiagnosisSettings, n_views: int
) -> dict[str, Evidence]:
    """Each candidate fault's pattern of bearing ``c``, matched in one envelope spectrum."""
    speed = c.speed
    f, v, ratio, log_p = _prominence(view, _floor_orders(c.orders, s), speed.speed_hz, c.top_hz)
    base = {
        "outer": c.orders.bpfo,
        "inner": c.orders.bpfi,
        "ball": c.orders.two_bsf,
        "cage": c.orders.ftf,
    }
    out: dict[str, Evidence] = {}
    for fault in BEARING_FAULTS:
        tol = slip_tolerance(fault) + speed.uncertainty
        m = match_pattern(f, v, ratio, log_p, c.lines[fault], speed.speed_hz, tol)
        out[fault] = Evidence(
            fault=fault,
            score=m.score - math.log10(n_views),
            fault_hz=base[fault] * m.slip_factor * speed.speed_hz,
            slip_factor=m.slip_factor,
            peaks=m.peaks,
            band_hz=view.band_hz,
            band_source=view.source,
        )
    return out


#: Shaft-rate (``fr``) and cage-rate (``FTF``) multiples around a found fault's harmonics that
#: count as explained by it: modulation by the load zone and by the cage spreads a fault's
#: energy into such combination lines, which are not a second fault.
MODULATION_ORDERS = {"fr": 3, "FTF": 2}


def _combination_lines(c: _Candidate, ev: Evidence, top_hz: float) -> list[tuple[Line, float]]:
    """Lines ``a F + m fr`` and ``a F + j FTF`` of a found fault ``F`` (at its matched slip).

    Their tolerance is the speed uncertainty plus 0.2 %: the slip is already measured.
    """
    f_orders = ev.fault_hz / c.speed.speed_hz
    lines = []
    for a in range(1, int(top_hz / max(ev.fault_hz, 1e-9)) + 2):
        for m in range(-MODULATION_ORDERS["fr"], MODULATION_ORDERS["fr"] + 1):
            lines.append(Line("", "harmonic", a, a * f_orders, float(m)))
        for j in range(-MODULATION_ORDERS["FTF"], MODULATION_ORDERS["FTF"] + 1):
            if j:
                lines.append(Line("", "harmonic", a, a * f_orders + j * c.orders.ftf))
    return [(ln, 0.002) for ln in lines]


#: Half-width of a found fault's combination line when lines are attributed: two bins plus
#: this fraction of its frequency (the fault frequency and the speed are measured, so the
#: lines sit where they are predicted to within the spectrum's resolution).
COMBINATION_TOLERANCE = 0.0005


def _combination_hz(
    c: _Candidate, ev: Evidence, top_hz: float, df_hz: float
) -> tuple[FloatArray, FloatArray]:
    """Centres and half-widths (Hz) of a found fault's combination lines (see
    :data:`MODULATION_ORDERS`)."""
    lines = _combination_lines(c, ev, top_hz)
    centres = np.array([ln.hz(c.speed.speed_hz) for ln, _ in lines])
    return centres, COMBINATION_TOLERANCE * centres + 2.0 * df_hz


def _series(
    view: EnvelopeView,
    candidates: list[_Candidate],
    found: dict[str, Evidence],
    reference: SpeedEstimate,
    s: DiagnosisSettings,
    n_views: int,
) -> LineSeries | None:
    """The strongest line series of one spectrum that no bearing's candidate faults explain.

    Prominence is judged with the first bearing's noise floor; every bearing masks its shaft
    harmonics and the lines its candidates may claim within their slip range, and a bearing
    with a fault verdict (``found``, by label) also masks that fault's combination lines with
    the shaft and cage rates (:data:`MODULATION_ORDERS`).
    """
    first = candidates[0]
    top = max(c.top_hz for c in candidates)
    f, v, ratio, log_p = _prominence(
        view, _floor_orders(first.orders, s), first.speed.speed_hz, top
    )
    mask = np.zeros(f.size, dtype=bool)
    for c in candidates:
        claimed = [
            (ln, slip_tolerance(fault))
            for fault in BEARING_FAULTS
            for ln in c.lines[fault]
            if ln.kind == "harmonic"
        ]
        if c.label in found:
            claimed += _combination_lines(c, found[c.label], top)
        mask |= explained_mask(f, c.speed.speed_hz, claimed, c.speed.uncertainty)
    series = unexplained_series(f, v, ratio, log_p, mask, reference.speed_hz, view.band_hz)
    if series is None:
        return None
    return replace(series, score=series.score - math.log10(n_views))


def diagnose_bearing(
    waveform: Waveform | Sequence[Waveform],
    bearing: str | BearingGeometry | FaultFrequencies,
    speed_hz: float | None = None,
    *,
    track: SpeedTrack | None = None,
    rotating_ring: Ring | None = None,
    settings: DiagnosisSettings | None = None,
) -> Diagnosis:
    """Diagnose a rolling-element bearing from one vibration record, with the evidence.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        Vibration (acceleration) of one channel near the bearing; or several snapshots of
        it, of one length and sampling rate, taken in one machine state (the short records
        a monitoring system keeps): their envelope spectra are then averaged (in orders of
        each snapshot's speed when every file states its own), which brings out lines that
        one snapshot's noise hides.
    bearing : str or BearingGeometry or FaultFrequencies
        Catalogue designation (``"6205"``), internal geometry, or fault orders.
    speed_hz : float, optional
        Constant shaft speed in Hz; defaults to ``waveform.speed_hz`` (each snapshot's), and
        is estimated from the shaft harmonics when neither is given (and no ``track``).
    track : SpeedTrack, optional
        Tachometer pulses or a speed profile of a record at varying speed: the squared
        envelope is then order-tracked
        (:func:`~openphm.signal.order.squared_envelope_order_spectrum`) and every frequency of
        the evidence is an order times the mean speed. Give ``speed_hz`` or ``track``, not
        both.
    rotating_ring : {"inner", "outer"}, optional
        The ring that turns (default ``"inner"``, or the one ``bearing``'s fault orders say);
        with ``"outer"`` (wheel hubs, idlers, disc cutters on a fixed shaft) the speed is the
        outer ring's, the cage turns at ``(1 + d/D cos a)/2`` of it and the outer-race pattern
        carries the shaft-speed sidebands.
    settings : DiagnosisSettings, optional
        The configuration (defaults: the benchmarked one).

    Returns
    -------
    Diagnosis
        Verdict, confidence, per-candidate scores and evidence, speed used, bands, reasons.

    Raises
    ------
    ConfigError
        Unknown bearing, a speed that is not positive, both ``speed_hz`` and ``track``, or
        a ``track`` with several snapshots.
    DataError
        Record (each snapshot) too short to resolve the cage frequency, sampled too slowly for
        the lines, a track that does not fit the record, or snapshots of different lengths
        or sampling rates.

    Notes
    -----
    The chain of Randall & Antoni (2011, MSSP 25(2) 485-520, section 4): cepstrum
    pre-whitening (Sawalhi & Randall 2011), demodulation in the full band and in the best band
    of the fast kurtogram (Antoni 2007), squared-envelope spectrum; then each candidate's
    pattern (:mod:`openphm.diagnose.patterns`) is matched with one slip factor per candidate,
    and scored with the false-alarm statistics of :mod:`openphm.diagnose.evidence`. At varying
    speed the envelope is order-tracked after demodulation (Borghesani et al. 2013, MSSP 38(1)
    23-35), and cepstrum pre-whitening still removes the discrete components (Borghesani et
    al. 2013, MSSP 36(2) 370-384).
    W. A. Smith, R. B. Randall (2015), "Rolling element bearing diagnostics using the Case
    Western Reserve University data: A benchmark study", MSSP 64-65 100-131, is the benchmark.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> w = Waveform(rng.normal(size=60000), fs=12000.0)
    >>> diagnose_bearing(w, "6205", speed_hz=29.95).verdict
    'healthy'
    >>> run_up = SpeedTrack(speed_profile_hz=np.linspace(20.0, 35.0, 60000))
    >>> diagnose_bearing(w, "6205", track=run_up).verdict
    'healthy'
    """
    position = BearingPosition(bearing, 1.0, rotating_ring)
    return diagnose_bearings(waveform, {"": position}, speed_hz, track=track, settings=settings)[""]


def _reference_speed(
    snaps: tuple[Waveform, ...],
    speed_hz: float | None,
    track: SpeedTrack | None,
    fault_orders: list[float],
) -> tuple[SpeedEstimate, float, float, tuple[float, float] | None, tuple[float, ...]]:
    """Speed of the reference shaft: estimate, revolutions (of one snapshot), fastest speed
    (Hz), speed range, and each snapshot's speed (empty for one record)."""
    if speed_hz is not None and not (math.isfinite(speed_hz) and speed_hz > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of Hz, got {speed_hz!r}")
    waveform = snaps[0]
    if len(snaps) > 1:
        if track is not None:
            raise ConfigError(
                "snapshots are averaged at constant speed: give no speed track (diagnose a "
                "run-up or a run-down as one order-tracked record)"
            )
        speed, speeds = _snapshot_speeds(snaps, speed_hz, fault_orders)
        return speed, waveform.duration_s * min(speeds), max(speeds), None, speeds
    if track is not None:
        if speed_hz is not None:
            raise ConfigError("give the shaft speed as speed_hz or as a track, not both")
        revolutions, _, slowest, fastest = track.speeds_hz(waveform.n_samples, waveform.fs)
        speed = track.estimate(waveform.n_samples, waveform.fs)
        return speed, revolutions, fastest, (slowest, fastest), ()
    given = speed_hz if speed_hz is not None else waveform.speed_hz
    speed = shaft_speed(waveform.samples, waveform.fs, given, fault_orders)
    return speed, waveform.duration_s * speed.speed_hz, speed.speed_hz, None, ()


def _snapshot_speeds(
    snaps: tuple[Waveform, ...], speed_hz: float | None, fault_orders: list[float]
) -> tuple[SpeedEstimate, tuple[float, ...]]:
    """Each snapshot's speed, and the reference speed their spectra are averaged at.

    Snapshots whose files state different speeds (a tachometer reading kept with each) are
    taken at those speeds. Otherwise the machine ran at one speed: the one given (or stated
    alike by every file), refined once from the snapshots' mean spectrum, or estimated from it
    when no speed is known. A short snapshot resolves the shaft harmonics too coarsely to
    refine its speed alone (1 Hz for 1 s, 3 % of 30 Hz).
    """
    stated = [w.speed_hz for w in snaps]
    known = [v for v in stated if v is not None]
    if speed_hz is None and len(known) == len(snaps) and len(set(known)) > 1:
        speeds = tuple(known)
        source = (
            f"stated for each of the {len(snaps)} snapshots ({min(speeds):.3f}-"
            f"{max(speeds):.3f} Hz), their spectra averaged at the mean"
        )
        return SpeedEstimate(float(np.mean(speeds)), source, 0.002), speeds
    # One speed: the one given, else the mean of those the files state (a file without one
    # is taken to run at it too), else none (estimated).
    given = speed_hz if speed_hz is not None else (float(np.mean(known)) if known else None)
    x = np.stack([w.samples for w in snaps])
    speed = shaft_speed(x, snaps[0].fs, given, fault_orders)
    source = f"{speed.source} (in the mean spectrum of {len(snaps)} snapshots)"
    return replace(speed, source=source), (speed.speed_hz,) * len(snaps)


def _candidate(
    label: str,
    bearing: tuple[str, FaultFrequencies, float],
    speed: SpeedEstimate,
    fastest_hz: float,
    s: DiagnosisSettings,
) -> _Candidate:
    name, orders, ratio = bearing
    own = replace(speed, speed_hz=speed.speed_hz * ratio)
    lines = fault_lines(orders, s.n_harmonics)
    top_hz = 1.05 * max(ln.hz(fastest_hz * ratio, 1.03) for ls in lines.values() for ln in ls)
    return _Candidate(label, name, orders, ratio, own, lines, top_hz)


def diagnose_bearings(
    waveform: Waveform | Sequence[Waveform],
    bearings: Mapping[str, BearingPosition | str | BearingGeometry | FaultFrequencies],
    speed_hz: float | None = None,
    *,
    track: SpeedTrack | None = None,
    settings: DiagnosisSettings | None = None,
) -> dict[str, Diagnosis]:
    """Diagnose every bearing one sensor hears, giving each line series to its bearing.

    A sensor on a motor or a gearbox hears all bearings along the load path: a fault of the
    far bearing shows in the near bearing's envelope spectrum, where a diagnosis of the near
    bearing alone can only call it an unexplained series. Here each bearing's candidate
    patterns are matched in the same envelope spectra (each at its own speed), a pattern whose
    lines another bearing's pattern explains better goes to that bearing, and a series counts
    as unexplained only when no bearing explains it.

    Parameters
    ----------
    waveform : Waveform or sequence of Waveform
        Vibration (acceleration) of one channel, or snapshots of it (as
        :func:`diagnose_bearing`).
    bearings : Mapping of str to BearingPosition (or a designation, geometry or fault orders)
        The bearings by position label (``"drive end"``, ``"intermediate shaft"``); the
        first is the one the sensor was placed for. A bare designation, geometry or fault
        orders is a bearing on the reference shaft.
    speed_hz : float, optional
        Constant speed of the reference shaft in Hz (as :func:`diagnose_bearing`).
    track : SpeedTrack, optional
        Tachometer or speed profile of the reference shaft at varying speed.
    settings : DiagnosisSettings, optional
        The configuration (defaults: the benchmarked one).

    Returns
    -------
    dict of str to Diagnosis
        One diagnosis per position label, in the order given; each carries its bearing's speed
        and :attr:`~openphm.core.diagnosis.Diagnosis.speed_ratio`.

    Raises
    ------
    ConfigError
        No bearing, an unknown bearing, a speed that is not positive, both ``speed_hz`` and
        ``track``, or a ``track`` with several snapshots.
    DataError
        Record too short for the slowest bearing's cage, sampled too slowly for the lines, or
        snapshots of different lengths or sampling rates.

    Notes
    -----
    With one bearing this is :func:`diagnose_bearing`. A pattern that keeps at least the
    threshold score once the lines of another bearing's significant pattern are set aside
    stays with its bearing (the same shared-line rule that decides between the candidate
    faults of one bearing); faults of two bearings can then be reported at once.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> w = Waveform(rng.normal(size=60000), fs=12000.0)
    >>> found = diagnose_bearings(w, {"drive end": "6205", "fan end": "6203"}, 29.95)
    >>> {label: d.verdict for label, d in found.items()}
    {'drive end': 'healthy', 'fan end': 'healthy'}
    """
    s = settings or DiagnosisSettings()
    if not bearings:
        raise ConfigError("give at least one bearing to diagnose")
    snaps = snapshots_of(waveform)
    clipped = max(_clipped_fraction(w, s.max_clipped_fraction) for w in snaps)
    resolved = {}
    for label, b in bearings.items():
        position = b if isinstance(b, BearingPosition) else BearingPosition(b)
        name, orders = resolve_bearing(position.bearing, position.rotating_ring)
        resolved[label] = (name, orders, float(position.speed_ratio))
    fault_orders = [
        o * ratio for _, orders, ratio in resolved.values() for o in _impact_orders(orders)
    ]
    speed, revolutions, fastest, speed_range, speeds = _reference_speed(
        snaps, speed_hz, track, fault_orders
    )
    first_snap = snaps[0]
    candidates = []
    for label, bearing in resolved.items():
        c = _candidate(label, bearing, speed, fastest, s)
        skipped = _check_record(first_snap, c.orders, c.speed, s, revolutions * c.ratio, c.top_hz)
        candidates.append(replace(c, unassessed=skipped))
    y = prewhitened(snaps, s)
    top_hz = max(c.top_hz for c in candidates)
    views, kg = envelope_spectra(
        y, first_snap.fs, top_hz, s, track, speed.speed_hz, speed_range, speeds
    )
    best: dict[str, dict[str, Evidence]] = {c.label: {} for c in candidates}
    for view in views:
        for c in candidates:
            for fault, ev in _evidence(view, c, s, len(views)).items():
                if fault not in best[c.label] or ev.score > best[c.label][fault].score:
                    best[c.label][fault] = ev
    for c in candidates:
        for fault in c.unassessed:
            best[c.label][fault] = replace(best[c.label][fault], score=0.0, peaks=())
    df_hz = first_snap.fs / first_snap.n_samples
    first = {c.label: decide(best[c.label], s, df_hz) for c in candidates}
    combinations = {
        c.label: _combination_hz(c, best[c.label][first[c.label][0]], top_hz, df_hz)
        for c in candidates
        if first[c.label][0] in BEARING_FAULTS and len(candidates) > 1
    }
    verdicts = attribute(first, best, s, df_hz, combinations)
    faulty = {
        label: best[label][verdict]
        for label, (verdict, _, _) in verdicts.items()
        if verdict in BEARING_FAULTS
    }
    series: LineSeries | None = None
    for view in views:
        found = _series(view, candidates, faulty, speed, s, len(views))
        if found is not None and (series is None or found.score > series.score):
            series = found
    tonal = series is not None and series.score > 0.0 and _is_tonal(series, snaps)
    if tonal:
        assert series is not None
        tonal_reason = (
            f"the envelope spectrum holds a {series.describe()}, but it belongs to a comb of "
            f"discrete lines {TONAL_DB:g} dB or more out of the raw spectrum, with a line at a "
            "simple fraction of its fundamental: the harmonics of a slower source of the "
            "machine (another shaft, a gear, the supply), not counted as a bearing fault"
        )
        series = None
    unexplained = (
        series if series is not None and series.score >= s.undetermined_threshold else None
    )
    out = {}
    for c in candidates:
        verdict, confidence, reasons = verdicts[c.label]
        if tonal:
            # A strong series explained only by the raw spectrum's lines leaves some doubt.
            reasons.append(tonal_reason)
            confidence = min(confidence, TONAL_CONFIDENCE)
        if _note_series(series, verdict, c, s, reasons):
            verdict, confidence = "undetermined", 0.5
        elif verdict == "healthy" and series is not None and series.score > 0.0:
            confidence = min(
                confidence, float(1.0 - 10.0 ** -(s.undetermined_threshold - series.score))
            )
        if clipped >= s.max_clipped_fraction:
            reasons.append(
                f"{clipped:.1%} of the samples sit exactly at the record's maximum or minimum: "
                "the sensor or the converter clipped, cutting the impacts a fault makes"
            )
            verdict = "undetermined" if verdict == "healthy" else verdict
            confidence = min(confidence, 0.5 if verdict == "undetermined" else 0.7)
        for cap, doubt in _doubts(verdict, speed, first_snap, c, revolutions * c.ratio, s):
            reasons.append(doubt)
            confidence = min(confidence, cap)
        reasons.insert(0, _speed_reason(speed, c))
        if c.orders.rotating_ring == "outer":
            reasons.insert(
                1,
                "the outer ring turns (at the speed given) and the inner ring stands still: the "
                "outer-race pattern carries the shaft-speed sidebands",
            )
        out[c.label] = Diagnosis(
            verdict=cast(Verdict, verdict),
            confidence=confidence,
            scores={f: best[c.label][f].score for f in BEARING_FAULTS},
            evidence=tuple(best[c.label][f] for f in BEARING_FAULTS),
            threshold=s.threshold,
            speed_hz=c.speed.speed_hz,
            speed_source=c.speed.source,
            prewhitened=s.prewhiten,
            bands_hz=tuple(v.band_hz for v in views),
            kurtogram_kurtosis=float(kg.best_kurtosis) if kg is not None else float("nan"),
            reasons=tuple(reasons),
            bearing=c.name,
            settings=asdict(s),
            provenance=Provenance.of(s, InputRef(first_snap.source, first_snap.channel)),
            unexplained=unexplained,
            speed_range_hz=None
            if speed_range is None
            else (speed_range[0] * c.ratio, speed_range[1] * c.ratio),
            rotating_ring=c.orders.rotating_ring,
            speed_ratio=c.ratio,
            snapshot_speeds_hz=tuple(v * c.ratio for v in speeds),
        )
    return out


#: Records resolved into fewer distinct values than this are not judged clipped: coarse
#: quantisation also piles samples up at the extremes (the reader's quality check has the
#: same rule).
MIN_LEVELS_FOR_CLIPPING = 256


def _clipped_fraction(waveform: Waveform, limit: float) -> float:
    """Share of the samples exactly at the record's maximum or minimum.

    0 when it reaches ``limit`` but the record is coarsely quantised (fewer than
    :data:`MIN_LEVELS_FOR_CLIPPING` distinct values): that is not clipping. A record whose
    samples are all equal is a :class:`DataError` (nothing to diagnose).
    """
    x = waveform.samples
    if x.size and float(x.min()) == float(x.max()):
        raise DataError(
            f"{waveform.source or waveform.channel or 'waveform'}: all {x.size} samples equal "
            f"{float(x[0]):g}; there is no vibration to diagnose (a dead channel or a "
            "disconnected sensor?)"
        )
    fraction = float(np.count_nonzero((x == x.max()) | (x == x.min()))) / max(x.size, 1)
    if fraction >= limit and np.unique(x).size < MIN_LEVELS_FOR_CLIPPING:
        return 0.0
    return fraction


def _impact_orders(orders: FaultFrequencies) -> tuple[float, float, float]:
    """The impact rates of a bearing's local faults, in orders: BPFO, BPFI and 2xBSF."""
    return (orders.bpfo, orders.bpfi, orders.two_bsf)


#: Highest confidence of a verdict made at a shaft speed estimated from the signal: the
#: estimate can lock on a bearing's impact train, an electrical line or a multiple of the
#: speed, and a verdict at the wrong speed, healthy or faulty, is wrong.
ESTIMATED_SPEED_CONFIDENCE = 0.6
#: Highest confidence of a verdict made at a given speed that no shaft harmonic confirms (the
#: speed may be wrong, or the machine may not have run at one speed).
UNCONFIRMED_SPEED_CONFIDENCE = 0.8
#: Highest confidence of a healthy verdict at an estimated or unconfirmed speed: a wrong speed
#: hides every fault pattern, so "no pattern found" is exactly what it gives (a fault verdict
#: whose pattern matched at the speed used confirms that speed in part).
UNCHECKED_SPEED_HEALTHY_CONFIDENCE = 0.5
#: Highest confidence of a verdict on samples that cannot be a vibration
#: (:func:`~openphm.core.vibration.not_vibration`).
NOT_VIBRATION_CONFIDENCE = 0.1
#: Highest confidence of a healthy verdict on a record too short for the cage (the race faults
#: were assessed, the rolling elements and the cage were not).
PARTLY_HEALTHY_CONFIDENCE = 0.5


def _doubts(
    verdict: str,
    speed: SpeedEstimate,
    w: Waveform,
    c: _Candidate,
    revolutions: float,
    s: DiagnosisSettings,
) -> list[tuple[float, str]]:
    """What limits the confidence of the verdict on this record: the speed, the signal, the
    record's length, as (highest confidence, reason) pairs."""
    out = []
    healthy = verdict == "healthy"
    absent = (
        " (no fault pattern at a wrong speed says nothing about the bearing)" if healthy else ""
    )
    if speed.source.startswith("estimated"):
        cap = UNCHECKED_SPEED_HEALTHY_CONFIDENCE if healthy else ESTIMATED_SPEED_CONFIDENCE
        out.append(
            (
                cap,
                f"confidence at most {cap:g}: the shaft speed was estimated from the signal, "
                f"not given{absent}; give the speed (--rpm) for a firmer verdict",
            )
        )
    elif speed.source.startswith("given; no clear"):
        cap = UNCHECKED_SPEED_HEALTHY_CONFIDENCE if healthy else UNCONFIRMED_SPEED_CONFIDENCE
        out.append(
            (
                cap,
                f"confidence at most {cap:g}: no shaft harmonic confirms the speed given (a "
                f"wrong speed, or one that varied during the record: give a tachometer or a "
                f"speed channel then){absent}",
            )
        )
    why = not_vibration(w.samples)
    if why:
        out.append(
            (
                NOT_VIBRATION_CONFIDENCE,
                f"the signal is not a vibration: {why}; the verdict says nothing about the "
                f"bearing (confidence at most {NOT_VIBRATION_CONFIDENCE:g}): choose the "
                "vibration channel with --channel",
            )
        )
    if c.unassessed:
        need = s.min_cage_revolutions / c.orders.ftf
        out.append(
            (
                PARTLY_HEALTHY_CONFIDENCE if verdict == "healthy" else 1.0,
                f"the record ({w.duration_s:.3g} s, {revolutions:.3g} revolutions) is too "
                f"short to resolve the cage frequency ({need:.3g} revolutions needed): "
                f"{' and '.join(c.unassessed)} faults were not assessed (scores 0), race faults "
                "were"
                + (
                    f"; healthy means no race fault (confidence at most "
                    f"{PARTLY_HEALTHY_CONFIDENCE:g})"
                    if verdict == "healthy"
                    else ""
                ),
            )
        )
    return out


def _speed_reason(reference: SpeedEstimate, c: _Candidate) -> str:
    caveat = ""
    if reference.source.startswith("estimated"):
        caveat = (
            "; no speed was given, and an estimate can lock on a bearing's impact train, an "
            "electrical line or a multiple of the speed: give the speed to be sure"
        )
    if c.ratio == 1.0:
        return f"shaft speed {reference.speed_hz:.3f} Hz ({reference.source}){caveat}"
    return (
        f"bearing speed {c.speed.speed_hz:.3f} Hz: {c.ratio:g} x the reference shaft's "
        f"{reference.speed_hz:.3f} Hz ({reference.source}){caveat}"
    )


#: Highest confidence of a verdict given beside a strong series taken for a discrete source.
TONAL_CONFIDENCE = 0.9


def _is_tonal(series: LineSeries, snaps: Sequence[Waveform]) -> bool:
    """True when the series is part of a finer comb of discrete lines in the raw spectrum.

    Its fundamental and second harmonic stand out of the raw spectrum, and so does a line at a
    half, a third or a quarter of its fundamental: the harmonics of a slower periodic source
    (a shaft below the series search range, a gear, the supply). Large bearing faults put their
    own lines in the raw spectrum too (CWRU's 0.028 in inner-race records: 20-45 dB), but no
    line at a simple fraction of their fault frequency, so they keep their "undetermined".
    """
    f0 = series.fundamental_hz
    freqs = [f0, 2.0 * f0, f0 / 2.0, f0 / 3.0, f0 / 4.0]
    db = tonal_prominence_db([w.samples for w in snaps], snaps[0].fs, freqs)
    return min(db[:2]) >= TONAL_DB and max(db[2:]) >= TONAL_DB


def _note_series(
    series: LineSeries | None,
    verdict: str,
    c: _Candidate,
    s: DiagnosisSettings,
    reasons: list[str],
) -> bool:
    """Add what the strongest unexplained series says to ``reasons``; True if it must make a
    healthy or undetermined verdict "undetermined"."""
    if series is None:
        return False
    if series.score >= s.undetermined_threshold:
        if verdict not in ("healthy", "undetermined"):
            return False
        reasons.append(
            f"the envelope spectrum holds a {series.describe()}, which no candidate fault "
            f"of bearing {c.name or 'given'} explains: a fault may be present whose frequencies "
            "the bearing data given do not describe (check the bearing designation, geometry "
            "and speed)"
        )
        return True
    if verdict == "healthy" and series.score > 0.0:
        reasons.append(
            f"strongest unexplained {series.describe()}: below {s.undetermined_threshold:g}, "
            "which lowers the confidence in a healthy bearing"
        )
    return False
