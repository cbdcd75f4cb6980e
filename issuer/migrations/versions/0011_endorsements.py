"""Endorsements (EndorsementCredential), light endorser identities and pending requests.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def _org_fk(table: str, column: str = "org_id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["organizations.id"], name=f"fk_{table}_{column}_organizations"
    )


def upgrade() -> None:
    op.create_table(
        "endorsers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email_ref", sa.String(100), nullable=False),
        sa.Column("email_hash", sa.String(100), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _org_fk("endorsers"),
        sa.PrimaryKeyConstraint("id", name="pk_endorsers"),
        sa.UniqueConstraint("org_id", "email_ref", name="uq_endorsers_org_id_email_ref"),
    )
    op.create_table(
        "endorsements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("target_type", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("endorser_type", sa.String(16), nullable=False),
        sa.Column("endorser_org_id", sa.String(36), nullable=False),
        sa.Column("endorser_issuer_id", sa.String(36), nullable=True),
        sa.Column("endorser_id", sa.String(36), nullable=True),
        sa.Column("endorser_name", sa.String(200), nullable=False),
        sa.Column("relation", sa.String(16), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("credential", sa.JSON(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_at", AT, nullable=True),
        sa.Column("hidden_by", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        _org_fk("endorsements"),
        _org_fk("endorsements", "endorser_org_id"),
        sa.ForeignKeyConstraint(
            ["endorser_issuer_id"],
            ["issuers.id"],
            name="fk_endorsements_endorser_issuer_id_issuers",
        ),
        sa.ForeignKeyConstraint(
            ["endorser_id"], ["endorsers.id"], name="fk_endorsements_endorser_id_endorsers"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_endorsements"),
    )
    op.create_index(
        "ix_endorsements_target_type_target_id_id",
        "endorsements",
        ["target_type", "target_id", "id"],
    )
    op.create_index("ix_endorsements_org_id_id", "endorsements", ["org_id", "id"])
    op.create_table(
        "endorsement_requests",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("target_type", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(36), nullable=False),
        sa.Column("endorser_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email_ref", sa.String(100), nullable=False),
        sa.Column("email_hash", sa.String(100), nullable=False),
        sa.Column("relation", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", AT, nullable=False),
        sa.Column("confirmed_at", AT, nullable=True),
        sa.Column("endorsement_id", sa.String(36), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        _org_fk("endorsement_requests"),
        sa.PrimaryKeyConstraint("id", name="pk_endorsement_requests"),
        sa.UniqueConstraint("token_hash", name="uq_endorsement_requests_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("endorsement_requests")
    op.drop_index("ix_endorsements_org_id_id", table_name="endorsements")
    op.drop_index("ix_endorsements_target_type_target_id_id", table_name="endorsements")
    op.drop_table("endorsements")
    op.drop_table("endorsers")
