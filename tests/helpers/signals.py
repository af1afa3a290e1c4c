"""A closed-form test signal with a known answer: impulses ringing a resonance, plus noise."""

from __future__ import annotations

import numpy as np

from openphm.core.waveform import FloatArray


def impacts_on_resonance(
    fs: float,
    n: int,
    fault_hz: float,
    resonance_hz: float,
    rng: np.random.Generator,
    *,
    damping_per_s: float = 600.0,
    noise_rms: float = 0.1,
    jitter: float = 0.01,
) -> FloatArray:
    """Impulses at ``fault_hz`` (1 % random spacing jitter) ringing a resonance, plus white noise.

    The classic model of a localised bearing fault (McFadden & Smith 1984): each impact excites
    a decaying sinusoid ``exp(-damping t) sin(2 pi resonance t)`` of unit amplitude.
    """
    t_ring = np.arange(int(8 * fs / damping_per_s)) / fs
    ring = np.exp(-damping_per_s * t_ring) * np.sin(2 * np.pi * resonance_hz * t_ring)
    period = fs / fault_hz
    starts = np.cumsum(period * (1.0 + jitter * rng.standard_normal(int(n / period) + 2)))
    starts = starts[starts < n - ring.size].astype(int)
    x = noise_rms * rng.standard_normal(n)
    for s in starts:
        x[s : s + ring.size] += ring
    return x
