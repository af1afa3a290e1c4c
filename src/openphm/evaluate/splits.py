"""Leak-checked train/test splits that keep each recording (and, where asked, bearing) on one side.

Windows cut from one recording are near copies of each other: a random split over windows puts
copies on both sides and measures memory, not diagnosis (the 99-100 % of many CWRU papers;
T. Hendriks, H. Ahmadi, et al. 2022; C. Vieira et al. on splits by bearing). Every split here
is built from groups, and :func:`check_no_leak` fails loudly when a group crosses.

Protocols: by record (grouped, label-stratified k-fold), leave one value out (cross-load: train
on three loads, test on the fourth; cross-severity: train on two fault sizes, test on the
third), and cross-dataset (train on one data set, test on another).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from openphm.core.errors import ConfigError, DataError

__all__ = ["Fold", "by_record", "check_no_leak", "cross_dataset", "leave_one_value_out"]

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Fold:
    """One train/test split of a table of windows.

    Parameters
    ----------
    name : str
        What is held out (``"load 2"``, ``"size 0.014"``, ``"records 1/5"``).
    train : numpy.ndarray of int
        Row indices of the training windows.
    test : numpy.ndarray of int
        Row indices of the test windows.
    """

    name: str
    train: IntArray
    test: IntArray


def check_no_leak(
    groups: npt.ArrayLike,
    train: npt.ArrayLike,
    test: npt.ArrayLike,
    *,
    bearings: npt.ArrayLike | None = None,
    name: str = "",
) -> None:
    """Fail when a recording (or a bearing) has windows on both sides of a split.

    Parameters
    ----------
    groups : array_like
        Recording of each row.
    train, test : array_like of int
        Row indices of each side.
    bearings : array_like, optional
        Physical bearing of each row, when known: checked too.
    name : str, default ""
        The fold's name, for the message.

    Raises
    ------
    DataError
        A row on both sides, or a recording or bearing on both sides (named in the message).

    Examples
    --------
    >>> check_no_leak(["a", "a", "b"], [0, 1], [2])
    >>> check_no_leak(["a", "a", "b"], [0], [1, 2])
    Traceback (most recent call last):
    ...
    openphm.core.errors.DataError: split : recording(s) 'a' on both sides (leak)
    """
    g = np.asarray(groups)
    tr, te = np.asarray(train, dtype=np.intp), np.asarray(test, dtype=np.intp)
    if np.intersect1d(tr, te).size:
        raise DataError(f"split {name}: {np.intersect1d(tr, te).size} row(s) on both sides")
    for what, labels in (("recording", g), ("bearing", bearings)):
        if labels is None:
            continue
        arr = np.asarray(labels)
        both = sorted(set(arr[tr].tolist()) & set(arr[te].tolist()), key=str)
        if both:
            shown = ", ".join(repr(b) for b in both[:5])
            raise DataError(f"split {name}: {what}(s) {shown} on both sides (leak)")


def by_record(
    groups: npt.ArrayLike, labels: npt.ArrayLike, n_splits: int = 5, *, seed: int = 0
) -> list[Fold]:
    """Grouped, label-stratified k-fold over recordings.

    Parameters
    ----------
    groups : array_like
        Recording of each row.
    labels : array_like
        Class of each row (a recording holds one class).
    n_splits : int, default 5
        Number of folds.
    seed : int, default 0
        Order in which each class's recordings are dealt to the folds.

    Returns
    -------
    list of Fold
        Every recording in exactly one test fold; each class's recordings dealt round-robin.

    Raises
    ------
    ConfigError
        Fewer recordings than folds.

    Examples
    --------
    >>> folds = by_record([1, 1, 2, 3, 4], ["a", "a", "a", "b", "b"], n_splits=2)
    >>> [f.test.tolist() for f in folds]
    [[0, 1, 3], [2, 4]]
    """
    g, y = np.asarray(groups), np.asarray(labels)
    uniq = np.unique(g)
    if uniq.size < n_splits or n_splits < 2:
        raise ConfigError(f"by-record split: {uniq.size} recordings for {n_splits} folds")
    rng = np.random.default_rng(seed)
    fold_of: dict[object, int] = {}
    start = 0
    for cls in np.unique(y):
        recs = np.unique(g[y == cls])
        if seed:
            recs = rng.permutation(recs)
        for i, r in enumerate(recs):
            fold_of[r.item()] = (start + i) % n_splits
        start = (start + recs.size) % n_splits
    which = np.array([fold_of[r.item()] for r in g])
    folds = []
    for k in range(n_splits):
        te = np.flatnonzero(which == k)
        tr = np.flatnonzero(which != k)
        folds.append(Fold(f"records {k + 1}/{n_splits}", tr, te))
        check_no_leak(g, tr, te, name=folds[-1].name)
    return folds


def leave_one_value_out(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    held_out: Sequence[object] | None = None,
    what: str = "value",
    bearings: npt.ArrayLike | None = None,
) -> list[Fold]:
    """One fold per value: train on the rows with other values, test on the rows with this one.

    Cross-load (``values`` = motor load) and cross-severity (``values`` = fault size).

    Parameters
    ----------
    values : array_like
        The operating condition or severity of each row.
    groups : array_like
        Recording of each row (checked not to cross).
    held_out : sequence, optional
        The values to hold out in turn (default: every value); rows of other values stay out
        of both sides.
    what : str, default "value"
        Name of the values, for fold names (``"load"``).
    bearings : array_like, optional
        Physical bearing of each row: checked not to cross too.

    Returns
    -------
    list of Fold
        One per held-out value.

    Examples
    --------
    >>> folds = leave_one_value_out([0, 0, 1, 2], ["a", "a", "b", "c"], what="load")
    >>> [(f.name, f.train.tolist(), f.test.tolist()) for f in folds][0]
    ('load 0', [2, 3], [0, 1])
    """
    v, g = np.asarray(values), np.asarray(groups)
    keep = np.unique(v) if held_out is None else np.asarray(held_out)
    used = np.isin(v, keep)
    folds = []
    for value in keep:
        te = np.flatnonzero(v == value)
        tr = np.flatnonzero(used & (v != value))
        if te.size == 0 or tr.size == 0:
            raise DataError(f"{what} {value}: no rows to train or test on")
        fold = Fold(f"{what} {value}", tr, te)
        check_no_leak(g, tr, te, bearings=bearings, name=fold.name)
        folds.append(fold)
    return folds


def cross_dataset(datasets: npt.ArrayLike, groups: npt.ArrayLike, train: str, test: str) -> Fold:
    """Train on one data set, test on another.

    Parameters
    ----------
    datasets : array_like of str
        Data set of each row.
    groups : array_like
        Recording of each row (recording ids must differ between data sets).
    train, test : str
        The two data sets.

    Returns
    -------
    Fold
        Named ``"<train> -> <test>"``.

    Raises
    ------
    DataError
        A data set with no rows, or a recording id found in both.

    Examples
    --------
    >>> cross_dataset(["A", "A", "B"], ["a1", "a2", "b1"], "A", "B").test.tolist()
    [2]
    """
    d = np.asarray(datasets)
    tr, te = np.flatnonzero(d == train), np.flatnonzero(d == test)
    if tr.size == 0 or te.size == 0:
        raise DataError(f"cross-dataset {train} -> {test}: a data set has no rows")
    fold = Fold(f"{train} -> {test}", tr, te)
    check_no_leak(groups, tr, te, name=fold.name)
    return fold
