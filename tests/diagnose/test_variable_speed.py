"""Order-tracked bearing diagnosis of records at varying speed (run-ups)."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core import ConfigError, DataError, Waveform
from openphm.diagnose import SpeedTrack, diagnose_bearing
from openphm.diagnose.views import envelope_views
from openphm.signal.order import tacho_pulse_times
from tests.helpers.bearing_sim import ramp_profile, simulate_bearing, tacho_signal

START_HZ, END_HZ = 20.0, 35.0


def _run_up(fault: str, seed: int, **options: float) -> Waveform:
    rng = np.random.default_rng(seed)
    return simulate_bearing(
        fault, rng=rng, shaft_hz=START_HZ, ramp_to_hz=END_HZ, snr_db=-5.0, **options
    )


@pytest.mark.parametrize("fault", ["outer", "inner", "ball"])
def test_fault_in_a_run_up_is_found_with_a_speed_profile(fault: str) -> None:
    w = _run_up(fault, 5)
    d = diagnose_bearing(
        w, "6205", track=SpeedTrack(speed_profile_hz=ramp_profile(START_HZ, END_HZ, w))
    )
    assert d.verdict == fault
    assert d.speed_range_hz == pytest.approx((START_HZ, END_HZ), rel=1e-3)
    assert d.speed_hz == pytest.approx(0.5 * (START_HZ + END_HZ), rel=1e-3)
    assert d.speed_source.startswith("order-tracked from speed profile")
    # Evidence is in orders times the mean speed: the harmonics sit where the orders put them.
    harmonics = [p for p in d.evidence_for(fault).peaks if p.kind == "harmonic"]
    assert all(abs(p.freq_hz - p.expected_hz) <= 0.02 * p.expected_hz for p in harmonics)


@pytest.mark.parametrize("fault", ["outer", "inner"])
def test_tachometer_track_gives_the_same_verdict(fault: str) -> None:
    w = _run_up(fault, 6)
    pulses = tacho_pulse_times(tacho_signal(START_HZ, END_HZ, w), w.fs)
    d = diagnose_bearing(w, "6205", track=SpeedTrack(tacho_pulses_s=pulses))
    assert d.verdict == fault
    assert d.speed_source.startswith("order-tracked from tachometer")


def test_constant_speed_analysis_misses_the_run_up_fault() -> None:
    # Why the track matters: at the mean speed the lines are smeared over 20-35 Hz x order.
    w = _run_up("outer", 5)
    assert diagnose_bearing(w, "6205", 27.5).verdict != "outer"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_healthy_run_up_stays_healthy(seed: int) -> None:
    w = _run_up("healthy", seed, gear_teeth=27)
    track = SpeedTrack(speed_profile_hz=ramp_profile(START_HZ, END_HZ, w))
    assert diagnose_bearing(w, "6205", track=track).verdict == "healthy"


def test_track_errors_name_the_problem() -> None:
    w = _run_up("outer", 5)
    profile = ramp_profile(START_HZ, END_HZ, w)
    with pytest.raises(ConfigError, match="not both"):
        diagnose_bearing(w, "6205", 25.0, track=SpeedTrack(speed_profile_hz=profile))
    with pytest.raises(ConfigError, match="exactly one"):
        SpeedTrack()
    with pytest.raises(DataError, match="one speed per sample"):
        diagnose_bearing(w, "6205", track=SpeedTrack(speed_profile_hz=profile[:100]))
    with pytest.raises(DataError, match="outside the record"):
        diagnose_bearing(w, "6205", track=SpeedTrack(tacho_pulses_s=[0.0, 0.1, 99.0]))
    with pytest.raises(DataError, match="revolutions"):
        slow = SpeedTrack(speed_profile_hz=np.full(w.n_samples, 0.5))
        diagnose_bearing(w, "6205", track=slow)


def test_envelope_views_need_the_track_of_a_tracked_diagnosis() -> None:
    w = _run_up("inner", 5)
    track = SpeedTrack(speed_profile_hz=ramp_profile(START_HZ, END_HZ, w))
    d = diagnose_bearing(w, "6205", track=track)
    views, _ = envelope_views(w, d, track=track)
    assert views[0].spectrum.freqs_hz[-1] >= max(
        p.expected_hz for p in d.evidence_for("inner").peaks
    )
    with pytest.raises(ConfigError, match="order-tracked"):
        envelope_views(w, d)


def test_encoder_speed_range_is_measured_over_whole_revolutions() -> None:
    # A 64-pulse encoder at 25 Hz with 2 us of timing jitter: single gaps read 24.6-25.5 Hz,
    # whole revolutions within 0.1 %.
    rng = np.random.default_rng(0)
    pulses = np.sort(np.arange(0.0, 4.0, 1.0 / (25.0 * 64)) + rng.normal(0.0, 2e-6, 6400))
    track = SpeedTrack(tacho_pulses_s=pulses, pulses_per_rev=64)
    _, mean_hz, slowest, fastest = track.speeds_hz(50000, 12500.0)
    assert mean_hz == pytest.approx(25.0, rel=1e-4)
    assert 24.97 < slowest <= fastest < 25.03
