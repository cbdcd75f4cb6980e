"""The migrations create exactly the tables the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from issuer.store import tables  # noqa: F401  (registers the tables)
from issuer.store.base import Base
from issuer.store.db import alembic_config, current_revision, make_engine, upgrade


def test_upgrade_matches_the_models_and_downgrades(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)  # a second start changes nothing
        assert current_revision(engine) == "0012"
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        with engine.begin() as connection:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert current_revision(engine) == "0012"
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/wal/merkki.db")
    try:
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        assert mode == "wal"
        assert keys == 1
    finally:
        engine.dispose()
