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
    ramp_to_hz: float | None = None,
    rotating_ring: str = "inner",
) -> Waveform:
    """Simulate the vibration of a bearing with one fault (or none).

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
    ramp_to_hz : float, optional
        Speed at the end of the record: the speed then rises (or falls) linearly from
        ``shaft_hz`` (see :func:`ramp_profile`), and every line follows the shaft angle.

    rotating_ring : {"inner", "outer"}, default "inner"
        The ring that turns at ``shaft_hz``: its race's defect is the one modulated once per
        revolution by the stationary load zone (give ``orders`` for that ring too).

    Returns
    -------
    Waveform
        Samples in arbitrary acceleration units, with ``speed_hz`` set at constant speed.
    """
    o = orders or ORDERS_6205
    n = round(fs * duration_s)
    t = np.arange(n) / fs
    end_hz = shaft_hz if ramp_to_hz is None else ramp_to_hz
    revs = _revolutions(shaft_hz, end_hz, t, duration_s)
    shaft = 0.2 * sum(np.sin(2 * np.pi * k * revs + k) / k for k in (1, 2, 3))
    if gear_teeth:
        mesh = 2 * np.pi * gear_teeth * revs
        shaft = shaft + (1.0 + 0.5 * np.cos(2 * np.pi * revs)) * np.sin(mesh)
    speed = shaft_hz if ramp_to_hz is None else None
    if fault == "healthy":
        x = rng.normal(size=n) + shaft
        return Waveform(x, fs, channel="sim", speed_hz=speed, source=f"sim:{fault}")
    mean_hz = 0.5 * (shaft_hz + end_hz)
    rate = o[fault] * mean_hz
    spacing = rng.normal(1.0, slip, size=int(duration_s * rate) + 2) / rate
    if ramp_to_hz is None:
        times = np.cumsum(spacing)
    else:  # the same spacing in shaft angle (revolutions) instead of time
        times = np.interp(np.cumsum(spacing * mean_hz), revs, t, right=np.inf)
    times = times[times < duration_s - 0.02]
    angle = np.interp(times, t, revs)
    if fault == rotating_ring:
        amp = 1.0 + 0.8 * np.cos(2 * np.pi * angle)
    elif fault == "ball":
        amp = 1.0 + 0.8 * np.cos(2 * np.pi * o["cage"] * angle)
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
    return Waveform(x, fs, channel="sim", speed_hz=speed, source=f"sim:{fault}")


def _revolutions(start_hz: float, end_hz: float, t: np.ndarray, duration_s: float) -> np.ndarray:
    """Shaft angle in revolutions at times ``t`` of a linear speed ramp over ``duration_s``."""
    return start_hz * t + 0.5 * (end_hz - start_hz) / duration_s * t**2


def ramp_profile(shaft_hz: float, ramp_to_hz: float, waveform: Waveform) -> np.ndarray:
    """Shaft speed in Hz at every sample of a record simulated with ``ramp_to_hz``.

    Parameters
    ----------
    shaft_hz : float
        Speed at the start, Hz.
    ramp_to_hz : float
        Speed at the end of the simulated duration, Hz.
    waveform : Waveform
        The simulated record.

    Returns
    -------
    numpy.ndarray
        Speed per sample, Hz.
    """
    t = np.arange(waveform.n_samples) / waveform.fs
    duration_s = waveform.n_samples / waveform.fs
    return shaft_hz + (ramp_to_hz - shaft_hz) * t / duration_s


def tacho_signal(shaft_hz: float, ramp_to_hz: float, waveform: Waveform) -> np.ndarray:
    """A once-per-revolution tachometer (5 V pulses a tenth of a revolution long).

    Parameters
    ----------
    shaft_hz : float
        Speed at the start, Hz.
    ramp_to_hz : float
        Speed at the end of the simulated duration, Hz.
    waveform : Waveform
        The simulated record.

    Returns
    -------
    numpy.ndarray
        Tachometer voltage per sample, V.
    """
    t = np.arange(waveform.n_samples) / waveform.fs
    revs = _revolutions(shaft_hz, ramp_to_hz, t, waveform.n_samples / waveform.fs)
    return np.where((revs + 0.95) % 1.0 < 0.1, 5.0, 0.0)
