"""Hydraulic benchmark: the blocked folds never split a block; the floors on the real rig."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openphm.acquire.datasets.hydraulic import blocks_of, load_hydraulic
from openphm.core.errors import ConfigError
from openphm.evaluate.hydraulic_bench import blocked_folds, run_hydraulic_bench


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 30), min_size=5, max_size=40), st.integers(2, 5), st.booleans())
def test_blocked_folds_partition_without_splitting_a_block(
    sizes: list[int], n_folds: int, shuffle: bool
) -> None:
    groups = np.repeat(np.arange(len(sizes)), sizes)
    rng = np.random.default_rng(0) if shuffle else None
    folds = blocked_folds(groups, n_folds, rng)
    joined = np.sort(np.concatenate(folds))
    assert np.array_equal(joined, np.arange(groups.size))
    owners = [set(groups[f].tolist()) for f in folds]
    for i in range(n_folds):
        for j in range(i + 1, n_folds):
            assert not owners[i] & owners[j]
    if not shuffle:  # contiguous: each fold one stretch of time
        assert all(np.all(np.diff(f) == 1) for f in folds if f.size)


def test_too_few_blocks() -> None:
    with pytest.raises(ConfigError):
        blocked_folds([0, 0, 1], 3)


@pytest.mark.refdata
def test_rig_loads_with_its_documented_counts(refdata: Path) -> None:
    rig = load_hydraulic(refdata)
    assert rig.n_cycles == 2205
    assert rig.sensors["FS1"].shape == (2205, 600) and rig.sensors["TS1"].shape == (2205, 60)
    assert int(np.sum(rig.labels["cooler"] == 100)) == 741
    assert int(rig.stable.sum()) == 1449
    assert int(blocks_of(rig.labels).max()) + 1 == 194


@pytest.mark.refdata
def test_cooler_floor_and_detection(refdata: Path) -> None:
    """Cooler: blocked accuracy within 5 points of random; PCA finds both degraded states."""
    result = run_hydraulic_bench(refdata, components=("cooler",), methods=("pca",))
    (row,) = result.classification
    assert row.random_accuracy > 0.97
    assert row.gap_points < 5.0
    strict = [d for d in result.detection if d.protocol == "all_best"]
    assert {d.level for d in strict} == {3, 20}
    assert all(d.detected >= 0.9 for d in strict)
    assert result.n_healthy == 21
