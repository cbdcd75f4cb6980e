"""Status lists (Bitstring Status List) and award status entries.

``status_lists`` (one issuer, one purpose), ``status_entries`` (an allocated index
per award and purpose, unique per list) and the awards' revocation and suspension
columns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)
AT = sa.DateTime(timezone=True)
_AWARD_COLUMNS = (
    ("revoked_at", AT),
    ("revocation_reason", sa.Text()),
    ("suspended_at", AT),
    ("suspension_reason", sa.Text()),
)


def _fk(table: str, column: str, target: str, **options: str | bool) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{column}_{target}"
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, **options)  # type: ignore[arg-type]


def upgrade() -> None:
    op.create_table(
        "status_lists",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("is_full", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("signed_version", sa.Integer(), nullable=True),
        sa.Column("signing_key_id", ID, nullable=True),
        sa.Column("credential", sa.JSON(), nullable=True),
        sa.Column("jwt", sa.Text(), nullable=True),
        sa.Column("signed_at", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        _fk("status_lists", "org_id", "organizations"),
        _fk("status_lists", "issuer_id", "issuers"),
        _fk("status_lists", "signing_key_id", "signing_keys"),
        sa.PrimaryKeyConstraint("id", name="pk_status_lists"),
    )
    op.create_index("ix_status_lists_issuer_id", "status_lists", ["issuer_id"])
    op.create_index(
        "uq_status_lists_open",
        "status_lists",
        ["issuer_id", "purpose"],
        unique=True,
        sqlite_where=sa.text("NOT is_full"),
        postgresql_where=sa.text("NOT is_full"),
    )
    op.create_table(
        "status_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("list_id", ID, nullable=False),
        sa.Column("list_index", sa.Integer(), nullable=False),
        sa.Column("award_id", ID, nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("is_set", sa.Boolean(), nullable=False),
        sa.Column("changed_at", AT, nullable=True),
        _fk("status_entries", "list_id", "status_lists"),
        _fk("status_entries", "award_id", "awards", deferrable=True, initially="DEFERRED"),
        sa.PrimaryKeyConstraint("id", name="pk_status_entries"),
        sa.UniqueConstraint("list_id", "list_index", name="uq_status_entries_list_id_list_index"),
        sa.UniqueConstraint("award_id", "purpose", name="uq_status_entries_award_id_purpose"),
    )
    for name, kind in _AWARD_COLUMNS:
        op.add_column("awards", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+), as 0005 does
    for name, _kind in reversed(_AWARD_COLUMNS):
        op.drop_column("awards", name)
    op.drop_table("status_entries")
    op.drop_index("uq_status_lists_open", table_name="status_lists")
    op.drop_index("ix_status_lists_issuer_id", table_name="status_lists")
    op.drop_table("status_lists")
