"""``openphm bench``: accuracy benchmarks on the reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import AsJson, console, print_json, print_table, track
from openphm.evaluate.cwru_physics import BenchResult, BenchRow, run_cwru_physics

bench_app = typer.Typer(help="Accuracy benchmarks on the reference data.", no_args_is_help=True)

_COLUMNS = ("record", "name", "label", "verdict", "correct", "score", "key evidence")


def _row(r: BenchRow) -> tuple[object, ...]:
    o = r.outcome()
    correct = "yes" if o.correct else "no"
    return (o.record, o.name, o.label, o.verdict, correct, r.diagnosis.best.score, o.key_evidence)


def _print_tables(result: BenchResult) -> None:
    summary = result.summary()
    print_table("CWRU 12 kHz drive end, physics diagnosis", _COLUMNS, map(_row, result.rows))
    if result.baseline is not None:
        print_table("Normal baseline (48 kHz)", _COLUMNS, [_row(result.baseline)])
    for title, key in (
        ("fault", "by_fault"),
        ("size (in)", "by_size_in"),
        ("load (hp)", "by_load_hp"),
    ):
        groups = summary[key]
        assert isinstance(groups, dict)
        print_table(
            f"By {title}", (title, "correct", "total"), ((k, c, t) for k, (c, t) in groups.items())
        )
    console.print(
        f"[bold]{result.correct}/{result.total}[/] records correct; baseline 97: "
        f"{summary['baseline_97']}; {result.total_seconds:.1f} s in all, "
        f"{summary['seconds_per_record']:.3f} s per record"
    )


@bench_app.command("cwru-physics")
def cwru_physics(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding cwru/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
    record: Annotated[
        list[int] | None,
        typer.Option(help="Only this record number (repeatable), for quick checks."),
    ] = None,
) -> None:
    """Diagnose all 60 CWRU 12 kHz drive-end records with one configuration, plus baseline 97."""
    result = run_cwru_physics(
        root,
        records=record or None,
        progress=lambda items: track(list(items), "diagnosing", enabled=not as_json),
    )
    if as_json:
        records = [r.outcome().to_dict() for r in result.rows]
        print_json({"summary": result.summary(), "records": records})
        return
    _print_tables(result)


@bench_app.command("cmapss")
def cmapss(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding cmapss/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
    subset: Annotated[
        list[str] | None, typer.Option(help="Only this subset, e.g. FD001 (repeatable).")
    ] = None,
) -> None:
    """RUL on C-MAPSS test sets: RMSE, NASA score and 90 % interval coverage per subset."""
    from openphm.evaluate.cmapss_bench import SUBSETS, run_cmapss_bench

    rows = run_cmapss_bench(root, subsets=subset or SUBSETS)
    if as_json:
        print_json({r.subset: r.to_dict() for r in rows})
        return
    columns = ("subset", "engines", "rmse", "rmse (true<=125)", "mae", "nasa_score", "coverage_90")
    print_table(
        "C-MAPSS RUL (gradient boosting, conformal 90 % interval)",
        columns,
        (
            (r.subset, r.n_test, r.rmse, r.rmse_capped, r.mae, r.nasa_score, r.coverage_90)
            for r in rows
        ),
    )


@bench_app.command("femto")
def femto(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding femto/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """RUL on the six FEMTO learning bearings, leave one out: PHM 2012 score, RMSE, coverage."""
    from openphm.evaluate.femto_bench import run_femto_bench

    result = run_femto_bench(root)
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        "FEMTO leave-one-bearing-out predictions",
        ("bearing", "estimator", "fraction", "t_s", "true_s", "median_s", "q05_s", "q95_s"),
        (
            (p.bearing, p.estimator, p.fraction, p.t_s, p.true_s, p.median_s, p.q05_s, p.q95_s)
            for p in result.predictions
        ),
    )
    keys = ("phm2012", "rmse_s", "mae_s", "alpha_lambda_0.2", "coverage_90", "n", "n_infinite")
    print_table(
        "FEMTO scores",
        ("estimator", *keys),
        ((est, *(sc.get(k) for k in keys)) for est, sc in result.scores.items()),
    )


@bench_app.command("gear")
def gear(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding gear/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
    simulator: Annotated[
        bool, typer.Option(help="Also run the simulator cases (about 15 s).")
    ] = True,
) -> None:
    """Gearbox diagnosis: SpectraQuest broken tooth across loads, simulator cases, timing."""
    import numpy as np

    from openphm.evaluate.gear_bench import run_gear_bench, run_gear_simulation, time_ratio

    result = run_gear_bench(
        root, progress=lambda items: track(list(items), "reading", enabled=not as_json)
    )
    cases = run_gear_simulation() if simulator else []
    timing = time_ratio(np.random.default_rng(0))
    payload = {
        "spectraquest": result.summary(),
        "folds": result.folds,
        "simulator": [vars(c) for c in cases],
        "simulator_correct": sum(c.correct for c in cases),
        "simulator_total": len(cases),
        "timing": timing,
    }
    if as_json:
        print_json(payload)
        return
    keys = (
        "judged_loads",
        "teeth",
        "broken_detected",
        "broken_windows",
        "healthy_flagged",
        "healthy_windows",
        "healthy_records_flagged",
        "physics_broken_detected",
        "physics_healthy_flagged",
    )
    print_table(
        "SpectraQuest, baseline from healthy windows of the other loads",
        keys,
        (tuple(f[k] for k in keys) for f in result.folds),
    )
    print_table(
        "Physics verdicts of the judged windows (worst channel, baseline from other loads)",
        ("condition", "verdicts"),
        ((k, v) for k, v in result.verdicts.items()),
    )
    if cases:
        print_table(
            "Simulator (-10 dB)",
            ("train", "fault", "verdict", "gear", "correct", "score"),
            ((c.train, c.fault, c.verdict, c.gear, c.correct, c.score) for c in cases),
        )
    console.print(
        f"SpectraQuest: indicators detect {result.summary()['detection_rate']:.1%} of "
        f"broken-tooth windows and flag {result.summary()['healthy_flagged']} healthy ones; "
        f"physics verdicts {result.verdicts}; simulator "
        f"{payload['simulator_correct']}/{payload['simulator_total']}; gear diagnosis of a 10 s "
        f"record {timing['gear_s']:.3f} s ({timing['ratio']:.2f}x the bearing diagnosis)"
    )


@bench_app.command("cwru-learned")
def cwru_learned(
    protocol: Annotated[
        list[str] | None,
        typer.Option(help="cross-load, cross-severity or by-record (repeatable; default all)."),
    ] = None,
    model: Annotated[
        str, typer.Option(help="lightgbm, linear, or hybrid (LightGBM x physics scores).")
    ] = "lightgbm",
    features: Annotated[
        str,
        typer.Option(
            help="Feature set: physics+spectral, physics (rig-independent) or lines (physics "
            "without the physics diagnosis's scores)."
        ),
    ] = "physics+spectral",
    healthy: Annotated[
        bool,
        typer.Option(
            help="Also judge the shipped model on healthy records (CWRU 97, FEMTO first "
            "snapshots, healthy gear records)."
        ),
    ] = False,
    root: Annotated[
        Path | None, typer.Option(help="Data root holding cwru/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Learned fault location on CWRU under leak-free protocols: accuracy, macro-F1, recall."""
    from openphm.evaluate.cwru_learned import (
        FEATURE_SETS,
        PROTOCOLS,
        cwru_windows,
        false_alarms,
        run_cwru_learned,
    )
    from openphm.learn.persist import load_model
    from openphm.learn.predict import shipped_model_path

    if features not in FEATURE_SETS:
        raise typer.BadParameter(f"--features must be one of {', '.join(FEATURE_SETS)}")
    table = cwru_windows(
        root,
        FEATURE_SETS[features],
        progress=lambda items: track(list(items), "features", enabled=not as_json),
    )
    results = [
        run_cwru_learned(p, model=model, features=features, table=table)
        for p in protocol or PROTOCOLS
    ]
    alarms = false_alarms(load_model(shipped_model_path()), root) if healthy else ()
    if as_json:
        print_json(
            {
                "results": [r.to_dict() for r in results],
                "healthy": [a.to_dict() for a in alarms],
            }
        )
        return
    for r in results:
        print_table(
            f"{r.protocol}: {r.model} on {r.features} features",
            ("fold", "windows acc", "records acc", "macro-F1", "recall i/o/b", "physics acc"),
            (
                (
                    f.name,
                    f.windows.accuracy,
                    f.records.accuracy,
                    f.windows.macro_f1,
                    "/".join(f"{f.windows.recall[c]:.2f}" for c in ("inner", "outer", "ball")),
                    f.physics_accuracy,
                )
                for f in r.folds
            ),
        )
        lo, hi = r.ci95
        train_s = sum(f.train_seconds for f in r.folds) / len(r.folds)
        predict_s = sum(f.predict_seconds_per_record for f in r.folds) / len(r.folds)
        console.print(
            f"{r.protocol}: mean accuracy {r.mean_accuracy:.1%} per window (95 % CI over "
            f"recordings {lo:.1%}-{hi:.1%}), {r.mean_record_accuracy:.1%} per record; physics "
            f"scores alone {r.physics_accuracy:.1%}; features {r.feature_seconds_per_record:.2f} "
            f"s per record, fit {train_s:.2f} s per fold, prediction {predict_s * 1e3:.2f} ms "
            "per record",
            markup=False,
        )
    for a in alarms:
        console.print(
            f"{a.name}: {a.faulty}/{a.total} called faulty, {a.refused} refused", markup=False
        )


@bench_app.command("hydraulic")
def hydraulic(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding hydraulic/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
    component: Annotated[
        list[str] | None,
        typer.Option(help="Only this component: cooler, valve, pump_leakage, accumulator."),
    ] = None,
    method: Annotated[
        list[str] | None, typer.Option(help="Only this detector: pca, mahalanobis, iforest.")
    ] = None,
) -> None:
    """UCI hydraulic rig: state accuracy under random and blocked splits, unsupervised detection."""
    from openphm.acquire.datasets.hydraulic import COMPONENTS
    from openphm.evaluate.hydraulic_bench import METHODS, run_hydraulic_bench

    chosen = tuple(m for m in METHODS if method is None or m in method)
    result = run_hydraulic_bench(root, components=component or COMPONENTS, methods=chosen)
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        "Component state, LDA on cycle features: accuracy per protocol",
        ("component", "random", "blocked", "contiguous", "gap (points)"),
        (
            (
                r.component,
                r.random_accuracy,
                r.blocked_accuracy,
                r.contiguous_accuracy,
                r.gap_points,
            )
            for r in result.classification
        ),
    )
    print_table(
        "Unsupervised detection at <= 1 % false alarms on held-out healthy cycles",
        (
            "protocol",
            "method",
            "state",
            "cycles",
            "detected",
            "at limit",
            "FA at limit",
            "held out",
            "top sensor expected",
            "top sensors",
        ),
        (
            (
                d.protocol,
                d.method,
                f"{d.component} {d.level}",
                d.n_cycles,
                d.detected,
                d.detected_at_limit,
                d.false_alarms_at_limit,
                d.n_healthy_held_out,
                d.top_sensor_expected,
                " ".join(d.top_sensors),
            )
            for d in result.detection
        ),
    )
    console.print(
        f"{result.n_cycles} cycles in {result.n_blocks} condition blocks; {result.n_healthy} "
        f"cycles with every component at its best, in {result.n_healthy_blocks} blocks; "
        f"{result.seconds:.1f} s"
    )


@bench_app.command("telemetry-onset")
def telemetry_onset(
    root: Annotated[
        Path | None, typer.Option(help="Data root holding cmapss/ (default: $OPENPHM_DATA).")
    ] = None,
    as_json: AsJson = False,
    subset: Annotated[
        list[str] | None, typer.Option(help="Only this subset, e.g. FD001 (repeatable).")
    ] = None,
) -> None:
    """C-MAPSS as telemetry: each engine's onset by PCA and CUSUM, against the run's end."""
    from openphm.acquire.datasets.cmapss import SUBSETS
    from openphm.evaluate.telemetry_onset import run_telemetry_onset

    rows = run_telemetry_onset(root, subsets=subset or SUBSETS)
    if as_json:
        print_json({r.subset: r.to_dict() for r in rows})
        return
    print_table(
        "C-MAPSS training engines: onset found from the telemetry alone",
        (
            "subset",
            "engines",
            "regimes",
            "onset found",
            "cycles left median",
            "p10",
            "p90",
            "life elapsed",
            "over 150 left",
        ),
        (
            (
                r.subset,
                r.n_engines,
                r.n_regimes,
                r.n_onset,
                r.cycles_left_median,
                r.cycles_left_p10,
                r.cycles_left_p90,
                r.life_fraction_median,
                r.early,
            )
            for r in rows
        ),
    )


def register(app: typer.Typer) -> None:
    """Add the ``bench`` command group to the CLI application ``app``."""
    app.add_typer(bench_app, name="bench")
