"""Bearing diagnosis on simulated faults, on bad input and on a few real CWRU records."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.acquire.datasets.cwru import load_cwru
from openphm.core import BearingGeometry, ConfigError, DataError, Diagnosis, Waveform
from openphm.diagnose import DiagnosisSettings, diagnose_bearing
from openphm.knowledge.bearings import fault_frequencies
from tests.helpers.bearing_sim import simulate_bearing


@pytest.mark.parametrize("fault", ["outer", "inner", "ball"])
def test_simulated_fault_is_found_with_its_lines(fault: str) -> None:
    w = simulate_bearing(fault, rng=np.random.default_rng(3), snr_db=-5.0)
    d = diagnose_bearing(w, "6205")
    assert d.verdict == fault
    assert d.confidence > 0.9
    ev = d.evidence_for(fault)
    assert ev.score >= d.threshold
    assert ev.n_significant >= 2
    harmonics = [p for p in ev.peaks if p.kind == "harmonic"]
    assert all(abs(p.freq_hz - p.expected_hz) <= 0.5 for p in harmonics)
    assert d.prewhitened
    assert d.speed_source.startswith("given")


def test_inner_race_evidence_has_shaft_sidebands() -> None:
    w = simulate_bearing("inner", rng=np.random.default_rng(4), snr_db=-5.0)
    ev = diagnose_bearing(w, "6205").evidence_for("inner")
    sidebands = [p for p in ev.peaks if p.kind == "sideband"]
    assert min(p.p_value for p in sidebands) < 1e-3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_noise_is_healthy(seed: int) -> None:
    w = simulate_bearing("healthy", rng=np.random.default_rng(seed))
    d = diagnose_bearing(w, "6205")
    assert d.verdict == "healthy"
    assert max(d.scores.values()) < d.threshold


def test_weak_fault_is_undetermined_not_confidently_healthy() -> None:
    # A fault whose pattern scores between the undetermined and the fault thresholds (2.1).
    w = simulate_bearing("inner", rng=np.random.default_rng(4), snr_db=-13.0)
    d = diagnose_bearing(w, "6205")
    assert d.verdict == "undetermined"
    assert d.confidence <= 0.5
    assert any("below" in r for r in d.reasons)


def test_speed_is_estimated_when_not_given() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(5), snr_db=-5.0)
    bare = Waveform(w.samples, w.fs)
    d = diagnose_bearing(bare, "6205")
    assert d.speed_source == "estimated from shaft harmonics"
    assert d.speed_hz == pytest.approx(29.95, rel=0.005)
    assert d.verdict == "outer"


def test_geometry_can_replace_the_designation() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(6), snr_db=-5.0)
    geometry = BearingGeometry(9, 0.3126, 1.537, designation="CWRU DE")
    assert diagnose_bearing(w, geometry).verdict == "outer"


def test_input_is_not_changed() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(7), snr_db=-5.0)
    before = w.samples.copy()
    diagnose_bearing(w, "6205")
    np.testing.assert_array_equal(w.samples, before)


def test_too_short_record_is_a_data_error() -> None:
    # 1.5 revolutions: too short even for the race patterns (3 would do for those).
    w = Waveform(np.random.default_rng(0).normal(size=600), 12000.0, speed_hz=29.95)
    with pytest.raises(DataError, match="too short"):
        diagnose_bearing(w, "6205")


def test_zero_speed_is_a_config_error() -> None:
    w = Waveform(np.random.default_rng(0).normal(size=48000), 12000.0)
    with pytest.raises(ConfigError, match="positive"):
        diagnose_bearing(w, "6205", speed_hz=0.0)


def test_unknown_bearing_is_a_config_error() -> None:
    w = Waveform(np.random.default_rng(0).normal(size=48000), 12000.0)
    with pytest.raises(ConfigError):
        diagnose_bearing(w, "no-such-bearing-xyz", speed_hz=29.95)


def test_sampling_rate_too_low_is_a_data_error() -> None:
    w = Waveform(np.random.default_rng(0).normal(size=8000), 1000.0)
    with pytest.raises(DataError, match="sampling rate"):
        diagnose_bearing(w, "6205", speed_hz=29.95)


@pytest.mark.parametrize(("record", "expected"), [(105, "inner"), (130, "outer"), (97, "healthy")])
def test_cwru_records(refdata: Path, record: int, expected: str) -> None:
    rec = load_cwru(record, refdata)
    d = diagnose_bearing(rec["DE"], "6205")
    assert isinstance(d, Diagnosis)
    assert d.verdict == expected


#: Fault orders of a bearing other than the 6205 the diagnosis is told about.
OTHER_BEARING = {"outer": 3.05, "inner": 4.95, "ball": 3.9, "cage": 0.381}


@pytest.mark.parametrize("fault", ["outer", "inner"])
def test_fault_of_another_bearing_is_undetermined_with_its_series(fault: str) -> None:
    w = simulate_bearing(fault, rng=np.random.default_rng(0), snr_db=-5.0, orders=OTHER_BEARING)
    d = diagnose_bearing(w, "6205")
    assert d.verdict == "undetermined"
    assert d.confidence <= 0.5
    assert d.unexplained is not None
    assert d.unexplained.orders == pytest.approx(OTHER_BEARING[fault], rel=0.01)
    assert d.unexplained.has_shaft_sidebands == (fault == "inner")
    assert any(f"{d.unexplained.fundamental_hz:.2f} Hz" in r for r in d.reasons)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shaft_and_gear_mesh_lines_stay_healthy(seed: int) -> None:
    w = simulate_bearing("healthy", rng=np.random.default_rng(seed), gear_teeth=27)
    d = diagnose_bearing(w, "6205")
    assert d.verdict == "healthy"
    assert d.unexplained is None


@pytest.mark.parametrize("fault", ["outer", "inner", "ball", "healthy"])
def test_turning_outer_ring_faults_are_found(fault: str) -> None:
    # A wheel hub or a disc cutter: the outer ring turns, the load zone stands still, so the
    # outer-race defect is the one modulated once per revolution, and the cage runs faster.
    geometry = BearingGeometry(9, 7.94, 39.04, designation="6205")
    o = fault_frequencies(geometry, "outer")
    orders = {"outer": o.bpfo, "inner": o.bpfi, "ball": o.two_bsf, "cage": o.ftf}
    w = simulate_bearing(
        fault, rng=np.random.default_rng(1), snr_db=-5.0, orders=orders, rotating_ring="outer"
    )
    d = diagnose_bearing(w, geometry, rotating_ring="outer")
    assert d.verdict == fault
    assert d.rotating_ring == "outer"
    outer_lines = {p.kind for p in d.evidence_for("outer").peaks}
    inner_lines = {p.kind for p in d.evidence_for("inner").peaks}
    assert "sideband" in outer_lines and "sideband" not in inner_lines


def test_rotating_ring_must_agree_with_fault_orders() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(1), snr_db=-5.0)
    orders = fault_frequencies(BearingGeometry(9, 7.94, 39.04), "inner")
    with pytest.raises(ConfigError, match="contradicts"):
        diagnose_bearing(w, orders, rotating_ring="outer")


@pytest.mark.parametrize("fault", ["outer", "healthy"])
def test_slow_bearing_with_many_rolling_elements(fault: str) -> None:
    # A large slewing bearing at 3 r/min: 100 rollers, BPFO 49 orders (2.45 Hz). Slip spreads
    # its harmonics over orders in proportion to their order, so the noise floor must widen.
    geometry = BearingGeometry(100, 60.0, 3000.0, designation="slewing ring")
    o = fault_frequencies(geometry)
    orders = {"outer": o.bpfo, "inner": o.bpfi, "ball": o.two_bsf, "cage": o.ftf}
    w = simulate_bearing(
        fault,
        rng=np.random.default_rng(0),
        fs=1280.0,
        duration_s=450.0,
        shaft_hz=0.05,
        snr_db=-5.0,
        orders=orders,
        resonance_hz=300.0,
    )
    assert diagnose_bearing(w, geometry, 0.05).verdict == fault


def test_kurtogram_on_an_excerpt_of_a_long_record_still_finds_the_band() -> None:
    # The kurtogram chooses the band on the middle of the record only; the spectra use it all.
    w = simulate_bearing("outer", rng=np.random.default_rng(3), snr_db=-5.0)
    d = diagnose_bearing(w, "6205", settings=DiagnosisSettings(kurtogram_max_samples=12000))
    assert d.verdict == "outer"
    assert d.settings["kurtogram_max_samples"] == 12000


def test_dead_channel_is_a_data_error() -> None:
    with pytest.raises(DataError, match="no vibration to diagnose"):
        diagnose_bearing(Waveform(np.zeros(60000), 12000.0), "6205", speed_hz=29.95)


@pytest.mark.parametrize("fault", ["healthy", "outer"])
def test_clipped_record_is_never_confidently_healthy(fault: str) -> None:
    w = simulate_bearing(fault, rng=np.random.default_rng(6), snr_db=-5.0)
    level = np.quantile(np.abs(w.samples), 0.99)
    d = diagnose_bearing(Waveform(np.clip(w.samples, -level, level), w.fs), "6205", 29.95)
    assert d.verdict == ("undetermined" if fault == "healthy" else fault)
    assert d.confidence <= 0.7
    assert any("clipped" in r for r in d.reasons)


def test_coarse_quantisation_is_not_taken_for_clipping() -> None:
    w = simulate_bearing("healthy", rng=np.random.default_rng(6))
    coarse = np.round(w.samples / np.std(w.samples) * 0.5)  # 5 levels, 0.25 % at the extremes
    at_extremes = np.count_nonzero((coarse == coarse.max()) | (coarse == coarse.min()))
    assert at_extremes / coarse.size > DiagnosisSettings().max_clipped_fraction
    d = diagnose_bearing(Waveform(coarse, w.fs), "6205", 29.95)
    assert d.verdict == "healthy"
    assert not any("clipped" in r for r in d.reasons)
