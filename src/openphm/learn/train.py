"""Fit a learned model on window features and write what trained it into its card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from openphm.core.errors import DataError
from openphm.learn.classifiers import make_classifier
from openphm.learn.features import FeatureSettings, feature_names
from openphm.learn.predict import LearnedModel, ModelCard

__all__ = ["MIN_FS_FRACTION", "fit_model"]

#: A model accepts rates down to this fraction of its training rate: below it, the
#: demodulation bands it learned from are mostly missing.
MIN_FS_FRACTION = 0.5


def fit_model(
    features: npt.ArrayLike,
    labels: npt.ArrayLike,
    records: Sequence[object],
    *,
    kind: str = "lightgbm",
    settings: FeatureSettings | None = None,
    fs_hz: float,
    trained_on: str,
) -> LearnedModel:
    """Fit a classifier on window features and give it a card.

    Parameters
    ----------
    features : array_like of shape (n_windows, n_features)
        Window features (:func:`openphm.learn.features.record_features`).
    labels : array_like of shape (n_windows,)
        Fault location of each window.
    records : sequence
        The training recordings (for the card).
    kind : {"lightgbm", "linear"}, default "lightgbm"
        The classifier.
    settings : FeatureSettings, optional
        The feature settings the features were computed with.
    fs_hz : float
        Sampling rate of the training records, Hz.
    trained_on : str
        The training data, in words.

    Returns
    -------
    LearnedModel
        The fitted model with its card.

    Raises
    ------
    DataError
        Features that do not match the settings' names.

    Examples
    --------
    >>> s = FeatureSettings(physics=False)
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(30, len(feature_names(s)))); y = np.array(["inner", "outer"] * 15)
    >>> m = fit_model(X, y, ["a", "b"], kind="linear", settings=s, fs_hz=12000.0,
    ...               trained_on="noise")
    >>> m.card.classes, m.card.min_fs_hz
    (('inner', 'outer'), 6000.0)
    """
    s = settings or FeatureSettings()
    names = feature_names(s)
    X = np.asarray(features, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != len(names):
        raise DataError(f"features of shape {X.shape} do not match the {len(names)} names")
    est = make_classifier(kind).fit(X, np.asarray(labels))
    card = ModelCard(
        kind=kind,
        classes=tuple(str(c) for c in est.classes_),
        feature_names=names,
        features=s,
        fs_hz=float(fs_hz),
        min_fs_hz=MIN_FS_FRACTION * float(fs_hz),
        trained_on=trained_on,
        records=tuple(str(r) for r in records),
        windows=int(X.shape[0]),
        params=est.get_params(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    return LearnedModel(est, card)
