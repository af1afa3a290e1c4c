"""C-MAPSS onset from the telemetry: synthetic fleets with known onsets, and FD002."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.evaluate.telemetry_onset import onset_per_engine, run_telemetry_onset


def test_known_onsets_are_found_after_they_start() -> None:
    rng = np.random.default_rng(0)
    rows_s, rows_x, rows_u, rows_c, truth = [], [], [], [], {}
    for u in range(1, 21):
        life = int(rng.integers(150, 250))
        start = int(0.6 * life)
        truth[u] = start
        c = np.arange(1, life + 1)
        regime = rng.integers(0, 2, size=life)
        settings = np.column_stack([regime * 10.0 + 0.01 * rng.normal(size=life)])
        wear = np.where(c > start, ((c - start) / (life - start)) ** 2, 0.0)
        sensors = regime[:, None] * 5.0 + rng.normal(size=(life, 4))
        sensors[:, 0] += 6.0 * wear
        sensors[:, 1] -= 4.0 * wear
        rows_s.append(settings), rows_x.append(sensors)
        rows_u.append(np.full(life, u)), rows_c.append(c)
    onsets, ends, n_regimes = onset_per_engine(
        np.vstack(rows_s),
        np.vstack(rows_x),
        np.concatenate(rows_u),
        np.concatenate(rows_c),
        rng=rng,
    )
    assert n_regimes == 2
    found = {u: c for u, c in onsets.items() if c is not None}
    assert len(found) >= 19
    # CUSUM k = 0.5, h = 5 has an in-control run length of about 465: over the 60-120 healthy
    # cycles each engine is watched before its onset, about one engine in five signals early.
    assert sum(c >= truth[u] for u, c in found.items()) >= 14
    delays = [c - truth[u] for u, c in found.items() if c >= truth[u]]
    # Quadratic wear: found once the two sensors have moved by about 2 and 1.4 sigma.
    assert np.median(delays) < 0.7 * np.median([ends[u] - truth[u] for u in found])
    assert all(c < ends[u] for u, c in found.items())


@pytest.mark.refdata
def test_fd002_six_regimes_and_onsets_before_the_end(refdata: Path) -> None:
    (row,) = run_telemetry_onset(refdata, subsets=["FD002"])
    assert row.n_regimes == 6 and row.n_engines == 260
    assert row.n_onset >= 250
    assert 30 <= row.cycles_left_median <= 150
