"""Remaining useful life of a bearing from its snapshots: onset, median and 90 % interval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import PLOT_SUFFIXES, console, output_file, plot_written, print_json
from openphm.cli.store_options import DatabaseUrl, Home

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
Plot = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        help="Draw indicator, threshold and RUL over time into this image (.png, .pdf, .svg).",
        callback=lambda path: output_file(path, "--plot", PLOT_SUFFIXES),
    ),
]
TrainRoot = Annotated[
    Path | None,
    typer.Option(
        "--train-root",
        help="Data root holding femto/ with the run-to-failure learning bearings the model is "
        "fitted on (default: $OPENPHM_DATA).",
    ),
]
SpeedOpt = Annotated[
    float | None, typer.Option("--rpm", help="Shaft speed in r/min (default: from the reader).")
]
LoadOpt = Annotated[
    float | None, typer.Option("--load-n", help="Radial load in N (default: from the reader).")
]


def _hours(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return "inf" if seconds == float("inf") else f"{seconds:.0f} s ({seconds / 3600:.2f} h)"


def _plot(result: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, layout="constrained")
    a1.plot(result.times_s, result.indicator, lw=0.7, label="r.m.s. (g)")
    a1.axhline(result.threshold, color="tab:red", ls="--", label="failure threshold")
    if result.onset_s is not None:
        a1.axvline(result.onset_s, color="tab:orange", label="onset")
    a1.set_ylabel("horizontal r.m.s. (g)")
    a1.legend()
    a2.plot(result.path_times_s, result.path_median_s, marker=".", label="median RUL")
    a2.fill_between(
        result.path_times_s, result.path_q05_s, result.path_q95_s, alpha=0.3, label="90 %"
    )
    a2.set_xlabel("time (s)")
    a2.set_ylabel("RUL (s)")
    a2.legend()
    fig.savefig(path)
    plt.close(fig)


def _plot_point(history: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = [
        (t, d) for t, d in zip(history.acquired_at, history.ruls, strict=True) if d.has_estimate
    ]
    fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
    if shown:
        times: Any = [t for t, _ in shown]
        hours = [[q / 3600.0 for q in (d.median(), *d.interval(0.9))] for _, d in shown]
        ax.plot(times, [h[0] for h in hours], marker=".", label="median RUL")
        ax.fill_between(
            times, [h[1] for h in hours], [h[2] for h in hours], alpha=0.3, label="90 %"
        )
        ax.legend()
    ax.set(title=f"{history.point} ({history.component})", xlabel="acquired", ylabel="RUL (h)")
    fig.savefig(path)
    plt.close(fig)


def _point_rul(
    ref: str, home: Path | None, database_url: str | None, as_json: bool, plot: Path | None
) -> None:
    from openphm.cli.store_options import open_store
    from openphm.pipeline.prognosis import point_rul_history

    history = point_rul_history(open_store(home, database_url), ref)
    d = history.latest
    if as_json:
        summary = d.summary() if d is not None else {}
        print_json(
            {
                "source": history.point,
                "component": history.component,
                "n_measurements": len(history.ruls),
                "at": None if d is None else history.acquired_at[-1].isoformat(),
                "onset_s": None if d is None else d.onset_s,
                "rul_s": {k: summary.get(k) for k in ("median", "q05", "q95", "mean")},
                "status": None if d is None else d.status,
                "estimator": None if d is None else d.estimator,
                "note": "" if d is None else d.note,
                "provenance": None if d is None else d.provenance.to_dict(),
            }
        )
    elif d is None:
        console.print(f"[bold]{history.point}[/]: no RUL stored yet (no processed measurement)")
    else:
        console.print(
            f"[bold]{history.point}[/] ({history.component}): {len(history.ruls)} measurements to "
            f"{history.acquired_at[-1]:%Y-%m-%d %H:%M}"
        )
        if d.has_estimate:
            lo, hi = d.interval(0.9)
            console.print(f"onset: {_hours(d.onset_s)} after the first measurement")
            console.print(
                f"RUL median {_hours(d.median())}, 90 % interval {_hours(lo)} .. {_hours(hi)} "
                f"({d.estimator}, {d.status})"
            )
        console.print(d.note, markup=False)
    if plot is not None:
        _plot_point(history, plot)
        plot_written(plot)


def rul(
    path: Annotated[
        str,
        typer.Argument(
            help="Bearing folder or zip of acc_NNNNN.csv snapshots, or a point of the store "
            "(site/machine/point) whose RUL the monitoring chain keeps."
        ),
    ],
    as_json: AsJson = False,
    plot: Plot = None,
    train_root: TrainRoot = None,
    rpm: SpeedOpt = None,
    load_n: LoadOpt = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Remaining useful life of a bearing or a store point: onset, median and 90 % interval."""
    from openphm.pipeline.prognosis import bearing_rul, learning_histories

    if not Path(path).exists() and path.count("/") == 2:
        _point_rul(path, home, database_url, as_json, plot)
        return
    result = bearing_rul(
        path, training=learning_histories(train_root), speed_rpm=rpm, load_n=load_n
    )
    d = result.rul
    summary = d.summary()
    if as_json:
        print_json(
            {
                "source": result.source,
                "n_snapshots": result.n_snapshots,
                "at_s": d.at_s,
                "onset_s": result.onset_s,
                "rul_s": {k: summary[k] for k in ("median", "q05", "q95", "mean")},
                "status": d.status,
                "estimator": d.estimator,
                "note": d.note,
                "provenance": d.provenance.to_dict(),
            }
        )
    else:
        console.print(
            f"[bold]{result.source}[/]: {result.n_snapshots} snapshots to t = {d.at_s:g} s"
        )
        console.print(f"onset: {_hours(result.onset_s)}")
        if d.has_estimate:
            lo, hi = d.interval(0.9)
            console.print(
                f"RUL median {_hours(d.median())}, 90 % interval {_hours(lo)} .. {_hours(hi)} "
                f"({d.estimator}, {d.status})"
            )
        console.print(d.note)
    if plot is not None:
        _plot(result, plot)
        plot_written(plot)


def register(app: typer.Typer) -> None:
    """Add the ``rul`` command to the CLI application ``app``."""
    app.command("rul")(rul)
