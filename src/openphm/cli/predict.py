"""``openphm predict``: a learned model's fault location, with the physics evidence beside it.

The options of the bearing, speed and channel are those of ``openphm diagnose``: a model
trained on one rig is applied to another with that rig's bearing geometry and speed. The
command builds a :class:`~openphm.pipeline.ProcessingContext` with the ``"learned"`` stage and
prints what the pipeline returns.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from openphm.acquire.channels import channel_choice, load_record
from openphm.cli.bearing import (
    Catalogue,
    ContactAngle,
    PitchDiameter,
    RollingDiameter,
    RollingElements,
    RotatingRing,
)
from openphm.cli.diagnose import (
    BearingOption,
    FaultOrdersOption,
    FilesOption,
    FsOption,
    RpmOption,
    SnapshotsOption,
    _bearing,
)
from openphm.cli.options import speed_hz
from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.cli.records import Channel
from openphm.core.bearing import as_ring
from openphm.core.errors import ModelError
from openphm.learn.predict import LearnedVerdict
from openphm.pipeline import ProcessingContext, Results, process, process_snapshots

__all__ = ["predict", "register"]

ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        help="Model file written by 'openphm train'; 'shipped' (default) is the pretrained "
        "CWRU model that comes with openphm.",
    ),
]


def _verdict(results: Results, where: str) -> LearnedVerdict:
    found = results.outputs.get("learned")
    if isinstance(found, LearnedVerdict):
        return found
    raise ModelError(f"{where}: {results.errors.get('learned', 'the model gave no answer')}")


def _print(where: str, channel: str, v: LearnedVerdict) -> None:
    console.print(
        f"{where} [{channel}]: [bold]{v.verdict}[/] (physics: {v.physics_verdict}; "
        f"{v.windows} windows at {v.fs_hz:g} Hz, speed {v.speed_hz:.2f} Hz {v.speed_source})",
        highlight=False,
    )
    if v.physics_lines:
        console.print(
            f"physics evidence ({v.physics_verdict}): " + ", ".join(v.physics_lines),
            markup=False,
        )
    if v.probabilities:
        print_table(
            "location probabilities (learned) and physics scores",
            ("fault", "probability", "physics score"),
            ((k, p, v.physics_scores.get(k)) for k, p in v.probabilities.items()),
        )
    if v.top_features:
        print_table(
            f"features behind '{v.location}'",
            ("feature", "value", "contribution (log-odds)"),
            v.top_features,
        )


def predict(
    files: FilesOption,
    model: ModelOption = "shipped",
    bearing: BearingOption = None,
    rpm: RpmOption = None,
    channel: Channel = None,
    fs: FsOption = None,
    n_rolling: RollingElements = None,
    rolling_diameter_mm: RollingDiameter = None,
    pitch_diameter_mm: PitchDiameter = None,
    contact_angle_deg: ContactAngle = None,
    fault_orders: FaultOrdersOption = None,
    catalogue: Catalogue = None,
    rotating_ring: RotatingRing = "inner",
    snapshots: SnapshotsOption = False,
    as_json: AsJson = False,
) -> None:
    """Fault location by a learned model: class, probabilities and the physics evidence.

    The physics diagnosis decides whether there is a fault; the model says where (inner race,
    outer race or ball), with the features that drove it. The bearing and speed options are
    those of 'openphm diagnose'. A record the model was not trained for (a sampling rate too
    low, a record too short for its windows) is refused with the reason.
    """
    ring = as_ring(rotating_ring)
    geometry = (n_rolling, rolling_diameter_mm, pitch_diameter_mm, contact_angle_deg)
    context = ProcessingContext(
        bearing=_bearing(bearing, geometry, fault_orders, catalogue or [], ring),
        rotating_ring=ring,
        speed_hz=speed_hz(rpm),
        channel=channel,
        fs_hz=fs,
        catalogue=tuple(str(c) for c in catalogue or []),
        stages=("learned",),
        model=model,
    )
    groups = [files] if snapshots else [[f] for f in files]
    payload: list[dict[str, Any]] = []
    for group in groups:
        where = str(group[0]) if len(group) == 1 else f"{len(group)} snapshots"
        if len(group) > 1:
            results = process_snapshots(group, context)
        else:
            recording = load_record(group[0], fs)
            ctx = context
            if ctx.channel is None:
                ctx = replace(ctx, channel=channel_choice(recording).waveform.channel)
            results = process(recording, ctx)
        verdict = _verdict(results, where)
        if as_json:
            payload.append({"file": where, "channel": results.channel, **verdict.to_dict()})
        else:
            _print(where, results.channel, verdict)
    if as_json:
        print_json(payload[0] if len(payload) == 1 else payload)


def register(app: typer.Typer) -> None:
    """Add the ``predict`` command to the CLI application ``app``."""
    app.command("predict")(predict)
