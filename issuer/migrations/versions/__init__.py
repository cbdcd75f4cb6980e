"""Migration revisions (Alembic ignores this file)."""
