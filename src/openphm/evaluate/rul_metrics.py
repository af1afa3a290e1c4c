"""Metrics of RUL predictions: errors, the PHM 2012 and C-MAPSS scores, alpha-lambda, coverage.

Conventions: ``true`` and ``predicted`` are RULs in the same unit; the error ``d = predicted -
true`` is positive when the prediction is late (optimistic, the dangerous side).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError

__all__ = [
    "alpha_lambda_accuracy",
    "cmapss_score",
    "interval_coverage",
    "mae",
    "phm2012_accuracy",
    "phm2012_score",
    "prognostic_horizon",
    "rmse",
]

FloatArray = npt.NDArray[np.float64]


def _pair(true: npt.ArrayLike, predicted: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    t = np.asarray(true, dtype=np.float64).ravel()
    p = np.asarray(predicted, dtype=np.float64).ravel()
    if t.shape != p.shape or t.size == 0:
        raise DataError(f"true and predicted need the same non-zero length, got {t.size}, {p.size}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(p))):
        raise DataError("true and predicted RULs must be finite")
    return t, p


def rmse(true: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """Root mean square error ``sqrt(mean((predicted - true)^2))``.

    Parameters
    ----------
    true, predicted : array_like
        RULs (same unit).

    Returns
    -------
    float
        RMSE in that unit.

    Examples
    --------
    >>> rmse([10, 20], [13, 16])
    3.5355...
    """
    t, p = _pair(true, predicted)
    return float(np.sqrt(np.mean((p - t) ** 2)))


def mae(true: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """Mean absolute error ``mean|predicted - true|``.

    Parameters
    ----------
    true, predicted : array_like
        RULs (same unit).

    Returns
    -------
    float
        MAE in that unit.

    Examples
    --------
    >>> mae([10, 20], [13, 16])
    3.5
    """
    t, p = _pair(true, predicted)
    return float(np.mean(np.abs(p - t)))


def phm2012_accuracy(true: npt.ArrayLike, predicted: npt.ArrayLike) -> FloatArray:
    """Per-prediction accuracy of the IEEE PHM 2012 challenge.

    ``Er = 100 (true - predicted) / true`` (percent); ``A = exp(-ln(0.5) Er / 5)`` if
    ``Er <= 0`` (late prediction, penalised harder) else ``exp(ln(0.5) Er / 20)``.

    Parameters
    ----------
    true, predicted : array_like
        RULs (same unit); ``true`` must be positive.

    Returns
    -------
    numpy.ndarray
        ``A`` in (0, 1] per prediction (1 when exact).

    Examples
    --------
    >>> [round(float(a), 4) for a in phm2012_accuracy([100, 100, 100], [100, 105, 80])]
    [1.0, 0.5, 0.5]
    """
    t, p = _pair(true, predicted)
    if np.any(t <= 0):
        raise DataError("PHM 2012 accuracy needs true RULs > 0")
    er = 100.0 * (t - p) / t
    late = np.exp(-math.log(0.5) * np.minimum(er, 0.0) / 5.0)
    early = np.exp(math.log(0.5) * np.maximum(er, 0.0) / 20.0)
    out: FloatArray = np.where(er <= 0, late, early)
    return out


def phm2012_score(true: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """PHM 2012 challenge score: the mean of :func:`phm2012_accuracy` (higher is better).

    Parameters
    ----------
    true, predicted : array_like
        One RUL per bearing (same unit).

    Returns
    -------
    float
        Score in (0, 1].

    Examples
    --------
    >>> round(phm2012_score([100, 100], [100, 80]), 4)
    0.75
    """
    return float(np.mean(phm2012_accuracy(true, predicted)))


def cmapss_score(true: npt.ArrayLike, predicted: npt.ArrayLike) -> float:
    """The asymmetric C-MAPSS (PHM08) score: ``sum exp(-d/13) - 1`` for ``d < 0``, ``exp(d/10) - 1``
    for ``d >= 0``, with ``d = predicted - true`` (lower is better; late errors cost more).

    Parameters
    ----------
    true, predicted : array_like
        RULs in cycles.

    Returns
    -------
    float
        The score.

    References
    ----------
    A. Saxena, K. Goebel, D. Simon, N. Eklund, "Damage propagation modeling for aircraft engine
    run-to-failure simulation", PHM08, 2008.

    Examples
    --------
    >>> round(cmapss_score([50, 50], [37, 60]), 4)
    3.4366
    """
    t, p = _pair(true, predicted)
    d = p - t
    return float(np.sum(np.where(d < 0, np.exp(-d / 13.0) - 1, np.exp(d / 10.0) - 1)))


def alpha_lambda_accuracy(
    true: npt.ArrayLike, predicted: npt.ArrayLike, alpha: float = 0.2
) -> float:
    """Fraction of predictions within ``alpha`` of the true RUL (Saxena et al. 2009).

    A prediction passes when ``(1 - alpha) true <= predicted <= (1 + alpha) true``.

    Parameters
    ----------
    true, predicted : array_like
        RULs at the evaluation times (lambda points), same unit.
    alpha : float, default 0.2
        Relative accuracy band.

    Returns
    -------
    float
        Fraction in [0, 1].

    References
    ----------
    A. Saxena, J. Celaya, B. Saha, S. Saha, K. Goebel, "Evaluating algorithmic performance
    metrics tailored for prognostics", IEEE Aerospace Conference, 2009.

    Examples
    --------
    >>> alpha_lambda_accuracy([100, 50, 10], [110, 70, 10])
    0.666...
    """
    t, p = _pair(true, predicted)
    if not 0 < alpha < 1:
        raise DataError(f"alpha must be in (0, 1), got {alpha}")
    return float(np.mean((p >= (1 - alpha) * t) & (p <= (1 + alpha) * t)))


def prognostic_horizon(
    times: npt.ArrayLike,
    true: npt.ArrayLike,
    predicted: npt.ArrayLike,
    failure_time: float,
    alpha: float = 0.2,
) -> float:
    """Prognostic horizon: time from which every later prediction stays within ``alpha``.

    ``PH = t_failure - t_i`` for the first ``i`` after which all predictions satisfy
    ``|predicted - true| <= alpha true`` (Saxena et al. 2009, relative band); 0 when the last
    prediction fails.

    Parameters
    ----------
    times : array_like
        Prediction times, increasing.
    true, predicted : array_like
        RULs at those times.
    failure_time : float
        Time of failure (same unit).
    alpha : float, default 0.2
        Relative accuracy band.

    Returns
    -------
    float
        The horizon (time before failure).

    Examples
    --------
    >>> prognostic_horizon([0, 50, 80], [100, 50, 20], [150, 55, 21], 100.0)
    50.0
    """
    t = np.asarray(times, dtype=np.float64).ravel()
    tr, p = _pair(true, predicted)
    if t.shape != tr.shape:
        raise DataError(f"{t.size} times for {tr.size} predictions")
    ok = np.abs(p - tr) <= alpha * tr
    if not ok[-1]:
        return 0.0
    bad = np.flatnonzero(~ok)
    first = 0 if bad.size == 0 else int(bad[-1]) + 1
    return float(failure_time - t[first])


def interval_coverage(true: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike) -> float:
    """Fraction of true RULs inside their predicted interval ``[lower, upper]``.

    Parameters
    ----------
    true : array_like
        True RULs.
    lower, upper : array_like
        Interval ends (``upper`` may be ``inf``).

    Returns
    -------
    float
        Coverage in [0, 1].

    Examples
    --------
    >>> interval_coverage([5, 10, 20], [0, 11, 15], [10, 30, float("inf")])
    0.666...
    """
    t = np.asarray(true, dtype=np.float64).ravel()
    lo = np.asarray(lower, dtype=np.float64).ravel()
    hi = np.asarray(upper, dtype=np.float64).ravel()
    if not (t.shape == lo.shape == hi.shape) or t.size == 0:
        raise DataError("true, lower and upper need the same non-zero length")
    return float(np.mean((lo <= t) & (t <= hi)))
