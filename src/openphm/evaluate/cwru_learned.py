"""The CWRU learned-diagnosis benchmark: fault location over the 60 12 kHz drive-end records.

The task is the fault's location, ``inner`` / ``outer`` / ``ball``, over the 60 records of
W. A. Smith and R. B. Randall (2015), MSSP 64-65 100-131. The single normal record (97, 0 hp,
48 kHz) is not a class: with one healthy recording, a healthy class would be learned from
windows of that one recording and tested on its other windows, which is the leak this harness
exists to prevent. Whether there is a fault at all is the physics diagnosis's statistical
detection (:mod:`openphm.learn.predict`), judged apart on record 97 and on healthy records of
other rigs.

Protocols (every recording on one side, checked by :mod:`openphm.evaluate.splits`):

- ``cross-load``: train on three motor loads, test on the fourth (four folds). The same seeded
  defect runs at all four loads, so the bearing crosses the split by the protocol's definition
  (as in UDTL, Zhao et al. 2021), the recording never does.
- ``cross-severity``: train on two fault sizes of 0.007 / 0.014 / 0.021 in, test on the third
  (three folds; the 0.028 in records, on another maker's bearing and with no outer-race
  fault, are left out); bearings never cross.
- ``by-record``: five folds over recordings, stratified by location.

Accuracy is reported per window and per record (the mean of its windows' probabilities), with
a bootstrap interval over recordings
(:func:`~openphm.evaluate.classification_metrics.bootstrap_ci`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from openphm.acquire.datasets.cwru import CwruRecord, cwru_records, read_cwru
from openphm.core.bearing import FaultFrequencies
from openphm.core.errors import ConfigError, DataError, DataQualityWarning, ModelError
from openphm.core.serialize import Serializable
from openphm.core.waveform import FloatArray, Waveform
from openphm.diagnose.bearing import resolve_bearing
from openphm.evaluate.classification_metrics import (
    ClassificationReport,
    bootstrap_ci,
    classification_report,
)
from openphm.evaluate.splits import Fold, by_record, leave_one_value_out
from openphm.learn.classifiers import LightGBMFaultClassifier, make_classifier
from openphm.learn.features import (
    FAULT_CLASSES,
    FeatureSettings,
    feature_names,
    record_features,
    resample_to,
)
from openphm.learn.hybrid import HybridClassifier
from openphm.learn.predict import LearnedModel
from openphm.learn.train import fit_model

__all__ = [
    "FEATURE_SETS",
    "MODELS",
    "PROTOCOLS",
    "FalseAlarms",
    "FoldOutcome",
    "LearnedBenchResult",
    "WindowTable",
    "cwru_windows",
    "false_alarms",
    "labelled_windows",
    "protocol_folds",
    "run_cwru_learned",
    "train_cwru",
]

#: Protocols of :func:`run_cwru_learned`.
PROTOCOLS = ("cross-load", "cross-severity", "by-record")
#: Feature sets: the physics ones alone, or with the rig-bound spectral band shares.
FEATURE_SETS = {
    "physics": FeatureSettings(),
    "physics+spectral": FeatureSettings(spectral_bands=16),
    "lines": FeatureSettings(physics=False),
    "order-spectrum": FeatureSettings(physics=False, order_spectrum_bins=256),
}
#: Models of :func:`run_cwru_learned`: the classifiers, and the hybrid of LightGBM with the
#: physics scores (:class:`~openphm.learn.hybrid.HybridClassifier`, weight 1).
#: ``"cnn"`` (:class:`~openphm.learn.cnn.CnnFaultClassifier`, extra ``dl``) reads the
#: ``"order-spectrum"`` features.
MODELS = ("lightgbm", "linear", "hybrid", "cnn")
#: Fault sizes of the cross-severity protocol, in.
SEVERITY_SIZES = (0.007, 0.014, 0.021)


@dataclass(frozen=True)
class WindowTable:
    """Features of every window of a set of labelled recordings.

    Parameters
    ----------
    features : numpy.ndarray
        Shape ``(n_windows, n_features)``.
    names : tuple of str
        Feature names.
    labels : numpy.ndarray of str
        Fault location of each window.
    records : numpy.ndarray of int
        Recording of each window.
    loads : numpy.ndarray of int
        Motor load of each window, hp.
    sizes : numpy.ndarray of float
        Fault size of each window, in.
    bearings : numpy.ndarray of str
        Physical bearing (fault, size, outer-race position) of each window.
    seconds_per_record : float
        Mean wall time to read a record and compute its features, s.
    fs_hz : float, default 12000
        Sampling rate the features were computed at, Hz.
    """

    features: FloatArray
    names: tuple[str, ...]
    labels: npt.NDArray[np.str_]
    records: npt.NDArray[np.int64]
    loads: npt.NDArray[np.int64]
    sizes: FloatArray
    bearings: npt.NDArray[np.str_]
    seconds_per_record: float
    fs_hz: float = 12000.0


def _cwru_record_features(info: CwruRecord, settings: FeatureSettings) -> FloatArray:
    """Window features of one CWRU record's drive-end channel (a worker's job)."""
    if info.path is None:
        raise DataError(f"CWRU record {info.record}: no file")
    with warnings.catch_warnings():
        # A few records clip on a handful of samples; the reader says so on every read.
        warnings.simplefilter("ignore", DataQualityWarning)
        wave = read_cwru(info.path, record=info.record)["DE"]
    speed = wave.speed_hz if wave.speed_hz is not None else info.rpm_nominal / 60.0
    _, orders = resolve_bearing("6205")
    return record_features(wave, orders, speed, settings)


def cwru_windows(
    root: str | Path | None = None,
    settings: FeatureSettings | None = None,
    *,
    records: Sequence[int] | None = None,
    progress: Callable[[Iterable[CwruRecord]], Iterable[CwruRecord]] | None = None,
    executor: Executor | None = None,
) -> WindowTable:
    """Read the 12 kHz drive-end fault records and compute their window features.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``cwru/`` (default ``OPENPHM_DATA``).
    settings : FeatureSettings, optional
        Feature settings (defaults).
    records : sequence of int, optional
        Only these records.
    progress : callable, optional
        Wraps the record iterable (a progress bar).
    executor : concurrent.futures.Executor, optional
        Computes the records' features in its workers (records are independent); in order.

    Returns
    -------
    WindowTable
        One row per window; ``seconds_per_record`` is wall time over records.

    Raises
    ------
    DataError
        No record found.
    """
    s = settings or FeatureSettings()
    found = [r for r in cwru_records(root) if r.fs_hz == 12000.0 and r.fault != "normal"]
    if records is not None:
        found = [r for r in found if r.record in set(records)]
    if not found:
        raise DataError(f"no CWRU 12 kHz drive-end records found under {root or '$OPENPHM_DATA'}")
    blocks: list[FloatArray] = []
    meta: list[tuple[str, int, int, float, str]] = []
    t0 = time.perf_counter()
    iterable = progress(found) if progress is not None else found
    if executor is None:
        computed: Iterable[FloatArray] = (_cwru_record_features(i, s) for i in iterable)
    else:
        computed = executor.map(_cwru_record_features, iterable, [s] * len(found))
    for info, feats in zip(found, computed, strict=True):
        blocks.append(feats)
        bearing = f"{info.fault}{info.size_in}@{info.or_position}"
        meta += [
            (info.fault, info.record, info.load_hp, float(info.size_in or 0.0), bearing)
        ] * len(feats)
    seconds = (time.perf_counter() - t0) / len(found)
    return WindowTable(
        np.vstack(blocks),
        feature_names(s),
        np.array([m[0] for m in meta]),
        np.array([m[1] for m in meta], dtype=np.int64),
        np.array([m[2] for m in meta], dtype=np.int64),
        np.array([m[3] for m in meta], dtype=np.float64),
        np.array([m[4] for m in meta]),
        seconds,
    )


def protocol_folds(table: WindowTable, protocol: str) -> list[Fold]:
    """The leak-checked folds of a protocol over a window table.

    Parameters
    ----------
    table : WindowTable
        The windows.
    protocol : {"cross-load", "cross-severity", "by-record"}
        The protocol (see the module's description).

    Returns
    -------
    list of Fold
        The folds.

    Raises
    ------
    ConfigError
        Unknown protocol.
    """
    if protocol == "cross-load":
        return leave_one_value_out(table.loads, table.records, what="load")
    if protocol == "cross-severity":
        return leave_one_value_out(
            np.round(table.sizes, 3),
            table.records,
            held_out=SEVERITY_SIZES,
            what="size",
            bearings=table.bearings,
        )
    if protocol == "by-record":
        return by_record(table.records, table.labels, 5)
    raise ConfigError(f"unknown protocol {protocol!r}; choose one of {', '.join(PROTOCOLS)}")


@dataclass(frozen=True)
class FoldOutcome(Serializable):
    """One fold's results.

    Parameters
    ----------
    name : str
        What was held out.
    windows : ClassificationReport
        Per-window metrics.
    records : ClassificationReport
        Per-record metrics (mean window probabilities).
    physics_accuracy : float
        Per-window accuracy of the physics scores alone (the largest of inner/outer/ball);
        NaN when the features hold no physics scores.
    train_records : int
        Recordings trained on.
    train_seconds : float
        Wall time of the fit, s.
    predict_seconds_per_record : float
        Wall time of the prediction per test record (features excluded), s.
    """

    name: str
    windows: ClassificationReport
    records: ClassificationReport
    physics_accuracy: float
    train_records: int
    train_seconds: float
    predict_seconds_per_record: float


@dataclass(frozen=True)
class LearnedBenchResult(Serializable):
    """A protocol's results over its folds.

    Parameters
    ----------
    protocol : str
        The protocol.
    model : str
        The classifier kind.
    features : str
        The feature set.
    folds : tuple of FoldOutcome
        Each fold.
    mean_accuracy : float
        Mean over folds of the per-window accuracy.
    mean_record_accuracy : float
        Mean over folds of the per-record accuracy.
    pooled : ClassificationReport
        Per-window metrics over every fold's test windows together.
    ci95 : (float, float)
        Bootstrap 95 % interval of the pooled per-window accuracy, resampling recordings.
    physics_accuracy : float
        Mean over folds of the physics scores' accuracy alone.
    feature_seconds_per_record : float
        Mean wall time to read a record and compute its features, s.
    """

    protocol: str
    model: str
    features: str
    folds: tuple[FoldOutcome, ...]
    mean_accuracy: float
    mean_record_accuracy: float
    pooled: ClassificationReport
    ci95: tuple[float, float]
    physics_accuracy: float
    feature_seconds_per_record: float


def _record_votes(
    proba: FloatArray, classes: npt.NDArray[Any], records: npt.NDArray[np.int64]
) -> tuple[list[int], list[str]]:
    uniq = np.unique(records)
    return uniq.tolist(), [str(classes[proba[records == r].mean(axis=0).argmax()]) for r in uniq]


def _classifier(model: str, names: tuple[str, ...]) -> Any:
    if model == "cnn":
        from openphm.learn.cnn import CnnFaultClassifier

        return CnnFaultClassifier()
    if model != "hybrid":
        return make_classifier(model)
    cols = tuple((c, names.index(f"physics_{c}")) for c in FAULT_CLASSES if f"physics_{c}" in names)
    if not cols:
        raise ConfigError("the hybrid needs the physics scores among the features")
    return HybridClassifier(LightGBMFaultClassifier(), cols, 1.0)


def _physics_guess(table: WindowTable, rows: npt.NDArray[np.intp]) -> npt.NDArray[np.str_]:
    if "physics_inner" not in table.names:
        return np.full(rows.size, "", dtype=np.str_)
    cols = np.array([table.names.index(f"physics_{c}") for c in FAULT_CLASSES], dtype=np.intp)
    best = table.features[np.ix_(rows, cols)].argmax(axis=1)
    guess: npt.NDArray[np.str_] = np.asarray(FAULT_CLASSES, dtype=np.str_)[best]
    return guess


def run_cwru_learned(
    protocol: str,
    *,
    model: str = "lightgbm",
    features: str = "physics+spectral",
    root: str | Path | None = None,
    table: WindowTable | None = None,
    rng: np.random.Generator | None = None,
    n_boot: int = 1000,
) -> LearnedBenchResult:
    """Train and test a classifier under a protocol.

    Parameters
    ----------
    protocol : {"cross-load", "cross-severity", "by-record"}
        The protocol.
    model : {"lightgbm", "linear", "hybrid", "cnn"}, default "lightgbm"
        The classifier (:data:`MODELS`).
    features : {"physics", "physics+spectral", "lines", "order-spectrum"}, optional
        The feature set (:data:`FEATURE_SETS`; ``"lines"`` leaves out the physics
        diagnosis's scores); ignored when ``table`` is given.
    root : str or pathlib.Path, optional
        Data root (default ``OPENPHM_DATA``).
    table : WindowTable, optional
        Windows already computed (one table serves every protocol).
    rng : numpy.random.Generator, optional
        For the bootstrap (default: seeded with 0).
    n_boot : int, default 1000
        Bootstrap replicates.

    Returns
    -------
    LearnedBenchResult
        Per-fold and pooled metrics, timings.

    Raises
    ------
    ConfigError
        Unknown protocol, model or feature set.
    """
    if features not in FEATURE_SETS:
        raise ConfigError(f"unknown feature set {features!r}; choose one of {list(FEATURE_SETS)}")
    t = table if table is not None else cwru_windows(root, FEATURE_SETS[features])
    gen = rng if rng is not None else np.random.default_rng(0)
    outcomes = []
    pooled_true: list[str] = []
    pooled_pred: list[str] = []
    pooled_group: list[int] = []
    for fold in protocol_folds(t, protocol):
        clf = _classifier(model, t.names)
        t0 = time.perf_counter()
        clf.fit(t.features[fold.train], t.labels[fold.train])
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        proba = clf.predict_proba(t.features[fold.test])
        test_recs = t.records[fold.test]
        n_test = np.unique(test_recs).size
        predict_s = (time.perf_counter() - t0) / n_test
        pred = np.asarray(clf.classes_)[proba.argmax(axis=1)]
        truth = t.labels[fold.test]
        recs, votes = _record_votes(proba, clf.classes_, test_recs)
        rec_truth = [str(truth[test_recs == r][0]) for r in recs]
        physics = _physics_guess(t, fold.test)
        outcomes.append(
            FoldOutcome(
                fold.name,
                classification_report(truth, pred, FAULT_CLASSES),
                classification_report(rec_truth, votes, FAULT_CLASSES),
                float(np.mean(physics == truth)) if physics.any() else float("nan"),
                int(np.unique(t.records[fold.train]).size),
                train_s,
                predict_s,
            )
        )
        pooled_true += truth.tolist()
        pooled_pred += pred.tolist()
        pooled_group += test_recs.tolist()
    ci = bootstrap_ci(pooled_true, pooled_pred, pooled_group, gen, n_boot=n_boot)
    return LearnedBenchResult(
        protocol,
        model,
        features,
        tuple(outcomes),
        float(np.mean([o.windows.accuracy for o in outcomes])),
        float(np.mean([o.records.accuracy for o in outcomes])),
        classification_report(pooled_true, pooled_pred, FAULT_CLASSES),
        ci,
        float(np.mean([o.physics_accuracy for o in outcomes])),
        t.seconds_per_record,
    )


def train_cwru(
    *,
    model: str = "lightgbm",
    features: str = "physics",
    root: str | Path | None = None,
    table: WindowTable | None = None,
) -> LearnedModel:
    """Train a fault-location model on all 60 CWRU 12 kHz drive-end fault records.

    Parameters
    ----------
    model : {"lightgbm", "linear"}, default "lightgbm"
        The classifier.
    features : {"physics", "physics+spectral"}, default "physics"
        The feature set; the shipped model uses the physics one, which carries to other rigs.
    root : str or pathlib.Path, optional
        Data root (default ``OPENPHM_DATA``).
    table : WindowTable, optional
        Windows already computed with that feature set.

    Returns
    -------
    LearnedModel
        Fitted, with its card.
    """
    if features not in FEATURE_SETS:
        raise ConfigError(f"unknown feature set {features!r}; choose one of {list(FEATURE_SETS)}")
    s = FEATURE_SETS[features]
    t = table if table is not None else cwru_windows(root, s)
    recs = sorted(set(t.records.tolist()))
    return fit_model(
        t.features,
        t.labels,
        recs,
        kind=model,
        settings=s,
        fs_hz=t.fs_hz,
        trained_on=(
            f"CWRU 12 kHz drive-end, {len(recs)} fault records (Smith & Randall 2015 set), "
            f"6205 bearing, loads 0-3 hp; classes inner/outer/ball; features: {features}"
        ),
    )


@dataclass(frozen=True)
class FalseAlarms(Serializable):
    """How often a model calls healthy records of other rigs faulty.

    Parameters
    ----------
    name : str
        The set, and the assumptions made to read it.
    verdicts : Mapping of str to str
        Verdict per record or group.
    faulty : int
        Records or groups called faulty (any verdict but ``"healthy"``).
    total : int
        Records or groups judged.
    refused : int
        Records the model refused (counted in ``total``, not in ``faulty``).
    """

    name: str
    verdicts: Mapping[str, str]
    faulty: int
    total: int
    refused: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "verdicts", MappingProxyType(dict(self.verdicts)))


def _judge(
    name: str, items: list[tuple[str, Any]], model: LearnedModel, orders: FaultFrequencies
) -> FalseAlarms:
    verdicts = {}
    refused = 0
    for key, (waves, speed) in items:
        try:
            verdicts[key] = model.predict(waves, orders, speed).verdict
        except ModelError:
            verdicts[key] = "refused"
            refused += 1
    faulty = sum(v not in ("healthy", "refused") for v in verdicts.values())
    return FalseAlarms(name, verdicts, faulty, len(verdicts), refused)


def false_alarms(
    model: LearnedModel, root: str | Path | None = None, *, snapshots: int = 10
) -> tuple[FalseAlarms, ...]:
    """Judge a model on healthy records: CWRU 97, FEMTO first snapshots, healthy gear records.

    Parameters
    ----------
    model : LearnedModel
        The model.
    root : str or pathlib.Path, optional
        Data root (default ``OPENPHM_DATA``).
    snapshots : int, default 10
        FEMTO snapshots from the start of each bearing's life, judged one by one and together.

    Returns
    -------
    tuple of FalseAlarms
        CWRU 97 (48 kHz, resampled by the model), FEMTO single snapshots and groups (the
        PRONOSTIA test bearing's geometry, horizontal channel), and the healthy gear records
        (channel ``a1``; the set gives no rate, speed or bearing: 12 kHz, 30 Hz and a 6205 are
        assumed).
    """
    from openphm.acquire.datasets.femto import read_femto
    from openphm.acquire.datasets.gear import gear_records, load_gear_record
    from openphm.acquire.datasets.paths import dataset_dir

    out = []
    _, cwru_orders = resolve_bearing("6205")
    base = [r for r in cwru_records(root) if r.record == 97 and r.path is not None]
    if base and base[0].path is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            wave = read_cwru(base[0].path, record=97)["DE"]
        items: list[tuple[str, Any]] = [("97", (wave, wave.speed_hz or 1797.0 / 60.0))]
        out.append(_judge("CWRU 97 (normal, 48 kHz)", items, model, cwru_orders))
    femto = dataset_dir("femto", root) / "learning_set"
    if femto.is_dir():
        _, f_orders = resolve_bearing("PRONOSTIA")
        single: list[tuple[str, Any]] = []
        grouped: list[tuple[str, Any]] = []
        for path in sorted(femto.glob("Bearing*_acc.parquet")):
            fb = read_femto(path, snapshots=range(1, snapshots + 1))
            waves = [Waveform(fb.horiz[i], fb.fs, unit="g") for i in range(fb.n_snapshots)]
            name = path.name.removesuffix("_acc.parquet")
            single += [(f"{name}#{i + 1}", (w, fb.speed_hz)) for i, w in enumerate(waves)]
            grouped.append((f"{name}#1-{snapshots}", (waves, fb.speed_hz)))
        out.append(_judge("FEMTO first snapshots, one by one", single, model, f_orders))
        out.append(_judge(f"FEMTO first {snapshots} snapshots together", grouped, model, f_orders))
    try:
        gears = [g for g in gear_records(root) if g.condition == "healthy"]
    except DataError:
        gears = []
    if gears:
        items = []
        for g in gears:
            a1 = load_gear_record(g, root)[0]
            items.append((g.file, (Waveform(a1.samples, 12000.0), 30.0)))
        out.append(
            _judge("gear healthy, a1 (assumed 12 kHz, 30 Hz, 6205)", items, model, cwru_orders)
        )
    return tuple(out)


def labelled_windows(
    labels_csv: str | Path,
    settings: FeatureSettings | None = None,
    *,
    progress: Callable[[Iterable[dict[str, str]]], Iterable[dict[str, str]]] | None = None,
) -> WindowTable:
    """Window features of the records a labels CSV lists (a folder of the user's own data).

    Parameters
    ----------
    labels_csv : str or pathlib.Path
        CSV with the columns ``file`` (relative to the CSV's folder), ``label`` (fault
        location), ``bearing`` (catalogue designation) and ``rpm``; optional ``fs`` (Hz),
        ``channel``, ``load`` and ``size``. Records at higher rates are resampled to the
        lowest one.
    settings : FeatureSettings, optional
        Feature settings (defaults).
    progress : callable, optional
        Wraps the row iterable (a progress bar).

    Returns
    -------
    WindowTable
        One row per window; recordings are numbered in CSV order.

    Raises
    ------
    DataError
        A missing column or file, or a CSV with no rows.
    """
    import csv

    from openphm.acquire.channels import channel_choice, load_record, pick_channel

    path = Path(labels_csv)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    need = {"file", "label", "bearing", "rpm"}
    if not rows or not need <= set(rows[0]):
        raise DataError(f"{path}: need rows with the columns {sorted(need)}")
    s = settings or FeatureSettings()
    waves = []
    t0 = time.perf_counter()
    for row in progress(rows) if progress is not None else rows:
        fs = float(row["fs"]) if row.get("fs") else None
        rec = load_record(path.parent / row["file"], fs)
        chan = row.get("channel") or None
        waves.append(pick_channel(rec, chan) if chan else channel_choice(rec).waveform)
    rate = min(w.fs for w in waves)
    blocks, meta = [], []
    for k, (row, wave) in enumerate(zip(rows, waves, strict=True)):
        _, orders = resolve_bearing(row["bearing"])
        common = Waveform(resample_to(wave.samples, wave.fs, rate), rate)
        feats = record_features(common, orders, float(row["rpm"]) / 60.0, s)
        blocks.append(feats)
        load, size = int(row.get("load") or 0), float(row.get("size") or 0.0)
        meta += [(row["label"], k, load, size, f"{row['file']}")] * len(feats)
    return WindowTable(
        np.vstack(blocks),
        feature_names(s),
        np.array([m[0] for m in meta]),
        np.array([m[1] for m in meta], dtype=np.int64),
        np.array([m[2] for m in meta], dtype=np.int64),
        np.array([m[3] for m in meta], dtype=np.float64),
        np.array([m[4] for m in meta]),
        (time.perf_counter() - t0) / len(rows),
        rate,
    )
