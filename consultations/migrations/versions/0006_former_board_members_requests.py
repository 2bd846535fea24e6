"""a former board member's request for changes, marked addressed by an officer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch_alter_table: SQLite adds a column with a foreign key only by copying the table.
    with op.batch_alter_table("review_decision") as batch:
        batch.add_column(sa.Column("addressed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("addressed_by_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("addressed_note", sa.String(length=500), nullable=False, server_default="")
        )
        batch.create_foreign_key(
            "fk_review_decision_addressed_by_id_person", "person", ["addressed_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("review_decision") as batch:
        batch.drop_constraint("fk_review_decision_addressed_by_id_person", type_="foreignkey")
        batch.drop_column("addressed_note")
        batch.drop_column("addressed_by_id")
        batch.drop_column("addressed_at")
