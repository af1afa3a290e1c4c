"""Verdict rules: from each candidate's evidence to a fault, "healthy" or "undetermined".

One bearing (:func:`decide`): the best candidate needs the threshold score, clearly above any
unrelated rival once the lines they share are set aside. Several bearings heard by one sensor
(:func:`attribute`): each fault pattern goes to the bearing whose lines explain it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy import special

from openphm.core.diagnosis import BEARING_FAULTS, Evidence, MatchedPeak
from openphm.core.waveform import FloatArray
from openphm.diagnose.settings import DiagnosisSettings

__all__ = ["attribute", "decide", "unshared_score"]


def _log10_combined(peaks: tuple[MatchedPeak, ...]) -> float:
    """``log10`` of the leave-one-out gamma combination of the lines' p-values."""
    terms = sorted((-math.log(max(p.p_value, 1e-300)) for p in peaks), reverse=True)[1:]
    if not terms:
        return 0.0
    q = float(special.gammaincc(len(terms), sum(terms)))
    return math.log10(max(q, 1e-300))


def unshared_score(
    rival: Evidence,
    top: Evidence,
    df_hz: float,
    also_taken: tuple[FloatArray, FloatArray] | None = None,
) -> float:
    """Score of ``rival`` once the lines it shares with ``top`` are explained by ``top``.

    Parameters
    ----------
    rival : Evidence
        The pattern whose own evidence is wanted.
    top : Evidence
        The pattern that keeps the lines both hold (its lines with ``p < 0.01``).
    df_hz : float
        Bin width of the spectra, Hz: lines closer than this are the same line.
    also_taken : (numpy.ndarray, numpy.ndarray), optional
        Further lines ``top`` explains, as centres and half-widths in Hz (a found fault's
        combination lines with the shaft and cage rates).

    Returns
    -------
    float
        ``rival``'s score with the shared lines left out of its leave-one-out gamma
        combination (see :func:`openphm.diagnose.evidence.match_pattern`).
    """
    taken = [p.freq_hz for p in top.peaks if p.p_value < 0.01]

    def explained(f_hz: float) -> bool:
        if any(abs(f_hz - f) <= df_hz for f in taken):
            return True
        if also_taken is None:
            return False
        centres, half = also_taken
        return bool(np.any(np.abs(f_hz - centres) <= np.maximum(half, df_hz)))

    own = tuple(p for p in rival.peaks if not explained(p.freq_hz))
    return rival.score - (_log10_combined(own) - _log10_combined(rival.peaks))


def decide(
    evidence: dict[str, Evidence], s: DiagnosisSettings, df_hz: float
) -> tuple[str, float, list[str]]:
    """The verdict of one bearing from its candidates' best evidence.

    Parameters
    ----------
    evidence : dict of str to Evidence
        Best evidence of each candidate fault, keyed as :data:`BEARING_FAULTS`.
    s : DiagnosisSettings
        Thresholds and margins.
    df_hz : float
        Bin width of the spectra, Hz.

    Returns
    -------
    (str, float, list of str)
        Verdict (a fault, ``"healthy"`` or ``"undetermined"``), confidence (0-1) and the
        reasons. Cage lines that come with rolling-element lines read as a rolling-element
        fault; of two race patterns sharing lines, the one that keeps more once the shared
        lines are set aside wins; two significant rivals within ``s.ambiguity_margin`` are
        undetermined.
    """
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
    rival = unshared_score(evidence[rival_name], evidence[top], df_hz)
    own = unshared_score(evidence[top], evidence[rival_name], df_hz)
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


def attribute(
    verdicts: dict[str, tuple[str, float, list[str]]],
    best: dict[str, dict[str, Evidence]],
    s: DiagnosisSettings,
    df_hz: float,
    combinations: Mapping[str, tuple[FloatArray, FloatArray]] | None = None,
) -> dict[str, tuple[str, float, list[str]]]:
    """Give each fault pattern to the bearing whose lines explain it (several bearings).

    Parameters
    ----------
    verdicts : dict of str to (str, float, list of str)
        Each bearing's :func:`decide` result, by position label.
    best : dict of str to dict of str to Evidence
        Each bearing's best evidence per candidate fault, by position label.
    s : DiagnosisSettings
        Thresholds.
    df_hz : float
        Bin width of the spectra, Hz.
    combinations : Mapping of str to (numpy.ndarray, numpy.ndarray), optional
        For a bearing with a fault verdict, its fault's combination lines with the shaft and
        cage rates (centres and half-widths, Hz): another bearing's lines there are its.

    Returns
    -------
    dict of str to (str, float, list of str)
        The verdicts after attribution, with a reason added where one changed.

    Notes
    -----
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
            own = unshared_score(mine, theirs, df_hz, (combinations or {}).get(b))
            other = unshared_score(theirs, mine, df_hz)
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
