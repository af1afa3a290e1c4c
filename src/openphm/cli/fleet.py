"""``openphm fleet``: the fleet model (sites, machines, components, points) and its profiles."""

from __future__ import annotations

from typing import Annotated

import typer

from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.cli.store_options import DatabaseUrl, Home, open_store
from openphm.core.serialize import to_plain
from openphm.knowledge.profiles import list_profiles, load_profile
from openphm.pipeline.fleet import add_machine_from_profile
from openphm.store.engine import resolve_home

fleet_app = typer.Typer(
    help="The fleet: sites, machines (from machine profiles), components and measurement points.",
    no_args_is_help=True,
)


@fleet_app.command("profiles")
def profiles(home: Home = None, as_json: AsJson = False) -> None:
    """List the machine profiles (built-in, and your own in HOME/profiles)."""
    extra = [resolve_home(home) / "profiles"]
    found = [load_profile(name, extra) for name in list_profiles(extra)]
    if as_json:
        print_json([p.to_dict() for p in found])
        return
    print_table(
        "Machine profiles",
        ("name", "title", "components", "points"),
        ((p.name, p.title, len(p.components), len(p.points)) for p in found),
    )


@fleet_app.command("init")
def init(
    profile: Annotated[str, typer.Option(help="Machine profile name or TOML file.")],
    machine: Annotated[str, typer.Option(help="Name of the new machine.")],
    site: Annotated[str, typer.Option(help="Site of the machine (created if new).")] = "site",
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Add a machine laid out as a machine profile says (its components and points)."""
    store = open_store(home, database_url)
    found = load_profile(profile, [store.home / "profiles"])
    info = add_machine_from_profile(store, found, site, machine)
    points = store.points(info.id)
    if as_json:
        print_json(to_plain({"machine": info, "points": [p.path for p in points]}))
        return
    console.print(f"added {site}/{machine} ({found.title}) to {store.url}", markup=False)
    for p in points:
        console.print(f"  point {p.path}: {p.sensor}, {p.unit}", markup=False)


@fleet_app.command("add-point")
def add_point(
    machine: Annotated[str, typer.Argument(help="The machine, site/machine.")],
    name: Annotated[str, typer.Argument(help="Name of the point.")],
    unit: Annotated[str, typer.Option(help="Unit of its measurements (g, m/s^2, mm/s, bar).")],
    sensor: Annotated[str, typer.Option(help="Sensor kind.")] = "accelerometer",
    fs: Annotated[float | None, typer.Option("--fs", help="Its sampling rate, Hz.")] = None,
    channel: Annotated[
        str | None, typer.Option(help="Channel of incoming files that is this point's.")
    ] = None,
    hears: Annotated[
        list[str] | None, typer.Option(help="A component the point hears (repeatable).")
    ] = None,
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a measurement point to a machine."""
    store = open_store(home, database_url)
    point = store.add_point(
        machine, name, sensor=sensor, unit=unit, fs_hz=fs, channel=channel, components=hears or []
    )
    console.print(f"added point {point.path} (id {point.id})", markup=False)


@fleet_app.command("add-component")
def add_component(
    machine: Annotated[str, typer.Argument(help="The machine, site/machine.")],
    name: Annotated[str, typer.Argument(help="Name of the component.")],
    kind: Annotated[str, typer.Option(help="bearing, gear, shaft or other.")] = "bearing",
    bearing: Annotated[
        str | None, typer.Option(help="Bearing designation from the catalogue.")
    ] = None,
    speed_ratio: Annotated[
        float, typer.Option(help="Its speed over the machine's reference shaft's.")
    ] = 1.0,
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a component (a bearing from the catalogue, a gear, a shaft) to a machine."""
    store = open_store(home, database_url)
    c = store.add_component(machine, name, kind=kind, designation=bearing, speed_ratio=speed_ratio)
    console.print(f"added {c.kind} {name} (id {c.id}) to {machine}", markup=False)


@fleet_app.command("show")
def show(home: Home = None, database_url: DatabaseUrl = None, as_json: AsJson = False) -> None:
    """Show the fleet: every machine with its components and points."""
    store = open_store(home, database_url)
    machines = store.machines()
    if as_json:
        fleet = [
            {"machine": m, "components": store.components(m.id), "points": store.points(m.id)}
            for m in machines
        ]
        print_json(to_plain(fleet))
        return
    for m in machines:
        names = {c.id: c.name for c in store.components(m.id)}
        print_table(
            f"{m.site}/{m.name} ({m.profile})",
            ("point", "sensor", "unit", "fs Hz", "hears"),
            (
                (p.name, p.sensor, p.unit, p.fs_hz, ", ".join(names[i] for i in p.component_ids))
                for p in store.points(m.id)
            ),
        )
    if not machines:
        console.print("the fleet is empty: add a machine with `openphm fleet init`", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``fleet`` command group to the openphm app."""
    app.add_typer(fleet_app, name="fleet")
