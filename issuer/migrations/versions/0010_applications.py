"""Badge applications, evidence files and reviews.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("org_id", sa.String(36), nullable=False),
        sa.Column("achievement_id", sa.String(36), nullable=False),
        sa.Column("achievement_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("email_encrypted", sa.Text(), nullable=False),
        sa.Column("email_hash", sa.String(80), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("claimed_level", sa.String(200), nullable=False),
        sa.Column("approved_level", sa.String(200), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("reviewer_id", sa.String(64), nullable=True),
        sa.Column("reviewer_name", sa.String(200), nullable=True),
        sa.Column("decision_message", sa.Text(), nullable=True),
        sa.Column("award_id", sa.String(36), nullable=True),
        sa.Column("confirm_token_hash", sa.String(64), nullable=True),
        sa.Column("confirm_expires_at", AT, nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("submitted_at", AT, nullable=True),
        sa.Column("decided_at", AT, nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name="fk_applications_org_id_organizations"
        ),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["achievements.id"],
            name="fk_applications_achievement_id_achievements",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_applications"),
    )
    op.create_index("ix_applications_org_id_status_id", "applications", ["org_id", "status", "id"])
    op.create_index(
        "ix_applications_email_hash_created_at", "applications", ["email_hash", "created_at"]
    )
    op.create_index("ix_applications_achievement_id", "applications", ["achievement_id"])

    op.create_table(
        "application_evidence",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("file_name", sa.String(200), nullable=True),
        sa.Column("media_type", sa.String(64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_application_evidence_application_id_applications",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_application_evidence"),
    )
    op.create_index(
        "ix_application_evidence_application_id", "application_evidence", ["application_id"]
    )

    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("actor_type", sa.String(16), nullable=False),
        sa.Column("actor_id", sa.String(64), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=True),
        sa.Column("level", sa.String(200), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name="fk_application_events_application_id_applications",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_application_events"),
    )
    op.create_index(
        "ix_application_events_application_id", "application_events", ["application_id"]
    )
    _append_only("application_events")


def _append_only(table: str) -> None:
    """Refuse UPDATE and DELETE on ``table`` (as ``audit_events``)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER application_events_append_only ON application_events")
        op.execute("DROP FUNCTION application_events_append_only()")
    op.drop_index("ix_application_events_application_id", table_name="application_events")
    op.drop_table("application_events")
    op.drop_index("ix_application_evidence_application_id", table_name="application_evidence")
    op.drop_table("application_evidence")
    op.drop_index("ix_applications_achievement_id", table_name="applications")
    op.drop_index("ix_applications_email_hash_created_at", table_name="applications")
    op.drop_index("ix_applications_org_id_status_id", table_name="applications")
    op.drop_table("applications")
