"""Alembic migrations, shipped inside the package (``merkki db upgrade``)."""
