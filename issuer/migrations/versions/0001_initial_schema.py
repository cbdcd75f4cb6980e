"""Initial schema: organisations, issuers and keys, achievements and versions, awards,
API tokens and the append-only audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)
AT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{column}_{target}"
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name)


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", ID, nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("slug", name="uq_organizations_slug"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("scopes", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("revoked_at", AT, nullable=True),
        _fk("api_tokens", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
    )
    op.create_index("ix_api_tokens_org_id", "api_tokens", ["org_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("org_id", ID, nullable=True),
        sa.Column("actor_id", sa.String(64), nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target_type", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        _fk("audit_events", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_action", "audit_events", ["action"])
    op.create_index("ix_audit_events_org_id_id", "audit_events", ["org_id", "id"])
    op.create_table(
        "issuers",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("image", sa.Text(), nullable=True),
        sa.Column("did_method", sa.String(8), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("default_language", sa.String(2), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("issuers", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_issuers"),
    )
    op.create_index("ix_issuers_org_id_id", "issuers", ["org_id", "id"])
    op.create_table(
        "achievements",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("catalog_key", sa.String(64), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        _fk("achievements", "issuer_id", "issuers"),
        _fk("achievements", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_achievements"),
    )
    op.create_index("ix_achievements_org_id_id", "achievements", ["org_id", "id"])
    op.create_table(
        "signing_keys",
        sa.Column("id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("key_type", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("public_jwk", sa.JSON(), nullable=False),
        sa.Column("private_key", sa.Text(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("retired_at", AT, nullable=True),
        _fk("signing_keys", "issuer_id", "issuers"),
        sa.PrimaryKeyConstraint("id", name="pk_signing_keys"),
    )
    op.create_index("ix_signing_keys_issuer_id", "signing_keys", ["issuer_id"])
    current = sa.text("status = 'current'")
    op.create_index(
        "uq_signing_keys_current",
        "signing_keys",
        ["issuer_id"],
        unique=True,
        sqlite_where=current,
        postgresql_where=current,
    )
    op.create_table(
        "achievement_versions",
        sa.Column("id", ID, nullable=False),
        sa.Column("achievement_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("evidence_required", sa.Boolean(), nullable=False),
        sa.Column("default_validity_days", sa.Integer(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        _fk("achievement_versions", "achievement_id", "achievements"),
        sa.PrimaryKeyConstraint("id", name="pk_achievement_versions"),
        sa.UniqueConstraint(
            "achievement_id", "version", name="uq_achievement_versions_achievement_id_version"
        ),
    )
    op.create_index(
        "ix_achievement_versions_achievement_id", "achievement_versions", ["achievement_id"]
    )
    op.create_table(
        "awards",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("issuer_id", ID, nullable=False),
        sa.Column("achievement_id", ID, nullable=False),
        sa.Column("achievement_version_id", ID, nullable=False),
        sa.Column("achievement_version", sa.Integer(), nullable=False),
        sa.Column("signing_key_id", ID, nullable=False),
        sa.Column("recipient_type", sa.String(8), nullable=False),
        sa.Column("recipient_ref", sa.String(512), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("credential", sa.JSON(), nullable=False),
        sa.Column("ldp", sa.Boolean(), nullable=False),
        sa.Column("jwt", sa.Text(), nullable=True),
        sa.Column("valid_from", AT, nullable=False),
        sa.Column("valid_until", AT, nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("request_hash", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        _fk("awards", "achievement_id", "achievements"),
        _fk("awards", "achievement_version_id", "achievement_versions"),
        _fk("awards", "issuer_id", "issuers"),
        _fk("awards", "org_id", "organizations"),
        _fk("awards", "signing_key_id", "signing_keys"),
        sa.PrimaryKeyConstraint("id", name="pk_awards"),
        sa.UniqueConstraint("org_id", "idempotency_key", name="uq_awards_org_id_idempotency_key"),
    )
    op.create_index("ix_awards_achievement_id", "awards", ["achievement_id"])
    op.create_index("ix_awards_org_id_id", "awards", ["org_id", "id"])
    op.create_index("ix_awards_org_id_recipient_ref", "awards", ["org_id", "recipient_ref"])
    _protect_audit_log()


def _protect_audit_log() -> None:
    """UPDATE and DELETE on ``audit_events`` fail in the database itself."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    for table in (
        "awards",
        "achievement_versions",
        "signing_keys",
        "achievements",
        "issuers",
        "audit_events",
        "api_tokens",
        "organizations",
    ):
        op.drop_table(table)
