"""Order-domain window features: the right lines stand out, and nothing depends on the rate."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.bearing import FaultFrequencies
from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import Waveform
from openphm.learn.features import (
    FeatureSettings,
    feature_names,
    record_features,
    resample_to,
    window_features,
    windows_of,
)
from tests.helpers.bearing_sim import simulate_bearing

ORDERS = FaultFrequencies(ftf=0.39828, bsf=2.35675, bpfo=3.5848, bpfi=5.4152)
NO_PHYSICS = FeatureSettings(physics=False)


def _features(fault: str, seed: int) -> dict[str, float]:
    w = simulate_bearing(fault, rng=np.random.default_rng(seed), snr_db=0.0, duration_s=2.2)
    x = w.samples[: int(64 * w.fs / 29.95)]
    return dict(zip(feature_names(), window_features(x, w.fs, 29.95, ORDERS), strict=True))


@pytest.mark.parametrize(
    ("fault", "line", "other"), [("outer", "bpfo", "bpfi"), ("inner", "bpfi", "bpfo")]
)
def test_the_fault_line_stands_out(fault: str, line: str, other: str) -> None:
    f = _features(fault, 3)
    assert f[f"full_{line}_1"] > f[f"full_{other}_1"] + 6.0
    assert f[f"physics_{fault}"] > 3.0


def test_healthy_noise_has_no_prominent_line() -> None:
    f = _features("healthy", 4)
    lines = [v for k, v in f.items() if k.startswith("full_")]
    assert max(lines) < 15.0
    assert max(f[f"physics_{k}"] for k in ("outer", "inner", "ball")) < 3.0


def test_features_are_in_orders_so_rate_and_speed_cancel() -> None:
    """The same samples read as twice the rate at twice the speed: same revolutions, same
    features (every one is dimensionless and in orders)."""
    rng = np.random.default_rng(0)
    x = simulate_bearing("outer", rng=rng, duration_s=2.2).samples[:25600]
    a = window_features(x, 12000.0, 30.0, ORDERS, NO_PHYSICS)
    b = window_features(x, 24000.0, 60.0, ORDERS, NO_PHYSICS)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)


def test_gain_does_not_change_features() -> None:
    rng = np.random.default_rng(1)
    x = simulate_bearing("inner", rng=rng, duration_s=2.2).samples[:25600]
    a = window_features(x, 12000.0, 30.0, ORDERS, NO_PHYSICS)
    b = window_features(9.81 * x, 12000.0, 30.0, ORDERS, NO_PHYSICS)
    np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-7)


def test_windows_count_length_and_copies() -> None:
    x = np.arange(10000.0)
    w = windows_of(x, 1000.0, 10.0, FeatureSettings(revolutions=10, overlap=0.5))
    assert w.shape == (19, 1000)
    w[0, 0] = -1.0
    assert x[0] == 0.0
    with pytest.raises(DataError, match="shorter than one window"):
        windows_of(x[:500], 1000.0, 10.0, FeatureSettings(revolutions=10))


def test_record_features_shape_and_spectral_bands() -> None:
    s = FeatureSettings(physics=False, spectral_bands=4)
    w = Waveform(np.random.default_rng(2).normal(size=40000), 12000.0)
    f = record_features(w, ORDERS, 30.0, s)
    assert f.shape == (2, len(feature_names(s)))
    # Band shares in dB of the total: white noise splits evenly, about -6 dB each.
    np.testing.assert_allclose(f[:, -4:], -6.02, atol=0.5)


def test_resample_and_settings_checks() -> None:
    t = np.arange(48000) / 48000.0
    y = resample_to(np.sin(2 * np.pi * 100.0 * t), 48000.0, 12000.0)
    assert y.size == 12000
    np.testing.assert_allclose(y[100:-100], np.sin(2 * np.pi * 100.0 * t[::4])[100:-100], atol=1e-3)
    with pytest.raises(DataError, match="up to"):
        resample_to(y, 12000.0, 48000.0)
    with pytest.raises(ConfigError, match="revolutions"):
        FeatureSettings(revolutions=2)
    with pytest.raises(ConfigError, match="overlap"):
        FeatureSettings(overlap=1.0)
