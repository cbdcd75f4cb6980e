"""Bulk award jobs: ``bulk_jobs`` and their CSV rows ``bulk_job_rows``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.String(36)
AT = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    name = f"fk_{table}_{column}_{target}"
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name)


def upgrade() -> None:
    op.create_table(
        "bulk_jobs",
        sa.Column("id", ID, nullable=False),
        sa.Column("org_id", ID, nullable=False),
        sa.Column("achievement_id", ID, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_by_name", sa.String(200), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("started_at", AT, nullable=True),
        sa.Column("finished_at", AT, nullable=True),
        sa.Column("worker", sa.String(64), nullable=True),
        sa.Column("lease_until", AT, nullable=True),
        _fk("bulk_jobs", "achievement_id", "achievements"),
        _fk("bulk_jobs", "org_id", "organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_bulk_jobs"),
        sa.UniqueConstraint(
            "org_id",
            "achievement_id",
            "file_sha256",
            name="uq_bulk_jobs_org_id_achievement_id_file_sha256",
        ),
    )
    op.create_index("ix_bulk_jobs_org_id_id", "bulk_jobs", ["org_id", "id"])
    op.create_index("ix_bulk_jobs_status_lease_until", "bulk_jobs", ["status", "lease_until"])
    op.create_table(
        "bulk_job_rows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", ID, nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("recipient_type", sa.String(8), nullable=False),
        sa.Column("recipient", sa.String(2048), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("evidence_urls", sa.JSON(), nullable=False),
        sa.Column("level", sa.String(200), nullable=True),
        sa.Column("valid_until", AT, nullable=True),
        sa.Column("language", sa.String(2), nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=False),
        sa.Column("award_id", sa.String(36), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _fk("bulk_job_rows", "job_id", "bulk_jobs"),
        sa.PrimaryKeyConstraint("id", name="pk_bulk_job_rows"),
        sa.UniqueConstraint("job_id", "line", name="uq_bulk_job_rows_job_id_line"),
    )
    op.create_index("ix_bulk_job_rows_job_id_award_id", "bulk_job_rows", ["job_id", "award_id"])


def downgrade() -> None:
    op.drop_index("ix_bulk_job_rows_job_id_award_id", table_name="bulk_job_rows")
    op.drop_table("bulk_job_rows")
    op.drop_index("ix_bulk_jobs_status_lease_until", table_name="bulk_jobs")
    op.drop_index("ix_bulk_jobs_org_id_id", table_name="bulk_jobs")
    op.drop_table("bulk_jobs")
