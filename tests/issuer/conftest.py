"""Service test fixtures: one live service per test module and database kind.

``database_url`` is parametrised over ``tests.issuer.pg.DATABASE_KINDS`` (SQLite, and
PostgreSQL from the session's throwaway cluster); a module's tests share one fresh
database and one running service, so each test makes its own objects.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.issuer.live import LiveService
from tests.issuer.pg import (  # noqa: F401  (fixtures)
    DATABASE_KINDS,
    PostgresCluster,
    fresh_database_url,
    postgres_cluster,
)


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh, empty database of each kind for the module."""

    def cluster() -> PostgresCluster:
        found: PostgresCluster = request.getfixturevalue("postgres_cluster")
        return found

    directory = tmp_path_factory.mktemp(f"db-{request.param}")
    return fresh_database_url(request.param, directory, cluster)


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    live = LiveService.start(database_url, tmp_path_factory.mktemp("data"))
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def api(service: LiveService) -> Iterator[httpx.Client]:
    """A client with a token of the demo organisation with every scope."""
    with service.client() as client:
        yield client
