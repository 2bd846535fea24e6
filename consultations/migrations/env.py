"""Alembic environment: runs on the connection that ``consultations.migrate`` hands it."""

from alembic import context

from consultations import models  # noqa: F401  (registers every table on Base.metadata)
from consultations.db import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
