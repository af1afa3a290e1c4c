"""Bearing-fault vibration simulator for tests: impulse trains ringing a structural resonance.

After Randall & Antoni (2011), "Rolling element bearing diagnostics - A tutorial", MSSP 25(2),
section 1.2: each impact excites a decaying resonance; the impact spacing jitters randomly
(slip, 1-2 %); an inner-race defect is amplitude-modulated once per shaft revolution by the load
zone, a rolling-element defect once per cage revolution; shaft harmonics and white noise are added.
"""

from __future__ import annotations

import numpy as np

from openphm.core.waveform import Waveform

#: SKF 6205 fault orders (CWRU drive end): BPFO, BPFI, 2xBSF, FTF.
ORDERS_6205 = {"outer": 3.5848, "inner": 5.4152, "ball": 4.7135, "cage": 0.39828}


def simulate_bearing(
    fault: str,
    *,
    rng: np.random.Generator,
    fs: float = 12000.0,
    duration_s: float = 4.0,
    shaft_hz: float = 29.95,
    snr_db: float = 0.0,
    resonance_hz: float = 3000.0,
    damping: float = 0.05,
    slip: float = 0.01,
    orders: dict[str, float] | None = None,
    gear_teeth: int = 0,
) -> Waveform:
    """Simulate the vibration of a bearing with one fault (or none) at constant speed.

    Parameters
    ----------
    fault : str
        ``"outer"``, ``"inner"``, ``"ball"``, ``"cage"`` or ``"healthy"``.
    rng : numpy.random.Generator
        Source of randomness (jitter, noise).
    fs : float
        Sampling rate in Hz.
    duration_s : float
        Length in s.
    shaft_hz : float
        Shaft speed in Hz.
    snr_db : float
        Ratio of the impact train's power to the white noise's, dB.
    resonance_hz : float
        Natural frequency rung by each impact, Hz.
    damping : float
        Damping ratio of the resonance.
    slip : float
        Standard deviation of the impact spacing relative to its mean (random slip).
    orders : dict, optional
        Fault orders (default: SKF 6205).
    gear_teeth : int, default 0
        Teeth of a gear on the shaft: adds its mesh tone (``gear_teeth`` orders, as strong as
        the noise) amplitude-modulated once per revolution, a deterministic, shaft-synchronous
        source such as cepstrum pre-whitening removes.

    Returns
    -------
    Waveform
        Samples in arbitrary acceleration units, with ``speed_hz`` set.
    """
    o = orders or ORDERS_6205
    n = round(fs * duration_s)
    t = np.arange(n) / fs
    shaft = 0.2 * sum(np.sin(2 * np.pi * k * shaft_hz * t + k) / k for k in (1, 2, 3))
    if gear_teeth:
        mesh = 2 * np.pi * gear_teeth * shaft_hz * t
        shaft = shaft + (1.0 + 0.5 * np.cos(2 * np.pi * shaft_hz * t)) * np.sin(mesh)
    if fault == "healthy":
        x = rng.normal(size=n) + shaft
        return Waveform(x, fs, channel="sim", speed_hz=shaft_hz, source=f"sim:{fault}")
    rate = o[fault] * shaft_hz
    spacing = rng.normal(1.0, slip, size=int(duration_s * rate) + 2) / rate
    times = np.cumsum(spacing)
    times = times[times < duration_s - 0.02]
    if fault == "inner":
        amp = 1.0 + 0.8 * np.cos(2 * np.pi * shaft_hz * times)
    elif fault == "ball":
        amp = 1.0 + 0.8 * np.cos(2 * np.pi * o["cage"] * shaft_hz * times)
    else:
        amp = np.ones(times.size)
    wn = 2 * np.pi * resonance_hz
    tau = np.arange(round(0.02 * fs)) / fs
    ring = np.exp(-damping * wn * tau) * np.sin(wn * np.sqrt(1 - damping**2) * tau)
    pulses = np.zeros(n)
    np.add.at(pulses, np.round(times * fs).astype(int), amp)
    impacts = np.convolve(pulses, ring)[:n]
    noise_power = np.mean(impacts**2) / 10 ** (snr_db / 10)
    x = impacts + rng.normal(scale=np.sqrt(noise_power), size=n) + shaft * np.sqrt(noise_power)
    return Waveform(x, fs, channel="sim", speed_hz=shaft_hz, source=f"sim:{fault}")
