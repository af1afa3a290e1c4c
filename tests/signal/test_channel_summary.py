"""A record described channel by channel."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from openphm.core.waveform import Recording, Waveform
from openphm.signal.channel_summary import RecordSummary, summarise_channel, summarise_record


def test_channel_statistics_and_speed() -> None:
    t = np.arange(2000) / 1000.0
    start = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    wave = Waveform(np.sin(2 * np.pi * 50.0 * t), 1000.0, unit="g", channel="DE", start=start)
    s = summarise_channel(wave)
    assert (s.fs_hz, s.n_samples, s.duration_s, s.unit) == (1000.0, 2000, 2.0, "g")
    assert s.rms == pytest.approx(np.sqrt(0.5)) and s.kurtosis == pytest.approx(1.5)
    assert s.speed_hz is None and s.speed_rpm is None
    assert s.start == start.isoformat()


def test_record_summary_keeps_metadata_and_warnings() -> None:
    waves = (Waveform(np.ones(8), 8.0, channel="a"), Waveform(np.zeros(8), 8.0, channel="b"))
    meta = {"format": "csv", "site": "tunnel 3", "when": dt.date(2024, 1, 2), "n": np.int64(3)}
    summary = summarise_record(Recording(waves, "r.csv", meta), ["possible clipping"])
    assert summary.format == "csv" and summary.source == "r.csv"
    assert [c.channel for c in summary.channels] == ["a", "b"]
    assert dict(summary.metadata) == {"site": "tunnel 3", "when": "2024-01-02", "n": 3}
    assert summary.warnings == ("possible clipping",)
    assert RecordSummary.from_dict(summary.to_dict()).channels[0].channel == "a"
