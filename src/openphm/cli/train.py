"""``openphm train``: fit a learned fault-location model and write it as a safe model file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import console, print_json, track
from openphm.core.errors import ConfigError

__all__ = ["register", "train"]


def train(
    output: Annotated[
        Path, typer.Argument(help="Model file to write (.openphm-model).", show_default=False)
    ],
    dataset: Annotated[
        str | None,
        typer.Option(help="Reference data set to train on: cwru (the 60 12 kHz fault records)."),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="Labels CSV of a folder of records: columns file, label, bearing, rpm "
            "(optional fs, channel, load, size); files relative to the CSV."
        ),
    ] = None,
    model: Annotated[str, typer.Option(help="Classifier: lightgbm or linear.")] = "lightgbm",
    features: Annotated[
        str,
        typer.Option(
            help="Feature set: physics (in orders, carries to other rigs) or physics+spectral "
            "(adds band shares that describe the training rig)."
        ),
    ] = "physics",
    protocol: Annotated[
        str | None,
        typer.Option(
            help="Evaluate first under this protocol (cross-load, cross-severity, by-record) "
            "and print the figures; the model written is trained on everything."
        ),
    ] = None,
    root: Annotated[
        Path | None, typer.Option(help="Data root for --dataset (default: $OPENPHM_DATA).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
) -> None:
    """Train a fault-location model on CWRU or a labelled folder; write a safe model file.

    The file holds the model (LightGBM's text model or skops, never a pickle) and a card:
    classes, features, the training records and rate, and the openphm version.
    """
    from openphm.evaluate.cwru_learned import (
        FEATURE_SETS,
        cwru_windows,
        labelled_windows,
        run_cwru_learned,
        train_cwru,
    )
    from openphm.learn.persist import save_model
    from openphm.learn.train import fit_model

    if (dataset is None) == (labels is None):
        raise ConfigError("give either --dataset cwru or --labels CSV")
    if features not in FEATURE_SETS:
        raise ConfigError(f"--features must be one of {', '.join(FEATURE_SETS)}")
    settings = FEATURE_SETS[features]

    def bar(items: object) -> object:
        return track(list(items), "features", enabled=not as_json)  # type: ignore[call-overload]

    if dataset is not None:
        if dataset.lower() != "cwru":
            raise ConfigError(f"--dataset {dataset!r}: only cwru is known")
        table = cwru_windows(root, settings, progress=bar)  # type: ignore[arg-type]
        learned = train_cwru(model=model, features=features, table=table)
    else:
        assert labels is not None
        table = labelled_windows(labels, settings, progress=bar)  # type: ignore[arg-type]
        recs = sorted(set(table.bearings.tolist()))
        learned = fit_model(
            table.features,
            table.labels,
            recs,
            kind=model,
            settings=settings,
            fs_hz=table.fs_hz,
            trained_on=f"{labels}: {len(recs)} records; features: {features}",
        )
    evaluation = None
    if protocol is not None:
        evaluation = run_cwru_learned(protocol, model=model, features=features, table=table)
    save_model(output, learned)
    if as_json:
        print_json(
            {
                "model": str(output),
                "card": learned.card.to_dict(),
                "evaluation": None if evaluation is None else evaluation.to_dict(),
            }
        )
        return
    if evaluation is not None:
        lo, hi = evaluation.ci95
        console.print(
            f"{protocol}: mean accuracy {evaluation.mean_accuracy:.1%} per window (95 % CI over "
            f"recordings {lo:.1%}-{hi:.1%}), {evaluation.mean_record_accuracy:.1%} per record",
            markup=False,
        )
    card = learned.card
    console.print(
        f"wrote {output}: {card.kind} on {card.windows} windows of {len(card.records)} records, "
        f"classes {', '.join(card.classes)}, {len(card.feature_names)} features",
        markup=False,
    )


def register(app: typer.Typer) -> None:
    """Add the ``train`` command to the CLI application ``app``."""
    app.command("train")(train)
