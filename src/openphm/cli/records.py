"""The options shared by the commands that read a record: the channel, and the speed channels
(``--tacho``, ``--speed-channel``) of records at varying speed. Reading and channel choice live in
:mod:`openphm.acquire.channels`, speed tracks in :mod:`openphm.diagnose.tracks`."""

from __future__ import annotations

from typing import Annotated

import typer

Tacho = Annotated[
    str | None,
    typer.Option(
        "--tacho",
        help="Channel holding a tachometer signal: the speed may vary during the record "
        "(run-ups, wind turbines) and the envelope is order-tracked.",
    ),
]
Ppr = Annotated[
    int,
    typer.Option("--ppr", help="Tachometer pulses per shaft revolution (with --tacho).", min=1),
]
SpeedChannel = Annotated[
    str | None,
    typer.Option(
        "--speed-channel",
        help="Channel holding the shaft speed (in --speed-unit) when it varies during the "
        "record: the envelope is order-tracked.",
    ),
]
SpeedUnit = Annotated[str, typer.Option("--speed-unit", help="Unit of --speed-channel: rpm or hz.")]

Channel = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="Channel to analyse, as 'openphm info FILE' lists them; a channel nested in a "
        "MAT struct or an HDF5/TDMS group is named by its path, with / or . between the parts "
        "(bearing/gs or bearing.gs), or by a part that is its alone (gs). Default: the "
        "vibration channel (of the channels at least half as long as the longest that look "
        "like a vibration: DE, else the first in an acceleration unit, else the first named "
        "vib*/acc*, else the first); the output says which and why.",
    ),
]
