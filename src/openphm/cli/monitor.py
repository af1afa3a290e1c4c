"""``openphm status``, ``alarms`` and ``trend``: what the fleet says now and how it got there."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.cli.store_options import DatabaseUrl, Home, open_store
from openphm.core.serialize import to_plain
from openphm.pipeline.status import MachineStatus, fleet_status
from openphm.pipeline.trends import IndicatorTrend, indicator_trend


def _shortest_rul(s: MachineStatus) -> str:
    shortest = s.shortest_rul
    if shortest is not None:
        return f"{shortest.component}: {shortest.words()}"
    return "no degradation detected yet" if s.ruls else ""


def status(home: Home = None, database_url: DatabaseUrl = None, as_json: AsJson = False) -> None:
    """The fleet at a glance: each machine's worst state, open alarms, last diagnoses."""
    found = fleet_status(open_store(home, database_url))
    if as_json:
        print_json([s.to_dict() for s in found])
        return
    print_table(
        "Fleet status",
        (
            "machine",
            "state",
            "open alarms",
            "measurements",
            "last measured",
            "last diagnoses",
            "shortest RUL",
        ),
        (
            (
                s.machine,
                s.state,
                s.open_alarms,
                s.measurements,
                "" if s.last_measurement_at is None else f"{s.last_measurement_at:%Y-%m-%d %H:%M}",
                "; ".join(f"{d.component}: {d.verdict} ({d.confidence:.2f})" for d in s.diagnoses),
                _shortest_rul(s),
            )
            for s in found
        ),
    )


def alarms(
    ack: Annotated[int | None, typer.Option("--ack", help="Acknowledge this alarm.")] = None,
    comment: Annotated[str, typer.Option(help="Comment (with --ack, or --on).")] = "",
    on: Annotated[int | None, typer.Option("--on", help="Add --comment to this alarm.")] = None,
    user: Annotated[str, typer.Option(envvar="USER", help="Who acknowledges.")] = "unknown",
    show_all: Annotated[bool, typer.Option("--all", help="Cleared alarms too.")] = False,
    events: Annotated[
        int | None, typer.Option("--events", help="Show this alarm's history.")
    ] = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """The open alarms (newest first); acknowledge one with --ack ID --comment TEXT."""
    store = open_store(home, database_url)
    if ack is not None:
        store.acknowledge(ack, user, comment)
    if on is not None:
        store.comment_alarm(on, comment, user)
    if events is not None:
        history = store.alarm_events(events)
        if as_json:
            print_json(to_plain(history))
            return
        print_table(
            f"Alarm {events}",
            ("at", "event", "user", "comment"),
            ((f"{e.at:%Y-%m-%d %H:%M:%S}", e.kind, e.user or "", e.comment) for e in history),
        )
        return
    found = store.alarms(open_only=not show_all)
    if as_json:
        print_json(to_plain(found))
        return
    print_table(
        "Alarms" if show_all else "Open alarms",
        ("id", "level", "state", "key", "raised", "message"),
        (
            (a.id, a.level, a.state, a.key, f"{a.raised_at:%Y-%m-%d %H:%M}", a.message)
            for a in found
        ),
    )


def _plot(path: Path, trend: IndicatorTrend) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
    for regime in sorted({v.regime or "" for v in trend.values}):
        picked = [v for v in trend.values if (v.regime or "") == regime]
        times: Any = [v.acquired_at for v in picked]
        ax.plot(times, [v.value for v in picked], "o-", ms=3, label=regime or trend.indicator)
        limits = trend.limits.get(regime)
        if limits is not None and limits.alert_high is not None:
            ax.axhline(limits.alert_high, color="orange", ls="--", lw=1, label=f"alert {regime}")
            ax.axhline(limits.danger_high or 0.0, color="red", ls="--", lw=1, label="danger")
    ax.set(title=f"{trend.point}: {trend.indicator}", xlabel="acquired", ylabel=trend.indicator)
    ax.legend(fontsize=7)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def trend(
    point: Annotated[str, typer.Argument(help="The point (site/machine/point or id).")],
    indicator: Annotated[str, typer.Option(help="Indicator to show.")] = "rms",
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot of the trend.")] = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """An indicator's values at a point over time, with the baseline limits of each regime."""
    found = indicator_trend(open_store(home, database_url), point, indicator)
    if plot is not None:
        _plot(plot, found)
    if as_json:
        print_json(found.to_dict())
        return
    print_table(
        f"{found.point}: {indicator}",
        ("measurement", "acquired", "value", "regime"),
        (
            (v.measurement_id, f"{v.acquired_at:%Y-%m-%d %H:%M:%S}", v.value, v.regime)
            for v in found.values
        ),
    )
    for regime, limits in found.limits.items():
        console.print(f"limits {regime}: alert {limits.alert_high}, danger {limits.danger_high}")
    if plot is not None:
        console.print(f"plot written to {plot}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``status``, ``alarms`` and ``trend`` commands to the openphm app."""
    app.command("status")(status)
    app.command("alarms")(alarms)
    app.command("trend")(trend)
