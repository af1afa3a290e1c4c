"""Harmonic series that no candidate explains."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.core.waveform import Waveform
from openphm.diagnose import diagnose_bearing
from openphm.diagnose.patterns import Line
from openphm.diagnose.series import (
    TONAL_DB,
    explained_mask,
    tonal_prominence_db,
    unexplained_series,
)

DF = 0.1
F = np.arange(0.0, 800.0, DF)


def _log_p(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).exponential(size=F.size)


def test_series_is_found_at_its_fundamental() -> None:
    log_p = _log_p(0)
    for k in range(1, 5):
        log_p[round(k * 131.7 / DF)] = 14.0
    ratio = np.ones(F.size)
    none = np.zeros(F.size, dtype=bool)
    s = unexplained_series(F, ratio, ratio, log_p, none, 30.0, (0.0, 6000.0))
    assert s is not None
    assert abs(s.fundamental_hz - 131.7) < DF
    assert s.orders == s.fundamental_hz / 30.0
    assert s.score > 5.0
    assert not s.has_shaft_sidebands
    assert f"{s.fundamental_hz:.2f} Hz" in s.describe()


def test_noise_gives_a_low_score() -> None:
    ratio = np.ones(F.size)
    s = unexplained_series(F, ratio, ratio, _log_p(1), np.zeros(F.size, bool), 30.0, (0, 1e3))
    assert s is not None
    assert s.score < 1.5


def test_explained_lines_do_not_count() -> None:
    log_p = _log_p(2)
    for k in range(1, 5):
        log_p[round(k * 107.5 / DF)] = 14.0
    ratio = np.ones(F.size)
    lines = [(Line(f"{k}xBPFO", "harmonic", k, k * 3.585), 0.01) for k in range(1, 5)]
    mask = explained_mask(F, 30.0, lines, 0.002)
    s = unexplained_series(F, ratio, ratio, log_p, mask, 30.0, (0.0, 6000.0))
    assert s is not None
    assert s.score < 1.5


def test_mask_covers_shaft_harmonics_and_slip_range() -> None:
    mask = explained_mask(F, 30.0, [(Line("1xBPFI", "harmonic", 1, 5.4), 0.01)], 0.002)
    assert mask[round(60.0 / DF)] and mask[round(162.0 * 1.009 / DF)]
    assert not mask[round(45.0 / DF)]


def test_a_tone_stands_out_of_the_raw_spectrum_and_noise_does_not() -> None:
    rng = np.random.default_rng(3)
    fs = 12_000.0
    t = np.arange(int(4 * fs)) / fs
    noise = rng.normal(size=t.size)
    tone = noise + 0.3 * np.sin(2 * np.pi * 69.6 * t) + 0.3 * np.sin(2 * np.pi * 139.2 * t)
    on_tone = tonal_prominence_db([tone], fs, [69.6, 139.2])
    on_noise = tonal_prominence_db([noise], fs, [69.6, 139.2])
    assert min(on_tone) > TONAL_DB and max(on_noise) < 10.0
    # Averaged over snapshots too; out of range frequencies count as no line.
    assert tonal_prominence_db([noise[:4096], noise[4096:8192]], fs, [0.0, 7000.0]) == (0.0, 0.0)


@pytest.mark.refdata
def test_a_healthy_gearbox_with_its_own_series_stays_healthy(refdata: Path) -> None:
    # SpectraQuest healthy gearbox (no rate or bearing published: 10 kHz and a 6205 on the
    # 30 Hz shaft assumed). Its envelope spectrum holds a strong series that no bearing line
    # explains, which is also a set of discrete lines in the raw spectrum: another shaft's.
    import pandas as pd

    df = pd.read_parquet(refdata / "gear" / "Healthy" / "h30hz0.parquet", columns=["a1_m", "a1_e"])
    p10 = np.array([float(10**k) for k in range(13)])
    x = df["a1_m"].to_numpy() / p10[-df["a1_e"].to_numpy()]
    d = diagnose_bearing(Waveform(x, 10_000.0, channel="a1"), "6205", 30.0)
    assert d.verdict == "healthy"
    assert any("slower source of the machine" in r for r in d.reasons)
    assert d.confidence <= 0.9 and d.unexplained is None
