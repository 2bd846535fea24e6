"""draft versions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "draft_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("section_key", sa.String(length=60), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultation.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consultation_id", "number"),
    )
    op.create_index(op.f("ix_draft_version_consultation_id"), "draft_version", ["consultation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_draft_version_consultation_id"), table_name="draft_version")
    op.drop_table("draft_version")
