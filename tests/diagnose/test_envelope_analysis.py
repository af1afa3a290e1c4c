"""Envelope analysis of a channel: band choice, peaks named after bearing lines, order tracking."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.core.waveform import Recording, Waveform
from openphm.diagnose.envelope_analysis import (
    EnvelopeResult,
    EnvelopeSettings,
    analyse_envelope,
    choose_band,
)
from tests.helpers.bearing_sim import ramp_profile, simulate_bearing, tacho_signal
from tests.helpers.signals import impacts_on_resonance

FS = 12000.0


@pytest.fixture(scope="module")
def impacts() -> Waveform:
    """3 s of impacts at 87 Hz ringing a 3.3 kHz resonance, in g."""
    x = impacts_on_resonance(FS, 3 * int(FS), 87.0, 3300.0, np.random.default_rng(0))
    return Waveform(x, FS, unit="g", channel="acc")


def test_kurtogram_band_holds_the_resonance_and_the_rate_comes_first(impacts: Waveform) -> None:
    result, ses = analyse_envelope(impacts, EnvelopeSettings(), source="impacts.wav")
    low, high = result.band.band_hz
    assert result.band.source == "kurtogram" and low <= 3300.0 <= high
    assert high - low >= 500.0 and high <= FS / 2.56
    assert "fast kurtogram" in result.band.reason and result.band.best_kurtosis is not None
    assert result.peaks[0].freq_hz == pytest.approx(87.0, abs=2 * result.resolution_hz)
    assert [p.line for p in result.peaks] == [None] * len(result.peaks)
    assert result.resolution_hz == ses.resolution_hz
    assert result.provenance.input.source == "impacts.wav"
    assert result.provenance.settings_type == "EnvelopeSettings"


def test_given_band_is_kept() -> None:
    band = choose_band(np.zeros(1000), FS, 500.0, (2800, 3800))
    assert (band.band_hz, band.source, band.reason) == (
        (2800.0, 3800.0),
        "option",
        "given with --band",
    )
    assert band.best_level is None


def test_simulated_inner_race_fault_is_named_bpfi() -> None:
    wave = simulate_bearing("inner", rng=np.random.default_rng(1), snr_db=0.0)
    settings = EnvelopeSettings(bearing="6205", speed_hz=29.95, prewhiten=True)
    result, _ = analyse_envelope(wave, settings)
    top = result.peaks[0]
    assert top.line is not None and top.line.label == "BPFI" and top.line.match
    assert result.bearing is not None and result.bearing.speed_hz == 29.95
    assert result.prewhitened


def test_speed_from_the_record_and_errors(impacts: Waveform) -> None:
    stated = Waveform(impacts.samples, FS, unit="g", channel="acc", speed_hz=29.95)
    result, _ = analyse_envelope(stated, EnvelopeSettings(bearing="6205", n_peaks=2))
    assert result.bearing is not None and result.bearing.speed_hz == 29.95
    assert all(p.line is not None for p in result.peaks)
    with pytest.raises(ConfigError, match="--rpm"):
        analyse_envelope(impacts, EnvelopeSettings(bearing="6205"))
    with pytest.raises(ConfigError, match="needs --bearing"):
        analyse_envelope(impacts, EnvelopeSettings(speed_hz=30.0))
    with pytest.raises(ConfigError, match="fmax_hz"):
        EnvelopeSettings(fmax_hz=0.0)


def test_order_tracked_run_up() -> None:
    w = simulate_bearing(
        "inner", rng=np.random.default_rng(5), snr_db=-5.0, shaft_hz=20.0, ramp_to_hz=35.0
    )
    tacho = Waveform(tacho_signal(20.0, 35.0, w), w.fs, channel="tacho")
    speed = Waveform(60.0 * ramp_profile(20.0, 35.0, w), w.fs, channel="rpm")
    rec = Recording((w.with_samples(w.samples), tacho, speed), source="run_up")
    wave = rec[w.channel]
    settings = EnvelopeSettings(bearing="6205", tacho="tacho", prewhiten=True)
    result, _ = analyse_envelope(wave, settings, recording=rec)
    tracked = result.order_tracked
    assert tracked is not None
    assert tracked.speed_range_hz == pytest.approx((20.0, 35.0), rel=0.01)
    assert result.peaks[0].freq_hz == pytest.approx(5.4152 * tracked.mean_speed_hz, rel=0.005)
    assert result.bearing is not None and result.bearing.speed_hz == tracked.mean_speed_hz
    by_channel = EnvelopeSettings(speed_channel="rpm", prewhiten=True)
    result, _ = analyse_envelope(wave, by_channel, recording=rec)
    assert result.order_tracked is not None and "rpm" in result.order_tracked.source
    with pytest.raises(ConfigError, match="one way"):
        analyse_envelope(wave, EnvelopeSettings(tacho="tacho", speed_hz=25.0), recording=rec)


def test_result_round_trips_and_pickles(impacts: Waveform) -> None:
    settings = EnvelopeSettings(bearing="6205", speed_hz=29.95, n_peaks=3)
    result, _ = analyse_envelope(impacts, settings)
    assert EnvelopeResult.from_dict(result.to_dict()) == result
    assert pickle.loads(pickle.dumps(result)) == result
