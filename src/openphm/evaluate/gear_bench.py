"""Gear benchmarks: the SpectraQuest set across loads, and the gearbox simulator.

SpectraQuest (``openphm bench gear``): every record is cut into windows of 20 000 samples (no
overlap); the loads are split into two halves (0, 20, 40, 60, 80 % and 10, 30, 50, 70, 90 %),
each half in turn giving the baseline and the other being judged, so that no recording has
windows on both sides. From the baseline's healthy windows only, openphm learns the shafts of
the unknown train (:func:`~openphm.diagnose.gear.common_teeth`) and, for every channel, shaft
and indicator (FM0, FM4, NA4, NB4, M6A, M8A, energy ratio, sideband level factor), a robust
baseline with its alert limit (:func:`~openphm.detect.baseline.fit_baseline`, the project's
defaults: median + 4 robust sigmas, upper side). A judged window is flagged when any indicator
passes its limit. Nothing is fitted to the broken-tooth records. The physics verdict
(:func:`~openphm.diagnose.gear.diagnose_gears` on every channel, unknown train, against a
:class:`~openphm.diagnose.gear.GearBaseline` of the same healthy windows) is reported beside.

Simulator (:func:`run_gear_simulation`): parallel and planetary trains, a local tooth fault on
every gear at -10 dB signal-to-noise, distributed wear against a healthy baseline, and healthy
records; the verdict and the gear named are checked against the known answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from openphm.acquire.datasets.gear import GearRecord, gear_records, load_gear_record
from openphm.core.errors import DataError
from openphm.core.waveform import Waveform
from openphm.detect.baseline import fit_baseline
from openphm.diagnose.bearing import diagnose_bearing
from openphm.diagnose.gear import (
    analyse_gears,
    common_teeth,
    diagnose_gear,
    diagnose_gears,
    learn_gear_baseline,
)
from openphm.knowledge.gear_train import GearStage, GearTrain
from openphm.simulate.gearbox import GearFault, simulate_gearbox

__all__ = [
    "INDICATORS",
    "WINDOW",
    "GearBenchResult",
    "SimulationCase",
    "run_gear_bench",
    "run_gear_simulation",
    "time_ratio",
    "window_features",
]

#: Samples per judged window.
WINDOW = 20_000
#: The two halves of the loads (per cent); each is the baseline once.
LOAD_HALVES = ((0, 20, 40, 60, 80), (10, 30, 50, 70, 90))
#: Indicators of each channel and shaft that the detection watches.
INDICATORS = ("fm0", "fm4", "na4", "nb4", "m6a", "m8a", "energy_ratio", "sideband_level")

Progress = Callable[[Iterable[GearRecord]], Iterable[GearRecord]]


def _windows(x: np.ndarray) -> list[np.ndarray]:
    return [x[i : i + WINDOW] for i in range(0, x.size - WINDOW + 1, WINDOW)]


def window_features(
    channels: Sequence[Waveform],
    teeth: Sequence[int],
    residual_variance: dict[tuple[int, int], float] | None = None,
) -> tuple[dict[str, float], dict[tuple[int, int], float]]:
    """Indicators of one window: every channel, every shaft of the (unknown) train.

    Parameters
    ----------
    channels : sequence of Waveform
        The window's channels.
    teeth : sequence of int
        Mesh orders of the shafts (:func:`~openphm.diagnose.gear.common_teeth`).
    residual_variance : dict, optional
        Healthy residual variance by (channel, teeth), the reference of NA4.

    Returns
    -------
    (dict of str to float, dict of (int, int) to float)
        Indicators named ``"a1 z=32 fm4"``; and this window's residual variances.
    """
    feats: dict[str, float] = {}
    variances: dict[tuple[int, int], float] = {}
    for c, w in enumerate(channels):
        for a in analyse_gears(w, None, teeth=teeth):
            key = (c, a.member.teeth)
            ind = a.indicators
            variances[key] = ind.residual_variance
            ref = (residual_variance or {}).get(key)
            values = ind.to_dict()
            if ref:
                d = a.signals.residual - a.signals.residual.mean()
                values["na4"] = float(np.mean(d**4) / ref**2)
            for name in INDICATORS:
                feats[f"{w.channel} z={a.member.teeth} {name}"] = float(values[name])
    return feats, variances


def _limit(name: str, train: Sequence[dict[str, float]], loads: Sequence[int]) -> float:
    """Alert limit of one indicator from healthy windows at several loads.

    The project's baseline (median + 4 robust sigmas, :func:`fit_baseline`) learned on all the
    baseline loads, widened to the largest distance, in robust sigmas, that a load left out of
    the baseline reaches when the others make it (leave one load out): an unseen load's
    healthy spread, measured on healthy data only.
    """
    values = np.array([f[name] for f in train])
    load = np.array(loads)
    full = fit_baseline(values, direction="upper")
    worst = full.alert_sigmas
    for held in np.unique(load):
        rest = values[load != held]
        if rest.size < 2:
            continue
        b = fit_baseline(rest, direction="upper")
        worst = max(worst, max(b.zscore(v) for v in values[load == held]))
    return float(full.centre + worst * full.scale)


def _physics_verdicts(
    healthy_base: Sequence[_Window],
    judged: Sequence[_Window],
    teeth: Sequence[int],
    counts: dict[str, dict[str, int]],
) -> dict[int, bool]:
    """The physics verdict of each judged window: :func:`diagnose_gears` on every channel, the
    unknown train's shafts ``teeth``, against a baseline of each channel learned from the
    healthy baseline windows; a window is flagged when a channel gives a fault verdict. The
    verdicts (the worst channel's) are counted into ``counts`` by condition."""
    baselines = [
        learn_gear_baseline([w.channels[c] for w in healthy_base], None, teeth=teeth)
        for c in range(len(healthy_base[0].channels))
    ]
    out = {}
    for w in judged:
        verdicts: list[str] = []
        for c, ch in enumerate(w.channels):
            try:
                per = diagnose_gears(ch, None, baseline=baselines[c], teeth=teeth)
                verdicts += [d.verdict for d in per.values()]
            except DataError:
                verdicts.append("not assessed")
        worst = next(
            (v for v in ("tooth", "distributed", "undetermined", "healthy") if v in verdicts),
            "not assessed",
        )
        by = counts.setdefault(w.record.condition, {})
        by[worst] = by.get(worst, 0) + 1
        out[id(w)] = worst in ("tooth", "distributed")
    return out


@dataclass
class _Window:
    record: GearRecord
    index: int
    channels: tuple[Waveform, ...]


@dataclass(frozen=True)
class GearBenchResult:
    """Outcome of the SpectraQuest benchmark.

    Parameters
    ----------
    folds : list of dict
        Per fold: baseline loads, judged loads, shafts learned, broken windows detected,
        healthy windows flagged, healthy records with a flagged window.
    verdicts : dict of str to dict of str to int
        Physics verdicts of the judged windows (the worst of the four channels; unknown train,
        baseline from the healthy windows of the other loads), counted by condition.
    seconds_per_window : float
        Mean time of the indicators of one window (four channels), s.
    total_seconds : float
        Wall time of the whole benchmark, s.
    """

    folds: list[dict[str, object]] = field(default_factory=list)
    verdicts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds_per_window: float = 0.0
    total_seconds: float = 0.0

    def summary(self) -> dict[str, object]:
        """Totals over both folds.

        Returns
        -------
        dict
            ``broken_detected``, ``broken_total``, ``healthy_flagged``, ``healthy_total``,
            ``healthy_records_flagged``, the detection rate and the timings.
        """

        def total(key: str) -> int:
            return sum(int(f[key]) for f in self.folds)  # type: ignore[call-overload]

        det, n_b = total("broken_detected"), total("broken_windows")
        return {
            "broken_detected": det,
            "broken_windows": n_b,
            "detection_rate": det / n_b if n_b else 0.0,
            "healthy_flagged": total("healthy_flagged"),
            "healthy_windows": total("healthy_windows"),
            "healthy_records_flagged": total("healthy_records_flagged"),
            "verdicts": self.verdicts,
            "seconds_per_window": self.seconds_per_window,
            "total_seconds": self.total_seconds,
        }


def run_gear_bench(
    root: str | Path | None = None, progress: Progress | None = None
) -> GearBenchResult:
    """Cross-load detection and physics verdicts on the SpectraQuest set.

    Parameters
    ----------
    root : str or pathlib.Path, optional
        Data root holding ``gear/`` (default ``$OPENPHM_DATA``).
    progress : callable, optional
        Wraps the iteration over records (a progress bar).

    Returns
    -------
    GearBenchResult
        Per-fold detection figures, physics verdicts and timings.
    """
    start = time.perf_counter()
    records = gear_records(root)
    windows: list[_Window] = []
    for r in progress(records) if progress else records:
        chans = load_gear_record(r, root)
        cut = [_windows(np.asarray(w.samples)) for w in chans]
        for i in range(len(cut[0])):
            windows.append(
                _Window(
                    r,
                    i,
                    tuple(
                        Waveform(cut[c][i], fs=1.0, channel=w.channel, source=w.source)
                        for c, w in enumerate(chans)
                    ),
                )
            )
    result = GearBenchResult()
    spent, count = 0.0, 0
    for base_loads in LOAD_HALVES:
        base = [w for w in windows if w.record.load_pct in base_loads]
        judged = [w for w in windows if w.record.load_pct not in base_loads]
        healthy_base = [w for w in base if w.record.condition == "healthy"]
        teeth = common_teeth([c for w in healthy_base for c in w.channels])
        first = [window_features(w.channels, teeth) for w in healthy_base]
        variances: dict[tuple[int, int], list[float]] = {}
        for _, v in first:
            for k, x in v.items():
                variances.setdefault(k, []).append(x)
        ref = {k: float(np.mean(v)) for k, v in variances.items()}
        train = [window_features(w.channels, teeth, ref)[0] for w in healthy_base]
        names = sorted(set.intersection(*(set(f) for f in train)))
        loads = [w.record.load_pct for w in healthy_base]
        limits = {n: _limit(n, train, loads) for n in names}
        flagged: dict[tuple[str, int], bool] = {}
        for w in judged:
            t0 = time.perf_counter()
            feats = window_features(w.channels, teeth, ref)[0]
            spent += time.perf_counter() - t0
            count += 1
            over = [n for n in names if n in feats and feats[n] > limits[n]]
            flagged[(w.record.file, w.index)] = bool(over)
        physics = _physics_verdicts(healthy_base, judged, teeth, result.verdicts)
        broken = [w for w in judged if w.record.condition == "broken_tooth"]
        healthy = [w for w in judged if w.record.condition == "healthy"]
        result.folds.append(
            {
                "baseline_loads": list(base_loads),
                "judged_loads": sorted({w.record.load_pct for w in judged}),
                "teeth": list(teeth),
                "indicators": len(names),
                "broken_windows": len(broken),
                "broken_detected": sum(flagged[(w.record.file, w.index)] for w in broken),
                "healthy_windows": len(healthy),
                "healthy_flagged": sum(flagged[(w.record.file, w.index)] for w in healthy),
                "healthy_records_flagged": len(
                    {w.record.file for w in healthy if flagged[(w.record.file, w.index)]}
                ),
                "physics_broken_detected": sum(physics[id(w)] for w in broken),
                "physics_healthy_flagged": sum(physics[id(w)] for w in healthy),
            }
        )
    return GearBenchResult(
        result.folds,
        result.verdicts,
        spent / max(count, 1),
        time.perf_counter() - start,
    )


@dataclass(frozen=True)
class SimulationCase:
    """One simulated record and what the diagnosis said.

    Parameters
    ----------
    train : str
        Name of the simulated train.
    fault : str
        ``"healthy"``, or ``"<kind> on <gear>"``.
    expected : str
        Expected verdict.
    verdict : str
        Verdict of :func:`~openphm.diagnose.gear.diagnose_gear`.
    gear : str
        The gear it names.
    correct : bool
        Verdict right and, for a tooth fault, the gear named on the faulty gear's shaft (two
        gears on one shaft share one synchronous average); for wear, a gear of the worn
        gear's stage (both gears of a stage share its mesh harmonics).
    score : float
        Best score.
    """

    train: str
    fault: str
    expected: str
    verdict: str
    gear: str
    correct: bool
    score: float


#: Trains of the simulator benchmark: a two-stage parallel reducer and a planetary stage.
SIM_TRAINS = {
    "parallel": GearTrain(
        (
            GearStage("s1", "parallel", (23, 48), 1.0),
            GearStage("s2", "parallel", (19, 37), 23 / 48),
        )
    ),
    "planetary": GearTrain((GearStage("p", "planetary", (15, 27, 69), 1.0, planets=4),)),
}
#: Simulator settings: speed (Hz), sampling rate (Hz), length (s), SNR (dB), fault severities.
SIM = {"speed_hz": 25.0, "fs": 10_000.0, "duration_s": 10.0, "snr_db": -10.0}
TOOTH_SEVERITY = 2.0
#: Healthy records a simulated machine's baseline is learned from.
BASELINE_RECORDS = 5
WEAR_SEVERITY = 1.0


def _simulator(train: GearTrain, rng: np.random.Generator) -> Callable[..., Waveform]:
    """Records of ``train`` at the benchmark's settings, drawn from ``rng``."""

    def sim(faults: Sequence[GearFault] = ()) -> Waveform:
        return simulate_gearbox(
            train,
            SIM["speed_hz"],
            SIM["fs"],
            SIM["duration_s"],
            rng,
            faults=faults,
            snr_db=SIM["snr_db"],
        )

    return sim


def run_gear_simulation(seeds: Sequence[int] = (0, 1, 2)) -> list[SimulationCase]:
    """Simulated gearboxes with known answers: healthy, a tooth fault on every gear, wear.

    Parameters
    ----------
    seeds : sequence of int
        One record per case and seed (``numpy.random.default_rng(seed)``).

    Returns
    -------
    list of SimulationCase
        Every case.
    """
    out = []
    speed = SIM["speed_hz"]
    for name, train in SIM_TRAINS.items():
        members = [m for f in train.frequencies(speed) for m in f.members]
        for seed in seeds:
            rng = np.random.default_rng(seed)
            sim = _simulator(train, rng)
            baseline = learn_gear_baseline([sim() for _ in range(BASELINE_RECORDS)], train)
            d = diagnose_gear(sim(), train, baseline=baseline)
            out.append(
                SimulationCase(
                    name,
                    "healthy",
                    "healthy",
                    d.verdict,
                    d.bearing,
                    d.verdict == "healthy",
                    max(d.scores.values()),
                )
            )
            for m in members:
                for kind, sev in (("tooth", TOOTH_SEVERITY), ("distributed", WEAR_SEVERITY)):
                    d = diagnose_gear(sim([GearFault(m.name, kind, sev)]), train, baseline=baseline)  # type: ignore[arg-type]
                    named = next((x for x in members if x.name == d.bearing), None)
                    # A tooth event is placed on its shaft; wear raises the stage's mesh.
                    where_ok = named is not None and (
                        np.isclose(named.tsa_hz, m.tsa_hz)
                        if kind == "tooth"
                        else named.name.split(" ")[0] == m.name.split(" ")[0]
                    )
                    out.append(
                        SimulationCase(
                            name,
                            f"{kind} on {m.name}",
                            kind,
                            d.verdict,
                            d.bearing,
                            bool(d.verdict == kind and where_ok),
                            max(d.scores.values()),
                        )
                    )
    return out


def time_ratio(rng: np.random.Generator) -> dict[str, float]:
    """Time of a gear diagnosis of a 10 s record against a bearing diagnosis of the same record.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the simulated record.

    Returns
    -------
    dict of str to float
        ``gear_s``, ``bearing_s`` (best of three, s) and ``ratio``.
    """
    train = SIM_TRAINS["parallel"]
    w = simulate_gearbox(train, 25.0, 20_000.0, 10.0, rng, snr_db=0.0)

    def best(fn: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return min(times)

    gear = best(lambda: diagnose_gears(w, train))
    bearing = best(lambda: diagnose_bearing(w, "6205", 25.0))
    return {"gear_s": gear, "bearing_s": bearing, "ratio": gear / bearing}
