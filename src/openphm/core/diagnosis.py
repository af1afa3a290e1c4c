"""Diagnosis domain types: a fault verdict with the evidence a vibration analyst can check."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from openphm.core.bearing import Ring
from openphm.core.provenance import Provenance
from openphm.core.serialize import Serializable

#: A fault of a rolling-element bearing.
BearingFault = Literal["outer", "inner", "ball", "cage"]
#: A gear fault: one damaged tooth (crack, chip, missing tooth) or distributed wear or pitting.
GearFault = Literal["tooth", "distributed"]
#: Every verdict a :class:`Diagnosis` may carry, whatever the machine element.
Verdict = Literal[
    "healthy", "undetermined", "outer", "inner", "ball", "cage", "tooth", "distributed"
]
#: The machine element a diagnosis is about.
Element = Literal["bearing", "gear"]
#: The kinds of line an evidence table holds.
LineKind = Literal["harmonic", "sideband", "modulation"]
#: How a demodulation band was chosen.
BandSource = Literal["full band", "kurtogram"]

#: The fault candidates of a rolling-element bearing, in report order.
BEARING_FAULTS: tuple[BearingFault, ...] = get_args(BearingFault)
#: Every verdict :class:`Diagnosis` may carry.
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)


@dataclass(frozen=True)
class MatchedPeak(Serializable):
    """One spectral line predicted by a fault's physics and what the spectrum shows there.

    Parameters
    ----------
    label : str
        Name of the line, for example ``"2xBPFI"``, ``"1xBPFI-fr"`` or ``"FTF"``.
    kind : str
        ``"harmonic"`` (a harmonic of the fault frequency), ``"sideband"`` (a modulation
        sideband around a harmonic) or ``"modulation"`` (the modulating frequency itself).
    order : int
        Harmonic order of the fault frequency the line belongs to (0 for modulation lines).
    expected_hz : float
        Where the physics puts the line, in Hz, after the slip factor of the match.
    freq_hz : float
        Frequency of the largest spectral value found within one bin of ``expected_hz``, Hz.
    amplitude : float
        Spectrum value there (squared-envelope amplitude, (unit of the signal)^2).
    prominence_db : float
        ``20 log10(amplitude / floor)`` where the floor is the running median of the spectrum
        around the line (dB).
    p_value : float
        Probability that noise alone gives a line at least this prominent among the bins
        searched (see :func:`openphm.diagnose.evidence.line_p_values`).
    """

    label: str
    kind: LineKind
    order: int
    expected_hz: float
    freq_hz: float
    amplitude: float
    prominence_db: float
    p_value: float


@dataclass(frozen=True)
class Evidence(Serializable):
    """The evidence for one fault candidate in one squared-envelope spectrum.

    Parameters
    ----------
    fault : str
        ``"outer"``, ``"inner"``, ``"ball"`` or ``"cage"`` for a bearing; ``"tooth"`` or
        ``"distributed"`` for a gear.
    score : float
        ``-log10`` of the combined false-alarm probability of the matched lines, corrected for
        the slip factors and spectra searched (larger is stronger; 3 means 1 in 1000).
    fault_hz : float
        Characteristic frequency of the fault at the speed used, times the slip factor (Hz).
    slip_factor : float
        Ratio of the matched frequency to the nominal kinematic one (1.0 = no slip).
    peaks : tuple of MatchedPeak
        Every predicted line and what was found there.
    band_hz : (float, float)
        Demodulation band of the spectrum the evidence comes from (Hz).
    band_source : str
        How the band was chosen: ``"full band"`` or ``"kurtogram"``.
    """

    fault: BearingFault | GearFault
    score: float
    fault_hz: float
    slip_factor: float
    peaks: tuple[MatchedPeak, ...]
    band_hz: tuple[float, float]
    band_source: BandSource

    @property
    def n_significant(self) -> int:
        """Number of lines with a false-alarm probability below 1 %."""
        return sum(1 for p in self.peaks if p.p_value < 0.01)


@dataclass(frozen=True)
class LineSeries(Serializable):
    """A harmonic line series in the envelope spectrum that no candidate fault explains.

    Parameters
    ----------
    fundamental_hz : float
        Fundamental frequency of the series, Hz.
    orders : float
        The fundamental in orders of the shaft speed used.
    score : float
        ``-log10`` of the series' false-alarm probability, corrected for the fundamentals
        searched (as :attr:`Evidence.score`).
    harmonics : tuple of MatchedPeak
        The harmonics of the series and what the spectrum shows there (``kind`` "harmonic").
    sidebands : tuple of MatchedPeak
        Shaft-speed sidebands around those harmonics (``kind`` "sideband").
    band_hz : (float, float)
        Demodulation band of the spectrum it was found in, Hz.
    """

    fundamental_hz: float
    orders: float
    score: float
    harmonics: tuple[MatchedPeak, ...]
    sidebands: tuple[MatchedPeak, ...]
    band_hz: tuple[float, float]

    @property
    def has_shaft_sidebands(self) -> bool:
        """Whether at least two shaft-speed sidebands are significant (p below 1 %)."""
        return sum(1 for p in self.sidebands if p.p_value < 0.01) >= 2

    def describe(self) -> str:
        """One sentence for reports: where the series is and what it looks like.

        Returns
        -------
        str
            Fundamental in Hz and orders, significant harmonics, and sidebands.
        """
        found = [p.order for p in self.harmonics if p.p_value < 0.01]
        side = (
            "with shaft-speed sidebands (modulation once per revolution, as a defect on a "
            "rotating ring gives)"
            if self.has_shaft_sidebands
            else "without shaft-speed sidebands"
        )
        return (
            f"line series at {self.fundamental_hz:.2f} Hz ({self.orders:.3f} orders of the "
            f"shaft speed), harmonics {', '.join(str(k) for k in found)} significant, {side}, "
            f"score {self.score:.1f}"
        )


@dataclass(frozen=True)
class Diagnosis(Serializable):
    """A bearing health verdict with its confidence, scores and evidence.

    Parameters
    ----------
    verdict : str
        One of :data:`VERDICTS`: a fault, ``"healthy"`` or ``"undetermined"`` (some evidence,
        too weak or too ambiguous for a verdict).
    confidence : float
        Confidence in the verdict, 0 to 1.
    scores : Mapping of str to float
        Score of each candidate fault (see :attr:`Evidence.score`).
    evidence : tuple of Evidence
        The best evidence of each candidate, in :data:`BEARING_FAULTS` order.
    threshold : float
        Score a candidate needs for a fault verdict.
    speed_hz : float
        Shaft speed used, Hz (the mean speed of an order-tracked record).
    speed_source : str
        ``"given; no clear shaft harmonics ..."`` (kept as given), ``"given, refined from shaft
        harmonics"``, ``"estimated from shaft harmonics..."`` or ``"order-tracked from ..."``
        (a tachometer or a speed profile).
    prewhitened : bool
        Whether cepstrum pre-whitening was applied before demodulation.
    bands_hz : tuple of (float, float)
        Demodulation bands examined, Hz.
    kurtogram_kurtosis : float
        Spectral kurtosis of the kurtogram's best band (dimensionless).
    reasons : tuple of str
        The reasoning, one sentence each, as a report shows it.
    bearing : str
        Bearing designation, if known.
    settings : Mapping of str to object
        The settings that produced the result, for traceability.
    unexplained : LineSeries or None
        The strongest non-synchronous harmonic series of the envelope spectrum that no
        candidate fault explains, when it is significant (a fault the bearing data given does
        not describe, or another periodic source).
    speed_range_hz : (float, float) or None
        Lowest and highest shaft speed of an order-tracked record, Hz; ``None`` at constant
        speed. When set, every frequency of the evidence is an order times ``speed_hz``.
    rotating_ring : str
        The ring that turns, ``"inner"`` or ``"outer"``; ``speed_hz`` is its speed.
    speed_ratio : float
        Speed of the bearing's rotating ring over the speed of the reference shaft that was
        given or measured (1 for a bearing on that shaft; see
        :class:`~openphm.core.bearing.BearingPosition`).
    snapshot_speeds_hz : tuple of float
        Speed of the bearing's rotating ring in each snapshot, Hz, when the diagnosis averaged
        several short records of one machine state (their envelope spectra rescaled to
        ``speed_hz``, the mean); empty for a diagnosis of one record.
    element : {"bearing", "gear"}
        The machine element diagnosed; the verdict is one of that element's faults, ``"healthy"``
        or ``"undetermined"``.
    provenance : Provenance or None
        The openphm version, the settings (typed, hashed) and the input that made the diagnosis.
    """

    verdict: Verdict
    confidence: float
    scores: Mapping[str, float]
    evidence: tuple[Evidence, ...]
    threshold: float
    speed_hz: float
    speed_source: str
    prewhitened: bool
    bands_hz: tuple[tuple[float, float], ...]
    kurtogram_kurtosis: float
    reasons: tuple[str, ...]
    bearing: str = ""
    settings: Mapping[str, object] = field(default_factory=dict)
    unexplained: LineSeries | None = None
    speed_range_hz: tuple[float, float] | None = None
    rotating_ring: Ring = "inner"
    speed_ratio: float = 1.0
    snapshot_speeds_hz: tuple[float, ...] = ()
    element: Element = "bearing"
    provenance: Provenance | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))

    def evidence_for(self, fault: BearingFault) -> Evidence:
        """The evidence of candidate ``fault``.

        Parameters
        ----------
        fault : str
            One of :data:`BEARING_FAULTS`.

        Returns
        -------
        Evidence
            Its best evidence.
        """
        for ev in self.evidence:
            if ev.fault == fault:
                return ev
        raise KeyError(fault)

    @property
    def best(self) -> Evidence:
        """Evidence of the highest-scoring candidate."""
        return max(self.evidence, key=lambda e: e.score)
