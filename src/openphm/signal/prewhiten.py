"""Pre-whitening: flatten the spectrum so that discrete components (gears, shaft harmonics) no
longer mask the weak, broadband impacts of a bearing fault."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import linalg
from scipy import signal as sps

from openphm.core.errors import ConfigError, DataError
from openphm.core.waveform import FloatArray
from openphm.signal._checks import as_positive_int, as_signal


def cepstrum_prewhiten(x: npt.ArrayLike) -> FloatArray:
    """Cepstrum pre-whitening (CPW): keep the phase of the spectrum, set its magnitude to one.

    Parameters
    ----------
    x : array_like
        1-D samples.

    Returns
    -------
    numpy.ndarray
        ``IFFT(X / |X|)`` with ``X = FFT(x)``, same length as ``x``, dimensionless, with RMS
        about ``1 / sqrt(len(x))`` per unit-magnitude bin (only the shape matters for envelope
        analysis). Bins where ``|X| = 0`` stay 0, and so does DC.

    Notes
    -----
    Setting the real cepstrum to zero except at zero quefrency is the same as dividing the
    spectrum by its magnitude. P. Borghesani, P. Pennacchi, R. B. Randall, N. Sawalhi,
    R. Ricci (2013), "Application of cepstrum pre-whitening for the diagnosis of bearing faults
    under variable speed conditions", Mechanical Systems and Signal Processing 36(2) 370-384;
    N. Sawalhi, R. B. Randall (2011), "Signal pre-whitening using cepstrum editing (liftering) to
    enhance fault detection in rolling element bearings".

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = cepstrum_prewhiten(rng.normal(size=1024))
    >>> mag = np.abs(np.fft.rfft(y))
    >>> bool(np.allclose(mag[1:-1], 1.0))
    True
    """
    arr = as_signal(x, min_len=4)
    spec = np.fft.rfft(arr)
    mag = np.abs(spec)
    unit = np.divide(spec, mag, out=np.zeros_like(spec), where=mag > 0.0)
    unit[0] = 0.0
    return np.fft.irfft(unit, n=arr.size)


def ar_prewhiten(x: npt.ArrayLike, order: int = 32) -> FloatArray:
    """Linear-prediction (autoregressive) pre-whitening: the residual of an AR model of ``x``.

    Parameters
    ----------
    x : array_like
        1-D samples.
    order : int, default 32
        Number of AR coefficients; it should exceed the number of discrete spectral peaks to
        remove (twice the number of sinusoids) but stay well below the spacing of the impacts in
        samples.

    Returns
    -------
    numpy.ndarray
        Prediction error ``e[n] = x[n] + sum_k a_k x[n - k]`` (``x`` mean removed), same length
        and unit as ``x``; the first ``order`` samples carry the filter's start-up transient.

    Notes
    -----
    Yule-Walker estimate of the coefficients from the biased autocorrelation, solved by the
    Levinson recursion (:func:`scipy.linalg.solve_toeplitz`). Sawalhi, Randall & Endo (2007),
    "The enhancement of fault detection and diagnosis in rolling element bearings using minimum
    entropy deconvolution combined with spectral kurtosis", MSSP 21(6), section 2.

    Examples
    --------
    >>> t = np.arange(4096)
    >>> rng = np.random.default_rng(0)
    >>> x = np.sin(0.3 * t) + 0.01 * rng.normal(size=t.size)
    >>> e = ar_prewhiten(x, order=8)
    >>> bool(e[8:].std() < 0.05 * x.std())
    True
    """
    arr = as_signal(x, min_len=4)
    p = as_positive_int(order, "order", 1)
    if p >= arr.size // 2:
        raise ConfigError(f"order: {p} must be below half the length of x ({arr.size} samples)")
    centred = arr - arr.mean()
    n = centred.size
    spec = np.fft.rfft(centred, n=2 * n)
    acf = np.fft.irfft(spec.real**2 + spec.imag**2)[: p + 1] / n
    if acf[0] <= 0.0:
        raise DataError("x: is constant; there is nothing to whiten")
    coeffs = linalg.solve_toeplitz(acf[:p], -acf[1 : p + 1])
    return np.asarray(sps.lfilter(np.concatenate(([1.0], coeffs)), [1.0], centred))
