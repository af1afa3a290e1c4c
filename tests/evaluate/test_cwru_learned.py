"""The CWRU learned benchmark on a few records (the full run is `openphm bench cwru-learned`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.core.errors import ConfigError
from openphm.evaluate.cwru_learned import (
    FEATURE_SETS,
    cwru_windows,
    protocol_folds,
    run_cwru_learned,
    train_cwru,
)

pytestmark = pytest.mark.refdata

#: IR007, B007, OR007@6 at loads 0 and 1.
RECORDS = (105, 106, 118, 119, 130, 131)


@pytest.fixture(scope="module")
def table(refdata: Path):  # type: ignore[no-untyped-def]
    return cwru_windows(refdata, FEATURE_SETS["physics"], records=RECORDS)


def test_windows_carry_labels_and_loads(table) -> None:  # type: ignore[no-untyped-def]
    assert set(table.records.tolist()) == set(RECORDS)
    assert set(table.labels.tolist()) == {"inner", "outer", "ball"}
    assert set(table.loads.tolist()) == {0, 1}
    assert table.features.shape[1] == len(table.names)
    assert np.isfinite(table.features).all()


def test_cross_load_two_folds_no_leak_and_right(table) -> None:  # type: ignore[no-untyped-def]
    result = run_cwru_learned("cross-load", table=table, n_boot=50)
    assert [f.name for f in result.folds] == ["load 0", "load 1"]
    for fold in protocol_folds(table, "cross-load"):
        assert not set(table.records[fold.train]) & set(table.records[fold.test])
    assert result.mean_record_accuracy >= 2 / 3
    assert result.mean_accuracy >= 0.6
    lo, hi = result.ci95
    assert 0.0 <= lo <= result.pooled.accuracy <= hi <= 1.0
    assert type(result).from_dict(result.to_dict()) == result


def test_trained_model_card_and_unknown_protocol(table) -> None:  # type: ignore[no-untyped-def]
    model = train_cwru(table=table)
    assert model.card.records == tuple(str(r) for r in sorted(RECORDS))
    assert model.card.windows == table.features.shape[0]
    with pytest.raises(ConfigError, match="protocol"):
        run_cwru_learned("random-windows", table=table)


def test_shipped_model_keeps_healthy_records_of_other_rigs_healthy(refdata: Path) -> None:
    from openphm.evaluate.cwru_learned import false_alarms
    from openphm.learn.persist import load_model
    from openphm.learn.predict import shipped_model_path

    found = {
        a.name: a for a in false_alarms(load_model(shipped_model_path()), refdata, snapshots=3)
    }
    assert found["CWRU 97 (normal, 48 kHz)"].faulty == 0
    femto = found["FEMTO first snapshots, one by one"]
    assert femto.total == 18 and femto.faulty <= 1 and femto.refused == 0
    gear = next(a for name, a in found.items() if name.startswith("gear healthy"))
    assert gear.total == 10 and gear.faulty <= 2
