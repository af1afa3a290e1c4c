"""Diagnosis of several bearings one sensor hears: each line series goes to its bearing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.acquire.datasets.cwru import load_cwru
from openphm.core import BearingPosition, ConfigError, DataError, FaultFrequencies, Waveform
from openphm.diagnose import SpeedTrack, diagnose_bearing, diagnose_bearings
from openphm.diagnose.views import envelope_views
from tests.helpers.bearing_sim import ramp_profile, simulate_bearing

#: Fault orders of a second bearing (close to the SKF 6203 at CWRU's fan end).
OTHER = {"outer": 3.05, "inner": 4.95, "ball": 3.9, "cage": 0.381}
OTHER_ORDERS = FaultFrequencies(ftf=0.381, bsf=1.95, bpfo=3.05, bpfi=4.95)


@pytest.mark.parametrize("fault", ["outer", "inner"])
def test_fault_of_the_second_bearing_goes_to_it(fault: str) -> None:
    w = simulate_bearing(fault, rng=np.random.default_rng(0), snr_db=-5.0, orders=OTHER)
    alone = diagnose_bearing(w, "6205")
    assert alone.verdict == "undetermined"  # an unexplained series
    found = diagnose_bearings(w, {"drive end": "6205", "fan end": OTHER_ORDERS})
    assert list(found) == ["drive end", "fan end"]
    assert found["fan end"].verdict == fault
    assert found["fan end"].confidence > 0.9
    assert found["drive end"].verdict == "healthy"
    assert found["drive end"].unexplained is None


@pytest.mark.parametrize("fault", ["outer", "inner"])
def test_bearing_on_a_slower_shaft(fault: str) -> None:
    # A gearbox output bearing turning at 0.4 of the input shaft, whose speed is given.
    w = simulate_bearing(
        fault,
        rng=np.random.default_rng(1),
        snr_db=-5.0,
        orders=OTHER,
        shaft_hz=0.4 * 29.95,
        duration_s=8.0,
    )
    w = Waveform(w.samples, w.fs)
    found = diagnose_bearings(
        w,
        {"input": "6205", "output": BearingPosition(OTHER_ORDERS, speed_ratio=0.4)},
        speed_hz=29.95,
    )
    out = found["output"]
    assert out.verdict == fault
    assert out.speed_ratio == 0.4
    assert out.speed_hz == pytest.approx(0.4 * found["input"].speed_hz)
    assert out.evidence_for(fault).fault_hz == pytest.approx(OTHER[fault] * 0.4 * 29.95, rel=0.02)
    assert "0.4 x the reference shaft" in out.reasons[0]
    assert found["input"].verdict == "healthy"
    views, _ = envelope_views(w, out)
    assert views[0].spectrum.freqs_hz[-1] > out.evidence_for(fault).fault_hz


def test_two_identical_bearings_cannot_be_told_apart() -> None:
    w = simulate_bearing("outer", rng=np.random.default_rng(2), snr_db=-5.0)
    found = diagnose_bearings(w, {"a": "6205", "b": "6205"})
    for d in found.values():
        assert d.verdict == "outer"
        assert d.confidence <= 0.5
        assert any("cannot say which bearing" in r for r in d.reasons)


def test_one_bearing_is_diagnose_bearing() -> None:
    w = simulate_bearing("inner", rng=np.random.default_rng(3), snr_db=-8.0)
    one = diagnose_bearings(w, {"x": "6205"})["x"]
    ref = diagnose_bearing(w, "6205")
    assert one.verdict == ref.verdict
    assert dict(one.scores) == dict(ref.scores)
    assert one.reasons == ref.reasons


@pytest.mark.parametrize("seed", [4, 5])
def test_noise_is_healthy_for_every_bearing(seed: int) -> None:
    w = simulate_bearing("healthy", rng=np.random.default_rng(seed), gear_teeth=27)
    found = diagnose_bearings(
        w, {"a": "6205", "b": "6203", "c": BearingPosition("LDK UER204", speed_ratio=0.5)}
    )
    assert {d.verdict for d in found.values()} == {"healthy"}


def test_bad_positions_are_config_errors() -> None:
    w = simulate_bearing("healthy", rng=np.random.default_rng(0))
    with pytest.raises(ConfigError, match="at least one bearing"):
        diagnose_bearings(w, {})
    with pytest.raises(ConfigError, match="speed ratio"):
        BearingPosition("6205", speed_ratio=0.0)
    with pytest.raises(ConfigError, match="rotating_ring"):
        BearingPosition("6205", rotating_ring="cage")
    with pytest.raises(ConfigError, match=r"no-such-bearing.* is not in the catalogue"):
        diagnose_bearings(w, {"a": "6205", "b": "no-such-bearing"})


def test_slow_shaft_needs_a_longer_record() -> None:
    # 1.5 revolutions of the slow shaft: too short even for its race patterns.
    w = simulate_bearing("healthy", rng=np.random.default_rng(0), duration_s=0.5)
    with pytest.raises(DataError, match="too short"):
        diagnose_bearings(w, {"a": "6205", "b": BearingPosition("6205", speed_ratio=0.1)})


@pytest.mark.parametrize("record", [130, 209])
def test_cwru_drive_end_fault_heard_at_the_fan_end(refdata: Path, record: int) -> None:
    rec = load_cwru(record, refdata)
    expected = rec.metadata["fault"]
    alone = diagnose_bearing(rec["FE"], "6203")
    assert alone.verdict == "undetermined"
    found = diagnose_bearings(rec["FE"], {"fan end": "6203", "drive end": "6205"})
    assert found["drive end"].verdict == expected
    assert found["fan end"].verdict == "healthy"


def test_bearing_on_a_slower_shaft_during_a_run_up() -> None:
    # The tachometer is on the input shaft; the faulty bearing turns at 0.4 of its speed.
    w = simulate_bearing(
        "outer",
        rng=np.random.default_rng(7),
        snr_db=-5.0,
        orders=OTHER,
        shaft_hz=8.0,
        ramp_to_hz=12.0,
        duration_s=8.0,
    )
    track = SpeedTrack(speed_profile_hz=ramp_profile(8.0, 12.0, w) / 0.4)
    positions = {"input": "6205", "output": BearingPosition(OTHER_ORDERS, speed_ratio=0.4)}
    found = diagnose_bearings(w, positions, track=track)
    out = found["output"]
    assert out.verdict == "outer"
    assert out.speed_range_hz == pytest.approx((8.0, 12.0), rel=0.01)
    assert found["input"].verdict == "healthy"
    views, _ = envelope_views(w, out, track=track)
    peak = views[0].spectrum.freqs_hz[np.argmax(views[0].spectrum.values)]
    assert peak == pytest.approx(out.evidence_for("outer").fault_hz, rel=0.02)


def test_combination_lines_of_a_found_fault_are_not_another_bearings_fault(
    refdata: Path,
) -> None:
    # CWRU 258 (outer race, drive end): lines 5 x BPFO +- m fr of the drive-end fault sit
    # within slip of the fan-end 6203's fourth BPFI and its sidebands.
    rec = load_cwru(258, refdata)
    found = diagnose_bearings(rec["DE"], {"drive end": "6205", "fan end": "6203"})
    assert found["drive end"].verdict == "outer"
    assert found["fan end"].verdict == "healthy"
    assert any("belong to bearing 'drive end'" in r for r in found["fan end"].reasons)
