"""theme tagging and review

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 10:12:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("patterns", sa.JSON(), nullable=False),
        sa.Column("place_weight", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["theme.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consultation_id", "key"),
    )
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_theme_consultation_id"), ["consultation_id"], unique=False
        )

    op.create_table(
        "tag_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("spans", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("answer_id", "theme_id", "source"),
    )
    with op.batch_alter_table("tag_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tag_suggestion_answer_id"), ["answer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tag_suggestion_theme_id"), ["theme_id"], unique=False)

    op.create_table(
        "tag_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("in_bulk", sa.Boolean(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("answer_version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("moved_from_theme_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["moved_from_theme_id"],
            ["theme.id"],
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("tag_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tag_decision_answer_id"), ["answer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tag_decision_theme_id"), ["theme_id"], unique=False)
        # One current decision per (answer, theme); older decisions stay as history.
        batch_op.create_index(
            "uq_tag_decision_current",
            ["answer_id", "theme_id"],
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        )

    op.create_table(
        "answer_evidence",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("regional", sa.Boolean(), nullable=False),
        sa.Column("answer_version", sa.Integer(), nullable=False),
        sa.Column("taxonomy_key", sa.String(length=64), nullable=False),
        sa.Column("tagged_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
        ),
        sa.PrimaryKeyConstraint("answer_id"),
    )

    op.create_table(
        "tag_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("activated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activated_by_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultation.id"],
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consultation_id", "version"),
    )
    with op.batch_alter_table("tag_model", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tag_model_consultation_id"), ["consultation_id"], unique=False
        )
        # At most one active model per consultation.
        batch_op.create_index(
            "uq_tag_model_active",
            ["consultation_id"],
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        )


def downgrade() -> None:
    with op.batch_alter_table("tag_model", schema=None) as batch_op:
        batch_op.drop_index("uq_tag_model_active")
        batch_op.drop_index(batch_op.f("ix_tag_model_consultation_id"))

    op.drop_table("tag_model")
    op.drop_table("answer_evidence")
    with op.batch_alter_table("tag_decision", schema=None) as batch_op:
        batch_op.drop_index("uq_tag_decision_current")
        batch_op.drop_index(batch_op.f("ix_tag_decision_theme_id"))
        batch_op.drop_index(batch_op.f("ix_tag_decision_answer_id"))

    op.drop_table("tag_decision")
    with op.batch_alter_table("tag_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tag_suggestion_theme_id"))
        batch_op.drop_index(batch_op.f("ix_tag_suggestion_answer_id"))

    op.drop_table("tag_suggestion")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_theme_consultation_id"))

    op.drop_table("theme")
