"""The channel the commands analyse when none is named."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.acquire.channels import default_channel, pick_channel
from openphm.core import Recording, Waveform


def _rec(*channels: tuple[str, str]) -> Recording:
    return Recording(tuple(Waveform(np.zeros(16), 16.0, unit=u, channel=c) for c, u in channels))


@pytest.mark.parametrize(
    ("channels", "chosen"),
    [
        ((("FE", "g"), ("DE", "g"), ("BA", "g")), "DE"),
        ((("force", "N"), ("phase_current_1", "A"), ("accel", "m/s^2")), "accel"),
        ((("force", "N"), ("speed", "rpm"), ("Y/vibration_1", "")), "Y/vibration_1"),
        ((("temperature", "degC"), ("tacho", "V"), ("a1", "M/S2")), "a1"),
        ((("a1", ""), ("a2", "")), "a1"),
    ],
)
def test_default_channel_is_the_vibration(
    channels: tuple[tuple[str, str], ...], chosen: str
) -> None:
    rec = _rec(*channels)
    assert default_channel(rec).channel == chosen
    assert pick_channel(rec, None).channel == chosen
    assert pick_channel(rec, channels[0][0]).channel == channels[0][0]
