"""Operating regimes found from the data: clusters of the operating variables.

Limits are only meaningful per operating regime: a boring machine's thrust and torque while
boring, at standstill and while a ring is built differ by orders of magnitude, and a shearer's
motor currents while cutting and flitting too. Where no one has binned the regimes by hand
(:class:`~openphm.detect.regimes.RegimeBins`), they are found from the operating variables
(thrust, torque, speed; flight conditions of a turbofan): the variables are standardised
robustly and clustered by k-means (Lloyd 1982; scikit-learn's ``KMeans``), the number of
regimes chosen by the mean silhouette (Rousseeuw 1987) unless given. Clusters are numbered in
increasing order of the first variable's centre, so that names can be given in that order
(``("standstill", "ring building", "boring")`` when the first variable is the cutterhead
speed or the thrust).

References
----------
S. P. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28 (1982) 129-137.
P. J. Rousseeuw, "Silhouettes: a graphical aid to the interpretation and validation of cluster
analysis", J. Comput. Appl. Math. 20 (1987) 53-65.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError
from openphm.core.serialize import Serializable

__all__ = ["RegimeModel", "discover_regimes"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RegimeModel(Serializable):
    """Regimes found by clustering operating variables.

    Parameters
    ----------
    variables : tuple of str
        The operating variables, in column order.
    centre, scale : ndarray
        Standardisation of each variable (median, robust sigma; its unit).
    centroids : ndarray
        ``(n_regimes, n_variables)`` regime centres in standardised units.
    names : tuple of str
        Regime names, in the order of the first variable's centre.
    silhouette : float
        Mean silhouette of the clustering on at most 2000 samples (1: separated,
        0: overlapping; 0 for one regime).
    """

    variables: tuple[str, ...]
    centre: FloatArray
    scale: FloatArray
    centroids: FloatArray
    names: tuple[str, ...]
    silhouette: float

    def __post_init__(self) -> None:
        for name in ("centre", "scale", "centroids"):
            object.__setattr__(self, name, np.asarray(getattr(self, name), dtype=np.float64))
        if self.centroids.ndim == 1:
            object.__setattr__(self, "centroids", self.centroids.reshape(len(self.names), -1))

    def index_of(self, x: npt.ArrayLike) -> IntArray:
        """Regime index of each sample (nearest centre).

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_variables)`` operating variables.

        Returns
        -------
        ndarray of int
            Index into :attr:`names` of each sample.
        """
        a = np.atleast_2d(np.asarray(x, dtype=np.float64))
        if a.shape[1] != len(self.variables):
            raise DataError(f"x: {a.shape[1]} columns, regimes were found on {self.variables}")
        z = (a - self.centre) / self.scale
        d = ((z[:, None, :] - self.centroids[None, :, :]) ** 2).sum(axis=2)
        return np.asarray(np.argmin(d, axis=1), dtype=np.int64)

    def regime_of(self, x: npt.ArrayLike) -> tuple[str, ...]:
        """Regime name of each sample.

        Parameters
        ----------
        x : array_like
            ``(n_samples, n_variables)`` operating variables.

        Returns
        -------
        tuple of str
            The names.
        """
        return tuple(self.names[i] for i in self.index_of(x))


def _scale(a: FloatArray) -> tuple[FloatArray, FloatArray]:
    centre = np.median(a, axis=0)
    q75, q25 = np.percentile(a, [75, 25], axis=0)
    scale = (q75 - q25) / 1.349
    scale = np.where(scale > 0, scale, a.std(axis=0))
    return centre, np.where(scale > 0, scale, 1.0)


def discover_regimes(
    x: npt.ArrayLike,
    variables: Sequence[str],
    *,
    n_regimes: int | None = None,
    max_regimes: int = 8,
    min_silhouette: float = 0.5,
    names: Sequence[str] | None = None,
    rng: np.random.Generator | None = None,
) -> RegimeModel:
    """Find operating regimes by clustering the operating variables.

    Parameters
    ----------
    x : array_like
        ``(n_samples, n_variables)`` operating variables.
    variables : sequence of str
        Their names.
    n_regimes : int, optional
        Number of regimes; default the one of 2 ... ``max_regimes`` with the largest mean
        silhouette (on at most 2000 samples drawn with ``rng``), or 1 when none reaches
        ``min_silhouette``.
    max_regimes : int, default 8
        Largest number tried.
    min_silhouette : float, default 0.5
        When no count reaches this mean silhouette the data hold one regime (Kaufman and
        Rousseeuw's reading: below 0.5 a structure is weak).
    names : sequence of str, optional
        Regime names in increasing order of the first variable's centre (default
        ``"regime-0"``, ``"regime-1"`` ...).
    rng : numpy.random.Generator, optional
        Seeds k-means and the silhouette sample (default a fixed seed).

    Returns
    -------
    RegimeModel
        The regimes.

    Raises
    ------
    DataError
        Non-finite values, fewer samples than regimes, or names not matching the columns.
    ConfigError
        Regime counts out of range or names not matching the regime count.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> speed = np.concatenate([np.zeros(100), np.full(100, 2.0)]) + 0.01 * rng.normal(size=200)
    >>> thrust = np.concatenate([np.full(100, 1.0), np.full(100, 20.0)]) + rng.normal(size=200)
    >>> model = discover_regimes(np.column_stack([speed, thrust]), ["speed", "thrust"],
    ...                          names=["standstill", "boring"], rng=rng)
    >>> model.regime_of([[0.0, 0.5], [2.1, 19.0]])
    ('standstill', 'boring')
    """
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.shape[1] != len(variables) or not np.all(np.isfinite(a)):
        raise DataError(f"x: expected finite (n_samples, {len(variables)}) values, got {a.shape}")
    gen = rng or np.random.default_rng(0)
    centre, scale = _scale(a)
    z = (a - centre) / scale
    pick = gen.choice(a.shape[0], size=min(2000, a.shape[0]), replace=False)
    if n_regimes is None:
        if not 2 <= max_regimes < a.shape[0]:
            raise ConfigError(f"max_regimes: expected 2 ... {a.shape[0] - 1}, got {max_regimes}")
        best = (-2.0, 2)
        for k in range(2, max_regimes + 1):
            labels = KMeans(k, n_init=4, random_state=int(gen.integers(2**31 - 1))).fit_predict(z)
            score = float(silhouette_score(z[pick], labels[pick]))
            best = max(best, (score, k))
        k = best[1] if best[0] >= min_silhouette else 1
    else:
        k = n_regimes
    if not 1 <= k < a.shape[0]:
        raise ConfigError(f"n_regimes: expected 1 ... {a.shape[0] - 1}, got {k}")
    fit = KMeans(k, n_init=4, random_state=int(gen.integers(2**31 - 1))).fit(z)
    order = np.argsort(fit.cluster_centers_[:, 0])
    labels = np.argsort(order)[fit.labels_]
    sil = float(silhouette_score(z[pick], labels[pick])) if k > 1 else 0.0
    chosen = tuple(names) if names is not None else tuple(f"regime-{i}" for i in range(k))
    if len(chosen) != k:
        raise ConfigError(f"names: {len(chosen)} names for {k} regimes")
    return RegimeModel(
        tuple(variables), centre, scale, fit.cluster_centers_[order].copy(), chosen, sil
    )
