"""What every openphm classifier shares: the verdict is the most probable class."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from openphm.core.waveform import FloatArray

__all__ = ["MostProbableClass"]


class MostProbableClass:
    """Mixin: ``predict`` is the class of highest ``predict_proba`` (put before ClassifierMixin).

    The classifier defines ``predict_proba`` (columns in the order of ``classes_``).
    """

    classes_: npt.NDArray[Any]

    def predict_proba(self, X: npt.ArrayLike) -> FloatArray:
        """Probability of each class for each window (defined by the classifier).

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features.

        Returns
        -------
        numpy.ndarray
            Shape ``(n_windows, n_classes)``.
        """
        raise NotImplementedError

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Most probable class of each window.

        Parameters
        ----------
        X : array_like of shape (n_windows, n_features)
            Window features (or spectra).

        Returns
        -------
        numpy.ndarray
            Labels from ``classes_``.
        """
        best = self.predict_proba(X).argmax(axis=1)
        return np.asarray(self.classes_[best])
