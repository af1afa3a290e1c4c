"""Splits keep every recording on one side; the leak check fails loudly when one crosses."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.core.errors import ConfigError, DataError
from openphm.evaluate.splits import by_record, check_no_leak, cross_dataset, leave_one_value_out


@st.composite
def _table(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_rec = draw(st.integers(5, 20))
    sizes = draw(st.lists(st.integers(1, 6), min_size=n_rec, max_size=n_rec))
    labels = draw(st.lists(st.sampled_from("abc"), min_size=n_rec, max_size=n_rec))
    loads = draw(st.lists(st.integers(0, 3), min_size=n_rec, max_size=n_rec))
    groups = np.repeat(np.arange(n_rec), sizes)
    return groups, np.repeat(labels, sizes), np.repeat(loads, sizes)


@given(_table(), st.integers(2, 5), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_by_record_tests_every_recording_once(table, k, seed) -> None:  # type: ignore[no-untyped-def]
    groups, labels, _ = table
    folds = by_record(groups, labels, k, seed=seed)
    tested = np.concatenate([f.test for f in folds])
    assert sorted(tested.tolist()) == list(range(groups.size))
    for f in folds:
        assert not set(groups[f.train]) & set(groups[f.test])
        assert sorted(np.concatenate([f.train, f.test]).tolist()) == list(range(groups.size))


@given(_table())
@settings(max_examples=60, deadline=None)
def test_leave_one_load_out_holds_out_exactly_that_load(table) -> None:  # type: ignore[no-untyped-def]
    groups, _, loads = table
    # A recording has one load: the table gives each its own.
    if np.unique(loads).size < 2:
        return
    for f in leave_one_value_out(loads, groups, what="load"):
        value = int(f.name.split()[-1])
        assert (loads[f.test] == value).all() and (loads[f.train] != value).all()


def test_by_record_stratifies_each_class_over_folds() -> None:
    groups = np.arange(12)
    labels = np.array(["a"] * 6 + ["b"] * 6)
    for f in by_record(groups, labels, 3):
        assert sorted(labels[f.test].tolist()) == ["a", "a", "b", "b"]


def test_leak_of_a_recording_or_a_bearing_fails_loudly() -> None:
    with pytest.raises(DataError, match=r"recording\(s\) 7 on both sides"):
        check_no_leak([7, 7, 8], [0], [1, 2], name="x")
    with pytest.raises(DataError, match="bearing"):
        check_no_leak([1, 2], [0], [1], bearings=["b1", "b1"])
    with pytest.raises(DataError, match="row"):
        check_no_leak([1, 2], [0, 1], [1])


def test_held_out_values_and_the_bearing_check() -> None:
    sizes = np.array([7, 7, 14, 14, 21, 28])
    groups = np.arange(6)
    folds = leave_one_value_out(sizes, groups, held_out=[7, 14, 21], what="size")
    assert [f.name for f in folds] == ["size 7", "size 14", "size 21"]
    assert 5 not in np.concatenate([folds[0].train, folds[0].test])
    with pytest.raises(DataError, match="bearing"):
        leave_one_value_out([0, 1], [1, 2], bearings=["same", "same"])


def test_cross_dataset_and_errors() -> None:
    fold = cross_dataset(["A", "A", "B"], ["a1", "a2", "b1"], "A", "B")
    assert fold.train.tolist() == [0, 1] and fold.name == "A -> B"
    with pytest.raises(DataError, match="both sides"):
        cross_dataset(["A", "B"], ["x", "x"], "A", "B")
    with pytest.raises(DataError, match="no rows"):
        cross_dataset(["A"], ["x"], "A", "C")
    with pytest.raises(ConfigError, match="folds"):
        by_record([1, 2], ["a", "b"], 5)
