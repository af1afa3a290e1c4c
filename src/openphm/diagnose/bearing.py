"""Rolling-element bearing diagnosis from physics: which fault, how sure, and why."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import special

from openphm.core.bearing import BearingGeometry, FaultFrequencies
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


def _evidence(
    view: EnvelopeView,
    lines: dict[str, tuple[Line, ...]],
    speed: SpeedEstimate,
    s: DiagnosisSettings,
    n_views: int,
    orders: FaultFrequencies,
) -> tuple[dict[str, Evidence], LineSeries | None]:
    f, v = view.spectrum.freqs_hz, view.spectrum.values
    df = float(f[1] - f[0])
    floor_orders = max(s.floor_width_orders, orders.bpfo / 8.0)
    ratio = prominence_ratio(v, df, floor_orders * speed.speed_hz)
    reference = ratio[2:]
    log_p = -np.log(line_p_values(ratio, reference))
    base = {"outer": orders.bpfo, "inner": orders.bpfi, "ball": orders.two_bsf, "cage": orders.ftf}
    out = {}
    for fault in BEARING_FAULTS:
        tol = slip_tolerance(fault) + speed.uncertainty
        m = match_pattern(f, v, ratio, log_p, lines[fault], speed.speed_hz, tol)
        out[fault] = Evidence(
            fault=fault,
            score=m.score - math.log10(n_views),
            fault_hz=base[fault] * m.slip_factor * speed.speed_hz,
            slip_factor=m.slip_factor,
            peaks=m.peaks,
            band_hz=view.band_hz,
            band_source=view.source,
        )
    claimed = (
        (ln, slip_tolerance(fault))
        for fault in BEARING_FAULTS
        for ln in lines[fault]
        if ln.kind == "harmonic"
    )
    mask = explained_mask(f, speed.speed_hz, claimed, speed.uncertainty)
    series = unexplained_series(f, v, ratio, log_p, mask, speed.speed_hz, view.band_hz)
    if series is not None:
        series = replace(series, score=series.score - math.log10(n_views))
    return out, series


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
    s = settings or DiagnosisSettings()
    if speed_hz is not None and not (math.isfinite(speed_hz) and speed_hz > 0.0):
        raise ConfigError(f"shaft speed must be a positive number of Hz, got {speed_hz!r}")
    name, orders = resolve_bearing(bearing, rotating_ring)
    speed_range: tuple[float, float] | None = None
    if track is not None:
        if speed_hz is not None:
            raise ConfigError("give the shaft speed as speed_hz or as a track, not both")
        revolutions, _, slowest, fastest = track.speeds_hz(waveform.n_samples, waveform.fs)
        speed = track.estimate(waveform.n_samples, waveform.fs)
        speed_range = (slowest, fastest)
    else:
        given = speed_hz if speed_hz is not None else waveform.speed_hz
        speed = shaft_speed(waveform.samples, waveform.fs, given)
        revolutions, fastest = waveform.duration_s * speed.speed_hz, speed.speed_hz
    lines = fault_lines(orders, s.n_harmonics)
    top_hz = 1.05 * max(ln.hz(fastest, 1.03) for ls in lines.values() for ln in ls)
    _check_record(waveform, orders, speed, s, revolutions, top_hz)
    y = _prewhitened(waveform, s)
    views, kg = _views(y, waveform.fs, top_hz, s, track, speed.speed_hz, speed_range)
    best: dict[str, Evidence] = {}
    series: LineSeries | None = None
    for view in views:
        evidence, found = _evidence(view, lines, speed, s, len(views), orders)
        for fault, ev in evidence.items():
            if fault not in best or ev.score > best[fault].score:
                best[fault] = ev
        if found is not None and (series is None or found.score > series.score):
            series = found
    scores = {f: best[f].score for f in BEARING_FAULTS}
    df_hz = waveform.fs / waveform.n_samples
    verdict, confidence, reasons = _verdict(best, s, df_hz)
    significant = series is not None and series.score >= s.undetermined_threshold
    unexplained = series if significant else None
    if unexplained is not None and verdict in ("healthy", "undetermined"):
        verdict, confidence = "undetermined", 0.5
        reasons.append(
            f"the envelope spectrum holds a {unexplained.describe()}, which no candidate fault "
            f"of bearing {name or 'given'} explains: a fault may be present whose frequencies "
            "the bearing data given do not describe (check the bearing designation, geometry "
            "and speed)"
        )
    elif verdict == "healthy" and series is not None and series.score > 0.0:
        confidence = min(
            confidence, float(1.0 - 10.0 ** -(s.undetermined_threshold - series.score))
        )
        reasons.append(
            f"strongest unexplained {series.describe()}: below {s.undetermined_threshold:g}, "
            "which lowers the confidence in a healthy bearing"
        )
    reasons.insert(0, f"shaft speed {speed.speed_hz:.3f} Hz ({speed.source})")
    if orders.rotating_ring == "outer":
        reasons.insert(
            1,
            "the outer ring turns (at the speed given) and the inner ring stands still: the "
            "outer-race pattern carries the shaft-speed sidebands",
        )
    return Diagnosis(
        verdict=verdict,
        confidence=confidence,
        scores=scores,
        evidence=tuple(best[f] for f in BEARING_FAULTS),
        threshold=s.threshold,
        speed_hz=speed.speed_hz,
        speed_source=speed.source,
        prewhitened=s.prewhiten,
        bands_hz=tuple(v.band_hz for v in views),
        kurtogram_kurtosis=float(kg.best_kurtosis) if kg is not None else float("nan"),
        reasons=tuple(reasons),
        bearing=name,
        settings=asdict(s),
        unexplained=unexplained,
        speed_range_hz=speed_range,
        rotating_ring=orders.rotating_ring,
    )


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
    y = _prewhitened(waveform, s)
    return _views(y, waveform.fs, top_hz, s, track, diagnosis.speed_hz, diagnosis.speed_range_hz)


def _prewhitened(waveform: Waveform, s: DiagnosisSettings) -> np.ndarray:
    x = waveform.samples
    return cepstrum_prewhiten(x) if s.prewhiten else x - x.mean()
