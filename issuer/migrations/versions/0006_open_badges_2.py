"""Open Badges 2.0 hosted and signed assertions.

``issuers`` gains ``ob2_signed`` (serve RS256-signed OB 2.0 assertions; false for every
existing issuer), and ``ob2_keys`` holds each issuer's RSA keys for them, the private
key encrypted like ``signing_keys``' (at most one current key per issuer).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)


def upgrade() -> None:
    op.add_column(
        "issuers",
        sa.Column("ob2_signed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "ob2_keys",
        sa.Column("id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("public_key_pem", sa.Text(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issuer_id"], ["issuers.id"], name="fk_ob2_keys_issuer_id_issuers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ob2_keys"),
    )
    op.create_index("ix_ob2_keys_issuer_id", "ob2_keys", ["issuer_id"])
    current = sa.text("status = 'current'")
    op.create_index(
        "uq_ob2_keys_current",
        "ob2_keys",
        ["issuer_id"],
        unique=True,
        sqlite_where=current,
        postgresql_where=current,
    )


def downgrade() -> None:
    op.drop_index("uq_ob2_keys_current", table_name="ob2_keys")
    op.drop_index("ix_ob2_keys_issuer_id", table_name="ob2_keys")
    op.drop_table("ob2_keys")
    op.drop_column("issuers", "ob2_signed")
