"""Order tracking: from time to shaft angle (computed order tracking) and order spectra."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import interpolate, ndimage

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_fs, as_positive_int, as_signal, frozen_copy
from openphm.signal.envelope import analytic_band, bandpass
from openphm.signal.spectrum import (
    Scaling,
    one_sided_amplitude,
    rfft_freqs_hz,
    window_samples,
)

#: Fraction of the angular Nyquist order kept by the anti-aliasing filter before resampling.
ANTIALIAS_FRACTION = 0.9


@dataclass(frozen=True)
class AngleSignal:
    """A signal sampled uniformly in shaft angle.

    Parameters
    ----------
    samples : numpy.ndarray
        Samples, ``samples_per_rev`` per revolution, in the unit of the source signal.
    samples_per_rev : int
        Angular sampling rate in samples per revolution.
    start_rev : float
        Shaft angle of the first sample, in revolutions (0 when it is the reference: the first
        tachometer pulse or the first time sample).
    """

    samples: FloatArray
    samples_per_rev: int
    start_rev: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "samples", frozen_copy(self.samples))

    @property
    def angle_rev(self) -> FloatArray:
        """Shaft angle of each sample in revolutions."""
        return self.start_rev + np.arange(self.samples.size) / self.samples_per_rev


@dataclass(frozen=True)
class OrderSpectrum:
    """Amplitude over order (multiples of the shaft speed).

    Parameters
    ----------
    orders : numpy.ndarray
        Order of each bin (cycles per revolution).
    values : numpy.ndarray
        Amplitude per bin.
    unit_note : str
        What the values are and their unit.
    """

    orders: FloatArray
    values: FloatArray
    unit_note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "orders", frozen_copy(self.orders))
        object.__setattr__(self, "values", frozen_copy(self.values))


def tacho_pulse_times(
    tach: npt.ArrayLike, fs: float, *, threshold: float | None = None, hysteresis: float = 0.1
) -> FloatArray:
    """Times of the rising edges of a tachometer (once-per-rev or encoder) signal.

    Parameters
    ----------
    tach : array_like
        Tachometer voltage, 1-D.
    fs : float
        Sampling rate in Hz.
    threshold : float, optional
        Trigger level in the unit of ``tach``; default halfway between its 1st and 99th
        percentiles.
    hysteresis : float, default 0.1
        Fraction of the signal's range by which it must fall below ``threshold`` before the next
        edge counts (rejects noise on the edges).

    Returns
    -------
    numpy.ndarray
        Edge times in s from the first sample, refined by linear interpolation between the two
        samples that straddle the threshold.

    Examples
    --------
    >>> fs = 1000.0
    >>> tach = (np.sin(2 * np.pi * 10.0 * np.arange(1000) / fs) > 0.99).astype(float)
    >>> np.diff(tacho_pulse_times(tach, fs)).round(6).tolist()[:3]
    [0.1, 0.1, 0.1]
    """
    arr = as_signal(tach, "tach")
    rate = as_fs(fs)
    lo_pct, hi_pct = np.percentile(arr, [1.0, 99.0])
    span = float(hi_pct - lo_pct)
    if span <= 0.0:
        raise DataError("tach: the tachometer signal is flat; no pulses to find")
    level = 0.5 * (lo_pct + hi_pct) if threshold is None else float(threshold)
    above = arr > level
    edges = np.flatnonzero(above[1:] & ~above[:-1]) + 1
    below = np.cumsum(arr < level - hysteresis * span)
    keep = np.ones(edges.size, dtype=bool)
    keep[1:] = below[edges[1:] - 1] > below[edges[:-1]]
    edges = edges[keep]
    frac = (level - arr[edges - 1]) / (arr[edges] - arr[edges - 1])
    return np.asarray((edges - 1 + frac) / rate, dtype=np.float64)


def angle_from_tacho(
    pulse_times_s: npt.ArrayLike, t_s: npt.ArrayLike, *, pulses_per_rev: int = 1
) -> FloatArray:
    """Shaft angle in revolutions at times ``t_s``, from tachometer pulse times.

    Parameters
    ----------
    pulse_times_s : array_like
        Increasing pulse times in s (see :func:`tacho_pulse_times`); the first pulse is angle 0.
    t_s : array_like
        Times in s at which the angle is wanted.
    pulses_per_rev : int, default 1
        Pulses per shaft revolution (1 for a once-per-rev key, more for an encoder or a gear).

    Returns
    -------
    numpy.ndarray
        Angle in revolutions, interpolated between pulses by a monotone cubic (PCHIP) so that
        speed changes are followed smoothly; NaN outside the span of the pulses.

    Notes
    -----
    Computed order tracking: Fyfe & Munck (1997), "Analysis of computed order tracking",
    Mechanical Systems and Signal Processing 11(2) 187-205, who show that fitting the angle by
    a smooth curve through the pulses beats linear interpolation.

    Examples
    --------
    >>> angle_from_tacho([0.0, 0.1, 0.2, 0.3], [0.05, 0.25]).round(6).tolist()
    [0.5, 2.5]
    """
    pulses = as_signal(pulse_times_s, "pulse_times_s", min_len=2)
    ppr = as_positive_int(pulses_per_rev, "pulses_per_rev")
    if np.any(np.diff(pulses) <= 0.0):
        raise DataError("pulse_times_s: pulse times must increase strictly")
    t = np.asarray(t_s, dtype=np.float64)
    revs = np.arange(pulses.size) / ppr
    fit = interpolate.PchipInterpolator(pulses, revs, extrapolate=False)
    return np.asarray(fit(t), dtype=np.float64)


def _angle_to_sample(
    n: int,
    fs: float,
    tacho_pulses_s: npt.ArrayLike | None,
    speed_profile_hz: float | npt.ArrayLike | None,
    pulses_per_rev: int,
) -> tuple[interpolate.PchipInterpolator | None, FloatArray | None, float, float]:
    """How to find the (fractional) sample index of a shaft angle, and the angles covered.

    Returns ``(fit, revs, last_rev, min_speed_hz)``: with a tachometer, ``fit`` maps
    revolutions to times (monotone cubic through the pulses); with a speed profile, ``revs``
    holds the angle of every sample. Angle 0 is the first pulse, or the first sample.
    """
    if (tacho_pulses_s is None) == (speed_profile_hz is None):
        raise ConfigError("give exactly one of tacho_pulses_s and speed_profile_hz")
    if tacho_pulses_s is not None:
        pulses = as_signal(tacho_pulses_s, "tacho_pulses_s", min_len=2)
        ppr = as_positive_int(pulses_per_rev, "pulses_per_rev")
        gaps = np.diff(pulses)
        if np.any(gaps <= 0.0):
            raise DataError("tacho_pulses_s: pulse times must increase strictly")
        if pulses[0] < 0.0 or pulses[-1] > (n - 1) / fs:
            raise DataError("tacho_pulses_s: pulses fall outside the record")
        revs_at_pulses = np.arange(pulses.size) / ppr
        fit = interpolate.PchipInterpolator(revs_at_pulses, pulses, extrapolate=False)
        return fit, None, float(revs_at_pulses[-1]), float(1.0 / ppr / gaps.max())
    speed = np.broadcast_to(np.asarray(speed_profile_hz, dtype=np.float64), (n,))
    if not np.all(np.isfinite(speed)) or np.any(speed <= 0.0):
        raise DataError("speed_profile_hz: shaft speed must be finite and positive everywhere")
    revs = np.zeros(n)
    revs[1:] = np.cumsum(0.5 * (speed[1:] + speed[:-1])) / fs
    return None, revs, float(revs[-1]), float(speed.min())


def resample_to_angle(
    x: npt.ArrayLike,
    fs: float,
    *,
    tacho_pulses_s: npt.ArrayLike | None = None,
    speed_profile_hz: float | npt.ArrayLike | None = None,
    samples_per_rev: int = 256,
    pulses_per_rev: int = 1,
) -> AngleSignal:
    """Resample a signal from uniform time to uniform shaft angle (computed order tracking).

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    tacho_pulses_s : array_like, optional
        Tachometer pulse times in s; angle 0 is the first pulse.
    speed_profile_hz : float or array_like, optional
        Shaft speed in Hz, constant or one value per sample; angle 0 is the first sample. Give
        exactly one of ``tacho_pulses_s`` and ``speed_profile_hz``.
    samples_per_rev : int, default 256
        Angular sampling rate; orders up to ``samples_per_rev / 2`` are represented.
    pulses_per_rev : int, default 1
        Tachometer pulses per revolution.

    Returns
    -------
    AngleSignal
        Samples at angles ``k / samples_per_rev`` from angle 0 (the first pulse, or the first
        sample) to the last angle the pulses or the record cover.

    Notes
    -----
    The times of the uniform angle grid come from a monotone cubic through the pulses (as in
    :func:`angle_from_tacho`) or from the integrated speed profile, and ``x`` is evaluated there
    by cubic-spline interpolation. When the angular Nyquist
    order at the lowest speed falls below ``fs/2``, ``x`` is first low-passed to
    ``ANTIALIAS_FRACTION`` of it, so that higher orders do not alias.
    Fyfe & Munck (1997), Mechanical Systems and Signal Processing 11(2) 187-205.

    Examples
    --------
    >>> fs = 10000.0
    >>> t = np.arange(20000) / fs
    >>> speed = 20.0 + 5.0 * t  # run-up from 20 to 30 Hz
    >>> phase = 2 * np.pi * (20.0 * t + 2.5 * t**2)  # shaft angle in rad
    >>> a = resample_to_angle(np.sin(4 * phase), fs, speed_profile_hz=speed, samples_per_rev=64)
    >>> spec = order_spectrum(a.samples, a.samples_per_rev)
    >>> float(spec.orders[spec.values.argmax()])
    4.0
    """
    arr = as_signal(x, min_len=4)
    rate = as_fs(fs)
    spr = as_positive_int(samples_per_rev, "samples_per_rev", 4)
    fit, revs, last_rev, min_speed = _angle_to_sample(
        arr.size, rate, tacho_pulses_s, speed_profile_hz, pulses_per_rev
    )
    cutoff = ANTIALIAS_FRACTION * min_speed * spr / 2.0
    if cutoff < rate / 2.0:
        arr = bandpass(arr, rate, (0.0, cutoff))
    grid = np.arange(0.0, last_rev + 1e-9, 1.0 / spr)
    if grid.size < 2:
        raise DataError("x: covers less than one angular sample; record longer")
    if fit is not None:
        sample_index = np.asarray(fit(grid), dtype=np.float64) * rate
    else:
        sample_index = np.interp(grid, np.asarray(revs), np.arange(arr.size, dtype=np.float64))
    values = ndimage.map_coordinates(arr, [sample_index], order=3, mode="nearest")
    return AngleSignal(np.asarray(values, dtype=np.float64), spr, 0.0)


def order_spectrum(
    x_angle: npt.ArrayLike,
    samples_per_rev: int,
    *,
    window: str | tuple[str, float] = "hann",
    scaling: Scaling = "peak",
) -> OrderSpectrum:
    """Amplitude spectrum of an angle-domain signal, over orders of the shaft speed.

    Parameters
    ----------
    x_angle : array_like
        Samples uniform in angle (see :func:`resample_to_angle`), 1-D.
    samples_per_rev : int
        Angular sampling rate in samples per revolution.
    window : str or tuple, default "hann"
        Window (see :func:`openphm.signal.spectrum.amplitude_spectrum`).
    scaling : {"peak", "rms"}, default "peak"
        Amplitude scaling, as for the amplitude spectrum.

    Returns
    -------
    OrderSpectrum
        Orders ``k * samples_per_rev / n`` and amplitudes in the unit of the signal; the order
        resolution is ``1 / (number of revolutions)``.

    Examples
    --------
    >>> theta = np.arange(64 * 10) / 64  # 10 revolutions
    >>> s = order_spectrum(2.0 * np.cos(2 * np.pi * 3.0 * theta), 64)
    >>> float(s.orders[s.values.argmax()]), round(float(s.values.max()), 6)
    (3.0, 2.0)
    """
    arr = as_signal(x_angle, "x_angle")
    spr = as_positive_int(samples_per_rev, "samples_per_rev", 2)
    w = window_samples(window, arr.size)
    values = one_sided_amplitude(np.fft.rfft(arr * w), arr.size, float(w.sum()), scaling)
    unit = "RMS amplitude [unit of x]" if scaling == "rms" else "peak amplitude [unit of x]"
    return OrderSpectrum(rfft_freqs_hz(arr.size, float(spr)), values, unit)


def samples_per_rev_for(max_order: float, speed_ratio: float = 1.0) -> int:
    """Angular sampling rate that keeps orders up to ``max_order`` at every speed of a record.

    Parameters
    ----------
    max_order : float
        Highest order wanted (cycles per revolution).
    speed_ratio : float, default 1
        Fastest over slowest speed of the record (>= 1). The anti-aliasing low-pass of
        :func:`resample_to_angle` is fixed in Hz for the slowest speed, so at the fastest it
        cuts lower orders, by this ratio.

    Returns
    -------
    int
        The power of 2 at or above 2.5 samples per cycle of ``max_order`` times
        ``speed_ratio`` (2.5 leaves room above the ``2 / ANTIALIAS_FRACTION`` = 2.2 that the
        low-pass needs).

    Examples
    --------
    >>> samples_per_rev_for(24.5), samples_per_rev_for(24.5, 35.0 / 20.0)
    (64, 128)
    """
    return int(2 ** math.ceil(math.log2(2.5 * max_order * speed_ratio)))


def squared_envelope_order_spectrum(
    x: npt.ArrayLike,
    fs: float,
    band_hz: tuple[float, float] | None = None,
    *,
    tacho_pulses_s: npt.ArrayLike | None = None,
    speed_profile_hz: float | npt.ArrayLike | None = None,
    samples_per_rev: int = 64,
    pulses_per_rev: int = 1,
) -> OrderSpectrum:
    """Squared-envelope spectrum over orders: envelope analysis at varying speed.

    Parameters
    ----------
    x : array_like
        1-D samples (acceleration), uniform in time.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float), optional
        Demodulation band ``(low, high)`` in Hz (fixed in Hz: structural resonances do not
        follow the speed); ``None`` uses the whole band.
    tacho_pulses_s : array_like, optional
        Tachometer pulse times in s (see :func:`tacho_pulse_times`).
    speed_profile_hz : float or array_like, optional
        Shaft speed in Hz, constant or one value per sample. Give exactly one of
        ``tacho_pulses_s`` and ``speed_profile_hz``.
    samples_per_rev : int, default 64
        Angular sampling rate of the resampled envelope; orders up to
        ``ANTIALIAS_FRACTION * samples_per_rev / 2`` are kept.
    pulses_per_rev : int, default 1
        Tachometer pulses per revolution.

    Returns
    -------
    OrderSpectrum
        Peak amplitude of the squared envelope (mean removed, Hann window), in (unit of x)^2,
        over orders of the shaft speed, resolution ``1 / revolutions``. Fault lines that are
        locked to the shaft angle (BPFO, BPFI, 2xBSF, their sidebands) stay sharp however the
        speed varies.

    Notes
    -----
    Demodulation in time, then order tracking of the squared envelope: the band and the
    Hilbert envelope are taken in the time domain, where the resonances excited by the impacts
    sit at fixed frequencies, and only the envelope is resampled to uniform shaft angle
    (Borghesani, Ricci, Chatterton & Pennacchi 2013, "A new procedure for using envelope
    analysis for rolling element bearing diagnostics in variable operating conditions", MSSP
    38(1) 23-35; Randall & Antoni 2011, MSSP 25(2), section 2.2 for the squared envelope).

    Examples
    --------
    >>> fs = 10000.0
    >>> t = np.arange(40000) / fs
    >>> revs = 20.0 * t + 1.25 * t**2  # run-up from 20 to 30 Hz
    >>> x = (1 + 0.5 * np.cos(2 * np.pi * 3.5 * revs)) * np.cos(2 * np.pi * 2500.0 * t)
    >>> s = squared_envelope_order_spectrum(x, fs, (2000.0, 3000.0), speed_profile_hz=20 + 2.5 * t)
    >>> float(s.orders[s.values.argmax()])
    3.5
    """
    z = analytic_band(x, fs, band_hz)
    power = np.abs(z) ** 2
    angle = resample_to_angle(
        power - power.mean(),
        fs,
        tacho_pulses_s=tacho_pulses_s,
        speed_profile_hz=speed_profile_hz,
        samples_per_rev=samples_per_rev,
        pulses_per_rev=pulses_per_rev,
    )
    samples = angle.samples - angle.samples.mean()
    spec = order_spectrum(samples, angle.samples_per_rev)
    return OrderSpectrum(
        spec.orders, spec.values, "peak amplitude of the squared envelope [(unit of x)^2]"
    )
