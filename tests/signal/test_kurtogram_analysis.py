"""The fast kurtogram of a channel as a portable result."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.signal.kurtogram import USABLE_BANDWIDTH_FACTOR, fast_kurtogram
from openphm.signal.kurtogram_analysis import KurtogramResult, KurtogramSettings, analyse_kurtogram
from tests.helpers.signals import impacts_on_resonance

FS = 12000.0


@pytest.fixture(scope="module")
def impacts() -> Waveform:
    x = impacts_on_resonance(FS, 2 * int(FS), 87.0, 3300.0, np.random.default_rng(0))
    return Waveform(x, FS, channel="acc")


def test_the_map_and_best_band_are_the_kurtograms(impacts: Waveform) -> None:
    result = analyse_kurtogram(impacts, KurtogramSettings(), source="x.wav")
    kg = fast_kurtogram(impacts.samples, FS, max_samples=result.samples_analysed)
    assert result.best_band_hz == kg.best_band_hz and result.best_kurtosis == kg.best_kurtosis
    assert np.array_equal(np.asarray(result.kurtosis), kg.kurtosis)
    assert result.level_labels == kg.level_labels
    assert result.level_maxima == tuple(float(row.max()) for row in kg.kurtosis)
    assert result.best_center_hz == pytest.approx(kg.best_center_hz)
    assert result.best_bandwidth_hz == pytest.approx(kg.best_bandwidth_hz)
    assert result.fmax_hz == FS / USABLE_BANDWIDTH_FACTOR
    low, high = result.best_band_hz
    assert low <= 3300.0 <= high


def test_limits_prewhitening_and_round_trip(impacts: Waveform) -> None:
    settings = KurtogramSettings(max_level=4, fmax_hz=3000.0, prewhiten=True)
    result = analyse_kurtogram(impacts, settings)
    assert result.best_band_hz[1] <= 3000.0 and result.prewhitened
    assert max(result.levels) < 5
    assert KurtogramResult.from_dict(result.to_dict()) == result
    assert pickle.loads(pickle.dumps(result)) == result
    with pytest.raises(ConfigError, match=r"KurtogramSettings\.fmax_hz"):
        KurtogramSettings(fmax_hz=-1.0)
