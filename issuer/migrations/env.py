"""Alembic environment: the connection comes from ``issuer.store.db.upgrade`` or settings.

``merkki db upgrade`` and the service's start both call :func:`issuer.store.db.upgrade`,
which passes its open connection in ``config.attributes``; running ``alembic`` by
hand falls back to ``MERKKI_DATABASE_URL`` through :class:`issuer.settings.Settings`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from issuer.settings import Settings
from issuer.store import tables  # noqa: F401  (registers the tables on Base.metadata)
from issuer.store.base import Base
from issuer.store.db import make_engine

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = config.attributes.get("engine") or make_engine(Settings().sqlalchemy_url)
    with engine.connect() as new_connection:
        _run(new_connection)
        new_connection.commit()


def run_migrations_offline() -> None:
    context.configure(
        url=Settings().sqlalchemy_url, target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
