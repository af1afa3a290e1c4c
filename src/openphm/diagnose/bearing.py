"""Rolling-element bearing diagnosis from physics: which fault, how sure, and why."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import special

from openphm.core.bearing import BearingGeometry, BearingPosition, FaultFrequencies
from openphm.core.diagnosis import BEARING_FAULTS, Diagnosis, Evidence, LineSeries, MatchedPeak
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Waveform
from openphm.diagnose.evidence import line_p_values, match_pattern, prominence_ratio
from openphm.diagnose.patterns import Line, fault_lines, slip_tolerance
from openphm.diagnose.series import explained_mask, unexplained_series
from openphm.diagnose.speed import SpeedEstimate, SpeedTrack, shaft_speed
from openphm.knowledge.bearings import fault_frequencies
from openphm.knowledge.catalogue import get_bearing
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import LONG_RECORD_SAMPLES, Kurtogram, fast_kurtogram
from openphm.signal.order import samples_per_rev_for, squared_envelope_order_spectrum
from openphm.signal.prewhiten import cepstrum_prewhiten
from openphm.signal.spectrum import Spectrum

__all__ = [
    "DiagnosisSettings",
    "EnvelopeView",
    "diagnose_bearing",
    "diagnose_bearings",
    "envelope_views",
    "resolve_bearing",
]


@dataclass(frozen=True)
class DiagnosisSettings:
    """The one configuration of :func:`diagnose_bearing` (the defaults are the benchmarked one).

    Parameters
    ----------
    n_harmonics : int, default 4
        Harmonics of each fault frequency to match (see
        :func:`openphm.diagnose.patterns.fault_lines`).
    threshold : float, default 3.0
        Score (``-log10`` false-alarm probability) a candidate needs for a fault verdict.
    undetermined_threshold : float, default 1.5
        Best score above which the verdict is ``"undetermined"`` rather than ``"healthy"``.
    ambiguity_margin : float, default 1.0
        Two unrelated candidates above ``threshold`` whose scores differ by less than this give
        ``"undetermined"``.
    prewhiten : bool, default True
        Apply cepstrum pre-whitening before demodulation.
    use_kurtogram : bool, default True
        Also demodulate in the fast kurtogram's best band (besides the full band).
    floor_width_orders : float, default 0.5
        Narrowest width of the running-median noise floor, in orders of the shaft speed; the
        floor is widened to an eighth of BPFO for bearings with many rolling elements, whose
        high fault orders slip spreads over more orders (a line ``k f`` slipping by ``e``
        spreads over about ``k f e``, in proportion to its order).
    min_cage_revolutions : float, default 10
        Shortest record accepted, in revolutions of the cage (so that the spectrum resolves
        cage-frequency sidebands to a tenth of their spacing).
    kurtogram_max_samples : int, default 2**21
        The kurtogram chooses its band on at most this many samples from the middle of the
        record (even its narrowest band then holds about 10 000 samples, plenty for the
        kurtosis); the envelope spectra still use the whole record. Bounds time and memory on
        long records (4 minutes at 51.2 kHz took 3 GB and 18 s without it).
    max_clipped_fraction : float, default 1e-3
        Share of the samples sitting exactly at the record's maximum or minimum above which the
        record counts as clipped: a saturated sensor or converter cuts the impacts a fault
        makes, so a clipped record is not called healthy (it is "undetermined") and a fault
        verdict's confidence is at most 0.7. An unclipped record holds about one sample at
        each extreme.
    """

    n_harmonics: int = 4
    threshold: float = 3.0
    undetermined_threshold: float = 1.5
    ambiguity_margin: float = 1.0
    prewhiten: bool = True
    use_kurtogram: bool = True
    floor_width_orders: float = 0.5
    min_cage_revolutions: float = 10.0
    kurtogram_max_samples: int = LONG_RECORD_SAMPLES
    max_clipped_fraction: float = 1e-3


@dataclass(frozen=True)
class EnvelopeView:
    """One squared-envelope spectrum examined by the diagnosis, kept for plots.

    Parameters
    ----------
    band_hz : (float, float)
        Demodulation band in Hz.
    source : str
        ``"full band"`` or ``"kurtogram"``.
    spectrum : Spectrum
        The squared-envelope spectrum, cut just above the highest predicted line.
    """

    band_hz: tuple[float, float]
    source: str
    spectrum: Spectrum


def resolve_bearing(
    bearing: str | BearingGeometry | FaultFrequencies, rotating_ring: str | None = None
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


def _check_record(
    w: Waveform,
    orders: FaultFrequencies,
    speed: SpeedEstimate,
    s: DiagnosisSettings,
    revolutions: float,
    top_hz: float,
) -> None:
    where = w.source or w.channel or "waveform"
    cage_revolutions = revolutions * orders.ftf
    if cage_revolutions < s.min_cage_revolutions:
        need = s.min_cage_revolutions / orders.ftf
        raise DataError(
            f"{where}: record of {w.duration_s:.3g} s ({revolutions:.3g} shaft revolutions at "
            f"{speed.speed_hz:.3g} Hz) is too short to resolve the fault frequencies; need at "
            f"least {need:.3g} revolutions ({need / speed.speed_hz:.3g} s at this speed, "
            f"{s.min_cage_revolutions:g} cage revolutions)"
        )
    if w.fs / 2.0 <= top_hz:
        raise DataError(
            f"{where}: sampling rate {w.fs:g} Hz is too low; the fault lines reach "
            f"{top_hz:.4g} Hz, so at least {2 * top_hz:.4g} Hz is needed"
        )


def _views(
    y: np.ndarray,
    fs: float,
    top_hz: float,
    s: DiagnosisSettings,
    track: SpeedTrack | None = None,
    speed_hz: float = 1.0,
    speed_range: tuple[float, float] | None = None,
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Squared-envelope spectra of the full band and the kurtogram's band, cut at ``top_hz``.

    ``top_hz`` is the highest line at the highest speed (the narrowest band the kurtogram may
    choose). With a track the spectra are order-tracked and their axis is orders times
    ``speed_hz`` (the mean speed), cut at the same order as ``top_hz`` at the fastest speed of
    ``speed_range`` (slowest, fastest; Hz).
    """
    bands: list[tuple[tuple[float, float], str]] = [((0.0, fs / 2.0), "full band")]
    kg = None
    if s.use_kurtogram:
        kg = fast_kurtogram(
            y,
            fs,
            min_bandwidth_hz=min(top_hz, fs / 2.0),
            max_samples=s.kurtogram_max_samples,
        )
        if kg.best_band_hz != (0.0, fs / 2.0):
            bands.append((kg.best_band_hz, "kurtogram"))
    views = []
    for band, source in bands:
        limits = None if source == "full band" else band
        if track is None:
            ses = squared_envelope_spectrum(y, fs, limits)
            f, v, note = ses.freqs_hz, ses.values, ses.unit_note
            keep = f <= top_hz
        else:
            assert speed_range is not None
            slowest, fastest = speed_range
            top_order = top_hz / fastest
            spr = samples_per_rev_for(top_order, fastest / slowest)
            oes = squared_envelope_order_spectrum(
                y,
                fs,
                limits,
                tacho_pulses_s=track.tacho_pulses_s,
                speed_profile_hz=track.speed_profile_hz,
                samples_per_rev=spr,
                pulses_per_rev=track.pulses_per_rev,
            )
            f, v = oes.orders * speed_hz, oes.values
            note = f"{oes.unit_note}, over orders x {speed_hz:.4g} Hz (mean speed)"
            keep = oes.orders <= top_order
        views.append(EnvelopeView(band, source, Spectrum(f[keep], v[keep], note)))
    return views, kg


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


def _prominence(
    view: EnvelopeView, floor_orders: float, speed_hz: float, top_hz: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bins up to ``top_hz``: frequencies, values, floor ratios and ``-ln`` p-values."""
    keep = view.spectrum.freqs_hz <= top_hz
    f, v = view.spectrum.freqs_hz[keep], view.spectrum.values[keep]
    df = float(f[1] - f[0])
    ratio = prominence_ratio(v, df, floor_orders * speed_hz)
    log_p = -np.log(line_p_values(ratio, ratio[2:]))
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
    out = {}
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


def _log10_combined(peaks: tuple[MatchedPeak, ...]) -> float:
    """``log10`` of the leave-one-out gamma combination of the lines' p-values."""
    terms = sorted((-math.log(max(p.p_value, 1e-300)) for p in peaks), reverse=True)[1:]
    if not terms:
        return 0.0
    q = float(special.gammaincc(len(terms), sum(terms)))
    return math.log10(max(q, 1e-300))


def _unshared_score(rival: Evidence, top: Evidence, df_hz: float) -> float:
    """Score of ``rival`` once the lines it shares with ``top`` are explained by ``top``."""
    taken = [p.freq_hz for p in top.peaks if p.p_value < 0.01]
    own = tuple(p for p in rival.peaks if all(abs(p.freq_hz - f) > df_hz for f in taken))
    return rival.score - (_log10_combined(own) - _log10_combined(rival.peaks))


def _verdict(
    evidence: dict[str, Evidence], s: DiagnosisSettings, df_hz: float
) -> tuple[str, float, list[str]]:
    scores = {f: ev.score for f, ev in evidence.items()}
    order = sorted(scores, key=lambda k: scores[k], reverse=True)
    top = order[0]
    reasons = []
    rolling = {p.label: p.p_value for p in evidence["ball"].peaks if p.kind == "modulation"}
    carried = scores["ball"] >= s.threshold or rolling.get("fr-FTF", 1.0) < 0.01
    if top == "cage" and scores["cage"] >= s.threshold and carried:
        top = "ball"
        reasons.append(
            "cage-frequency lines come with rolling-element lines (2xBSF, FTF sidebands, or "
            "fr-FTF, the rate at which an element meets a point of the rotating ring): "
            "a defect carried by the cage, read as a rolling-element fault; a cage fault "
            "cannot be ruled out"
        )
    best = max(scores[top], scores["cage"]) if top == "ball" else scores[top]
    paired = {"ball", "cage"} if top in ("ball", "cage") else {top}
    others = [k for k in scores if k not in paired]
    rival_name = max(others, key=lambda k: scores[k])
    rival = _unshared_score(evidence[rival_name], evidence[top], df_hz)
    own = _unshared_score(evidence[top], evidence[rival_name], df_hz)
    if top not in ("ball", "cage") and rival_name not in ("ball", "cage") and own < rival:
        reasons.append(
            f"{rival_name} explains the shared lines better: {own:.1f} for {top} and "
            f"{rival:.1f} for {rival_name} once shared lines are set aside"
        )
        top, rival_name = rival_name, top
        best, rival = scores[top], own
    if best >= s.threshold:
        if rival >= s.threshold and best - rival < s.ambiguity_margin:
            reasons.append(
                f"both {top} ({best:.1f}) and {rival_name} ({rival:.1f}) patterns are significant "
                f"and within {s.ambiguity_margin:g} of each other"
            )
            return "undetermined", 0.5, reasons
        margin = min(best - s.undetermined_threshold, best - max(rival, 0.0))
        reasons.append(
            f"{top} pattern score {best:.1f} >= threshold {s.threshold:g} (false-alarm "
            f"probability about 10^-{best:.1f}); strongest unrelated candidate {rival_name} "
            f"{rival:.1f} once the lines {top} explains are set aside"
        )
        confidence = float(np.clip(1.0 - 10.0 ** (-margin / 2.0), 0.0, 1.0))
        if top == "ball" and scores["ball"] < s.threshold:
            confidence = min(confidence, 0.7)
        return top, confidence, reasons
    if best >= s.undetermined_threshold:
        reasons.append(
            f"best candidate {top} scores {best:.1f}: above {s.undetermined_threshold:g} (not "
            f"noise-like) but below {s.threshold:g} (not enough for a fault verdict)"
        )
        return "undetermined", 0.5, reasons
    reasons.append(
        f"no fault pattern stands out: best candidate {top} scores {best:.1f} "
        f"< {s.undetermined_threshold:g}"
    )
    margin = s.undetermined_threshold - best
    return "healthy", float(np.clip(1.0 - 10.0 ** (-margin), 0.0, 1.0)), reasons


def diagnose_bearing(
    waveform: Waveform,
    bearing: str | BearingGeometry | FaultFrequencies,
    speed_hz: float | None = None,
    *,
    track: SpeedTrack | None = None,
    rotating_ring: str | None = None,
    settings: DiagnosisSettings | None = None,
) -> Diagnosis:
    """Diagnose a rolling-element bearing from one vibration record, with the evidence.

    Parameters
    ----------
    waveform : Waveform
        Vibration (acceleration) of one channel near the bearing.
    bearing : str or BearingGeometry or FaultFrequencies
        Catalogue designation (``"6205"``), internal geometry, or fault orders.
    speed_hz : float, optional
        Constant shaft speed in Hz; defaults to ``waveform.speed_hz``, and is estimated from
        the shaft harmonics when neither is given (and no ``track``).
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
        Unknown bearing, a speed that is not positive, or both ``speed_hz`` and ``track``.
    DataError
        Record too short to resolve the cage frequency, sampled too slowly for the lines, or
        a track that does not fit the record.

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
    waveform: Waveform,
    speed_hz: float | None,
    track: SpeedTrack | None,
    fault_orders: list[float],
) -> tuple[SpeedEstimate, float, float, tuple[float, float] | None]:
    """Speed of the reference shaft: estimate, revolutions, fastest speed (Hz), speed range."""
    if speed_hz is not None and not (math.isfinite(speed_hz) and speed_hz > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of Hz, got {speed_hz!r}")
    if track is not None:
        if speed_hz is not None:
            raise ConfigError("give the shaft speed as speed_hz or as a track, not both")
        revolutions, _, slowest, fastest = track.speeds_hz(waveform.n_samples, waveform.fs)
        speed = track.estimate(waveform.n_samples, waveform.fs)
        return speed, revolutions, fastest, (slowest, fastest)
    given = speed_hz if speed_hz is not None else waveform.speed_hz
    speed = shaft_speed(waveform.samples, waveform.fs, given, fault_orders)
    return speed, waveform.duration_s * speed.speed_hz, speed.speed_hz, None


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


def _attribute(
    verdicts: dict[str, tuple[str, float, list[str]]],
    best: dict[str, dict[str, Evidence]],
    s: DiagnosisSettings,
    df_hz: float,
) -> dict[str, tuple[str, float, list[str]]]:
    """Give each fault pattern to the bearing whose lines explain it (several bearings).

    A bearing keeps a fault verdict when its pattern still reaches the threshold once the
    lines of another bearing's significant pattern are set aside (an "undetermined" verdict,
    when its best pattern keeps the undetermined threshold). When it does not and the other
    bearing's pattern does, the lines are the other bearing's: the verdict falls to what the
    remaining evidence supports. When neither keeps enough evidence of its own (the same
    geometry at the same speed), one sensor cannot say which: both keep a fault verdict at a
    confidence of at most one half.
    """
    out = dict(verdicts)
    for a, (verdict, confidence, reasons) in verdicts.items():
        if verdict == "healthy":
            continue
        is_fault = verdict in BEARING_FAULTS
        mine = best[a][verdict] if is_fault else max(best[a].values(), key=lambda e: e.score)
        keep = s.threshold if is_fault else s.undetermined_threshold
        for b in verdicts:
            if b == a:
                continue
            theirs = max(best[b].values(), key=lambda ev: ev.score)
            if theirs.score < s.threshold:
                continue
            own = _unshared_score(mine, theirs, df_hz)
            other = _unshared_score(theirs, mine, df_hz)
            if own >= keep:
                continue
            where = f"bearing {b!r}" if b else "the bearing diagnosed"
            if other >= s.threshold:
                paired = ("ball", "cage") if mine.fault in ("ball", "cage") else (mine.fault,)
                rest = max([own] + [ev.score for f, ev in best[a].items() if f not in paired])
                new = "undetermined" if rest >= s.undetermined_threshold else "healthy"
                why = (
                    f"its {mine.fault} lines belong to {where}: its {theirs.fault} pattern "
                    f"scores {other:.1f} once the shared lines are set aside, while "
                    f"{mine.fault} keeps {own:.1f}"
                )
                confidence = (
                    0.5
                    if new == "undetermined"
                    else float(np.clip(1.0 - 10.0 ** -(s.undetermined_threshold - rest), 0.0, 1.0))
                )
                out[a] = (new, confidence, [*reasons, why])
                break
            if is_fault:
                why = (
                    f"the same lines fit the {theirs.fault} pattern of {where} (scores "
                    f"{own:.1f} and {other:.1f} once shared lines are set aside): one sensor "
                    "cannot say which bearing holds the fault"
                )
                out[a] = (verdict, min(confidence, 0.5), [*reasons, why])
                break
    return out


def diagnose_bearings(
    waveform: Waveform,
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
    waveform : Waveform
        Vibration (acceleration) of one channel.
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
        No bearing, an unknown bearing, a speed that is not positive, or both ``speed_hz`` and
        ``track``.
    DataError
        Record too short for the slowest bearing's cage, or sampled too slowly for the lines.

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
    x = waveform.samples
    if x.size and float(x.min()) == float(x.max()):
        raise DataError(
            f"{waveform.source or waveform.channel or 'waveform'}: all {x.size} samples equal "
            f"{float(x[0]):g}; there is no vibration to diagnose (a dead channel or a "
            "disconnected sensor?)"
        )
    clipped = float(np.count_nonzero((x == x.max()) | (x == x.min()))) / max(x.size, 1)
    resolved = {}
    for label, b in bearings.items():
        position = b if isinstance(b, BearingPosition) else BearingPosition(b)
        name, orders = resolve_bearing(position.bearing, position.rotating_ring)
        resolved[label] = (name, orders, float(position.speed_ratio))
    fault_orders = [
        o * ratio for _, orders, ratio in resolved.values() for o in _impact_orders(orders)
    ]
    speed, revolutions, fastest, speed_range = _reference_speed(
        waveform, speed_hz, track, fault_orders
    )
    candidates = []
    for label, bearing in resolved.items():
        c = _candidate(label, bearing, speed, fastest, s)
        _check_record(waveform, c.orders, c.speed, s, revolutions * c.ratio, c.top_hz)
        candidates.append(c)
    y = _prewhitened(waveform, s)
    top_hz = max(c.top_hz for c in candidates)
    views, kg = _views(y, waveform.fs, top_hz, s, track, speed.speed_hz, speed_range)
    best: dict[str, dict[str, Evidence]] = {c.label: {} for c in candidates}
    for view in views:
        for c in candidates:
            for fault, ev in _evidence(view, c, s, len(views)).items():
                if fault not in best[c.label] or ev.score > best[c.label][fault].score:
                    best[c.label][fault] = ev
    df_hz = waveform.fs / waveform.n_samples
    verdicts = _attribute(
        {c.label: _verdict(best[c.label], s, df_hz) for c in candidates}, best, s, df_hz
    )
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
    unexplained = (
        series if series is not None and series.score >= s.undetermined_threshold else None
    )
    out = {}
    for c in candidates:
        verdict, confidence, reasons = verdicts[c.label]
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
            if verdict == "healthy":
                verdict, confidence = "undetermined", 0.5
            confidence = min(confidence, 0.7)
        reasons.insert(0, _speed_reason(speed, c))
        if c.orders.rotating_ring == "outer":
            reasons.insert(
                1,
                "the outer ring turns (at the speed given) and the inner ring stands still: the "
                "outer-race pattern carries the shaft-speed sidebands",
            )
        out[c.label] = Diagnosis(
            verdict=verdict,
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
            unexplained=unexplained,
            speed_range_hz=None
            if speed_range is None
            else (speed_range[0] * c.ratio, speed_range[1] * c.ratio),
            rotating_ring=c.orders.rotating_ring,
            speed_ratio=c.ratio,
        )
    return out


def _impact_orders(orders: FaultFrequencies) -> tuple[float, float, float]:
    """The impact rates of a bearing's local faults, in orders: BPFO, BPFI and 2xBSF."""
    return (orders.bpfo, orders.bpfi, orders.two_bsf)


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


def envelope_views(
    waveform: Waveform,
    diagnosis: Diagnosis,
    settings: DiagnosisSettings | None = None,
    *,
    track: SpeedTrack | None = None,
) -> tuple[list[EnvelopeView], Kurtogram | None]:
    """Recompute the spectra a diagnosis examined (for plots and reports).

    Parameters
    ----------
    waveform : Waveform
        The record that was diagnosed.
    diagnosis : Diagnosis
        Its diagnosis (gives the bearing's speed used).
    settings : DiagnosisSettings, optional
        The settings of the diagnosis.
    track : SpeedTrack, optional
        The track of an order-tracked diagnosis (required for one, refused otherwise).

    Returns
    -------
    (list of EnvelopeView, Kurtogram or None)
        The squared-envelope spectra and the kurtogram.

    Raises
    ------
    ConfigError
        ``track`` missing for an order-tracked diagnosis, or given for one at constant speed.
    """
    s = settings or DiagnosisSettings()
    if (diagnosis.speed_range_hz is None) != (track is None):
        raise ConfigError(
            "envelope_views: pass the diagnosis's speed track exactly when it was order-tracked"
        )
    top_hz = 0.0
    for ev in diagnosis.evidence:
        for p in ev.peaks:
            top_hz = max(top_hz, p.expected_hz)
    top_hz = 1.05 * max(top_hz, 1.0) * 1.03
    if diagnosis.speed_range_hz is not None:
        top_hz *= diagnosis.speed_range_hz[1] / diagnosis.speed_hz
    # An order-tracked spectrum's axis is orders of the tracked (reference) shaft.
    ratio = diagnosis.speed_ratio
    reference_range = None
    if diagnosis.speed_range_hz is not None:
        reference_range = (diagnosis.speed_range_hz[0] / ratio, diagnosis.speed_range_hz[1] / ratio)
    y = _prewhitened(waveform, s)
    return _views(y, waveform.fs, top_hz, s, track, diagnosis.speed_hz / ratio, reference_range)


def _prewhitened(waveform: Waveform, s: DiagnosisSettings) -> np.ndarray:
    x = waveform.samples
    return cepstrum_prewhiten(x) if s.prewhiten else x - x.mean()
