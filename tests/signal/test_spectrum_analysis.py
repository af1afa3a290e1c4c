"""The amplitude spectrum of a channel summed up by its peaks."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.signal.spectrum_analysis import SpectrumResult, SpectrumSettings, analyse_spectrum

FS = 2000.0


@pytest.fixture
def tones() -> Waveform:
    t = np.arange(4000) / FS
    x = 2.0 * np.sin(2 * np.pi * 50.0 * t) + 0.5 * np.sin(2 * np.pi * 310.0 * t)
    return Waveform(x, FS, unit="mm/s", channel="v")


def test_peaks_strongest_first_with_amplitudes(tones: Waveform) -> None:
    result, spec = analyse_spectrum(tones, SpectrumSettings(n_peaks=2), source="tones.csv")
    assert [round(p.freq_hz) for p in result.peaks] == [50, 310]
    assert result.peaks[0].amplitude == pytest.approx(2.0, rel=0.02)
    assert result.rms == pytest.approx(np.sqrt((2.0**2 + 0.5**2) / 2), rel=1e-3)
    assert (result.fmax_hz, result.unit, result.channel) == (FS / 2, "mm/s", "v")
    assert result.resolution_hz == spec.resolution_hz == pytest.approx(0.5)
    assert result.provenance.input.source == "tones.csv"


def test_band_and_rms_scaling(tones: Waveform) -> None:
    settings = SpectrumSettings(fmax_hz=200.0, scaling="rms", window="flattop", n_peaks=5)
    result, _ = analyse_spectrum(tones, settings)
    assert all(p.freq_hz <= 200.0 for p in result.peaks)
    assert result.peaks[0].amplitude == pytest.approx(2.0 / np.sqrt(2), rel=0.01)
    assert SpectrumResult.from_dict(result.to_dict()) == result
    assert pickle.loads(pickle.dumps(result)) == result


def test_settings_are_validated() -> None:
    with pytest.raises(ConfigError, match=r"SpectrumSettings\.scaling"):
        SpectrumSettings(scaling="db")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="n_peaks"):
        SpectrumSettings(n_peaks=0)
