"""``openphm telemetry``: telemetry tables (CSV, Parquet) into the store, judged like indicators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.cli.store_options import DatabaseUrl, Home, open_store
from openphm.core.serialize import to_plain
from openphm.pipeline.telemetry import ingest_table


def telemetry(
    tables: Annotated[list[Path], typer.Argument(help="CSV or Parquet tables with a time column.")],
    point: Annotated[
        str,
        typer.Option(
            "--point", help="The point the values belong to (site/machine/point or its id)."
        ),
    ],
    time_column: Annotated[
        str | None,
        typer.Option(help="Name of the time column (default: time, timestamp, datetime or t)."),
    ] = None,
    regime_column: Annotated[
        list[str] | None,
        typer.Option(
            help="Operating variable (repeatable: thrust, torque, speed) whose clusters are the "
            "regimes that limits are learned per; found once and kept for the point."
        ),
    ] = None,
    store_only: Annotated[
        bool, typer.Option("--store-only", help="Store without judging (see ingest --pending).")
    ] = False,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Store telemetry tables row by row and judge each named value against its baseline.

    Every row is one reading of the table's numeric columns at the point; a row already stored
    (same point, values and time) is skipped. Each value is trended under its column's name
    (openphm trend) with its baseline limits, both sides watched. Exit status 1 when a table
    was refused.
    """
    store = open_store(home, database_url)
    outcomes = [
        ingest_table(
            store,
            t,
            point,
            time_column=time_column,
            process=not store_only,
            regime_columns=tuple(regime_column or ()),
        )
        for t in tables
    ]
    if as_json:
        print_json([to_plain(o) for o in outcomes])
    else:
        print_table(
            "Telemetry tables",
            ("table", "stored", "duplicates", "skipped", "alarm changes", "refused"),
            (
                (o.source, o.stored, o.duplicates, o.skipped, len(o.alarms), o.refused)
                for o in outcomes
            ),
        )
        for o in outcomes:
            for c in o.alarms:
                console.print(f"{c.transition.kind} {c.transition.to_level}: {c.message}")
    if any(o.refused for o in outcomes):
        raise typer.Exit(1)


def support(
    table: Annotated[Path, typer.Argument(help="CSV or Parquet table with a time column.")],
    column: Annotated[str, typer.Option(help="The leg-pressure column, in MPa.")],
    rated_mpa: Annotated[
        float, typer.Option("--rated-mpa", help="Rated setting pressure of the support, MPa.")
    ] = 30.0,
    advance_interval_s: Annotated[
        float | None,
        typer.Option(help="Expected time between advances, s (default: the median set period)."),
    ] = None,
    time_column: Annotated[
        str | None,
        typer.Option(help="Name of the time column (default: time, timestamp, datetime or t)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Roof-support health from a leg-pressure table: setting vs rated, leaks, yields, advances.

    Each set period's setting pressure against the rated one, its pressure course fitted as a
    first-order system (a leak makes it fall), yield-valve events and missed advances. Exit
    status 1 when anything was found.
    """
    from openphm.diagnose.hydraulic_support import SupportSettings, assess_support
    from openphm.pipeline.telemetry import read_table

    data = read_table(table, time_column=time_column)
    if column not in data.columns:
        raise typer.BadParameter(f"no column {column!r}; columns are {sorted(data.columns)}")
    t0 = data.times[0]
    t = [(x - t0).total_seconds() for x in data.times]
    settings = SupportSettings(rated_setting_mpa=rated_mpa, advance_interval_s=advance_interval_s)
    result = assess_support(t, data.columns[column], settings)
    if as_json:
        print_json(result.to_dict())
    else:
        print_table(
            f"Set periods of {column} (rated setting {rated_mpa:g} MPa)",
            (
                "start s",
                "end s",
                "setting MPa",
                "of rated",
                "leak 1/h",
                "leaking",
                "yields",
                "missed",
            ),
            (
                (
                    p.start_s,
                    p.end_s,
                    p.setting_mpa,
                    p.setting_ratio,
                    p.fit.leak_per_h if p.fit else None,
                    "yes" if p.leaking else "no",
                    len(p.yield_times_s),
                    p.missed_advances,
                )
                for p in result.periods
            ),
        )
        for line in result.findings or ("nothing found",):
            console.print(line, markup=False)
    if result.findings:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``telemetry`` and ``support`` commands to the openphm app."""
    app.command("telemetry")(telemetry)
    app.command("support")(support)
