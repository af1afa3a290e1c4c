"""Envelope analysis: band-pass filtering, the analytic-signal envelope and the squared-envelope
spectrum (SES) used to find bearing fault frequencies."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import fft as sp_fft

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_band, as_fs, as_signal
from openphm.signal.spectrum import Spectrum, one_sided_amplitude, rfft_freqs_hz, window_samples

#: Spare bins on each side of the squared envelope's band when it is computed at a reduced rate
#: (room for the spread of the window applied before its FFT).
SES_GUARD_BINS = 8


def _odd_length(x: npt.ArrayLike) -> int:
    return int(np.shape(x)[0] % 2) if np.ndim(x) == 1 else 0


def _band_spectrum(
    x: npt.ArrayLike,
    fs: float,
    band_hz: tuple[float, float] | None,
    x_rfft: npt.NDArray[np.complex128] | None = None,
) -> tuple[npt.NDArray[np.complex128], int, int]:
    """One-sided DFT of the analytic band signal, and the first and last bin of the band.

    ``x_rfft`` is ``numpy.fft.rfft(x)`` when the caller already has it.
    """
    arr = as_signal(x, min_len=4)
    rate = as_fs(fs)
    n = arr.size
    low, high = (0.0, rate / 2.0) if band_hz is None else as_band(band_hz, rate)
    freqs = rfft_freqs_hz(n, rate)
    inside = (freqs >= low) & (freqs <= high)
    gain = np.where(inside, 2.0, 0.0)
    gain[0] = 1.0 if band_hz is not None and low == 0.0 else 0.0
    if n % 2 == 0:
        gain[-1] *= 0.5
    kept = np.flatnonzero(gain)
    if kept.size == 0:
        raise ConfigError(
            f"band_hz: ({low:g}, {high:g}) Hz holds no frequency bin of a {n}-sample record "
            f"(bins are {rate / n:g} Hz apart); widen it"
        )
    if x_rfft is None:
        x_rfft = np.fft.rfft(arr)
    elif x_rfft.shape != freqs.shape:
        raise ConfigError(
            f"x_rfft: {x_rfft.shape[0]} bins, but the rfft of {n} samples has {freqs.size}"
        )
    return x_rfft * gain, int(kept[0]), int(kept[-1])


def analytic_band(
    x: npt.ArrayLike, fs: float, band_hz: tuple[float, float] | None = None
) -> npt.NDArray[np.complex128]:
    """Analytic signal of ``x`` band-passed to ``band_hz``, computed in one FFT round trip.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float), optional
        Pass band ``(low, high)`` in Hz, ``0 <= low < high <= fs/2`` (DC is kept only when
        ``low == 0``). ``None`` keeps every frequency except DC.

    Returns
    -------
    numpy.ndarray of complex
        ``z = x_b + i H[x_b]`` where ``x_b`` is the band-passed signal and ``H`` the Hilbert
        transform: the DFT of ``x`` is kept (doubled) on the positive-frequency bins inside the
        band and zeroed elsewhere, then inverted (Randall & Antoni 2011, section 2.2).

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(1000) / fs
    >>> z = analytic_band(np.cos(2 * np.pi * 100 * t), fs, (50.0, 150.0))
    >>> bool(np.allclose(np.abs(z), 1.0))
    True
    """
    one_sided, _, _ = _band_spectrum(x, fs, band_hz)
    full = np.zeros(2 * (one_sided.size - 1) + _odd_length(x), dtype=np.complex128)
    full[: one_sided.size] = one_sided
    return np.fft.ifft(full)


def bandpass(x: npt.ArrayLike, fs: float, band_hz: tuple[float, float]) -> FloatArray:
    """Zero-phase band-pass filter with ideal (brick-wall) edges, applied in the frequency domain.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float)
        Pass band ``(low, high)`` in Hz, ``0 <= low < high <= fs/2``.

    Returns
    -------
    numpy.ndarray
        The band-passed signal, same length and unit as ``x``: the real part of
        :func:`analytic_band`. The record is treated as periodic (circular filtering).

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(1000) / fs
    >>> y = bandpass(np.sin(2 * np.pi * 10 * t) + np.sin(2 * np.pi * 200 * t), fs, (100.0, 300.0))
    >>> bool(np.allclose(y, np.sin(2 * np.pi * 200 * t)))
    True
    """
    return np.ascontiguousarray(analytic_band(x, fs, band_hz).real)


def envelope(x: npt.ArrayLike, fs: float, band_hz: tuple[float, float] | None = None) -> FloatArray:
    """Envelope of ``x`` (optionally band-passed first): the magnitude of its analytic signal.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float), optional
        Demodulation band ``(low, high)`` in Hz; ``None`` demodulates the whole signal (DC
        excluded).

    Returns
    -------
    numpy.ndarray
        ``|x_b + i H[x_b]|``, in the unit of ``x``.

    Notes
    -----
    Band-pass plus Hilbert transform (Randall & Antoni 2011, "Rolling element bearing
    diagnostics - A tutorial", MSSP 25(2), section 2.2), both done on one DFT.

    Examples
    --------
    >>> fs = 10000.0
    >>> t = np.arange(10000) / fs
    >>> x = (1.0 + 0.5 * np.cos(2 * np.pi * 30 * t)) * np.cos(2 * np.pi * 2000 * t)
    >>> env = envelope(x, fs, (1500.0, 2500.0))
    >>> bool(np.allclose(env, 1.0 + 0.5 * np.cos(2 * np.pi * 30 * t)))
    True
    """
    return np.abs(analytic_band(x, fs, band_hz))


def squared_envelope_spectrum(
    x: npt.ArrayLike,
    fs: float,
    band_hz: tuple[float, float] | None = None,
    *,
    window: str | tuple[str, float] = "hann",
    x_rfft: npt.NDArray[np.complex128] | None = None,
) -> Spectrum:
    """Squared-envelope spectrum (SES): the amplitude spectrum of ``|analytic signal|^2``.

    Parameters
    ----------
    x : array_like
        1-D samples, for example acceleration in g.
    fs : float
        Sampling rate in Hz.
    band_hz : (float, float), optional
        Demodulation band ``(low, high)`` in Hz, typically the best band of
        :func:`openphm.signal.kurtogram.fast_kurtogram`; ``None`` uses the whole band.
    window : str or tuple, default "hann"
        Window applied to the squared envelope before its FFT.
    x_rfft : numpy.ndarray of complex, optional
        ``numpy.fft.rfft(x)``, when the caller already has it (a diagnosis demodulates one
        record in several bands, and its kurtogram starts from the same DFT).

    Returns
    -------
    Spectrum
        One-sided peak amplitude of the squared envelope, in (unit of x)^2, over
        ``0 .. fs/2`` with resolution ``fs / len(x)``; the mean of the squared envelope is
        removed, so the DC bin is about zero. Bearing fault frequencies (BPFO, BPFI, ...) and
        their modulation sidebands appear as peaks.

    Notes
    -----
    ``SES(f) = |DFT{ |x_b + i H[x_b]|^2 - mean }|`` after Randall & Antoni 2011, "Rolling
    element bearing diagnostics - A tutorial", MSSP 25(2) 485-520, section 2.2. The square (not
    the plain envelope) avoids the extraneous components that taking the modulus adds.

    Examples
    --------
    >>> fs = 10000.0
    >>> t = np.arange(10000) / fs
    >>> x = (1.0 + 0.5 * np.cos(2 * np.pi * 30 * t)) * np.cos(2 * np.pi * 2000 * t)
    >>> ses = squared_envelope_spectrum(x, fs, (1500.0, 2500.0))
    >>> float(ses.freqs_hz[ses.values.argmax()])
    30.0
    """
    one_sided, first, last = _band_spectrum(x, fs, band_hz, x_rfft)
    n = 2 * (one_sided.size - 1) + _odd_length(x)
    # |z|^2 of a band K bins wide holds frequencies up to K bins only: compute it at the lowest
    # fast FFT length that holds them (the band shifted to baseband leaves |z| unchanged). For
    # a wide band that is a little more than the record's own length, which may be an awkward
    # one (a prime factor of thousands costs ten times a fast length).
    m = sp_fft.next_fast_len(2 * (last - first + 1 + SES_GUARD_BINS))
    shifted = np.zeros(m, dtype=np.complex128)
    shifted[: last - first + 1] = one_sided[first : last + 1]
    z = np.fft.ifft(shifted) * (m / n)
    sq = z.real**2 + z.imag**2
    sq -= sq.mean()
    w = window_samples(window, m)
    values = np.zeros(one_sided.size)
    reduced = one_sided_amplitude(np.fft.rfft(sq * w), m, float(w.sum()), "peak")
    values[: reduced.size] = reduced[: values.size]
    note = "squared-envelope peak amplitude [(unit of x)^2]"
    return Spectrum(rfft_freqs_hz(n, as_fs(fs)), values, note)
