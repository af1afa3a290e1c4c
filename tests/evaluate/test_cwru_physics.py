"""The CWRU physics benchmark runner on a few records (the full run is `openphm bench`)."""

from __future__ import annotations

from pathlib import Path

from openphm.evaluate.cwru_physics import run_cwru_physics


def test_benchmark_rows_and_summary(refdata: Path) -> None:
    result = run_cwru_physics(refdata, records=[97, 105, 130])
    assert [r.record for r in result.rows] == [105, 130]
    assert result.baseline is not None and result.baseline.correct
    summary = result.summary()
    assert summary["correct"] == 2 and summary["total"] == 2
    assert summary["by_fault"] == {"inner": (1, 1), "outer": (1, 1)}
    assert "BPF" in result.rows[0].key_evidence


def test_unexplained_series_is_the_key_evidence(refdata: Path) -> None:
    row = run_cwru_physics(refdata, records=[3001]).rows[0]
    assert row.diagnosis.verdict == "undetermined"
    assert row.key_evidence.startswith("unexplained series")


def test_record_outcome_in_brief(refdata: Path) -> None:
    row = run_cwru_physics(refdata, records=[105]).rows[0]
    outcome = row.outcome()
    assert (outcome.record, outcome.verdict, outcome.correct) == (105, "inner", True)
    assert outcome.key_evidence == row.key_evidence
    assert dict(outcome.scores) == dict(row.diagnosis.scores)
    assert type(outcome).from_dict(outcome.to_dict()) == outcome
