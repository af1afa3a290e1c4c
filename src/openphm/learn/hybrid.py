"""The learned model and the physics verdict combined: probabilities weighted by the evidence.

:class:`HybridClassifier` adds each class's physics score (columns of ``X``, the scores of
:func:`openphm.diagnose.bearing.diagnose_bearing` that :mod:`openphm.learn.features` puts
among the features) to the learned model's log-probability of that class:

``log p(c | x) = log p_learned(c | x) + weight * s_c(x) - log Z(x)``

a product of experts (G. E. Hinton 2002, "Training products of experts by minimizing
contrastive divergence", Neural Computation 14(8) 1771-1800) in which the physics score acts
as a log-likelihood ratio. With ``weight = 0`` it is the learned model; as ``weight`` grows
it becomes the physics verdict. The weight is a setting, not fitted on test data.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from openphm.core.errors import ConfigError
from openphm.core.waveform import FloatArray
from openphm.learn.base import MostProbableClass
from openphm.learn.classifiers import LinearFaultClassifier

__all__ = ["HybridClassifier"]


class HybridClassifier(MostProbableClass, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A learned classifier whose log-probabilities are shifted by physics scores.

    Parameters
    ----------
    estimator : estimator, optional
        The learned classifier (default :class:`~openphm.learn.classifiers.LinearFaultClassifier`);
        cloned and fitted on all columns.
    physics_columns : tuple of (str, int), default ()
        ``(class, column)`` pairs: the column of ``X`` holding the physics score of the class.
        Classes without a column get no shift.
    weight : float, default 1.0
        Log-odds per unit of physics score.

    Attributes
    ----------
    estimator_ : estimator
        The fitted learned classifier.
    classes_ : numpy.ndarray
        Class labels.
    n_features_in_ : int
        Number of features seen in ``fit``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(80, 3)); y = np.where(X[:, 0] > 0, "inner", "outer")
    >>> X[:, 2] = np.where(y == "inner", 5.0, -1.0)  # a physics score for "inner"
    >>> clf = HybridClassifier(physics_columns=(("inner", 2),)).fit(X, y)
    >>> float((clf.predict(X) == y).mean())
    1.0
    """

    def __init__(
        self,
        estimator: Any = None,
        physics_columns: tuple[tuple[str, int], ...] = (),
        weight: float = 1.0,
    ) -> None:
        self.estimator = estimator
        self.physics_columns = physics_columns
        self.weight = weight

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike) -> HybridClassifier:
        """Fit the learned classifier.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features, physics scores among them.
        y : array_like of shape (n_windows,)
            Labels.

        Returns
        -------
        HybridClassifier
            ``self``, fitted.

        Raises
        ------
        ConfigError
            A physics column outside ``X``.
        """
        Xa, ya = validate_data(self, X, y, dtype=np.float64)
        for cls, col in self.physics_columns:
            if not 0 <= int(col) < Xa.shape[1]:
                raise ConfigError(f"physics column {col} of class {cls!r} is outside X")
        base = self.estimator if self.estimator is not None else LinearFaultClassifier()
        self.estimator_ = clone(base).fit(Xa, ya)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Class probabilities of the product of the two experts.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes)``.
        """
        check_is_fitted(self)
        Xa = validate_data(self, X, reset=False, dtype=np.float64)
        p = np.asarray(self.estimator_.predict_proba(Xa), dtype=np.float64)
        logp = np.log(np.clip(p, 1e-300, None))
        names = [str(c) for c in self.classes_]
        for cls, col in self.physics_columns:
            if cls in names:
                logp[:, names.index(cls)] += float(self.weight) * Xa[:, int(col)]
        logp -= logp.max(axis=1, keepdims=True)
        out = np.exp(logp)
        return np.asarray(out / out.sum(axis=1, keepdims=True), dtype=np.float64)

    def contributions(self, X: npt.ArrayLike) -> FloatArray:
        """The learned classifier's contributions, plus the physics shift on its columns.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes, n_features)``.
        """
        check_is_fitted(self)
        Xa = validate_data(self, X, reset=False, dtype=np.float64)
        c = np.array(self.estimator_.contributions(Xa), dtype=np.float64)
        names = [str(k) for k in self.classes_]
        for cls, col in self.physics_columns:
            if cls in names:
                c[:, names.index(cls), int(col)] += float(self.weight) * Xa[:, int(col)]
        return c
