"""An index for a component's newest result of a kind (fleet status, machine pages).

Without it, ``latest_result`` scanned the whole results table backwards for every bearing on
every page view.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this migration."""
    op.create_index(
        "ix_results_component_kind", "results", ["component_id", "kind", "id"], unique=False
    )


def downgrade() -> None:
    """Revert this migration."""
    op.drop_index("ix_results_component_kind", table_name="results")
