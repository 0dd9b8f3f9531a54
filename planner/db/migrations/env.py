"""Alembic environment: run programmatically on the connection the app hands over."""

from __future__ import annotations

from alembic import context

from planner.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Migrations run from planner.db.database.migrate(), with a connection.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things: Alembic rebuilds the table instead. PostgreSQL can.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # The caller's connection is inside one BEGIN ... COMMIT that covers every step (see
    # planner.db.database._migration_engine): a kill leaves the old revision intact.
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
