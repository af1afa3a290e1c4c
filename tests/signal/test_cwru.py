"""Acceptance on real data (issue 2): CWRU 105 (inner race) and 130 (outer race), drive end,
1797 r/min, 12 kHz. The squared-envelope spectrum in the fast-kurtogram band must show BPFI
(105) and BPFO (130) as the dominant peak below 500 Hz."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.io

from openphm.signal.envelope import squared_envelope_spectrum
from openphm.signal.kurtogram import fast_kurtogram
from openphm.signal.peaks import spectral_peaks

FS = 12000.0
SHAFT_HZ = 1797.0 / 60.0
#: SKF 6205 defect frequencies in orders of the shaft speed (CWRU's published multiples).
BPFI, BPFO = 5.4152, 3.5848


def _drive_end(path: Path) -> np.ndarray:
    mat = scipy.io.loadmat(path)
    key = next(k for k in mat if k.endswith("_DE_time"))
    return np.asarray(mat[key], dtype=np.float64).ravel()


@pytest.mark.refdata
@pytest.mark.parametrize(("record", "order"), [("105", BPFI), ("130", BPFO)])
def test_fault_frequency_dominates_the_envelope_spectrum(
    refdata: Path, record: str, order: float
) -> None:
    x = _drive_end(refdata / "cwru" / "12k_drive_end" / f"{record}.mat")
    kg = fast_kurtogram(x, FS)
    ses = squared_envelope_spectrum(x, FS, kg.best_band_hz)
    top = spectral_peaks(ses, fmin_hz=1.0, fmax_hz=500.0, n=1)[0]
    assert top.freq_hz == pytest.approx(order * SHAFT_HZ, abs=1.0)
