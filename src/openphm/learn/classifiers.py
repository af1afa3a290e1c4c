"""Fault-location classifiers over window features, with the scikit-learn interface.

:class:`LightGBMFaultClassifier` (gradient-boosted trees, G. Ke et al. 2017, "LightGBM: A highly
efficient gradient boosting decision tree", NeurIPS 30) and :class:`LinearFaultClassifier`
(standardised multinomial logistic regression, the baseline). Both say which features drove a
prediction (:meth:`~LightGBMFaultClassifier.contributions`): exact per-feature additive
contributions (TreeSHAP, S. M. Lundberg et al. 2020, Nature Machine Intelligence 2, 56-67) for
the trees, coefficient times standardised value for the linear model, both on the log-odds
scale of each class. LightGBM is imported when a model is fitted or loaded, not with the module.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.learn.base import MostProbableClass

__all__ = [
    "CLASSIFIER_KINDS",
    "LightGBMFaultClassifier",
    "LinearFaultClassifier",
    "make_classifier",
]


def _classes(y: npt.ArrayLike) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp]]:
    check_classification_targets(y)
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    if classes.size < 2:
        raise ValueError(
            f"the training labels hold {classes.size} class; a classifier needs 2 classes or more"
        )
    return classes, codes.astype(np.intp)


class LightGBMFaultClassifier(MostProbableClass, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Gradient-boosted trees (LightGBM) over window features.

    Parameters
    ----------
    n_estimators : int, default 200
        Boosting rounds.
    learning_rate : float, default 0.05
        Shrinkage of each tree.
    num_leaves : int, default 15
        Leaves per tree.
    min_child_samples : int, default 5
        Fewest training windows in a leaf.
    random_state : int, default 0
        Seed of LightGBM's sampling (results are deterministic with one thread).

    Attributes
    ----------
    booster_ : lightgbm.Booster
        The fitted trees (saved as LightGBM's text model by :mod:`openphm.learn.persist`).
    classes_ : numpy.ndarray
        Class labels, sorted.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3)); y = np.where(X[:, 0] > 0, "inner", "outer")
    >>> clf = LightGBMFaultClassifier(n_estimators=20).fit(X, y)
    >>> float((clf.predict(X) == y).mean()) > 0.9
    True
    """

    def __init__(
        self,
        n_estimators: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        min_child_samples: int = 5,
        random_state: int = 0,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.random_state = random_state

    def _params(self) -> dict[str, Any]:
        k = int(self.classes_.size)
        params: dict[str, Any] = {
            "objective": "multiclass" if k > 2 else "binary",
            "learning_rate": float(self.learning_rate),
            "num_leaves": int(self.num_leaves),
            "min_data_in_leaf": int(self.min_child_samples),
            "min_data_in_bin": 1,
            "seed": int(self.random_state),
            "deterministic": True,
            "num_threads": 1,
            "verbose": -1,
        }
        if k > 2:
            params["num_class"] = k
        return params

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> LightGBMFaultClassifier:
        """Fit the trees.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.
        y : array_like of shape (n_windows,)
            Labels.

        Returns
        -------
        LightGBMFaultClassifier
            ``self``, fitted.
        """
        import lightgbm as lgb

        Xa, ya = validate_data(self, X, y, dtype=np.float64)
        self.classes_, codes = _classes(ya)
        data = lgb.Dataset(Xa, label=codes, params={"verbose": -1, "min_data_in_bin": 1})
        self.booster_ = lgb.train(self._params(), data, num_boost_round=int(self.n_estimators))
        return self

    def _raw(self, X: npt.ArrayLike, **kwargs: Any) -> FloatArray:
        check_is_fitted(self)
        Xa = validate_data(self, X, reset=False, dtype=np.float64)
        return np.asarray(self.booster_.predict(Xa, **kwargs), dtype=np.float64)

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Class probabilities.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes)``, columns in the order of ``classes_``.
        """
        p = self._raw(X)
        if p.ndim == 1:
            p = np.column_stack([1.0 - p, p])
        return p

    def contributions(self, X: npt.ArrayLike) -> FloatArray:
        """Each feature's additive contribution to each class's raw score (TreeSHAP).

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes, n_features)``; for two classes the first class's
            contributions are the negated second's.
        """
        c = self._raw(X, pred_contrib=True)
        n_feat = int(self.n_features_in_)
        k = int(self.classes_.size)
        if k == 2:
            second = c[:, :n_feat]
            return np.stack([-second, second], axis=1)
        return c.reshape(c.shape[0], k, n_feat + 1)[:, :, :n_feat]


class LinearFaultClassifier(MostProbableClass, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Standardised multinomial logistic regression over window features (the baseline).

    Parameters
    ----------
    C : float, default 1.0
        Inverse L2 regularisation strength.
    max_iter : int, default 3000
        Solver iterations.

    Attributes
    ----------
    scaler_ : sklearn.preprocessing.StandardScaler
        Feature standardisation.
    logistic_ : sklearn.linear_model.LogisticRegression
        The regression on standardised features.
    classes_ : numpy.ndarray
        Class labels, sorted.
    n_features_in_ : int
        Number of features seen in ``fit``.
    n_iter_ : numpy.ndarray
        Solver iterations run.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3)); y = np.where(X[:, 1] > 0, "ball", "inner")
    >>> clf = LinearFaultClassifier().fit(X, y)
    >>> float((clf.predict(X) == y).mean()) > 0.9
    True
    """

    def __init__(self, C: float = 1.0, max_iter: int = 3000) -> None:
        self.C = C
        self.max_iter = max_iter

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> LinearFaultClassifier:
        """Fit the scaler and the regression.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.
        y : array_like of shape (n_windows,)
            Labels.

        Returns
        -------
        LinearFaultClassifier
            ``self``, fitted.
        """
        Xa, ya = validate_data(self, X, y, dtype=np.float64)
        self.classes_, codes = _classes(ya)
        self.scaler_ = StandardScaler().fit(Xa)
        self.logistic_ = LogisticRegression(C=float(self.C), max_iter=int(self.max_iter))
        self.logistic_.fit(self.scaler_.transform(Xa), codes)
        self.n_iter_ = self.logistic_.n_iter_
        return self

    def _scaled(self, X: npt.ArrayLike) -> FloatArray:
        check_is_fitted(self)
        Xa = validate_data(self, X, reset=False, dtype=np.float64)
        return np.asarray(self.scaler_.transform(Xa), dtype=np.float64)

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Class probabilities.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes)``, columns in the order of ``classes_``.
        """
        z = self._scaled(X)
        return np.asarray(self.logistic_.predict_proba(z), dtype=np.float64)

    def contributions(self, X: npt.ArrayLike) -> FloatArray:
        """Each feature's contribution to each class's log-odds: coefficient x standardised value.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes, n_features)``.
        """
        z = self._scaled(X)
        coef = np.asarray(self.logistic_.coef_, dtype=np.float64)
        if coef.shape[0] == 1:
            coef = np.vstack([-coef[0], coef[0]])
        return z[:, None, :] * coef[None, :, :]


#: Classifier kinds :func:`make_classifier` builds (``"cnn"`` is in :mod:`openphm.learn.cnn`).
CLASSIFIER_KINDS = ("lightgbm", "linear")


def make_classifier(
    kind: str, random_state: int = 0
) -> LightGBMFaultClassifier | LinearFaultClassifier:
    """A feature classifier of a kind, with the benchmarked settings.

    Parameters
    ----------
    kind : {"lightgbm", "linear"}
        The classifier.
    random_state : int, default 0
        Seed (LightGBM).

    Returns
    -------
    LightGBMFaultClassifier or LinearFaultClassifier
        Unfitted.

    Raises
    ------
    ConfigError
        Unknown kind.

    Examples
    --------
    >>> make_classifier("linear")
    LinearFaultClassifier()
    """
    if kind == "lightgbm":
        return LightGBMFaultClassifier(random_state=random_state)
    if kind == "linear":
        return LinearFaultClassifier()
    raise ConfigError(f"unknown classifier {kind!r}; choose one of {', '.join(CLASSIFIER_KINDS)}")
