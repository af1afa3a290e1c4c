"""State detection (ISO 13374 block SD): baselines, limits per operating regime, onset and alarms.

Pure functions and immutable states, no I/O: the pipeline feeds them one measurement at a time and
the store keeps their results as JSON (every result has ``to_dict()`` and ``from_dict()``).

- :mod:`~openphm.detect.baseline`: robust baselines (median/MAD or quantiles) and their limits.
- :mod:`~openphm.detect.regimes`: speed/load bins and regime keys.
- :mod:`~openphm.detect.baseline_set`: baselines per regime with a pooled fallback, and the
  instant status ("learning" until a baseline is ready).
- :mod:`~openphm.detect.onset`: CUSUM and EWMA charts, streaming and batch.
- :mod:`~openphm.detect.alarms`: the alarm level state machine (hysteresis, counts).
"""

from openphm.detect.alarms import AlarmRule, AlarmState, AlarmTransition, TransitionKind, step
from openphm.detect.baseline import (
    LEVELS,
    Baseline,
    BaselineMethod,
    Direction,
    Level,
    Limits,
    fit_baseline,
)
from openphm.detect.baseline_set import (
    POOLED,
    Assessment,
    BaselineSet,
    Status,
    assess,
    fit_baseline_set,
)
from openphm.detect.onset import (
    ChartState,
    CusumState,
    EwmaState,
    Onset,
    OnsetMethod,
    detect_onset,
    ewma_limit,
    run_chart,
    start_chart,
    update,
)
from openphm.detect.regimes import RegimeBins

__all__ = [
    "LEVELS",
    "POOLED",
    "AlarmRule",
    "AlarmState",
    "AlarmTransition",
    "Assessment",
    "Baseline",
    "BaselineMethod",
    "BaselineSet",
    "ChartState",
    "CusumState",
    "Direction",
    "EwmaState",
    "Level",
    "Limits",
    "Onset",
    "OnsetMethod",
    "RegimeBins",
    "Status",
    "TransitionKind",
    "assess",
    "detect_onset",
    "ewma_limit",
    "fit_baseline",
    "fit_baseline_set",
    "run_chart",
    "start_chart",
    "step",
    "update",
]
