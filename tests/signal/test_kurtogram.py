"""Fast kurtogram and spectral kurtosis: known answers and a time-domain reference of the tree."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import signal as sps

from openphm.core.errors import ConfigError, DataError
from openphm.signal.kurtogram import (
    PROTOTYPE_CUTOFF,
    PROTOTYPE_TAPS,
    default_max_level,
    fast_kurtogram,
    spectral_kurtosis,
)
from tests.helpers.signals import impacts_on_resonance

FS = 12000.0


def test_map_layout() -> None:
    kg = fast_kurtogram(np.random.default_rng(0).standard_normal(25600), 25600.0, max_level=4)
    assert kg.level_labels == ("0", "1", "1.6", "2", "2.6", "3", "3.6", "4", "4.6")
    np.testing.assert_allclose(kg.levels[2], math.log2(3.0))
    assert kg.kurtosis.shape == (9, 3 * 2**4)
    np.testing.assert_allclose(kg.bandwidths_hz, 25600.0 / 2 ** (kg.levels + 1))
    assert kg.column_edges_hz[-1] == 12800.0
    assert kg.best_bandwidth_hz == pytest.approx(kg.best_band_hz[1] - kg.best_band_hz[0])


def test_gaussian_noise_has_zero_spectral_kurtosis_everywhere() -> None:
    x = np.random.default_rng(1).standard_normal(2**17)
    kg = fast_kurtogram(x, FS)
    # Bands touching DC or Nyquist hold a real component (kurtosis up to +1; Antoni's filters
    # reach past their bands' edges, into the mirror image): skip them.
    for row, width in zip(kg.kurtosis[1:], kg.bandwidths_hz[1:], strict=True):
        n_bands = round(FS / 2.0 / width)
        inner = row.reshape(n_bands, -1)[1:-1, 0]
        if inner.size:
            assert abs(float(inner.mean())) < 0.05
            assert float(np.abs(inner).max()) < 0.4


def test_pure_tone_band_reads_minus_one() -> None:
    t = np.arange(2**16) / FS
    x = np.sin(2 * np.pi * 2345.0 * t) + 1e-3 * np.random.default_rng(2).standard_normal(t.size)
    kg = fast_kurtogram(x, FS, max_level=3)
    column = int(2345.0 / kg.column_edges_hz[1])
    assert kg.kurtosis[3, column] == pytest.approx(-1.0, abs=0.02)


@settings(max_examples=12, deadline=None)
@given(
    resonance_hz=st.floats(1200.0, 4200.0),
    fault_hz=st.floats(20.0, 120.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_best_band_holds_the_resonance_excited_by_impacts(
    resonance_hz: float, fault_hz: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    x = impacts_on_resonance(FS, 24000, fault_hz, resonance_hz, rng, noise_rms=0.2)
    kg = fast_kurtogram(x, FS)
    low, high = kg.best_band_hz
    # The resonance's half-power width is damping/pi ~ 190 Hz: allow half a band's slack.
    slack = 0.5 * kg.best_bandwidth_hz
    assert low - slack <= resonance_hz <= high + slack
    assert kg.best_kurtosis > 1.0


def _reference_kurtogram(x: np.ndarray, max_level: int) -> np.ndarray:
    """The same tree in the time domain: causal FIR filtering and decimation, as in Antoni 2007."""
    protos = {d: sps.firwin(PROTOTYPE_TAPS[d], PROTOTYPE_CUTOFF[d], fs=1.0) for d in (2, 3)}

    def split(nodes: list[np.ndarray], d: int) -> list[np.ndarray]:
        taps = protos[d]
        delay = (taps.size - 1) // 2
        out = []
        for c in nodes:
            for i in range(d):
                g = taps * np.exp(2j * np.pi * np.arange(taps.size) * (2 * i + 1) / (4 * d))
                full = np.convolve(c, g)[delay : delay + c.size]
                y = full[::d]
                out.append(y * np.exp(-1j * np.pi * i * np.arange(y.size)))
        return out

    def kurt(c: np.ndarray) -> float:
        p = np.abs(c[8:-8]) ** 2
        return float(np.mean(p**2) / np.mean(p) ** 2 - 2.0)

    n_cols = 3 * 2**max_level
    rows = []
    nodes = [x - x.mean() + 0j]
    for _ in range(max_level):
        for d in (2, 3):
            children = split(nodes, d)
            rows.append(np.repeat([kurt(c) for c in children], n_cols // len(children)))
        nodes = split(nodes, 2)
    return np.vstack(rows)


def test_matches_time_domain_filter_tree() -> None:
    rng = np.random.default_rng(3)
    x = impacts_on_resonance(FS, 2**15, 37.0, 3100.0, rng, noise_rms=0.3)
    x += impacts_on_resonance(FS, 2**15, 11.0, 900.0, rng, noise_rms=0.0)
    kg = fast_kurtogram(x, FS, max_level=4)
    reference = _reference_kurtogram(x, 4)
    error = np.abs(kg.kurtosis[1:] - reference)
    # The time-domain tree folds the part of a band's cascade beyond its span into the band
    # (aliasing of the decimations; Antoni's filters reach past their bands' edges), which the
    # DFT evaluation leaves out: up to 0.15 in the narrowest bands next to DC.
    assert float((error / (0.1 + 0.05 * np.abs(reference))).max()) < 1.0


def test_band_limits_restrict_the_choice() -> None:
    rng = np.random.default_rng(4)
    x = impacts_on_resonance(FS, 24000, 50.0, 5500.0, rng, noise_rms=0.2)
    x += impacts_on_resonance(FS, 24000, 31.0, 2000.0, rng, noise_rms=0.0) * 0.5
    free = fast_kurtogram(x, FS, fmax_hz=FS / 2)
    assert free.best_band_hz[1] > 5000.0
    usable = fast_kurtogram(x, FS)
    assert usable.best_band_hz[1] <= FS / 2.56
    wide = fast_kurtogram(x, FS, min_bandwidth_hz=1000.0, fmin_hz=1000.0)
    assert wide.best_bandwidth_hz >= 1000.0
    assert wide.best_band_hz[0] >= 1000.0


def test_impossible_band_limits_are_refused() -> None:
    with pytest.raises(ConfigError, match="min_bandwidth_hz"):
        fast_kurtogram(np.random.default_rng(0).standard_normal(4096), FS, min_bandwidth_hz=1e5)


def test_default_depth_keeps_enough_samples_per_band() -> None:
    assert default_max_level(25600) == 6
    assert default_max_level(2560) == 2
    assert default_max_level(20) == 1
    with pytest.raises(ConfigError, match="max_level"):
        fast_kurtogram(np.ones(100), FS, max_level=6)


def test_short_or_bad_input_is_refused() -> None:
    with pytest.raises(DataError, match="at least 16"):
        fast_kurtogram(np.ones(8), FS)


def test_spectral_kurtosis_of_noise_tone_and_impacts() -> None:
    rng = np.random.default_rng(5)
    noise = spectral_kurtosis(rng.standard_normal(2**16), FS)
    assert abs(float(np.median(noise.values))) < 0.05
    t = np.arange(2**16) / FS
    tone_signal = np.sin(2 * np.pi * 1500.0 * t) + 1e-3 * rng.standard_normal(t.size)
    tone = spectral_kurtosis(tone_signal, FS)
    assert tone.values[np.argmin(np.abs(tone.freqs_hz - 1500.0))] == pytest.approx(-1.0, abs=0.05)
    impacts = spectral_kurtosis(impacts_on_resonance(FS, 2**16, 30.0, 3000.0, rng), FS)
    assert 2500.0 < impacts.freqs_hz[np.argmax(impacts.values)] < 3500.0


def test_spectral_kurtosis_needs_several_segments() -> None:
    with pytest.raises(ConfigError, match="nperseg"):
        spectral_kurtosis(np.ones(512), FS, nperseg=256)


def test_long_records_take_the_same_edge_margins_from_a_shorter_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from openphm.signal import kurtogram

    n = 300_001
    kurtogram._plan.cache_clear()
    borrowed = [p.margin for p in kurtogram._plan(n, 6)]
    monkeypatch.setattr(kurtogram, "MARGIN_REFERENCE_N", 10**9)
    kurtogram._plan.cache_clear()
    direct = [p.margin for p in kurtogram._plan(n, 6)]
    kurtogram._plan.cache_clear()
    assert all(d <= b <= d + 2 for b, d in zip(borrowed, direct, strict=True))


def test_max_samples_analyses_the_middle_of_the_record() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=40000)
    x[18000:22000] += 20.0 * np.sin(2 * np.pi * 0.3 * np.arange(4000)) * (rng.random(4000) > 0.99)
    whole = fast_kurtogram(x, 12000.0)
    middle = fast_kurtogram(x, 12000.0, max_samples=8000)
    direct = fast_kurtogram(x[16000:24000], 12000.0)
    np.testing.assert_allclose(middle.kurtosis, direct.kurtosis)
    assert middle.kurtosis.shape != whole.kurtosis.shape or not np.allclose(
        middle.kurtosis, whole.kurtosis
    )


def test_tabulated_response_matches_the_cosine_sum() -> None:
    from openphm.signal import kurtogram

    nu = np.random.default_rng(6).uniform(-2.0, 2.0, 50_000)
    nu[:3] = (-1e-20, 0.0, 1.0)
    for factor in (2, 3):
        exact = kurtogram._amplitude_response(kurtogram._prototype(factor), nu)
        assert float(np.abs(kurtogram._response(factor, nu) - exact).max()) < 1e-7


@pytest.mark.parametrize("n", [257, 4097, 33_333])
def test_plan_weights_are_the_product_of_the_stage_responses(n: int) -> None:
    """Each band's weights (read from its parent's) equal the cascade evaluated stage by stage."""
    from openphm.signal import kurtogram

    plans = kurtogram._plan(n, kurtogram.default_max_level(n))
    for plan in plans:
        factor = 2 if plan.label.isdigit() else 3
        k = round(plan.level - math.log2(factor))
        child = np.arange(plan.weights.shape[0])
        parent, digit = child // factor, child % factor
        # Bins of the span, unwrapped around the band as the plan laid them out.
        centre = (parent * 2.0**-k / 2.0 + (digit + 0.5) * 2.0**-k / (2.0 * factor)) * n
        unwrapped = plan.bins + n * np.round((centre[:, None] - plan.bins) / n)
        u = unwrapped / n
        expected = np.ones_like(u)
        node, rate_nu = parent, 2.0**-k
        nu = (u - (parent * rate_nu / 2.0)[:, None]) / rate_nu - ((2 * digit + 1) / (4.0 * factor))[
            :, None
        ]
        expected *= kurtogram._amplitude_response(kurtogram._prototype(factor), nu)
        for stage in range(k, 0, -1):
            up, bit = node >> 1, node & 1
            rate = 2.0 ** (1 - stage)
            nu = (u - (up * rate / 2.0)[:, None]) / rate - ((2 * bit + 1) / 8.0)[:, None]
            expected *= kurtogram._amplitude_response(kurtogram._prototype(2), nu)
            node = up
        np.testing.assert_allclose(plan.weights, expected, atol=2e-6)


def test_a_given_rfft_gives_the_same_map_and_a_wrong_one_is_refused() -> None:
    rng = np.random.default_rng(7)
    x = impacts_on_resonance(FS, 24001, 41.0, 2600.0, rng, noise_rms=0.3) + 5.0
    own = fast_kurtogram(x, FS)
    given = fast_kurtogram(x, FS, x_rfft=np.fft.rfft(x))
    np.testing.assert_allclose(given.kurtosis, own.kurtosis, atol=1e-4)
    assert given.best_band_hz == own.best_band_hz
    cropped = fast_kurtogram(x, FS, max_samples=8000, x_rfft=np.fft.rfft(x))
    np.testing.assert_array_equal(
        cropped.kurtosis, fast_kurtogram(x, FS, max_samples=8000).kurtosis
    )
    with pytest.raises(ConfigError, match="x_rfft"):
        fast_kurtogram(x, FS, x_rfft=np.fft.rfft(x[:-2]))


def test_prototypes_are_scipys_firwin() -> None:
    from openphm.signal import kurtogram

    for factor in (2, 3):
        expected = sps.firwin(PROTOTYPE_TAPS[factor], PROTOTYPE_CUTOFF[factor], fs=1.0)
        np.testing.assert_allclose(kurtogram._prototype(factor), expected, atol=1e-15)


def test_with_antonis_filters_chooses_the_band_of_his_reference(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against a time-domain port of Antoni's Fast_Kurtogram.m (his filters, causal filtering
    and decimation): given his cut-offs, the DFT evaluation of the tree chooses his band on
    nearly every window (openphm's own, band-edge cut-offs choose it on about a quarter)."""
    from openphm.signal import kurtogram
    from tests.helpers.antoni_kurtogram import antoni_kurtogram

    monkeypatch.setattr(kurtogram, "PROTOTYPE_CUTOFF", {2: 0.2, 3: 0.4 / 3.0})
    kurtogram._plan.cache_clear()
    kurtogram._response_table.cache_clear()
    try:
        rng = np.random.default_rng(2007)
        same = 0
        windows = 8
        for _ in range(windows):
            x = impacts_on_resonance(
                FS,
                2**14,
                float(rng.uniform(20.0, 150.0)),
                float(rng.uniform(800.0, 5000.0)),
                rng,
                noise_rms=float(rng.uniform(0.2, 0.6)),
            )
            kg = fast_kurtogram(x, FS, max_level=4, fmax_hz=FS / 2)
            reference = antoni_kurtogram(x, 4)
            row, col = np.unravel_index(int(np.argmax(reference)), reference.shape)
            chosen_row = int(np.flatnonzero(kg.levels == kg.best_level)[0])
            low, high = kg.best_band_hz
            same += int(chosen_row == row and low <= kg.column_edges_hz[col] < high)
    finally:
        # Leave no plan built with the patched filters to the other tests.
        kurtogram._plan.cache_clear()
        kurtogram._response_table.cache_clear()
    assert same >= windows - 1
