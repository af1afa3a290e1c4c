"""``openphm severity FILE``: ISO 10816 / 20816 velocity severity, channel by channel."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import print_json, print_table
from openphm.cli.records import load_record
from openphm.core.errors import ConfigError
from openphm.core.waveform import Waveform
from openphm.knowledge.iso20816 import zone, zone_iso10816_1
from openphm.signal.integrate import ACCELERATION_UNITS, ISO_20816_BAND_HZ, velocity_rms_mm_s


def register(app: typer.Typer) -> None:
    """Add the ``severity`` command to the openphm app."""
    app.command("severity")(severity)


def _acceleration_unit(wave: Waveform, unit: str | None) -> str:
    chosen = unit or wave.unit
    if chosen not in ACCELERATION_UNITS:
        stated = f"its unit is {wave.unit!r}" if wave.unit else "the file states no unit"
        raise ConfigError(
            f"{wave.source or wave.channel}: channel {wave.channel!r} is not acceleration in a "
            f"known unit ({stated}); pass --unit with one of {', '.join(ACCELERATION_UNITS)}"
        )
    return chosen


def channel_severity(
    wave: Waveform,
    *,
    unit: str | None,
    band_hz: tuple[float, float],
    group: int | None,
    foundation: str,
    machine_class: str | None,
) -> dict[str, Any]:
    """Velocity r.m.s. (mm/s) of one acceleration channel and its ISO zones, as a JSON-ready dict.

    Parameters
    ----------
    wave : Waveform
        Acceleration of one channel.
    unit : str or None
        Acceleration unit that replaces the channel's (``"g"``, ``"m/s^2"``...).
    band_hz : (float, float)
        Measurement band in Hz (ISO 10816-3: 10-1000 Hz above 600 r/min, 2-1000 Hz below).
    group : {1, 2} or None
        ISO 10816-3 / 20816-3 machine group, for its zone.
    foundation : {"rigid", "flexible"}
        Support class of the machine group.
    machine_class : {"I", "II", "III", "IV"} or None
        ISO 10816-1 machine class, for its zone.

    Returns
    -------
    dict
        ``channel``, ``velocity_rms_mm_s``, ``band_hz`` and the zones asked for.
    """
    velocity = velocity_rms_mm_s(
        wave.samples, wave.fs, unit=_acceleration_unit(wave, unit), band_hz=band_hz
    )
    row: dict[str, Any] = {
        "channel": wave.channel,
        "velocity_rms_mm_s": velocity,
        "band_hz": list(band_hz),
    }
    if group is not None:
        row["iso10816_3"] = zone(velocity, group=group, foundation=foundation).to_dict()
    if machine_class is not None:
        row["iso10816_1"] = zone_iso10816_1(velocity, machine_class).to_dict()
    return row


def severity(
    file: Annotated[Path, typer.Argument(help="Acceleration record (any format openphm reads).")],
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", help="Channel to evaluate (repeat for several; default all)."),
    ] = None,
    fs: Annotated[
        float | None,
        typer.Option("--fs", help="Sampling rate in Hz; provides or overrides the file's."),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Acceleration unit when the file states none: g, m/s^2 or mm/s^2."),
    ] = None,
    group: Annotated[
        int | None,
        typer.Option(
            help="ISO 10816-3 / 20816-3 machine group: 1 (300 kW-50 MW) or 2 (15-300 kW)."
        ),
    ] = None,
    foundation: Annotated[
        str, typer.Option(help="Support of the machine group: rigid or flexible.")
    ] = "rigid",
    machine_class: Annotated[
        str | None,
        typer.Option("--machine-class", help="ISO 10816-1 machine class: I, II, III or IV."),
    ] = None,
    band: Annotated[
        tuple[float, float],
        typer.Option(help="Measurement band LOW HIGH in Hz (2 1000 for machines below 600 r/min)."),
    ] = ISO_20816_BAND_HZ,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Broadband velocity r.m.s. in mm/s (ISO 10816 / 20816) and, with --group or
    --machine-class, its evaluation zone A-D."""
    rec = load_record(file, fs, channels=channel)
    rows = [
        channel_severity(
            wave,
            unit=unit,
            band_hz=band,
            group=group,
            foundation=foundation,
            machine_class=machine_class,
        )
        for wave in rec
    ]
    if as_json:
        print_json({"file": str(file), "channels": rows})
        return
    zones = [key for key in ("iso10816_3", "iso10816_1") if key in rows[0]]
    print_table(
        f"{file}: velocity r.m.s. {band[0]:g}-{band[1]:g} Hz",
        ["channel", "velocity (mm/s)", *(f"zone {key[3:].replace('_', '-')}" for key in zones)],
        [
            [r["channel"], r["velocity_rms_mm_s"], *(_zone_cell(r[key]) for key in zones)]
            for r in rows
        ],
    )
    if not zones:
        print("give --group (ISO 10816-3) or --machine-class (ISO 10816-1) to see the zone")


def _zone_cell(z: dict[str, Any]) -> str:
    return f"{z['zone']}: {z['description']}"
