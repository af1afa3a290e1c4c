"""Benchmark on the UCI hydraulic rig (Helwig et al. 2015): classification and detection.

Classification: each component's condition (cooler, valve, pump leakage, accumulator) is
predicted from per-cycle features (:func:`openphm.detect.cycles.feature_matrix`) by linear
discriminant analysis, the anchor's model, under two protocols:

- ``random``: 5-fold cross-validation over shuffled cycles, as the papers report it;
- ``blocked``: 5-fold cross-validation over blocks of consecutive cycles with one condition of
  every component (:func:`~openphm.acquire.datasets.hydraulic.blocks_of`), whole blocks dealt
  out to the folds at random; conditions were set in blocks, so a random split puts
  near-identical neighbours on both sides;
- ``contiguous``: the same blocks, each fold one stretch of time (harsher: the rig drifts and
  the conditions were set in a fixed order).

Detection (unsupervised): detectors of :mod:`openphm.detect.multivariate` are fitted on healthy
cycles only, and each degraded state's detection rate is read at the threshold that gives at most
1 % false alarms on held-out healthy cycles (the score's 99th percentile there), beside the rate
at the detector's own limit. Two protocols:

- ``all_best``: healthy = every component in its best state (the issue's protocol); the data
  hold 21 such cycles in 3 blocks, so held-out healthy cycles come from leaving one block out;
- ``component_best``: healthy for a component = that component in its best state, the others
  as they come; fitted on the even blocks, held out on the odd ones.

The contributions of each detected cycle name a sensor; the share of cycles whose top sensor is
among the component's expected sensors (:data:`EXPECTED_SENSORS`) is reported.

References
----------
N. Helwig, E. Pignanelli, A. Schuetze, "Condition Monitoring of a Complex Hydraulic System Using
Multivariate Statistics", Proc. I2MTC 2015, doi:10.1109/I2MTC.2015.7151267.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from openphm import __version__
from openphm.acquire.datasets.hydraulic import (
    BEST,
    COMPONENTS,
    HydraulicCycles,
    blocks_of,
    load_hydraulic,
)
from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.detect.cycles import feature_matrix
from openphm.detect.multivariate import MultivariateMethod, fit_detector

__all__ = [
    "EXPECTED_SENSORS",
    "METHODS",
    "SEGMENTS",
    "ClassificationRow",
    "DetectionRow",
    "HydraulicBench",
    "blocked_folds",
    "classify",
    "detect_states",
    "run_hydraulic_bench",
]

#: Sensors a component's fault should show on, from the rig's circuit (cooler in the cooling
#: circuit; valve and pump in the working circuit's flow and efficiency). The accumulator acts
#: on the pressures PS1-PS6, absent from the shared data: none expected.
EXPECTED_SENSORS: dict[str, tuple[str, ...]] = {
    "cooler": ("TS1", "TS2", "TS3", "TS4", "CE", "CP"),
    "valve": ("FS1", "SE"),
    "pump_leakage": ("FS1", "SE"),
    "accumulator": (),
}
#: Equal segments per cycle and channel in the classification features (one per 5 s).
SEGMENTS = 12
METHODS: tuple[MultivariateMethod, ...] = ("pca", "mahalanobis", "iforest")

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def blocked_folds(
    groups: npt.ArrayLike, n_folds: int, rng: np.random.Generator | None = None
) -> list[IntArray]:
    """Assign whole groups to folds, balancing the fold sizes.

    Parameters
    ----------
    groups : array_like of int
        Group (block) of each sample.
    n_folds : int
        Number of folds (>= 2).
    rng : numpy.random.Generator, optional
        Shuffles the groups before they are dealt out; None keeps them in time order, so that
        each fold is one contiguous stretch of time.

    Returns
    -------
    list of ndarray
        Test indices of each fold; no group is split between folds.

    Raises
    ------
    ConfigError
        Fewer than 2 folds or fewer groups than folds.

    Examples
    --------
    >>> [f.tolist() for f in blocked_folds([0, 0, 1, 2, 2, 2], 2)]
    [[0, 1, 2], [3, 4, 5]]
    """
    g = np.asarray(groups).ravel()
    ids = list(dict.fromkeys(g.tolist()))
    if n_folds < 2 or len(ids) < n_folds:
        raise ConfigError(f"blocked_folds: {len(ids)} groups cannot fill {n_folds} folds")
    if rng is not None:
        ids = [ids[i] for i in rng.permutation(len(ids))]
    sizes = Counter(g.tolist())
    folds: list[list[int]] = [[] for _ in range(n_folds)]
    if rng is None:
        target, current, filled = g.size / n_folds, 0, 0
        for gid in ids:
            if filled >= target * (current + 1) and current < n_folds - 1:
                current += 1
            folds[current].append(gid)
            filled += sizes[gid]
    else:
        load = [0] * n_folds
        for gid in ids:
            k = int(np.argmin(load))
            folds[k].append(gid)
            load[k] += sizes[gid]
    return [np.flatnonzero(np.isin(g, f)) for f in folds]


@dataclass(frozen=True)
class ClassificationRow(Serializable):
    """One component's accuracy under the random and the blocked protocol.

    Parameters
    ----------
    component : str
        The component.
    classes : tuple of int
        Its condition levels.
    random_accuracy : float
        Mean accuracy over 5 folds of shuffled cycles.
    blocked_accuracy : float
        Mean accuracy over 5 folds of whole blocks, dealt out at random.
    contiguous_accuracy : float
        Mean accuracy over 5 folds that are each one stretch of consecutive blocks (the rig's
        slow drift and the order the conditions were set in are then unseen in training too).
    gap_points : float
        ``100 (random - blocked)``, percentage points.
    """

    component: str
    classes: tuple[int, ...]
    random_accuracy: float
    blocked_accuracy: float
    contiguous_accuracy: float
    gap_points: float


def _lda_accuracy(x: FloatArray, y: IntArray, folds: Sequence[IntArray]) -> float:
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    scores = []
    for test in folds:
        train = np.setdiff1d(np.arange(y.size), test)
        model = make_pipeline(StandardScaler(), LinearDiscriminantAnalysis())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # collinear features: LDA's SVD solver copes
            model.fit(x[train], y[train])
            scores.append(float(np.mean(model.predict(x[test]) == y[test])))
    return float(np.mean(scores))


def classify(
    x: FloatArray,
    labels: dict[str, IntArray],
    blocks: IntArray,
    *,
    components: Sequence[str] = COMPONENTS,
    n_folds: int = 5,
    rng: np.random.Generator | None = None,
) -> list[ClassificationRow]:
    """LDA accuracy per component under random and blocked cross-validation.

    Parameters
    ----------
    x : ndarray
        ``(n_cycles, n_features)`` cycle features.
    labels : dict of str to ndarray
        Condition of each cycle per component.
    blocks : ndarray of int
        Block of each cycle.
    components : sequence of str
        Components to classify.
    n_folds : int, default 5
        Folds of each protocol.
    rng : numpy.random.Generator, optional
        Shuffles the random folds (default a fixed seed).

    Returns
    -------
    list of ClassificationRow
        One row per component.
    """
    gen = rng or np.random.default_rng(0)
    random_folds = list(np.array_split(gen.permutation(blocks.size), n_folds))
    block_folds = blocked_folds(blocks, n_folds, gen)
    contiguous = blocked_folds(blocks, n_folds)
    rows = []
    for c in components:
        y = labels[c]
        r = _lda_accuracy(x, y, random_folds)
        b = _lda_accuracy(x, y, block_folds)
        t = _lda_accuracy(x, y, contiguous)
        classes = tuple(int(v) for v in np.unique(y))
        rows.append(ClassificationRow(c, classes, r, b, t, 100 * (r - b)))
    return rows


@dataclass(frozen=True)
class DetectionRow(Serializable):
    """Detection of one degraded state by one detector under one protocol.

    Parameters
    ----------
    protocol : {"all_best", "component_best"}
        What counted as healthy.
    method : {"pca", "mahalanobis", "iforest"}
        The detector.
    component : str
        The degraded component.
    level : int
        Its condition level.
    n_cycles : int
        Cycles in that state.
    detected : float
        Share detected at the threshold giving at most 1 % false alarms on held-out healthy
        cycles.
    detected_at_limit : float
        Share above the detector's own limit (alpha = 1 %).
    false_alarms_at_limit : float
        Share of held-out healthy cycles above the detector's own limit.
    n_healthy_held_out : int
        Held-out healthy cycles behind the false-alarm figures.
    top_sensor_expected : float or None
        Share of the detected cycles whose largest contribution is an expected sensor (None
        when none is expected).
    top_sensors : tuple of str
        The three sensors most often on top, most frequent first.
    """

    protocol: str
    method: str
    component: str
    level: int
    n_cycles: int
    detected: float
    detected_at_limit: float
    false_alarms_at_limit: float
    n_healthy_held_out: int
    top_sensor_expected: float | None
    top_sensors: tuple[str, ...]


def _threshold(healthy_scores: FloatArray, max_false_alarm: float) -> float:
    """Smallest threshold leaving at most ``max_false_alarm`` of the scores above it."""
    s = np.sort(healthy_scores)
    allowed = int(np.floor(max_false_alarm * s.size))
    return float(s[s.size - 1 - allowed])


def _rows(
    protocol: str,
    method: MultivariateMethod,
    component: str,
    x: FloatArray,
    names: tuple[str, ...],
    labels: dict[str, IntArray],
    fits: list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]],
    rng: np.random.Generator,
) -> list[DetectionRow]:
    """Rows of one component: held-out healthy scores from each (train, test) pair of
    ``fits``; degraded cycles scored by the model fitted on the union of the training sets."""
    held: list[float] = []
    held_alarm: list[bool] = []
    for train, test in fits:
        model = fit_detector(method, x[train], names, rng=rng)
        det = model.detect(x[test])
        held.extend(det.score.tolist())
        held_alarm.extend(det.alarm.tolist())
    all_train = np.logical_or.reduce([f[0] for f in fits])
    model = fit_detector(method, x[all_train], names, rng=rng)
    det = model.detect(x)
    threshold = _threshold(np.asarray(held), 0.01)
    expected = EXPECTED_SENSORS[component]
    rows = []
    for level in np.unique(labels[component]):
        if level == BEST[component]:
            continue
        sel = np.flatnonzero(labels[component] == level)
        hit = sel[det.score[sel] > threshold]
        tops = [det.explain(int(i), top=1)[0].sensor for i in hit]
        counts = Counter(tops).most_common(3)
        share = float(np.mean([t in expected for t in tops])) if expected and tops else None
        rows.append(
            DetectionRow(
                protocol,
                method,
                component,
                int(level),
                int(sel.size),
                float(hit.size / sel.size),
                float(np.mean(det.alarm[sel])),
                float(np.mean(held_alarm)),
                len(held),
                share,
                tuple(k for k, _ in counts),
            )
        )
    return rows


def detect_states(
    rig: HydraulicCycles,
    x: FloatArray,
    names: tuple[str, ...],
    blocks: IntArray,
    *,
    methods: Sequence[MultivariateMethod] = METHODS,
    components: Sequence[str] = COMPONENTS,
    rng: np.random.Generator | None = None,
) -> list[DetectionRow]:
    """Unsupervised detection rates of every degraded state under both protocols.

    Parameters
    ----------
    rig : HydraulicCycles
        Labels and healthy flags.
    x : ndarray
        ``(n_cycles, n_features)`` cycle features.
    names : tuple of str
        Feature names (``"<sensor>.<feature>"``).
    blocks : ndarray of int
        Block of each cycle.
    methods : sequence of {"pca", "mahalanobis", "iforest"}
        Detectors.
    components : sequence of str
        Components whose degraded states are reported.
    rng : numpy.random.Generator, optional
        Randomness of the MCD and the forest (default a fixed seed).

    Returns
    -------
    list of DetectionRow
        Per protocol, method, component and degraded level.
    """
    gen = rng or np.random.default_rng(0)
    rows: list[DetectionRow] = []
    healthy = rig.healthy
    strict = [
        (healthy & (blocks != b), healthy & (blocks == b)) for b in np.unique(blocks[healthy])
    ]
    for method in methods:
        for c in components:
            if method != "mahalanobis":
                rows += _rows("all_best", method, c, x, names, rig.labels, strict, gen)
            best = rig.labels[c] == BEST[c]
            even = (blocks % 2) == 0
            fits = [(best & even, best & ~even)]
            rows += _rows("component_best", method, c, x, names, rig.labels, fits, gen)
    return rows


@dataclass(frozen=True)
class HydraulicBench(Serializable):
    """Figures of ``openphm bench hydraulic``.

    Parameters
    ----------
    classification : tuple of ClassificationRow
        Random against blocked accuracy per component.
    detection : tuple of DetectionRow
        Unsupervised detection per protocol, detector and degraded state.
    n_cycles, n_blocks, n_healthy, n_healthy_blocks : int
        Cycles, condition blocks, cycles with every component at its best, and their blocks.
    n_features_classification, n_features_detection : int
        Feature counts of the two parts.
    seconds : float
        Wall time of the run.
    openphm_version : str
        Version of openphm that ran it.
    """

    classification: tuple[ClassificationRow, ...]
    detection: tuple[DetectionRow, ...]
    n_cycles: int
    n_blocks: int
    n_healthy: int
    n_healthy_blocks: int
    n_features_classification: int
    n_features_detection: int
    seconds: float
    openphm_version: str = __version__


def run_hydraulic_bench(
    root: str | Path | None = None,
    *,
    components: Sequence[str] = COMPONENTS,
    methods: Sequence[MultivariateMethod] = METHODS,
    detection: bool = True,
) -> HydraulicBench:
    """Run the hydraulic benchmark.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``hydraulic/`` (default ``OPENPHM_DATA``).
    components : sequence of str
        Components to report.
    methods : sequence of {"pca", "mahalanobis", "iforest"}
        Detectors of the unsupervised part.
    detection : bool, default True
        Run the unsupervised part.

    Returns
    -------
    HydraulicBench
        The figures.

    Raises
    ------
    ConfigError
        Unknown component.
    """
    unknown = [c for c in components if c not in COMPONENTS]
    if unknown:
        raise ConfigError(f"components: unknown {unknown}; choose from {list(COMPONENTS)}")
    start = time.perf_counter()
    rig = load_hydraulic(root)
    blocks = blocks_of(rig.labels)
    xc, _ = feature_matrix(rig.sensors, rig.rates_hz, segments=SEGMENTS)
    rows = classify(xc, rig.labels, blocks, components=components)
    xd, names = feature_matrix(rig.sensors, rig.rates_hz)
    found = (
        detect_states(rig, xd, names, blocks, methods=methods, components=components)
        if detection
        else []
    )
    return HydraulicBench(
        tuple(rows),
        tuple(found),
        rig.n_cycles,
        int(blocks.max()) + 1,
        int(rig.healthy.sum()),
        len(np.unique(blocks[rig.healthy])),
        xc.shape[1],
        xd.shape[1],
        time.perf_counter() - start,
    )
