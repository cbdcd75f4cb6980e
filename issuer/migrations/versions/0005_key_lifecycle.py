"""Key lifecycle (rotation, compromise) and award renewal.

``signing_keys`` gains when a key was compromised (``compromised_since``: the time from
which its proofs are not trusted; ``compromised_at``: when that was reported) and why;
``awards`` gains the links of renewals and of re-issues after a key compromise, and an
index to find the awards a key signed from a time on.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY_COLUMNS = ("compromised_since", "compromised_at", "compromise_reason")
_AWARD_COLUMNS = ("renewed_from", "renewed_by", "reissued_from", "reissued_by")
_INDEX = "ix_awards_signing_key_id_created_at"


def upgrade() -> None:
    op.add_column("signing_keys", sa.Column("compromised_since", sa.DateTime(timezone=True)))
    op.add_column("signing_keys", sa.Column("compromised_at", sa.DateTime(timezone=True)))
    op.add_column("signing_keys", sa.Column("compromise_reason", sa.Text()))
    for name in _AWARD_COLUMNS:
        op.add_column("awards", sa.Column(name, sa.String(36)))
    op.create_index(_INDEX, "awards", ["signing_key_id", "created_at"])


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="awards")
    # plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): no table copy, the partial
    # unique index on signing_keys stays as it is
    for name in _AWARD_COLUMNS:
        op.drop_column("awards", name)
    for name in _KEY_COLUMNS:
        op.drop_column("signing_keys", name)
