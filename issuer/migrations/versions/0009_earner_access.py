"""Earner magic links and sessions, and the badge page's privacy switch.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column(
        "awards",
        sa.Column("public_page", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    # an earner's badges in every organisation: ``WHERE recipient_ref = …``
    op.create_index("ix_awards_recipient_ref", "awards", ["recipient_ref"])
    op.create_table(
        "earner_links",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("recipient_ref", sa.String(512), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("award_id", ID, nullable=True),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("used_at", AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["award_id"], ["awards.id"], name="fk_earner_links_award_id_awards"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_earner_links"),
        sa.UniqueConstraint("token_hash", name="uq_earner_links_token_hash"),
    )
    op.create_index(
        "ix_earner_links_recipient_ref_created_at",
        "earner_links",
        ["recipient_ref", "created_at"],
    )
    op.create_table(
        "earner_sessions",
        sa.Column("id", ID, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("recipient_ref", sa.String(512), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("ended_at", AT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_earner_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_earner_sessions_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("earner_sessions")
    op.drop_index("ix_earner_links_recipient_ref_created_at", table_name="earner_links")
    op.drop_table("earner_links")
    op.drop_index("ix_awards_recipient_ref", table_name="awards")
    op.drop_column("awards", "public_page")
