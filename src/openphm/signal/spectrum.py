"""Spectra with physical scaling: amplitude spectrum, Welch PSD and spectrogram (waterfall)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_fs, as_positive_int, as_signal, frozen_copy

Scaling = Literal["peak", "rms"]


@dataclass(frozen=True)
class Spectrum:
    """A one-sided spectrum: values over frequency.

    Parameters
    ----------
    freqs_hz : numpy.ndarray
        Frequencies of the bins in Hz, increasing (read-only copy).
    values : numpy.ndarray
        Value per bin, same length as ``freqs_hz`` (read-only copy).
    unit_note : str
        What the values are and their unit, for example ``"peak amplitude [unit of x]"`` or
        ``"PSD [unit^2/Hz]"``.

    Examples
    --------
    >>> s = Spectrum(np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 0.5]), "peak amplitude")
    >>> s.resolution_hz
    1.0
    >>> s.between(0.5, 2.0).values.tolist()
    [2.0, 0.5]
    """

    freqs_hz: FloatArray
    values: FloatArray
    unit_note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "freqs_hz", frozen_copy(self.freqs_hz))
        object.__setattr__(self, "values", frozen_copy(self.values))
        if self.freqs_hz.shape != self.values.shape or self.freqs_hz.ndim != 1:
            raise ConfigError(
                f"Spectrum: freqs_hz {self.freqs_hz.shape} and values {self.values.shape} "
                "must be 1-D and of equal length"
            )

    @property
    def resolution_hz(self) -> float:
        """Bin spacing in Hz (0 for a single bin)."""
        return float(self.freqs_hz[1] - self.freqs_hz[0]) if self.freqs_hz.size > 1 else 0.0

    def between(self, fmin_hz: float, fmax_hz: float) -> Spectrum:
        """Return the bins with ``fmin_hz <= f <= fmax_hz`` (Hz)."""
        keep = (self.freqs_hz >= fmin_hz) & (self.freqs_hz <= fmax_hz)
        return Spectrum(self.freqs_hz[keep], self.values[keep], self.unit_note)


@dataclass(frozen=True)
class Spectrogram:
    """A time-frequency map (waterfall).

    Parameters
    ----------
    times_s : numpy.ndarray
        Centre time of each segment in seconds from the first sample.
    freqs_hz : numpy.ndarray
        Bin frequencies in Hz.
    values : numpy.ndarray
        Shape ``(len(freqs_hz), len(times_s))``: one column per segment (as
        :func:`matplotlib.pyplot.pcolormesh` expects).
    unit_note : str
        What the values are and their unit.
    """

    times_s: FloatArray
    freqs_hz: FloatArray
    values: FloatArray
    unit_note: str = ""

    def __post_init__(self) -> None:
        for name in ("times_s", "freqs_hz", "values"):
            object.__setattr__(self, name, frozen_copy(getattr(self, name)))
        if self.values.shape != (self.freqs_hz.size, self.times_s.size):
            raise ConfigError(
                f"Spectrogram: values shape {self.values.shape} must be "
                f"(len(freqs_hz), len(times_s)) = ({self.freqs_hz.size}, {self.times_s.size})"
            )


def rfft_freqs_hz(n: int, fs: float) -> FloatArray:
    """Bin frequencies of ``numpy.fft.rfft`` of length ``n``, in Hz.

    Parameters
    ----------
    n : int
        FFT length in samples.
    fs : float
        Sampling rate in Hz.

    Returns
    -------
    numpy.ndarray
        ``k fs / n`` for ``k = 0 .. n // 2``.

    Examples
    --------
    >>> rfft_freqs_hz(4, 100.0).tolist()
    [0.0, 25.0, 50.0]
    """
    return np.arange(n // 2 + 1, dtype=np.float64) * (fs / n)


def window_samples(window: str | tuple[str, float], n: int) -> FloatArray:
    """Periodic (DFT-even) window samples, as spectral analysis uses them.

    Parameters
    ----------
    window : str or tuple
        Window name or ``(name, parameter)``, as :func:`scipy.signal.get_window` takes it.
    n : int
        Length in samples.

    Returns
    -------
    numpy.ndarray
        The ``n`` window samples.

    Raises
    ------
    openphm.core.errors.ConfigError
        When scipy does not know the window.

    Examples
    --------
    >>> window_samples("hann", 4).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    if window == "hann" and n > 1:
        # scipy's own formula (general_cosine), so the samples are identical, without importing
        # scipy.signal for the window nearly every caller uses: it loads scipy.stats, about a
        # second of start-up.
        return np.asarray(0.5 + 0.5 * np.cos(np.linspace(-np.pi, np.pi, n + 1)[:-1]))
    from scipy import signal as sps

    try:
        w = sps.get_window(window, n, fftbins=True)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"window: unknown window {window!r} ({exc})") from None
    return np.asarray(w, dtype=np.float64)


def _check_scaling(scaling: str) -> None:
    if scaling not in ("peak", "rms"):
        raise ConfigError(f"scaling: must be 'peak' or 'rms', got {scaling!r}")


def one_sided_amplitude(
    spectrum: npt.NDArray[np.complex128], n: int, coherent_sum: float, scaling: str = "peak"
) -> FloatArray:
    """Turn an ``rfft`` of a windowed record into one-sided peak or RMS amplitudes.

    Parameters
    ----------
    spectrum : numpy.ndarray
        ``numpy.fft.rfft(x * w, n)``, last axis over frequency.
    n : int
        FFT length the spectrum was computed with.
    coherent_sum : float
        Sum of the window samples, ``sum(w)`` (the coherent gain times the length).
    scaling : {"peak", "rms"}
        ``"peak"``: a sine of amplitude ``A`` centred on a bin reads ``A``;
        ``"rms"``: it reads ``A / sqrt(2)``. DC (and the Nyquist bin for even ``n``) read their
        mean value in both cases.

    Returns
    -------
    numpy.ndarray
        ``2 |X_k| / sum(w)`` for ``0 < k < n/2`` (peak), ``|X_k| / sum(w)`` for DC and Nyquist.

    Examples
    --------
    >>> n = 8
    >>> x = 3.0 * np.cos(2 * np.pi * np.arange(n) / n)
    >>> one_sided_amplitude(np.fft.rfft(x), n, float(n)).round(12).tolist()
    [0.0, 3.0, 0.0, 0.0, 0.0]
    """
    _check_scaling(scaling)
    amp = np.abs(spectrum) * (2.0 / coherent_sum)
    amp[..., 0] *= 0.5
    if n % 2 == 0:
        amp[..., -1] *= 0.5
    if scaling == "rms":
        amp[..., 1 : (n + 1) // 2] /= np.sqrt(2.0)
    return amp


def amplitude_spectrum(
    x: npt.ArrayLike,
    fs: float,
    *,
    window: str | tuple[str, float] = "hann",
    scaling: Scaling = "peak",
    nfft: int | None = None,
) -> Spectrum:
    """One-sided amplitude spectrum of a whole record, corrected for the window's coherent gain.

    Parameters
    ----------
    x : array_like
        1-D samples, in any unit.
    fs : float
        Sampling rate in Hz.
    window : str or tuple, default "hann"
        Any window :func:`scipy.signal.get_window` knows (``"hann"``, ``"flattop"``,
        ``"boxcar"``, ``("kaiser", 8.0)``...). Use ``"flattop"`` for accurate amplitudes
        between bins, ``"hann"`` for resolution.
    scaling : {"peak", "rms"}, default "peak"
        ``"peak"``: a sine ``A sin(2 pi f t)`` centred on a bin reads ``A``; ``"rms"``: it
        reads ``A / sqrt(2)``.
    nfft : int, optional
        FFT length (zero-padding when larger than ``len(x)``, for a finer frequency grid).

    Returns
    -------
    Spectrum
        ``freqs_hz = k fs / nfft`` for ``k = 0 .. nfft//2``; values in the unit of ``x``.

    Notes
    -----
    With window ``w`` (periodic, length ``N``) and ``X_k = sum_n w_n x_n exp(-2 pi i k n / nfft)``,
    the peak amplitude is ``2 |X_k| / sum(w)`` (the coherent-gain correction), halved at DC and
    Nyquist. See Harris (1978), "On the use of windows for harmonic analysis with the discrete
    Fourier transform", Proc. IEEE 66(1).

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(1000) / fs
    >>> s = amplitude_spectrum(2.0 * np.sin(2 * np.pi * 50.0 * t), fs)
    >>> float(s.freqs_hz[s.values.argmax()]), round(float(s.values.max()), 6)
    (50.0, 2.0)
    >>> s_rms = amplitude_spectrum(2.0 * np.sin(2 * np.pi * 50.0 * t), fs, scaling="rms")
    >>> round(float(s_rms.values.max()), 6)
    1.414214
    """
    arr = as_signal(x)
    rate = as_fs(fs)
    _check_scaling(scaling)
    n = arr.size if nfft is None else as_positive_int(nfft, "nfft", arr.size)
    w = window_samples(window, arr.size)
    spec = np.fft.rfft(arr * w, n=n)
    unit = "RMS amplitude [unit of x]" if scaling == "rms" else "peak amplitude [unit of x]"
    return Spectrum(
        rfft_freqs_hz(n, rate), one_sided_amplitude(spec, n, float(w.sum()), scaling), unit
    )


def psd_welch(
    x: npt.ArrayLike,
    fs: float,
    *,
    nperseg: int = 4096,
    window: str | tuple[str, float] = "hann",
    noverlap: int | None = None,
) -> Spectrum:
    """Power spectral density by Welch's method, one-sided, in unit^2/Hz.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    nperseg : int, default 4096
        Segment length in samples; capped at ``len(x)``. The resolution is ``fs / nperseg``.
    window : str or tuple, default "hann"
        Segment window (see :func:`scipy.signal.get_window`).
    noverlap : int, optional
        Overlap in samples; default half a segment.

    Returns
    -------
    Spectrum
        Density in (unit of x)^2/Hz. Parseval: ``sum(values) * resolution_hz`` equals the variance
        of ``x`` (exactly for one boxcar segment, on average otherwise). The mean of each segment
        is removed.

    Notes
    -----
    Welch (1967), "The use of fast Fourier transform for the estimation of power spectra",
    IEEE Trans. Audio Electroacoust. 15(2): average of modified periodograms
    ``|FFT(w x_seg)|^2 / (fs sum(w^2))``, doubled for ``0 < f < fs/2``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(0.0, 2.0, 8192)
    >>> p = psd_welch(x, 1000.0, nperseg=8192, window="boxcar")
    >>> bool(np.isclose(p.values.sum() * p.resolution_hz, x.var()))
    True
    """
    arr = as_signal(x)
    rate = as_fs(fs)
    seg = min(as_positive_int(nperseg, "nperseg", 2), arr.size)
    overlap = seg // 2 if noverlap is None else as_positive_int(noverlap, "noverlap", 0)
    if overlap >= seg:
        raise ConfigError(f"noverlap: {overlap} must be smaller than the segment ({seg} samples)")
    from scipy import signal as sps

    f, p = sps.welch(
        arr,
        fs=rate,
        window=window_samples(window, seg),
        nperseg=seg,
        noverlap=overlap,
        detrend="constant",
        scaling="density",
    )
    return Spectrum(f, p, "PSD [(unit of x)^2/Hz]")


def spectrogram(
    x: npt.ArrayLike,
    fs: float,
    *,
    nperseg: int = 1024,
    noverlap: int | None = None,
    window: str | tuple[str, float] = "hann",
    scaling: Scaling = "peak",
) -> Spectrogram:
    """Short-time amplitude spectra (a waterfall), each scaled as :func:`amplitude_spectrum`.

    Parameters
    ----------
    x : array_like
        1-D samples.
    fs : float
        Sampling rate in Hz.
    nperseg : int, default 1024
        Segment length in samples (capped at ``len(x)``); resolution ``fs / nperseg`` Hz.
    noverlap : int, optional
        Overlap in samples; default three quarters of a segment.
    window : str or tuple, default "hann"
        Segment window.
    scaling : {"peak", "rms"}, default "peak"
        Amplitude scaling of each segment.

    Returns
    -------
    Spectrogram
        ``values[f, t]`` in the unit of ``x``; segment centres in ``times_s``. Only whole segments
        are used (no padding at the ends).

    Examples
    --------
    >>> fs = 1000.0
    >>> t = np.arange(4000) / fs
    >>> sg = spectrogram(np.sin(2 * np.pi * 100.0 * t), fs, nperseg=500)
    >>> sg.values.shape
    (251, 29)
    >>> float(sg.freqs_hz[sg.values[:, 0].argmax()]), round(float(sg.values.max()), 6)
    (100.0, 1.0)
    """
    arr = as_signal(x)
    rate = as_fs(fs)
    _check_scaling(scaling)
    seg = min(as_positive_int(nperseg, "nperseg", 2), arr.size)
    overlap = (3 * seg) // 4 if noverlap is None else as_positive_int(noverlap, "noverlap", 0)
    if overlap >= seg:
        raise ConfigError(f"noverlap: {overlap} must be smaller than the segment ({seg} samples)")
    w = window_samples(window, seg)
    step = seg - overlap
    starts = np.arange(0, arr.size - seg + 1, step)
    frames = np.lib.stride_tricks.sliding_window_view(arr, seg)[starts]
    spec = np.fft.rfft(frames * w, axis=1)
    values = one_sided_amplitude(spec, seg, float(w.sum()), scaling).T
    unit = "RMS amplitude [unit of x]" if scaling == "rms" else "peak amplitude [unit of x]"
    times = np.asarray((starts + seg / 2.0) / rate, dtype=np.float64)
    return Spectrogram(times, rfft_freqs_hz(seg, rate), values, unit)
