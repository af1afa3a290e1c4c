"""Order tracking and time-synchronous averaging on run-ups with known phase."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ConfigError, DataError
from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.order import (
    angle_from_tacho,
    order_spectrum,
    resample_to_angle,
    squared_envelope_order_spectrum,
    tacho_pulse_times,
)
from openphm.signal.tsa import time_synchronous_average

FS = 10000.0
T = np.arange(40000) / FS
SPEED = 15.0 + 2.5 * T  # run-up 15 -> 25 Hz over 4 s
REVS = 15.0 * T + 1.25 * T**2


def _tacho() -> np.ndarray:
    """Once-per-rev square pulses at integer revolutions, with a little noise."""
    noise = 0.02 * np.random.default_rng(0).standard_normal(T.size)
    return 5.0 * (np.mod(REVS, 1.0) < 0.1) + noise


def test_pulse_times_match_the_true_revolutions() -> None:
    pulses = tacho_pulse_times(_tacho(), FS)
    true = (-15.0 + np.sqrt(225.0 + 5.0 * np.arange(1, pulses.size + 1))) / 2.5
    np.testing.assert_allclose(pulses, true, atol=1.0 / FS)


def test_noisy_edges_are_counted_once() -> None:
    tach = np.zeros(1000)
    tach[100:150] = 1.0
    tach[150] = 0.45  # noise dithering around the trigger level
    tach[151] = 0.55
    tach[600:650] = 1.0
    assert tacho_pulse_times(tach, 1000.0).size == 2
    with pytest.raises(DataError, match="flat"):
        tacho_pulse_times(np.ones(100), 1000.0)


def test_angle_from_pulses_follows_the_run_up() -> None:
    pulses = (-15.0 + np.sqrt(225.0 + 5.0 * np.arange(0, 80))) / 2.5
    angle = angle_from_tacho(pulses, T[(pulses[0] < T) & (pulses[-1] > T)])
    np.testing.assert_allclose(angle, REVS[(pulses[0] < T) & (pulses[-1] > T)], atol=1e-3)
    assert np.isnan(angle_from_tacho(pulses, [-1.0])[0])
    with pytest.raises(DataError, match="increase"):
        angle_from_tacho([0.0, 0.2, 0.1], [0.05])


@pytest.mark.parametrize("source", ["speed", "tacho"])
def test_order_spectrum_is_sharp_during_a_run_up(source: str) -> None:
    x = np.sin(2 * np.pi * 7.0 * REVS) + 0.5 * np.sin(2 * np.pi * 12.5 * REVS)
    if source == "speed":
        angle = resample_to_angle(x, FS, speed_profile_hz=SPEED, samples_per_rev=64)
        assert angle.start_rev == 0.0
    else:
        pulses = tacho_pulse_times(_tacho(), FS)
        angle = resample_to_angle(x, FS, tacho_pulses_s=pulses, samples_per_rev=64)
        assert angle.samples.size == 64 * (pulses.size - 1) + 1
    spec = order_spectrum(angle.samples, 64, window="flattop")
    for order, amplitude in ((7.0, 1.0), (12.5, 0.5)):
        near = np.abs(spec.orders - order) < 0.1
        assert spec.values[near].max() == pytest.approx(amplitude, rel=0.01)
    elsewhere = (np.abs(spec.orders - 7.0) > 1.0) & (np.abs(spec.orders - 12.5) > 1.0)
    assert spec.values[elsewhere].max() < 0.01
    np.testing.assert_allclose(np.diff(angle.angle_rev), 1 / 64)


def test_resampling_needs_exactly_one_speed_source() -> None:
    with pytest.raises(ConfigError, match="exactly one"):
        resample_to_angle(np.ones(100), FS)
    with pytest.raises(ConfigError, match="exactly one"):
        resample_to_angle(np.ones(100), FS, speed_profile_hz=10.0, tacho_pulses_s=[0.0, 0.1])
    with pytest.raises(DataError, match="positive"):
        resample_to_angle(np.ones(100), FS, speed_profile_hz=-1.0)


def test_antialiasing_removes_orders_above_the_angular_nyquist() -> None:
    x = np.sin(2 * np.pi * 3.0 * REVS) + np.sin(2 * np.pi * 40.0 * REVS)
    angle = resample_to_angle(x, FS, speed_profile_hz=SPEED, samples_per_rev=32)
    spec = order_spectrum(angle.samples, 32)
    assert spec.values[np.argmin(np.abs(spec.orders - 3.0))] == pytest.approx(1.0, rel=0.02)
    # Order 40 is above the angular Nyquist order 16: neither kept nor aliased (to order 8).
    assert spec.values[np.abs(spec.orders - 3.0) > 1.0].max() < 0.02


def test_envelope_order_spectrum_keeps_a_modulation_sharp_during_a_run_up() -> None:
    # A 3 kHz resonance amplitude-modulated at order 3.58 (a BPFO) while the speed rises 15->25 Hz.
    carrier = np.cos(2 * np.pi * 3000.0 * T)
    x = (1.0 + 0.5 * np.cos(2 * np.pi * 3.58 * REVS)) * carrier
    tracked = squared_envelope_order_spectrum(
        x, FS, (2500.0, 3500.0), speed_profile_hz=SPEED, samples_per_rev=32
    )
    near = np.abs(tracked.orders - 3.58) < 0.05
    assert tracked.orders[tracked.values.argmax()] == pytest.approx(3.58, abs=0.02)
    # |z|^2 = (1 + m cos)^2 holds the line at amplitude 2m = 1.0 (and m^2/2 at twice the order).
    assert tracked.values[near].max() == pytest.approx(1.0, rel=0.1)
    # In time the same line is smeared over 15*3.58..25*3.58 Hz: no bin comes near it.
    plain = squared_envelope_spectrum(x, FS, (2500.0, 3500.0))
    assert plain.values[plain.freqs_hz > 5.0].max() < 0.3 * tracked.values[near].max()


def test_envelope_order_spectrum_from_a_tachometer_matches_the_profile() -> None:
    x = (1.0 + 0.5 * np.cos(2 * np.pi * 5.4 * REVS)) * np.cos(2 * np.pi * 3000.0 * T)
    pulses = tacho_pulse_times(_tacho(), FS)
    spec = squared_envelope_order_spectrum(x, FS, (2500.0, 3500.0), tacho_pulses_s=pulses)
    assert spec.orders[spec.values.argmax()] == pytest.approx(5.4, abs=0.02)
    with pytest.raises(ConfigError, match="exactly one"):
        squared_envelope_order_spectrum(x, FS)


def test_tsa_recovers_the_synchronous_waveform_under_noise() -> None:
    rng = np.random.default_rng(1)
    synchronous = np.sin(2 * np.pi * 5.0 * REVS) + 0.3 * np.cos(2 * np.pi * 11.0 * REVS)
    x = synchronous + rng.standard_normal(T.size)
    pulses = tacho_pulse_times(_tacho(), FS)
    tsa = time_synchronous_average(x, FS, tacho_pulses_s=pulses, samples_per_rev=128)
    theta = tsa.angle_rev
    expected = np.sin(2 * np.pi * 5.0 * theta) + 0.3 * np.cos(2 * np.pi * 11.0 * theta)
    assert tsa.n_revolutions == pulses.size - 1
    assert np.abs(tsa.average - expected).max() < 0.4
    by_speed = time_synchronous_average(synchronous, FS, speed_hz=SPEED)
    assert by_speed.samples_per_rev == 512  # 10 kHz / 20 Hz mean speed, rounded up
    theta = by_speed.angle_rev
    expected = np.sin(2 * np.pi * 5.0 * theta) + 0.3 * np.cos(2 * np.pi * 11.0 * theta)
    np.testing.assert_allclose(by_speed.average, expected, atol=1e-3)


def test_tsa_needs_a_whole_revolution() -> None:
    with pytest.raises(DataError):
        time_synchronous_average(np.ones(50), FS, speed_hz=10.0)
