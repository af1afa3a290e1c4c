"""No confident wrong answer: a verdict on an estimated or unconfirmed speed, on samples that
are not a vibration, or on records too short for some patterns says so and caps its
confidence; a speed or a rate the record cannot show is refused before any allocation."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from openphm.core import DataError, Waveform
from openphm.diagnose import diagnose_bearing
from openphm.diagnose.bearing import (
    ESTIMATED_SPEED_CONFIDENCE,
    NOT_VIBRATION_CONFIDENCE,
    PARTLY_HEALTHY_CONFIDENCE,
    UNCHECKED_SPEED_HEALTHY_CONFIDENCE,
    UNCONFIRMED_SPEED_CONFIDENCE,
)
from tests.helpers.bearing_sim import simulate_bearing

FS = 12000.0


def _with_shaft_lines(w: Waveform, shaft_hz: float) -> Waveform:
    """The record with shaft harmonics added and no speed stated."""
    t = np.arange(w.n_samples) / w.fs
    lines = sum(0.3 * np.sin(2 * np.pi * k * shaft_hz * t) / k for k in range(1, 9))
    return replace(w.with_samples(w.samples + lines), speed_hz=None)


def test_healthy_from_an_estimated_speed_is_not_certain() -> None:
    rng = np.random.default_rng(0)
    w = _with_shaft_lines(simulate_bearing("healthy", rng=rng, duration_s=4.0), 29.95)
    found = diagnose_bearing(w, "6205")
    assert found.speed_source.startswith("estimated")
    assert found.verdict == "healthy"
    assert found.confidence <= UNCHECKED_SPEED_HEALTHY_CONFIDENCE
    assert any("estimated from the signal, not given" in r for r in found.reasons)


def test_a_fault_from_an_estimated_speed_is_capped_too() -> None:
    rng = np.random.default_rng(1)
    w = _with_shaft_lines(simulate_bearing("outer", rng=rng, duration_s=4.0), 29.95)
    found = diagnose_bearing(w, "6205")
    assert found.confidence <= ESTIMATED_SPEED_CONFIDENCE


def test_unconfirmed_given_speed_caps_the_confidence() -> None:
    rng = np.random.default_rng(2)
    found = diagnose_bearing(Waveform(rng.normal(size=60000), FS), "6205", 29.95)
    assert found.speed_source.startswith("given; no clear")
    assert found.verdict == "healthy"
    assert found.confidence <= UNCHECKED_SPEED_HEALTHY_CONFIDENCE
    assert any("no shaft harmonic confirms the speed" in r for r in found.reasons)


def test_run_up_given_one_constant_speed_is_not_called_healthy_with_confidence() -> None:
    rng = np.random.default_rng(8)
    w = simulate_bearing("outer", rng=rng, duration_s=10.0, shaft_hz=20.0, ramp_to_hz=35.0)
    found = diagnose_bearing(replace(w, speed_hz=None), "6205", 27.5)
    if found.verdict == "healthy":
        assert found.confidence <= UNCHECKED_SPEED_HEALTHY_CONFIDENCE
    else:
        assert found.confidence <= UNCONFIRMED_SPEED_CONFIDENCE


@pytest.mark.parametrize(
    ("samples", "what"),
    [
        (np.random.default_rng(3).normal(size=60000) > 0, "2 distinct values"),
        (np.arange(60000) / FS, "rises throughout"),
    ],
    ids=["bool array", "time column"],
)
def test_a_signal_that_is_not_a_vibration_is_not_judged(samples: np.ndarray, what: str) -> None:
    found = diagnose_bearing(Waveform(samples.astype(float), FS), "6205", 29.95)
    assert found.confidence <= NOT_VIBRATION_CONFIDENCE
    assert any("not a vibration" in r and what in r for r in found.reasons)


def test_a_constant_signal_is_refused() -> None:
    with pytest.raises(DataError, match="no vibration to diagnose"):
        diagnose_bearing(Waveform(np.ones(60000), FS), "6205", 29.95)


@pytest.mark.parametrize(
    ("fs", "speed_hz", "match"),
    [
        (FS, 1e9 / 60.0, "not below half the sampling rate"),
        (1.0, 29.95, "not below half the sampling rate"),
        (1.0, None, "too low to estimate the shaft speed"),
    ],
)
def test_speed_or_rate_the_record_cannot_show_is_refused(
    fs: float, speed_hz: float | None, match: str
) -> None:
    w = Waveform(np.random.default_rng(4).normal(size=120000), fs)
    with pytest.raises(DataError, match=match):
        diagnose_bearing(w, "6205", speed_hz)


def _snapshots(fault: str, seed: int, duration_s: float = 0.1) -> list[Waveform]:
    rng = np.random.default_rng(seed)
    return [
        simulate_bearing(
            fault, rng=rng, fs=25600.0, duration_s=duration_s, shaft_hz=30.0, snr_db=-5.0
        )
        for _ in range(30)
    ]


@pytest.mark.parametrize("fault", ["outer", "inner"])
def test_short_snapshots_show_race_faults(fault: str) -> None:
    # A monitoring system's 0.1 s snapshots (FEMTO's, at 25.6 kHz): 3 revolutions each.
    found = diagnose_bearing(_snapshots(fault, 5), "6205", 30.0)
    assert found.verdict == fault
    assert found.scores["cage"] == 0.0 and found.scores["ball"] == 0.0
    assert any("too short to resolve the cage frequency" in r for r in found.reasons)


def test_short_healthy_snapshots_say_what_they_cannot_show() -> None:
    found = diagnose_bearing(_snapshots("healthy", 6), "6205", 30.0)
    assert found.verdict == "healthy"
    assert found.confidence <= PARTLY_HEALTHY_CONFIDENCE
    assert any("healthy means no race fault" in r for r in found.reasons)


def test_snapshots_too_short_for_the_races_are_refused() -> None:
    with pytest.raises(DataError, match="at least 2 revolutions for the race faults"):
        diagnose_bearing(_snapshots("outer", 7, duration_s=0.05), "6205", 30.0)
