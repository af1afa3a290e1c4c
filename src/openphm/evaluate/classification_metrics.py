"""Classification metrics, and confidence intervals that resample recordings, not windows.

Windows of one recording are not independent: a bootstrap over windows gives intervals far too
narrow. :func:`bootstrap_ci` draws whole recordings with replacement (the cluster bootstrap,
B. Efron and R. Tibshirani 1993, *An Introduction to the Bootstrap*, section 8.4 on
structured data) and recomputes the metric on their windows; the interval is the percentile one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable

__all__ = ["ClassificationReport", "accuracy", "bootstrap_ci", "classification_report", "macro_f1"]


def accuracy(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Fraction of predictions equal to the truth.

    Parameters
    ----------
    y_true, y_pred : array_like
        Labels.

    Returns
    -------
    float
        In ``[0, 1]``; NaN for no rows.

    Examples
    --------
    >>> accuracy(["a", "b", "b"], ["a", "b", "a"])
    0.6666666666666666
    """
    t, p = np.asarray(y_true), np.asarray(y_pred)
    return float(np.mean(t == p)) if t.size else float("nan")


def macro_f1(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, classes: Sequence[str]) -> float:
    """Unweighted mean over ``classes`` of each class's F1 (0 where a class has no support).

    Parameters
    ----------
    y_true, y_pred : array_like
        Labels.
    classes : sequence of str
        The classes averaged over.

    Returns
    -------
    float
        ``mean_c 2 TP_c / (2 TP_c + FP_c + FN_c)``.

    Examples
    --------
    >>> round(macro_f1(["a", "a", "b"], ["a", "b", "b"], ["a", "b"]), 4)
    0.6667
    """
    t, p = np.asarray(y_true), np.asarray(y_pred)
    scores = []
    for c in classes:
        tp = float(np.sum((t == c) & (p == c)))
        denom = 2.0 * tp + float(np.sum((t != c) & (p == c))) + float(np.sum((t == c) & (p != c)))
        scores.append(2.0 * tp / denom if denom else 0.0)
    return float(np.mean(scores)) if scores else float("nan")


@dataclass(frozen=True)
class ClassificationReport(Serializable):
    """Accuracy, macro-F1, per-class recall and the confusion matrix of one evaluation.

    Parameters
    ----------
    classes : tuple of str
        Class order of ``recall`` and ``confusion``.
    n : int
        Number of rows (windows or recordings) evaluated.
    accuracy : float
        Fraction correct.
    macro_f1 : float
        Mean F1 over ``classes``.
    recall : Mapping of str to float
        Recall of each class (NaN when the class has no rows).
    confusion : tuple of tuple of int
        ``confusion[i][j]``: rows of true class ``i`` predicted as class ``j``; a prediction
        outside ``classes`` (``"healthy"``) counts in no column.
    """

    classes: tuple[str, ...]
    n: int
    accuracy: float
    macro_f1: float
    recall: Mapping[str, float] = field(default_factory=dict)
    confusion: tuple[tuple[int, ...], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "recall", MappingProxyType(dict(self.recall)))


def classification_report(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, classes: Sequence[str]
) -> ClassificationReport:
    """All the metrics of one evaluation.

    Parameters
    ----------
    y_true, y_pred : array_like
        Labels.
    classes : sequence of str
        The classes, in report order.

    Returns
    -------
    ClassificationReport
        Accuracy, macro-F1, recall per class and the confusion matrix.

    Examples
    --------
    >>> r = classification_report(["a", "a", "b"], ["a", "b", "b"], ["a", "b"])
    >>> r.confusion, r.recall["a"]
    (((1, 1), (0, 1)), 0.5)
    """
    t, p = np.asarray(y_true), np.asarray(y_pred)
    recall = {}
    rows = []
    for c in classes:
        mask = t == c
        recall[c] = float(np.mean(p[mask] == c)) if mask.any() else float("nan")
        rows.append(tuple(int(np.sum(p[mask] == d)) for d in classes))
    return ClassificationReport(
        tuple(classes), int(t.size), accuracy(t, p), macro_f1(t, p, classes), recall, tuple(rows)
    )


def bootstrap_ci(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    groups: npt.ArrayLike,
    rng: np.random.Generator,
    *,
    metric: Callable[[npt.NDArray[np.str_], npt.NDArray[np.str_]], float] = accuracy,
    n_boot: int = 1000,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile confidence interval of a metric, resampling whole recordings.

    Parameters
    ----------
    y_true, y_pred : array_like
        Labels of each row (window).
    groups : array_like
        Recording of each row.
    rng : numpy.random.Generator
        Source of the resampling.
    metric : callable, default :func:`accuracy`
        ``metric(y_true, y_pred) -> float``.
    n_boot : int, default 1000
        Bootstrap replicates.
    level : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    (float, float)
        Lower and upper bounds.

    Raises
    ------
    ConfigError
        ``level`` outside ``(0, 1)`` or ``n_boot`` < 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> lo, hi = bootstrap_ci(["a"] * 4, ["a", "a", "b", "b"], [1, 1, 2, 2], rng)
    >>> lo, hi
    (0.0, 1.0)
    """
    if not 0.0 < level < 1.0 or n_boot < 1:
        raise ConfigError(
            f"bootstrap: level must be in (0, 1) and n_boot >= 1, got {level}, {n_boot}"
        )
    t, p, g = np.asarray(y_true), np.asarray(y_pred), np.asarray(groups)
    uniq, inverse = np.unique(g, return_inverse=True)
    members = [np.flatnonzero(inverse == k) for k in range(uniq.size)]
    stats = np.empty(n_boot)
    for b in range(n_boot):
        pick = rng.integers(0, uniq.size, size=uniq.size)
        rows = np.concatenate([members[k] for k in pick])
        stats[b] = metric(t[rows], p[rows])
    alpha = (1.0 - level) / 2.0
    return float(np.quantile(stats, alpha)), float(np.quantile(stats, 1.0 - alpha))
