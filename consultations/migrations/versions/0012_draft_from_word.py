"""a draft version saved from an edited Word copy keeps the SHA-256 of the file it came from

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft_version") as batch:
        batch.add_column(
            sa.Column("word_sha256", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("draft_version") as batch:
        batch.drop_column("word_sha256")
