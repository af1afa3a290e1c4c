"""The gearbox simulator: lines where the train puts them, faults where they are asked for."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.simulate.gearbox import GearFault, simulate_gearbox

PARALLEL = GearTrain((GearStage("s1", "parallel", (23, 48), 1.0),))
PLANETARY = GearTrain((GearStage("p", "planetary", (15, 27, 69), 1.0, planets=4),))


def _spectrum(x: np.ndarray, fs: float) -> tuple[np.ndarray, np.ndarray]:
    return np.fft.rfftfreq(x.size, 1 / fs), np.abs(np.fft.rfft(x)) / x.size


def test_mesh_harmonics_at_the_train_frequencies() -> None:
    w = simulate_gearbox(PARALLEL, 25.0, 10000.0, 2.0, np.random.default_rng(0), snr_db=40.0)
    f, a = _spectrum(w.samples, w.fs)
    top = f[np.argsort(a)[::-1][:3]]
    assert set(np.round(top)) == {575.0, 1150.0, 1725.0}


def test_planetary_sidebands_at_planet_pass_rate() -> None:
    w = simulate_gearbox(PLANETARY, 25.0, 10000.0, 4.0, np.random.default_rng(0), snr_db=40.0)
    fr = PLANETARY.frequencies(25.0)[0]
    f, a = _spectrum(w.samples, w.fs)
    floor = np.median(a)

    def at(hz: float) -> float:
        return float(a[np.argmin(np.abs(f - hz))])

    assert at(fr.mesh_hz + fr.planet_pass_hz) > 100 * floor
    assert at(fr.mesh_hz - fr.planet_pass_hz) > 100 * floor


def test_same_generator_state_same_record_and_noise_level() -> None:
    a = simulate_gearbox(PARALLEL, 25.0, 10000.0, 1.0, np.random.default_rng(3), snr_db=0.0)
    b = simulate_gearbox(PARALLEL, 25.0, 10000.0, 1.0, np.random.default_rng(3), snr_db=0.0)
    assert np.array_equal(a.samples, b.samples)
    clean = simulate_gearbox(PARALLEL, 25.0, 10000.0, 1.0, np.random.default_rng(3), snr_db=300.0)
    noise = a.samples - clean.samples
    assert np.var(noise) / np.var(clean.samples) == pytest.approx(1.0, rel=0.1)


def test_tooth_fault_is_once_per_turn_of_its_gear() -> None:
    fault = GearFault("s1 wheel", "tooth", 3.0)
    w = simulate_gearbox(
        PARALLEL, 25.0, 10000.0, 2.0, np.random.default_rng(0), faults=[fault], snr_db=60.0
    )
    healthy = simulate_gearbox(PARALLEL, 25.0, 10000.0, 2.0, np.random.default_rng(0), snr_db=60.0)
    extra = np.abs(w.samples - healthy.samples)
    peaks = np.flatnonzero(extra > 0.5 * extra.max())
    gaps = np.diff(peaks[np.r_[True, np.diff(peaks) > 50]]) / w.fs
    assert np.allclose(gaps, 48 / (23 * 25.0), atol=2e-3)


def test_unknown_gear_and_low_rate_are_refused() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ConfigError, match="no gear"):
        simulate_gearbox(PARALLEL, 25.0, 10000.0, 1.0, rng, faults=[GearFault("x", "tooth")])
    with pytest.raises(ConfigError, match="too low"):
        simulate_gearbox(PARALLEL, 25.0, 2000.0, 1.0, rng)
