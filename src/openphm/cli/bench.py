"""``openphm bench``: accuracy benchmarks on the reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import console, print_json, print_table, track
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    )
    print_table(
        "SpectraQuest, baseline from healthy windows of the other loads",
        keys,
        (tuple(f[k] for k in keys) for f in result.folds),
    )
    print_table(
        "Physics verdicts (channel a1, unknown train)",
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
        f"SpectraQuest: {result.summary()['detection_rate']:.1%} of broken-tooth windows "
        f"detected, {result.summary()['healthy_flagged']} healthy windows flagged; simulator "
        f"{payload['simulator_correct']}/{payload['simulator_total']}; gear diagnosis of a 10 s "
        f"record {timing['gear_s']:.3f} s ({timing['ratio']:.2f}x the bearing diagnosis)"
    )


def register(app: typer.Typer) -> None:
    """Add the ``bench`` command group to the CLI application ``app``."""
    app.add_typer(bench_app, name="bench")
