import re

import numpy as np
import pytest

from openphm.core import DataError, Recording, Waveform


def test_waveform_copies_and_freezes_samples() -> None:
    x = np.arange(10.0)
    w = Waveform(x, fs=10.0, unit="g", channel="DE")
    x[0] = 99.0
    assert w.samples[0] == 0.0
    with pytest.raises(ValueError):
        w.samples[0] = 1.0
    assert w.duration_s == pytest.approx(1.0)


@pytest.mark.parametrize("fs", [0.0, -1.0, float("nan"), float("inf"), 1e12])
def test_absurd_sampling_rate_is_rejected(fs: float) -> None:
    with pytest.raises(DataError, match="sampling rate"):
        Waveform(np.zeros(4), fs=fs, source="x.csv")


def test_recording_lookup_names_the_missing_channel() -> None:
    r = Recording((Waveform(np.zeros(4), 4.0, channel="DE"),), source="f.mat")
    with pytest.raises(DataError, match=r"no channel 'FE'.*DE"):
        r["FE"]


def test_with_samples_keeps_metadata() -> None:
    w = Waveform(np.zeros(4), 4.0, unit="g", channel="DE", speed_hz=29.95)
    v = w.with_samples(np.ones(4))
    assert v.channel == "DE" and v.speed_hz == 29.95 and v.samples[0] == 1.0


@pytest.mark.parametrize(("fs", "shown"), [(1e15, "1e+15 Hz"), (None, "None"), ("x", "'x'")])
def test_bad_rate_message_shows_the_value_readably(fs: object, shown: str) -> None:
    with pytest.raises(DataError, match=re.escape(f"x.csv: sampling rate {shown} is missing")):
        Waveform(np.zeros(4), fs=fs, source="x.csv")  # type: ignore[arg-type]
