"""``openphm info FILE``: what a record holds, channel by channel, and its labels."""

from __future__ import annotations

import math
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from openphm.acquire import readers
from openphm.acquire.channels import channel_choice, load_record
from openphm.acquire.formats.common import NoRateError
from openphm.cli.output import AsJson, busy, console, err_console, print_json, print_table
from openphm.core.errors import ConfigError, DataQualityWarning
from openphm.core.waveform import Recording
from openphm.signal.channel_summary import RecordSummary, summarise_record

#: Metadata values longer than this are shortened in tables (never in JSON).
_MAX_CELL = 90
#: Statistics shown for each channel, as (field of ChannelSummary, column title).
_STATISTICS = (
    ("mean", "mean"),
    ("rms", "rms"),
    ("peak", "peak"),
    ("crest_factor", "crest factor"),
    ("kurtosis", "kurtosis"),
)


def register(app: typer.Typer) -> None:
    """Add the ``info`` command to the openphm app."""
    app.command("info")(info)


def info(
    file: Annotated[
        Path | None,
        typer.Argument(help="The record (any format openphm reads).", show_default=False),
    ] = None,
    fs: Annotated[
        float | None,
        typer.Option("--fs", help="Sampling rate in Hz; provides or overrides the file's."),
    ] = None,
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", help="Show only this channel (repeat for several)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Reader to use instead of sniffing (see --formats)."),
    ] = None,
    as_json: AsJson = False,
    formats: Annotated[
        bool, typer.Option("--formats", help="List the formats openphm reads and exit.")
    ] = False,
) -> None:
    """Show the channels of a record (rate, length, unit, speed, statistics) and its labels."""
    if formats:
        _show_formats(as_json)
        return
    if file is None:
        raise ConfigError("openphm info: give a FILE to describe (or --formats)")
    with busy("reading"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        rec, no_rate = _read(file, fs, channel, fmt)
    found = [str(w.message) for w in caught if w.category is DataQualityWarning]
    summary = summarise_record(rec, found)
    if no_rate:
        summary = replace(
            summary,
            channels=tuple(
                replace(c, fs_hz=math.nan, duration_s=math.nan) for c in summary.channels
            ),
        )
    choice = channel_choice(rec)
    default = {"channel": choice.waveform.channel, "reason": choice.reason}
    if as_json:
        payload = summary.to_dict()
        if no_rate:
            payload["channels"] = [
                {**c, "fs_hz": None, "duration_s": None} for c in payload["channels"]
            ]
        print_json({**payload, "default_channel": default, "rate_stated": not no_rate})
        return
    _show_tables(file, summary)
    console.print(
        f"analysed by default: channel {choice.waveform.channel} ({choice.reason}); name "
        "another with --channel, nested names with / or . (bearing/gs or bearing.gs)",
        markup=False,
    )
    if no_rate:
        console.print(
            f"{no_rate}: the file states no sampling rate; give --fs <Hz> for rates, durations "
            "and any analysis",
            markup=False,
        )


def _read(
    file: Path, fs: float | None, channel: list[str] | None, fmt: str | None
) -> tuple[Recording, str]:
    """The record, and the file's name when it states no rate (the channels are then read at
    a placeholder rate of 1 Hz so that they can be listed and counted)."""
    try:
        return load_record(file, fs, channels=channel, fmt=fmt), ""
    except NoRateError:
        return load_record(file, 1.0, channels=channel, fmt=fmt), str(file)


def _cell(value: Any) -> Any:
    if value is None:
        return "-"
    text = value if isinstance(value, int | float) else str(value)
    if isinstance(text, str) and len(text) > _MAX_CELL:
        return text[: _MAX_CELL - 1] + "…"
    return text


def _show_tables(file: Path, summary: RecordSummary) -> None:
    channels = summary.channels
    print_table(
        f"{file} ({summary.format})",
        ["channel", "fs (Hz)", "samples", "duration (s)", "unit", "speed (Hz)", "speed (rpm)"],
        [
            [
                c.channel,
                "?" if math.isnan(c.fs_hz) else f"{c.fs_hz:.10g}",
                c.n_samples,
                "?" if math.isnan(c.duration_s) else c.duration_s,
                c.unit or "-",
                _cell(c.speed_hz),
                _cell(c.speed_rpm),
            ]
            for c in channels
        ],
    )
    print_table(
        "statistics (channel unit; kurtosis 3 for Gaussian noise)",
        ["channel", *(title for _, title in _STATISTICS)],
        [[c.channel, *(getattr(c, key) for key, _ in _STATISTICS)] for c in channels],
    )
    if summary.metadata:
        print_table(
            "metadata", ["key", "value"], [[k, _cell(v)] for k, v in summary.metadata.items()]
        )
    for message in summary.warnings:
        err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)
    starts = {c.start for c in channels if c.start}
    if starts:
        console.print(f"first sample at {', '.join(sorted(starts))}", markup=False)


def _show_formats(as_json: bool) -> None:
    entries = readers()
    if as_json:
        print_json(
            [
                {
                    "name": r.name,
                    "priority": r.priority,
                    "suffixes": list(r.suffixes),
                    "description": r.description,
                }
                for r in entries
            ]
        )
        return
    print_table(
        "formats, in the order they are tried",
        ["name", "priority", "suffixes", "description"],
        [[r.name, r.priority, " ".join(r.suffixes) or "-", r.description] for r in entries],
    )
