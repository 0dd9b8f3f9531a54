"""Storage: SQLAlchemy models, engine and sessions, migrations, backups. No rules, no Qt."""
