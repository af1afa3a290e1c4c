"""Multichannel state detection: PCA (T^2 and SPE), robust Mahalanobis, isolation forest.

A machine reporting many process values (flows, pressures, temperatures, currents) is watched as
one vector: each detector learns the healthy cloud from vectors recorded while the machine was
known to be healthy and scores how far a new vector lies from it. Every score is normalised by
its limit (1.0 is the limit: above it the vector is out of the healthy cloud) and comes with the
share each input contributed, so that an alarm names the sensors behind it.

Inputs are first standardised with the healthy median and robust sigma of each column
(:data:`~openphm.detect.baseline.MAD_TO_SIGMA`); columns with no spread while healthy are left
out (a constant reading cannot be scaled; the detectors say which were dropped).

- :func:`fit_pca`: principal component model. Hotelling's ``T^2`` in the retained subspace and
  the squared prediction error ``SPE`` (Q statistic) in the residual one; limits from the
  F distribution (Tracy, Young, Mason 1992) and from Box's ``g chi^2_h`` approximation of the SPE
  (Nomikos and MacGregor 1995); the score is ``max(T^2 / limit, SPE / limit)``. Contributions are
  the reconstruction-based contributions of Alcala and Qin (2009) to whichever statistic is
  the larger part of the score.
- :func:`fit_mahalanobis`: Mahalanobis distance under the minimum covariance determinant
  location and scatter (Rousseeuw 1984; scikit-learn's ``MinCovDet``); limit from the
  chi-square distribution; contributions ``z_j (P z)_j`` (they sum to ``d^2``).
- :func:`fit_isolation_forest`: isolation forest (Liu, Ting, Zhou 2008; scikit-learn's
  ``IsolationForest``); limit the ``1 - alpha`` quantile of the healthy scores; a forest has no
  additive decomposition, so the contributions are the shares of the squared robust z-scores.

scikit-learn is imported when a robust Mahalanobis or isolation-forest model is fitted.

References
----------
N. D. Tracy, J. C. Young, R. L. Mason, "Multivariate control charts for individual
observations", J. Quality Technology 24 (1992) 88-95.
P. Nomikos, J. F. MacGregor, "Multivariate SPC charts for monitoring batch processes",
Technometrics 37 (1995) 41-59.
C. F. Alcala, S. J. Qin, "Reconstruction-based contribution for process monitoring",
Automatica 45 (2009) 1593-1600.
P. J. Rousseeuw, "Least median of squares regression", JASA 79 (1984) 871-880.
F. T. Liu, K. M. Ting, Z.-H. Zhou, "Isolation forest", ICDM 2008, 413-422.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from openphm import __version__
from openphm.core.errors import ConfigError, DataError, ModelError
from openphm.core.serialize import Serializable
from openphm.detect.baseline import MAD_TO_SIGMA

__all__ = [
    "Contribution",
    "Detection",
    "IsolationForestDetector",
    "MahalanobisDetector",
    "MultivariateMethod",
    "PcaDetector",
    "Standardiser",
    "fit_detector",
    "fit_isolation_forest",
    "fit_mahalanobis",
    "fit_pca",
    "fit_standardiser",
    "sensor_of",
]

#: Detectors of :func:`fit_detector`.
MultivariateMethod = Literal["pca", "mahalanobis", "iforest"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def _check_alpha(alpha: float) -> None:
    if not (math.isfinite(alpha) and 0.0 < alpha < 0.5):
        raise ConfigError(f"alpha: expected a false-alarm rate in (0, 0.5), got {alpha!r}")


def _matrix(x: npt.ArrayLike, where: str, n_columns: int | None = None) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2 or a.shape[0] == 0:
        raise DataError(f"{where}: expected a (n_samples, n_columns) array, got shape {a.shape}")
    if n_columns is not None and a.shape[1] != n_columns:
        raise DataError(f"{where}: {a.shape[1]} columns, the model was fitted on {n_columns}")
    if not np.all(np.isfinite(a)):
        raise DataError(f"{where}: non-finite values (fill or drop missing readings first)")
    return a


def _arrays(obj: object, *fields: str, dtype: type = np.float64) -> None:
    """Make array fields arrays again (``from_dict`` rebuilds nested arrays as lists)."""
    for name in fields:
        object.__setattr__(obj, name, np.asarray(getattr(obj, name), dtype=dtype))


def sensor_of(name: str) -> str:
    """The sensor a feature belongs to: the part of its name before the first dot.

    Parameters
    ----------
    name : str
        A column name, ``"<sensor>.<feature>"`` (cycle features) or a plain sensor name.

    Returns
    -------
    str
        The sensor name.

    Examples
    --------
    >>> sensor_of("FS1.mean"), sensor_of("TS2")
    ('FS1', 'TS2')
    """
    return name.split(".", 1)[0]


@dataclass(frozen=True)
class Standardiser(Serializable):
    """Robust standardisation learned on healthy data: ``z = (x[:, keep] - centre) / scale``.

    Parameters
    ----------
    names : tuple of str
        Names of all input columns.
    keep : ndarray of bool
        Columns used (those with spread while healthy).
    centre, scale : ndarray
        Median and robust sigma of the kept columns (their units).
    """

    names: tuple[str, ...]
    keep: npt.NDArray[np.bool_]
    centre: FloatArray
    scale: FloatArray

    def __post_init__(self) -> None:
        _arrays(self, "keep", dtype=np.bool_)
        _arrays(self, "centre", "scale")

    @property
    def used(self) -> tuple[str, ...]:
        """Names of the kept columns."""
        return tuple(n for n, k in zip(self.names, self.keep, strict=True) if k)

    @property
    def dropped(self) -> tuple[str, ...]:
        """Names of the columns left out (no spread while healthy)."""
        return tuple(n for n, k in zip(self.names, self.keep, strict=True) if not k)

    def transform(self, x: npt.ArrayLike) -> FloatArray:
        """Standardise samples.

        Parameters
        ----------
        x : array_like
            ``(n_samples, len(names))`` values.

        Returns
        -------
        ndarray
            ``(n_samples, n_kept)`` robust z-scores.
        """
        a = _matrix(x, "x", len(self.names))
        return np.asarray((a[:, self.keep] - self.centre) / self.scale, dtype=np.float64)


def fit_standardiser(x: npt.ArrayLike, names: Sequence[str] | None = None) -> Standardiser:
    """Learn the robust centre and scale of each column of healthy data.

    The scale is the MAD times 1.4826; where the MAD is zero (a column that is mostly constant)
    the standard deviation stands in, and a column with neither is left out.

    Parameters
    ----------
    x : array_like
        ``(n_samples, n_columns)`` healthy values.
    names : sequence of str, optional
        Column names (default ``"x0"``, ``"x1"`` ...).

    Returns
    -------
    Standardiser
        The fitted standardisation.

    Raises
    ------
    DataError
        Fewer than 2 samples, non-finite values, names not matching the columns, or no column
        with spread.

    Examples
    --------
    >>> s = fit_standardiser([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]], ["a", "b"])
    >>> s.used, s.dropped, s.transform([[4.0, 5.0]]).round(3).tolist()
    (('a',), ('b',), [[1.349]])
    """
    a = _matrix(x, "x")
    if a.shape[0] < 2:
        raise DataError(f"x: need at least 2 healthy samples, got {a.shape[0]}")
    cols = tuple(names) if names is not None else tuple(f"x{i}" for i in range(a.shape[1]))
    if len(cols) != a.shape[1]:
        raise DataError(f"names: {len(cols)} names for {a.shape[1]} columns")
    centre = np.median(a, axis=0)
    scale = MAD_TO_SIGMA * np.median(np.abs(a - centre), axis=0)
    std = a.std(axis=0, ddof=1)
    scale = np.where(scale > 0.0, scale, std)
    tiny = 1e-9 * np.maximum(1.0, np.abs(centre))
    keep = scale > tiny
    if not keep.any():
        raise DataError("x: no column varies over the healthy samples")
    return Standardiser(cols, keep, centre[keep], scale[keep])


@dataclass(frozen=True)
class Contribution(Serializable):
    """What one sensor contributed to a multivariate score.

    Parameters
    ----------
    sensor : str
        The sensor (features of one sensor are summed, see :func:`sensor_of`).
    share : float
        Its share of the statistic (the shares of all sensors sum to 1; a Mahalanobis share
        can be negative where a sensor moved the vector back towards the healthy cloud).
    """

    sensor: str
    share: float


@dataclass(frozen=True)
class Detection(Serializable):
    """Scores of a detector over samples, their alarms and the contributions behind them.

    Parameters
    ----------
    method : {"pca", "mahalanobis", "iforest"}
        The detector.
    score : ndarray
        Per sample, the statistic divided by its limit (above 1: alarm).
    alarm : ndarray of bool
        ``score > 1``.
    contributions : ndarray
        ``(n_samples, n_columns)`` share of each kept column in the statistic (rows sum to 1).
    names : tuple of str
        Names of the kept columns.
    statistic : str
        Per method, what the score is (``"max(T2/lim, SPE/lim)"``, ``"d2/lim"``, ...).
    openphm_version : str
        Version of openphm that scored them.
    """

    method: MultivariateMethod
    score: FloatArray
    alarm: BoolArray
    contributions: FloatArray
    names: tuple[str, ...]
    statistic: str
    openphm_version: str = __version__

    def __post_init__(self) -> None:
        _arrays(self, "alarm", dtype=np.bool_)
        _arrays(self, "score", "contributions")

    def explain(self, index: int, top: int = 3) -> tuple[Contribution, ...]:
        """The sensors behind one sample's score, largest share first.

        Parameters
        ----------
        index : int
            The sample.
        top : int, default 3
            How many sensors to return.

        Returns
        -------
        tuple of Contribution
            Shares summed per sensor (see :func:`sensor_of`), sorted by decreasing share.
        """
        shares: dict[str, float] = {}
        for name, c in zip(self.names, self.contributions[index], strict=True):
            key = sensor_of(name)
            shares[key] = shares.get(key, 0.0) + float(c)
        ranked = sorted(shares.items(), key=lambda kv: -kv[1])[:top]
        return tuple(Contribution(k, v) for k, v in ranked)


def _shares(parts: FloatArray) -> FloatArray:
    total = parts.sum(axis=1, keepdims=True)
    safe = np.where(np.abs(total) > 0.0, total, 1.0)
    return np.asarray(parts / safe, dtype=np.float64)


def _rbc(z: FloatArray, m: FloatArray) -> FloatArray:
    """Reconstruction-based contributions ``(M z)_j^2 / M_jj`` of a quadratic index ``z' M z``."""
    diag = np.diag(m)
    safe = np.where(diag > 1e-12, diag, np.inf)
    return np.asarray((z @ m) ** 2 / safe, dtype=np.float64)


@dataclass(frozen=True)
class PcaDetector(Serializable):
    """Principal component model of healthy data with T^2 and SPE limits.

    Parameters
    ----------
    standardiser : Standardiser
        Robust scaling of the inputs.
    loadings : ndarray
        ``(n_kept, n_components)`` orthonormal loadings.
    variances : ndarray
        Variance of each retained score (eigenvalues).
    t2_limit, spe_limit : float
        ``1 - alpha`` limits of T^2 and SPE (the SPE's infinite when every component is kept).
    alpha : float
        False-alarm rate the limits were set for.
    n_fit : int
        Healthy samples fitted.
    """

    standardiser: Standardiser
    loadings: FloatArray
    variances: FloatArray
    t2_limit: float
    spe_limit: float
    alpha: float
    n_fit: int

    def __post_init__(self) -> None:
        _arrays(self, "loadings", "variances")

    def statistics(self, x: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Hotelling's T^2 and the SPE of samples.

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_columns)`` values.

        Returns
        -------
        (ndarray, ndarray)
            ``T^2 = sum_a t_a^2 / lambda_a`` and ``SPE = ||z - P P^T z||^2`` per sample.
        """
        return self._statistics(self.standardiser.transform(x))

    def _statistics(self, z: FloatArray) -> tuple[FloatArray, FloatArray]:
        """T^2 and SPE of standardised samples ``z``."""
        t = z @ self.loadings
        residual = z - t @ self.loadings.T
        t2 = np.sum(t**2 / self.variances, axis=1)
        return t2, np.sum(residual**2, axis=1)

    def detect(self, x: npt.ArrayLike) -> Detection:
        """Score samples: ``max(T^2 / t2_limit, SPE / spe_limit)`` with contributions.

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_columns)`` values.

        Returns
        -------
        Detection
            Scores, alarms and, per sample, the reconstruction-based contributions to the
            larger of the two normalised statistics, ``(M z)_j^2 / M_jj`` with
            ``M = P Lambda^-1 P^T`` for T^2 and ``M = I - P P^T`` for the SPE (Alcala and Qin
            2009: unlike the squared residuals, they do not smear a fault over other sensors).
        """
        z = self.standardiser.transform(x)
        t2, spe = self._statistics(z)
        a, b = t2 / self.t2_limit, spe / self.spe_limit
        d = (self.loadings / self.variances) @ self.loadings.T
        c = np.eye(d.shape[0]) - self.loadings @ self.loadings.T
        parts = np.where((a >= b)[:, None], _rbc(z, d), _rbc(z, c))
        score = np.maximum(a, b)
        return Detection(
            "pca",
            score,
            score > 1.0,
            _shares(parts),
            self.standardiser.used,
            "max(T2/T2_limit, SPE/SPE_limit)",
        )


def fit_pca(
    x: npt.ArrayLike,
    names: Sequence[str] | None = None,
    *,
    n_components: int | None = None,
    explained: float = 0.9,
    alpha: float = 0.01,
) -> PcaDetector:
    """Fit a PCA model of healthy data with T^2 and SPE limits.

    Parameters
    ----------
    x : array_like
        ``(n_samples, n_columns)`` healthy values.
    names : sequence of str, optional
        Column names.
    n_components : int, optional
        Components retained; default the fewest explaining ``explained`` of the variance
        (at most ``n_samples - 2``, at least 1).
    explained : float, default 0.9
        Variance fraction the retained components explain when ``n_components`` is not given.
    alpha : float, default 0.01
        False-alarm rate of the limits.

    Returns
    -------
    PcaDetector
        The model. T^2 limit: ``k (n^2 - 1) / (n (n - k)) F_(1-alpha)(k, n - k)`` (Tracy et al.
        1992); SPE limit: ``g chi^2_(1-alpha)(h)`` with ``g = v / (2 m)``, ``h = 2 m^2 / v``, ``m``
        and ``v`` the mean and variance of the healthy SPE (Nomikos and MacGregor 1995).

    Raises
    ------
    DataError
        Fewer than 4 samples, or bad values.
    ConfigError
        ``alpha``, ``explained`` or ``n_components`` out of range.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> healthy = rng.normal(size=(200, 4)) @ np.diag([3.0, 2.0, 1.0, 0.5])
    >>> model = fit_pca(healthy, ["a", "b", "c", "d"])
    >>> faulty = np.array([[0.0, 0.0, 0.0, 4.0]])
    >>> det = model.detect(faulty)
    >>> bool(det.alarm[0]), det.explain(0, top=1)[0].sensor
    (True, 'd')
    """
    _check_alpha(alpha)
    if not 0.0 < explained <= 1.0:
        raise ConfigError(f"explained: expected (0, 1], got {explained!r}")
    std = fit_standardiser(x, names)
    z = std.transform(x)
    n, p = z.shape
    if n < 4:
        raise DataError(f"x: PCA needs at least 4 healthy samples, got {n}")
    zc = z - z.mean(axis=0)
    _, sing, vt = np.linalg.svd(zc, full_matrices=False)
    eig = sing**2 / (n - 1)
    most = max(1, min(p, n - 2))
    if n_components is None:
        frac = np.cumsum(eig) / max(float(eig.sum()), np.finfo(float).tiny)
        k = int(np.searchsorted(frac, explained - 1e-12) + 1)
    else:
        k = n_components
    if not 1 <= k <= most:
        raise ConfigError(f"n_components: expected 1 ... {most}, got {k}")
    loadings = vt[:k].T.copy()
    variances = np.maximum(eig[:k], np.finfo(float).eps)
    t2_limit = k * (n * n - 1) / (n * (n - k)) * float(stats.f.ppf(1 - alpha, k, n - k))
    t = z @ loadings
    spe = np.sum((z - t @ loadings.T) ** 2, axis=1)
    m, v = float(spe.mean()), float(spe.var(ddof=1))
    if k < p and m > 1e-9 * float(eig.sum()) and v > 0.0:
        spe_limit = v / (2 * m) * float(stats.chi2.ppf(1 - alpha, 2 * m * m / v))
    else:
        # No residual space (every component kept): the SPE is rounding noise, never a signal.
        spe_limit = math.inf
    return PcaDetector(std, loadings, variances, float(t2_limit), float(spe_limit), alpha, n)


@dataclass(frozen=True)
class MahalanobisDetector(Serializable):
    """Robust Mahalanobis distance of samples to the healthy cloud (MCD estimates).

    Parameters
    ----------
    standardiser : Standardiser
        Robust scaling of the inputs.
    location : ndarray
        MCD location of the standardised healthy data.
    precision : ndarray
        Inverse of the MCD scatter matrix.
    limit : float
        ``chi^2_(1-alpha)(n_kept)`` limit of ``d^2``.
    alpha : float
        False-alarm rate the limit was set for.
    n_fit : int
        Healthy samples fitted.
    """

    standardiser: Standardiser
    location: FloatArray
    precision: FloatArray
    limit: float
    alpha: float
    n_fit: int

    def __post_init__(self) -> None:
        _arrays(self, "location", "precision")

    def detect(self, x: npt.ArrayLike) -> Detection:
        """Score samples: ``d^2 / limit`` with contributions ``z_j (P z)_j / d^2``.

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_columns)`` values.

        Returns
        -------
        Detection
            Scores, alarms and contributions.
        """
        z = self.standardiser.transform(x) - self.location
        parts = z * (z @ self.precision)
        d2 = parts.sum(axis=1)
        score = d2 / self.limit
        return Detection(
            "mahalanobis", score, score > 1.0, _shares(parts), self.standardiser.used, "d2/limit"
        )


def fit_mahalanobis(
    x: npt.ArrayLike,
    names: Sequence[str] | None = None,
    *,
    alpha: float = 0.01,
    support_fraction: float | None = None,
    rng: np.random.Generator | None = None,
) -> MahalanobisDetector:
    """Fit the minimum covariance determinant location and scatter of healthy data.

    Parameters
    ----------
    x : array_like
        ``(n_samples, n_columns)`` healthy values; more samples than kept columns.
    names : sequence of str, optional
        Column names.
    alpha : float, default 0.01
        False-alarm rate of the chi-square limit.
    support_fraction : float, optional
        MCD support fraction (default scikit-learn's ``(n + p + 1) / 2n``).
    rng : numpy.random.Generator, optional
        Seeds the MCD's random starts (default a fixed seed).

    Returns
    -------
    MahalanobisDetector
        The model.

    Raises
    ------
    DataError
        Not more samples than columns.
    ConfigError
        ``alpha`` out of range.
    ModelError
        The robust scatter is singular.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> model = fit_mahalanobis(rng.normal(size=(300, 3)), ["a", "b", "c"], rng=rng)
    >>> det = model.detect([[0.0, 6.0, 0.0], [0.1, -0.2, 0.3]])
    >>> det.alarm.tolist(), det.explain(0, top=1)[0].sensor
    ([True, False], 'b')
    """
    from sklearn.covariance import MinCovDet

    _check_alpha(alpha)
    std = fit_standardiser(x, names)
    z = std.transform(x)
    n, p = z.shape
    if n <= p + 1:
        raise DataError(f"x: robust Mahalanobis needs more samples ({n}) than columns ({p}) + 1")
    seed = int((rng or np.random.default_rng(0)).integers(2**31 - 1))
    mcd = MinCovDet(support_fraction=support_fraction, random_state=seed).fit(z)
    try:
        precision = np.linalg.inv(mcd.covariance_)
    except np.linalg.LinAlgError as exc:
        raise ModelError(f"robust Mahalanobis: singular scatter matrix ({exc})") from exc
    limit = float(stats.chi2.ppf(1 - alpha, p))
    return MahalanobisDetector(std, mcd.location_.copy(), precision, limit, alpha, n)


@dataclass(frozen=True)
class IsolationForestDetector:
    """Isolation forest over standardised healthy data (pickles; not JSON: it holds a forest).

    Parameters
    ----------
    standardiser : Standardiser
        Robust scaling of the inputs.
    forest : sklearn.ensemble.IsolationForest
        The fitted forest.
    offset : float
        Healthy score at the ``1 - alpha`` quantile (the limit).
    spread : float
        Robust spread of the healthy scores, so that the normalised score is ``1`` at the limit
        and rises by ``1`` per ``offset - median`` beyond it.
    alpha : float
        False-alarm rate the limit was set for.
    n_fit : int
        Healthy samples fitted.
    openphm_version : str
        Version of openphm that fitted it.
    """

    standardiser: Standardiser
    forest: Any = field(repr=False)
    offset: float
    spread: float
    alpha: float
    n_fit: int
    openphm_version: str = __version__

    def detect(self, x: npt.ArrayLike) -> Detection:
        """Score samples: anomaly score (``-score_samples``) relative to the healthy limit.

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_columns)`` values.

        Returns
        -------
        Detection
            Normalised scores ``1 + (s - limit) / spread``, alarms and contributions (shares of
            the squared robust z-scores: a forest gives no additive decomposition).
        """
        z = self.standardiser.transform(x)
        s = -self.forest.score_samples(z)
        score = 1.0 + (s - self.offset) / self.spread
        return Detection(
            "iforest",
            np.asarray(score, dtype=np.float64),
            score > 1.0,
            _shares(z**2),
            self.standardiser.used,
            "1 + (score - limit) / spread",
        )


def fit_isolation_forest(
    x: npt.ArrayLike,
    names: Sequence[str] | None = None,
    *,
    alpha: float = 0.01,
    n_estimators: int = 200,
    rng: np.random.Generator | None = None,
) -> IsolationForestDetector:
    """Fit an isolation forest on healthy data; its limit is the healthy ``1 - alpha`` quantile.

    Parameters
    ----------
    x : array_like
        ``(n_samples, n_columns)`` healthy values.
    names : sequence of str, optional
        Column names.
    alpha : float, default 0.01
        False-alarm rate on the fitted samples.
    n_estimators : int, default 200
        Trees.
    rng : numpy.random.Generator, optional
        Seeds the forest (default a fixed seed).

    Returns
    -------
    IsolationForestDetector
        The model.

    Raises
    ------
    DataError
        Fewer than 8 samples.
    ConfigError
        ``alpha`` out of range.

    Examples
    --------
    >>> rng = np.random.default_rng(2)
    >>> model = fit_isolation_forest(rng.normal(size=(400, 2)), ["a", "b"], rng=rng)
    >>> model.detect([[5.0, 5.0], [0.0, 0.0]]).alarm.tolist()
    [True, False]
    """
    from sklearn.ensemble import IsolationForest

    _check_alpha(alpha)
    std = fit_standardiser(x, names)
    z = std.transform(x)
    if z.shape[0] < 8:
        raise DataError(f"x: an isolation forest needs at least 8 healthy samples, got {len(z)}")
    seed = int((rng or np.random.default_rng(0)).integers(2**31 - 1))
    forest = IsolationForest(n_estimators=n_estimators, random_state=seed).fit(z)
    s = -forest.score_samples(z)
    offset = float(np.quantile(s, 1 - alpha))
    spread = max(offset - float(np.median(s)), 1e-9)
    return IsolationForestDetector(std, forest, offset, spread, alpha, z.shape[0])


#: A fitted multivariate detector.
Detector = PcaDetector | MahalanobisDetector | IsolationForestDetector


def fit_detector(
    method: MultivariateMethod,
    x: npt.ArrayLike,
    names: Sequence[str] | None = None,
    *,
    alpha: float = 0.01,
    rng: np.random.Generator | None = None,
) -> Detector:
    """Fit the detector ``method`` on healthy data with its default settings.

    Parameters
    ----------
    method : {"pca", "mahalanobis", "iforest"}
        The detector.
    x : array_like
        ``(n_samples, n_columns)`` healthy values.
    names : sequence of str, optional
        Column names.
    alpha : float, default 0.01
        False-alarm rate of the limit.
    rng : numpy.random.Generator, optional
        Randomness of the MCD starts and the forest.

    Returns
    -------
    PcaDetector or MahalanobisDetector or IsolationForestDetector
        The fitted detector (each has ``detect(x) -> Detection``).

    Raises
    ------
    ConfigError
        Unknown method.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> type(fit_detector("pca", rng.normal(size=(50, 3)))).__name__
    'PcaDetector'
    """
    if method == "pca":
        return fit_pca(x, names, alpha=alpha)
    if method == "mahalanobis":
        return fit_mahalanobis(x, names, alpha=alpha, rng=rng)
    if method == "iforest":
        return fit_isolation_forest(x, names, alpha=alpha, rng=rng)
    raise ConfigError(f"method: expected 'pca', 'mahalanobis' or 'iforest', got {method!r}")
