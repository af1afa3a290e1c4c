"""Real cepstrum: the spectrum of the log spectrum, which gathers harmonic families and
sideband families into single lines (rahmonics) at the quefrency of their spacing."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_fs, as_positive_int, as_signal

#: Magnitudes below this fraction of the largest bin are raised to it before the logarithm.
LOG_FLOOR = 1e-12


def real_cepstrum(x: npt.ArrayLike) -> FloatArray:
    """Real cepstrum ``c = IFFT(log |FFT(x)|)``.

    Parameters
    ----------
    x : array_like
        1-D samples.

    Returns
    -------
    numpy.ndarray
        Real cepstrum, same length as ``x``, over quefrency (see :func:`quefrency_s`),
        dimensionless. A family of harmonics or sidebands spaced ``df`` Hz shows as peaks at
        quefrency ``1/df`` s and its multiples. Magnitudes are floored at
        ``LOG_FLOOR * max|X|`` so that empty bins do not give ``log(0)``.

    Notes
    -----
    Randall (2017), "A history of cepstrum analysis and its application to mechanical problems",
    Mechanical Systems and Signal Processing 97, 3-19.

    Examples
    --------
    >>> n = 1000
    >>> x = np.zeros(n)
    >>> x[::100] = 1.0  # pulse train: harmonics every n / 100 bins
    >>> c = real_cepstrum(x + 0.01 * np.sin(np.arange(n)))
    >>> int(np.argmax(c[50:500])) + 50
    100
    """
    arr = as_signal(x, min_len=4)
    mag = np.abs(np.fft.rfft(arr))
    floor = LOG_FLOOR * float(mag.max()) if mag.max() > 0.0 else LOG_FLOOR
    return np.fft.irfft(np.log(np.maximum(mag, floor)), n=arr.size)


def quefrency_s(n: int, fs: float) -> FloatArray:
    """Quefrency axis of a cepstrum, in seconds.

    Parameters
    ----------
    n : int
        Length of the cepstrum in samples.
    fs : float
        Sampling rate of the signal in Hz.

    Returns
    -------
    numpy.ndarray
        ``k / fs`` for ``k = 0 .. n - 1``, in s.

    Examples
    --------
    >>> quefrency_s(4, 1000.0).tolist()
    [0.0, 0.001, 0.002, 0.003]
    """
    return np.arange(as_positive_int(n, "n"), dtype=np.float64) / as_fs(fs)
