"""``openphm serve`` and ``openphm users``: the monitoring service and its users."""

from __future__ import annotations

from typing import Annotated

import typer

from openphm.cli.output import AsJson, console, print_json, print_table
from openphm.cli.store_options import DatabaseUrl, Home, open_store

users_app = typer.Typer(
    help="Users of the service: add people and systems with a role, issue API tokens.",
    no_args_is_help=True,
)


def serve(
    host: Annotated[
        str, typer.Option(envvar="OPENPHM_HOST", help="Address to listen on (loopback only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="OPENPHM_PORT", help="TCP port.")] = 8000,
    home: Home = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Serve the REST API and the dashboard on http://127.0.0.1:8000 (Ctrl-C stops it)."""
    import uvicorn
    from pydantic import ValidationError

    from openphm.service.app import create_app
    from openphm.service.auth import ensure_admin
    from openphm.service.settings import ServiceSettings

    try:
        settings = ServiceSettings(home=home, database_url=database_url, host=host, port=port)
    except ValidationError as exc:
        raise typer.BadParameter(exc.errors()[0]["msg"], param_hint="--host/--port") from None
    store = open_store(settings.home, settings.database_url)
    first = ensure_admin(store)
    app = create_app(settings, store)
    console.print(f"openphm service on http://{settings.host}:{settings.port}/ (API: /api/v1/docs)")
    if first is not None:
        console.print(
            f"First start: user [bold]{first.name}[/] with password [bold]{first.password}[/]"
            " (shown once: keep it now)",
            highlight=False,
        )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user's name.")],
    role: Annotated[str, typer.Option(help="viewer, engineer or admin.")] = "viewer",
    password: Annotated[
        bool, typer.Option("--password/--no-password", help="Ask for a password (people).")
    ] = True,
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Add a user with a role (and a password, asked twice; --no-password for a system)."""
    from openphm.service.auth import hash_password

    secret = (
        typer.prompt("Password", hide_input=True, confirmation_prompt=True) if password else None
    )
    if secret is not None and len(secret) < 8:
        raise typer.BadParameter("the password needs at least 8 characters", param_hint="password")
    store = open_store(home, database_url)
    user = store.add_user(name, role, None if secret is None else hash_password(secret))
    if as_json:
        print_json({"id": user.id, "name": user.name, "role": user.role})
        return
    console.print(f"user {user.name} ({user.role}) added", highlight=False)


@users_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="The user the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    home: Home = None,
    database_url: DatabaseUrl = None,
    as_json: AsJson = False,
) -> None:
    """Issue an API token for a user; its secret is printed once (send it as a Bearer token)."""
    store = open_store(home, database_url)
    issued = store.add_token(name, kind="api", label=label)
    if as_json:
        print_json({"id": issued.token.id, "user": name, "secret": issued.secret})
        return
    console.print(f"token {issued.token.id} for {name}: {issued.secret}", highlight=False)
    console.print("Shown once: keep it now (Authorization: Bearer <token>).", highlight=False)


@users_app.command("list")
def list_users(
    home: Home = None, database_url: DatabaseUrl = None, as_json: AsJson = False
) -> None:
    """List the users and their roles."""
    found = open_store(home, database_url).users()
    if as_json:
        print_json(
            [{"id": u.id, "name": u.name, "role": u.role, "active": u.active} for u in found]
        )
        return
    print_table(
        "Users", ("id", "name", "role", "active"), ((u.id, u.name, u.role, u.active) for u in found)
    )


def register(app: typer.Typer) -> None:
    """Add the ``serve`` and ``users`` commands to the openphm app."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
