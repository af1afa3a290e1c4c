"""``openphm info FILE``: what a record holds, channel by channel, and its labels."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from openphm.acquire import readers
from openphm.acquire.channels import load_record
from openphm.cli.output import console, err_console, print_json, print_table, track
from openphm.core.errors import ConfigError, DataQualityWarning
from openphm.core.waveform import Recording, Waveform
from openphm.signal.indicators import time_indicators

#: Metadata values longer than this are shortened in tables (never in JSON).
_MAX_CELL = 90
#: Statistics shown for each channel, as (key of time_indicators, column title).
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
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
    result: dict[str, Any] = {}

    def load() -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            result["recording"] = load_record(file, fs, channels=channel, fmt=fmt)
        result["warnings"] = [str(w.message) for w in caught if w.category is DataQualityWarning]

    def summarise() -> None:
        result["channels"] = [summary(w) for w in result["recording"]]

    stages = [("read", load), ("statistics", summarise)]
    for _, stage in track(stages, "reading", enabled=err_console.is_terminal):
        stage()
    rec: Recording = result["recording"]
    payload = {
        "file": str(file),
        "format": rec.metadata.get("format", ""),
        "channels": result["channels"],
        "metadata": {k: v for k, v in rec.metadata.items() if k != "format"},
        "warnings": result["warnings"],
    }
    if as_json:
        print_json(payload)
        return
    _show_tables(payload)


def summary(wave: Waveform) -> dict[str, Any]:
    """Facts and basic statistics of one channel, as a JSON-ready dict.

    Statistics come from :func:`openphm.signal.indicators.time_indicators` (kurtosis is not excess:
    3 for Gaussian noise); speeds are given in Hz and r/min.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        indicators = time_indicators(wave.samples)
    speed = wave.speed_hz
    return {
        "channel": wave.channel,
        "fs_hz": wave.fs,
        "n_samples": wave.n_samples,
        "duration_s": wave.duration_s,
        "unit": wave.unit,
        "speed_hz": speed,
        "speed_rpm": None if speed is None else 60.0 * speed,
        "start": None if wave.start is None else wave.start.isoformat(),
        **{key: indicators[key] for key, _ in _STATISTICS},
    }


def _cell(value: Any) -> Any:
    if value is None:
        return "-"
    text = value if isinstance(value, int | float) else str(value)
    if isinstance(text, str) and len(text) > _MAX_CELL:
        return text[: _MAX_CELL - 1] + "…"
    return text


def _show_tables(payload: dict[str, Any]) -> None:
    channels = payload["channels"]
    print_table(
        f"{payload['file']} ({payload['format']})",
        ["channel", "fs (Hz)", "samples", "duration (s)", "unit", "speed (Hz)", "speed (rpm)"],
        [
            [
                c["channel"],
                f"{c['fs_hz']:.10g}",
                c["n_samples"],
                c["duration_s"],
                c["unit"] or "-",
                _cell(c["speed_hz"]),
                _cell(c["speed_rpm"]),
            ]
            for c in channels
        ],
    )
    print_table(
        "statistics (channel unit; kurtosis 3 for Gaussian noise)",
        ["channel", *(title for _, title in _STATISTICS)],
        [[c["channel"], *(c[key] for key, _ in _STATISTICS)] for c in channels],
    )
    if payload["metadata"]:
        print_table(
            "metadata", ["key", "value"], [[k, _cell(v)] for k, v in payload["metadata"].items()]
        )
    for message in payload["warnings"]:
        err_console.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)
    starts = {c["start"] for c in channels if c["start"]}
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
