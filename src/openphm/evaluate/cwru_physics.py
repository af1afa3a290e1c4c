"""The CWRU physics-diagnosis benchmark: every 12 kHz drive-end record, one configuration.

The 60 records are the set of W. A. Smith and R. B. Randall (2015), "Rolling element bearing
diagnostics using the Case Western Reserve University data: A benchmark study", MSSP 64-65
100-131 (experts clearly diagnosed 40, the best of their methods 44). A record counts as correct
when the verdict names its labelled fault; "undetermined" counts as wrong. The normal baseline
97 (48 kHz) is judged separately: it must come out healthy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from openphm.acquire.datasets.cwru import CwruRecord, cwru_records, read_cwru
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import DataError
from openphm.core.serialize import Serializable
from openphm.diagnose.bearing import diagnose_bearing
from openphm.diagnose.settings import DiagnosisSettings

__all__ = ["BenchResult", "BenchRow", "RecordOutcome", "run_cwru_physics"]

#: Drive-end bearing of the CWRU rig.
CWRU_BEARING = "6205"


@dataclass(frozen=True)
class RecordOutcome(Serializable):
    """The outcome of one record in brief, as the benchmark reports it.

    Parameters
    ----------
    record : int
        CWRU record number.
    name : str
        CWRU label (``"IR007_0"``).
    label : str
        Labelled condition.
    verdict : str
        The diagnosis's verdict.
    correct : bool
        Whether the verdict equals the label.
    confidence : float
        The diagnosis's confidence.
    scores : Mapping of str to float
        Score of each candidate fault.
    key_evidence : str
        The strongest candidate's most significant lines (see :attr:`BenchRow.key_evidence`).
    seconds : float
        Wall time of the diagnosis, s.
    """

    record: int
    name: str
    label: str
    verdict: str
    correct: bool
    confidence: float
    scores: Mapping[str, float] = field(default_factory=dict)
    key_evidence: str = ""
    seconds: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", MappingProxyType(dict(self.scores)))


@dataclass(frozen=True)
class BenchRow:
    """The outcome of one record.

    Parameters
    ----------
    record : int
        CWRU record number.
    name : str
        CWRU label (``"IR007_0"``).
    label : str
        Labelled condition: ``"inner"``, ``"outer"``, ``"ball"`` or ``"healthy"``.
    size_in : float or None
        Fault size in inches.
    load_hp : int
        Motor load in hp.
    diagnosis : Diagnosis
        The full diagnosis.
    seconds : float
        Wall time of the diagnosis, s.
    """

    record: int
    name: str
    label: str
    size_in: float | None
    load_hp: int
    diagnosis: Diagnosis
    seconds: float

    @property
    def correct(self) -> bool:
        """Whether the verdict equals the label."""
        return self.diagnosis.verdict == self.label

    @property
    def key_evidence(self) -> str:
        """The strongest candidate's two most significant lines, for tables.

        When the verdict is "undetermined" because of a line series no candidate explains, that
        series (fundamental in Hz and orders, score) instead.
        """
        series = self.diagnosis.unexplained
        if series is not None and self.diagnosis.verdict == "undetermined":
            lo, hi = series.band_hz
            return (
                f"unexplained series {series.fundamental_hz:.1f} Hz ({series.orders:.3f} "
                f"orders), score {series.score:.1f} [{lo:.0f}-{hi:.0f} Hz]"
            )
        ev = self.diagnosis.best
        top = sorted(ev.peaks, key=lambda p: p.p_value)[:2]
        lines = ", ".join(f"{p.label} {p.freq_hz:.1f} Hz +{p.prominence_db:.0f} dB" for p in top)
        return f"{ev.fault}: {lines} [{ev.band_source}]"

    def outcome(self) -> RecordOutcome:
        """This row in brief (for tables and JSON).

        Returns
        -------
        RecordOutcome
            Verdict, correctness, confidence, scores, key evidence and time.
        """
        d = self.diagnosis
        return RecordOutcome(
            self.record,
            self.name,
            self.label,
            d.verdict,
            self.correct,
            d.confidence,
            dict(d.scores),
            self.key_evidence,
            self.seconds,
        )


@dataclass(frozen=True)
class BenchResult:
    """All rows of the benchmark and their summary.

    Parameters
    ----------
    rows : tuple of BenchRow
        The 12 kHz drive-end fault records.
    baseline : BenchRow or None
        The normal baseline (record 97), when present.
    total_seconds : float
        Wall time of the whole run, s.
    """

    rows: tuple[BenchRow, ...]
    baseline: BenchRow | None
    total_seconds: float

    @property
    def correct(self) -> int:
        """Number of fault records correctly diagnosed."""
        return sum(r.correct for r in self.rows)

    @property
    def total(self) -> int:
        """Number of fault records."""
        return len(self.rows)

    def breakdown(self, key: Callable[[BenchRow], object]) -> dict[str, tuple[int, int]]:
        """Correct and total per group.

        Parameters
        ----------
        key : callable
            Maps a row to its group.

        Returns
        -------
        dict of str to (int, int)
            ``(correct, total)`` per group, in order of first appearance.
        """
        out: dict[str, tuple[int, int]] = {}
        for r in self.rows:
            k = str(key(r))
            c, t = out.get(k, (0, 0))
            out[k] = (c + int(r.correct), t + 1)
        return out

    def summary(self) -> dict[str, object]:
        """The summary as plain data (for JSON).

        Returns
        -------
        dict
            ``correct``, ``total``, breakdowns by fault, size and load, the baseline verdict,
            the verdict counts, and timings.
        """
        verdicts: dict[str, int] = {}
        for r in self.rows:
            verdicts[r.diagnosis.verdict] = verdicts.get(r.diagnosis.verdict, 0) + 1
        n = max(len(self.rows), 1)
        return {
            "correct": self.correct,
            "total": self.total,
            "by_fault": self.breakdown(lambda r: r.label),
            "by_size_in": self.breakdown(lambda r: r.size_in),
            "by_load_hp": self.breakdown(lambda r: r.load_hp),
            "verdicts": verdicts,
            "baseline_97": None if self.baseline is None else self.baseline.diagnosis.verdict,
            "baseline_97_correct": None if self.baseline is None else self.baseline.correct,
            "seconds_total": self.total_seconds,
            "seconds_per_record": sum(r.seconds for r in self.rows) / n,
        }


def _row(info: CwruRecord, settings: DiagnosisSettings) -> BenchRow:
    if info.path is None:
        raise DataError(f"CWRU record {info.record}: no file")
    rec = read_cwru(info.path, record=info.record)
    wave = rec["DE"]
    speed = wave.speed_hz if wave.speed_hz is not None else info.rpm_nominal / 60.0
    t0 = time.perf_counter()
    diag = diagnose_bearing(wave, CWRU_BEARING, speed, settings=settings)
    seconds = time.perf_counter() - t0
    label = "healthy" if info.fault == "normal" else info.fault
    return BenchRow(info.record, info.name, label, info.size_in, info.load_hp, diag, seconds)


def run_cwru_physics(
    root: str | Path | None = None,
    *,
    settings: DiagnosisSettings | None = None,
    records: Sequence[int] | None = None,
    progress: Callable[[Iterable[CwruRecord]], Iterable[CwruRecord]] | None = None,
) -> BenchResult:
    """Diagnose every 12 kHz drive-end CWRU record (and the baseline 97) with one configuration.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``cwru/`` (defaults to ``OPENPHM_DATA``).
    settings : DiagnosisSettings, optional
        The configuration (default: the benchmarked one).
    records : sequence of int, optional
        Restrict to these record numbers (for quick checks).
    progress : callable, optional
        Wraps the record iterable (a progress bar).

    Returns
    -------
    BenchResult
        Per-record rows, the baseline and the summary.

    Raises
    ------
    DataError
        No CWRU record found under ``root``.
    """
    s = settings or DiagnosisSettings()
    found = [
        r
        for r in cwru_records(root)
        if (r.fs_hz == 12000.0 and r.fault != "normal") or r.record == 97
    ]
    if records is not None:
        found = [r for r in found if r.record in set(records)]
    if not found:
        raise DataError(f"no CWRU 12 kHz drive-end records found under {root or '$OPENPHM_DATA'}")
    t0 = time.perf_counter()
    rows, baseline = [], None
    for info in progress(found) if progress is not None else found:
        row = _row(info, s)
        if info.record == 97:
            baseline = row
        else:
            rows.append(row)
    return BenchResult(tuple(rows), baseline, time.perf_counter() - t0)
