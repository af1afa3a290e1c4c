"""Alembic environment of the openphm catalogue.

Runs on the connection that :func:`openphm.store.migrate.upgrade` hands over in
``config.attributes["connection"]``; importing this file outside a migration does nothing.
"""

from __future__ import annotations

from alembic import context

from openphm.store.models import Base


def run() -> None:
    """Run the migrations on the connection handed over by :mod:`openphm.store.migrate`."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError(
            "run migrations through openphm.store.migrate, which passes a connection"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):
    run()
