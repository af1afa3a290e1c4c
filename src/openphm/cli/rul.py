"""Remaining useful life of a bearing from its snapshots: onset, median and 90 % interval."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import PLOT_SUFFIXES, console, output_file, plot_written, print_json

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


def rul(
    path: Annotated[Path, typer.Argument(help="Bearing folder or zip of acc_NNNNN.csv snapshots.")],
    as_json: AsJson = False,
    plot: Plot = None,
    train_root: TrainRoot = None,
    rpm: SpeedOpt = None,
    load_n: LoadOpt = None,
) -> None:
    """Remaining useful life of a bearing from its snapshots: onset, median and 90 % interval."""
    from openphm.pipeline.prognosis import bearing_rul, learning_histories

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
