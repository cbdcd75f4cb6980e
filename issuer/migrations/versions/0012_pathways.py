"""Pathways and their requirements; catalog entries (family, evidence expectations).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    op.create_table(
        "catalog_entries",
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("family", sa.String(64), nullable=False),
        sa.Column("evidence_expectations", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("catalog_entries", "achievement_id", "achievements"),
        _fk("catalog_entries", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("achievement_id", name="pk_catalog_entries"),
    )
    op.create_index("ix_catalog_entries_org_id", "catalog_entries", ["org_id"])
    op.create_table(
        "pathways",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("any_count", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("pathways", "org_id", "organizations"),
        _fk("pathways", "achievement_id", "achievements"),
        sa.PrimaryKeyConstraint("id", name="pk_pathways"),
        sa.UniqueConstraint("org_id", "achievement_id", name="uq_pathways_org_id_achievement_id"),
    )
    op.create_table(
        "pathway_requirements",
        sa.Column("pathway_id", sa.String(36), nullable=False),
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _fk("pathway_requirements", "pathway_id", "pathways"),
        _fk("pathway_requirements", "achievement_id", "achievements"),
        sa.PrimaryKeyConstraint("pathway_id", "achievement_id", name="pk_pathway_requirements"),
    )
    op.create_index(
        "ix_pathway_requirements_achievement_id", "pathway_requirements", ["achievement_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_pathway_requirements_achievement_id", table_name="pathway_requirements")
    op.drop_table("pathway_requirements")
    op.drop_table("pathways")
    op.drop_index("ix_catalog_entries_org_id", table_name="catalog_entries")
    op.drop_table("catalog_entries")
