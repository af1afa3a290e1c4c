"""The PA stage: a point's track is updated measurement by measurement."""

from __future__ import annotations

import numpy as np

from openphm.core.rul import RulDistribution
from openphm.pipeline.prognosis import RulTrack, update_rul
from openphm.pipeline.stages import result_type
from openphm.prognose.exponential import ExponentialPrior


def test_track_updates_and_round_trips() -> None:
    prior = ExponentialPrior((0.0, 0.001), ((0.01, 0.0), (0.0, 1e-7)), 0.05, 20.0, 0.2)
    track = RulTrack(prior, l10_s=1e5)
    rng = np.random.default_rng(0)
    d = None
    for i in range(120):
        t = 60.0 * i
        x = (1.0 if i < 80 else np.exp(0.001 * (t - 4800.0) + 0.3)) * (1 + rng.normal(0, 0.01))
        track, d = update_rul(track, t, float(x))
    assert isinstance(d, RulDistribution) and d.status == "combined"
    assert len(track.times_s) == 120
    assert RulTrack.from_dict(track.to_dict()) == track
    assert result_type("rul") is RulDistribution


def test_before_onset_without_a_rated_life_there_is_no_number() -> None:
    prior = ExponentialPrior((0.0, 0.001), ((0.01, 0.0), (0.0, 1e-7)), 0.05, 20.0)
    _track, d = update_rul(RulTrack(prior), 0.0, 1.0)
    assert d.status == "no_degradation" and not d.has_estimate
