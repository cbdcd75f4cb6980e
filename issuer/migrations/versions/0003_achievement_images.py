"""Uploaded achievement images: ``achievement_images`` (PNG/SVG bytes by SHA-256).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "achievement_images",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),  # BLOB / bytea
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name="fk_achievement_images_achievement_id_achievements",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_achievement_images"),
        sa.UniqueConstraint(
            "achievement_id", "sha256", name="uq_achievement_images_achievement_id_sha256"
        ),
    )


def downgrade() -> None:
    op.drop_table("achievement_images")
