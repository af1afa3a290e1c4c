"""openphm's fast kurtogram against a reference of Antoni's: which band each chooses, and which
band serves envelope analysis better.

Three choosers on the same windows, each searching the whole map (levels 0 .. K + 0.6, up to
fs/2, no minimum width):

- ``openphm``: :func:`openphm.signal.kurtogram.fast_kurtogram` (prototypes cut at the bands'
  edges, 1/8 and 1/12 cycles/sample; evaluated on the DFT);
- ``openphm-antoni-cuts``: the same code with Antoni's cut-offs (0.2 and 0.1333), which
  separates the filters from the evaluation;
- ``antoni``: ``tests/helpers/antoni_kurtogram.py``, a time-domain port of Antoni's published
  Fast_Kurtogram.m (causal FIR filtering and decimation, his filters).

Windows: simulated impacts ringing a resonance in white noise (``tests/helpers/signals.py``;
resonance, fault rate and noise drawn at random, 2^15 samples at 12 kHz, the resonance known),
and, when ``$OPENPHM_DATA`` holds them, the 60 CWRU 12 kHz drive-end fault records (their first
2^16 samples). Per pair of choosers: the share of windows where both chose the same band, and
where their bands overlap by at least half the narrower. On the simulated windows, per chooser:
the share of chosen bands that hold the resonance, and the strength of the fault's first three
harmonics in the squared-envelope spectrum of the chosen band (dB over the median of the
spectrum up to 4 fault orders), the figure envelope analysis lives on.

Usage: ``python benchmarks/kurtogram_reference.py [--simulated N] [--cwru N]`` (prints JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.antoni_kurtogram import antoni_kurtogram
from tests.helpers.signals import impacts_on_resonance

from openphm.signal import kurtogram
from openphm.signal.envelope import squared_envelope_spectrum

Band = tuple[float, float, float]  # (level, low Hz, high Hz)

#: Antoni's cut-offs: fir1(16, 0.4) and fir1(24, 2/3 * 0.4), normalised to Nyquist.
ANTONI_CUTOFF = {2: 0.2, 3: 0.4 / 3.0}


def openphm_band(x: np.ndarray, fs: float, max_level: int) -> Band:
    """openphm's choice over the whole map."""
    kg = kurtogram.fast_kurtogram(x, fs, max_level=max_level, fmax_hz=fs / 2.0)
    return (kg.best_level, *kg.best_band_hz)


def antoni_cuts_band(x: np.ndarray, fs: float, max_level: int) -> Band:
    """openphm's code with Antoni's prototype cut-offs (0.2 and 0.1333 cycles/sample)."""
    original = kurtogram.PROTOTYPE_CUTOFF
    kurtogram.PROTOTYPE_CUTOFF = ANTONI_CUTOFF
    kurtogram._plan.cache_clear()
    kurtogram._response_table.cache_clear()
    try:
        return openphm_band(x, fs, max_level)
    finally:
        kurtogram.PROTOTYPE_CUTOFF = original
        kurtogram._plan.cache_clear()
        kurtogram._response_table.cache_clear()


def antoni_band(x: np.ndarray, fs: float, max_level: int) -> Band:
    """The reference's choice (largest kurtosis; the first on ties, as MATLAB's max)."""
    k = antoni_kurtogram(x, max_level)
    row, col = np.unravel_index(int(np.argmax(k)), k.shape)
    levels = [0.0] + [lv + d for lv in range(max_level) for d in (1.0, np.log2(3.0))]
    level = levels[row]
    n_bands = 1 if row == 0 else (2 if row % 2 == 1 else 3) * 2 ** ((row - 1) // 2)
    width = fs / 2.0 / n_bands
    index = col // (k.shape[1] // n_bands)
    return (level, index * width, (index + 1) * width)


CHOOSERS: dict[str, Callable[[np.ndarray, float, int], Band]] = {
    "openphm": openphm_band,
    "openphm-antoni-cuts": antoni_cuts_band,
    "antoni": antoni_band,
}


def overlap(a: Band, b: Band) -> bool:
    """Bands sharing at least half the narrower's width."""
    shared = min(a[2], b[2]) - max(a[1], b[1])
    return shared >= 0.5 * min(a[2] - a[1], b[2] - b[1])


def line_strength_db(x: np.ndarray, fs: float, band: Band, fault_hz: float) -> float:
    """Fault harmonics 1-3 in the band's squared-envelope spectrum, dB over its median."""
    ses = squared_envelope_spectrum(x, fs, (band[1], band[2]))
    f, v = ses.freqs_hz, ses.values
    df = f[1] - f[0]
    peaks = [
        v[np.abs(f - h * fault_hz) <= max(2 * df, 0.02 * h * fault_hz)].max() for h in (1, 2, 3)
    ]
    floor = float(np.median(v[(f > 0.25 * fault_hz) & (f < 4.0 * fault_hz)]))
    if floor <= 0.0:
        # A band narrower than the fault's lines shows none of them.
        return -np.inf
    return float(20.0 * np.log10(np.mean(peaks) / floor))


def simulated(n_windows: int) -> list[dict[str, object]]:
    """Choices and their quality on simulated windows of known resonance."""
    rng = np.random.default_rng(2026)
    fs, n = 12000.0, 2**15
    out = []
    for _ in range(n_windows):
        resonance = float(rng.uniform(800.0, 5000.0))
        fault = float(rng.uniform(20.0, 150.0))
        noise = float(rng.uniform(0.2, 0.8))
        x = impacts_on_resonance(fs, n, fault, resonance, rng, noise_rms=noise)
        row: dict[str, object] = {"resonance_hz": resonance, "fault_hz": fault, "noise": noise}
        for name, choose in CHOOSERS.items():
            band = choose(x, fs, 5)
            row[name] = {
                "band": band,
                "holds_resonance": band[1] <= resonance <= band[2],
                "line_db": line_strength_db(x, fs, band, fault),
            }
        out.append(row)
    return out


def cwru(limit: int) -> list[dict[str, object]]:
    """Choices on the CWRU fault records (first 2^16 samples of the drive-end channel)."""
    root = os.environ.get("OPENPHM_DATA", "")
    folder = Path(root) / "cwru" / "12k_drive_end"
    if not root or not folder.is_dir():
        return []
    from openphm.acquire import read
    from openphm.acquire.channels import default_channel

    out = []
    for path in sorted(folder.glob("*.mat*"))[:limit]:
        x = default_channel(read(path)).samples[: 2**16]
        row: dict[str, object] = {"record": path.name}
        for name, choose in CHOOSERS.items():
            row[name] = {"band": choose(x, 12000.0, 6)}
        out.append(row)
    return out


def agreement(rows: list[dict[str, object]]) -> dict[str, dict[str, float]]:
    """Share of windows with the same band, and with overlapping bands, per pair of choosers."""
    names = list(CHOOSERS)
    result = {}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            same = [r[a]["band"] == r[b]["band"] for r in rows]  # type: ignore[index]
            near = [overlap(r[a]["band"], r[b]["band"]) for r in rows]  # type: ignore[index]
            result[f"{a} vs {b}"] = {"same": float(np.mean(same)), "overlap": float(np.mean(near))}
    return result


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simulated", type=int, default=40, help="simulated windows")
    parser.add_argument("--cwru", type=int, default=60, help="CWRU records (when present)")
    args = parser.parse_args()
    sim = simulated(args.simulated)
    real = cwru(args.cwru)
    quality = {
        name: {
            "holds_resonance": float(np.mean([r[name]["holds_resonance"] for r in sim])),  # type: ignore[index]
            "median_line_db": float(np.median([r[name]["line_db"] for r in sim])),  # type: ignore[index]
            "no_lines": float(np.mean([np.isinf(r[name]["line_db"]) for r in sim])),  # type: ignore[index]
        }
        for name in CHOOSERS
    }
    better = {
        f"{a} vs {b}": {
            "stronger": float(np.mean([r[a]["line_db"] > r[b]["line_db"] for r in sim])),  # type: ignore[index]
            "weaker": float(np.mean([r[a]["line_db"] < r[b]["line_db"] for r in sim])),  # type: ignore[index]
        }
        for a, b in (("openphm", "antoni"), ("openphm-antoni-cuts", "antoni"))
    }
    result = {
        "simulated_windows": len(sim),
        "simulated_agreement": agreement(sim),
        "simulated_quality": quality,
        "line_strength_vs_reference": better,
        "cwru_records": len(real),
        "cwru_agreement": agreement(real) if real else None,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
