"""The throwaway PostgreSQL cluster of ``tests.issuer.pg``: databases are fresh and
isolated, stopping leaves nothing running, and a missing PostgreSQL fails on CI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import REPO
from tests.issuer import pg
from tests.issuer.pg import (
    PostgresCluster,
    find_pg_bin,
    require_pg_bin,
)

# The fixtures, as tests/issuer/conftest.py may also provide them (they share one cluster).
postgres_cluster = pg.postgres_cluster
make_database_url = pg.make_database_url


def _accepts_tcp(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too: it only waits for its (adopting) parent to reap it.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_dead(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_fresh_databases_are_usable_and_isolated(postgres_cluster: PostgresCluster) -> None:
    first, second = postgres_cluster.new_database(), postgres_cluster.new_database("iso")
    assert first != second
    for url in (first, second):
        assert url.startswith(f"postgresql+psycopg://postgres@127.0.0.1:{postgres_cluster.port}/")
    assert second.rsplit("/", 1)[1].startswith("iso_")

    one, two = sa.create_engine(first), sa.create_engine(second)
    try:
        with one.begin() as conn:
            conn.execute(sa.text("CREATE TABLE award (id serial PRIMARY KEY, name text)"))
            conn.execute(sa.text("INSERT INTO award (name) VALUES ('Äänekoski'), ('Åbo')"))
        with one.connect() as conn:
            names = conn.execute(sa.text("SELECT name FROM award ORDER BY id")).scalars().all()
        assert names == ["Äänekoski", "Åbo"]

        with two.connect() as conn:
            assert not sa.inspect(conn).has_table("award")
            assert conn.execute(sa.text("SHOW server_encoding")).scalar() == "UTF8"
        with two.begin() as conn:
            conn.execute(sa.text("CREATE TABLE award (id serial PRIMARY KEY, name text)"))
        with two.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM award")).scalar() == 0
        with one.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM award")).scalar() == 2
    finally:
        one.dispose()
        two.dispose()


def test_settings_are_the_fast_throwaway_ones(postgres_cluster: PostgresCluster) -> None:
    engine = sa.create_engine(postgres_cluster.new_database())
    try:
        with engine.connect() as conn:
            show = {
                name: conn.execute(sa.text(f"SHOW {name}")).scalar()
                for name in (
                    "fsync",
                    "synchronous_commit",
                    "full_page_writes",
                    "max_connections",
                    "listen_addresses",
                )
            }
    finally:
        engine.dispose()
    assert show == {
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
        "listen_addresses": "127.0.0.1",
    }


def test_new_database_rejects_unsafe_prefixes(postgres_cluster: PostgresCluster) -> None:
    for prefix in ("", "T", "a-b", 'x"; DROP DATABASE postgres; --', "9abc", "a" * 40):
        with pytest.raises(ValueError, match="name_prefix"):
            postgres_cluster.new_database(prefix)


def test_make_database_url(make_database_url: Callable[[str], str], tmp_path: Path) -> None:
    assert make_database_url("sqlite") == f"sqlite:///{tmp_path}/merkki.db"
    assert make_database_url("sqlite") == f"sqlite:///{tmp_path}/merkki-2.db"
    url = make_database_url("postgresql")
    assert url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
    with pytest.raises(ValueError, match="mysql"):
        make_database_url("mysql")


def test_sqlite_url_never_starts_postgres(tmp_path: Path) -> None:
    def no_cluster() -> PostgresCluster:
        raise AssertionError("PostgreSQL was started for SQLite")

    url = pg.fresh_database_url("sqlite", tmp_path, no_cluster)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE t (x int)"))
    finally:
        engine.dispose()
    assert (tmp_path / "merkki.db").is_file()


def test_stop_leaves_no_server_and_no_files() -> None:
    cluster = PostgresCluster(require_pg_bin())
    with cluster:
        assert cluster.running
        port, directory = cluster.port, cluster.directory
        assert port is not None
        assert directory is not None
        pid = int((directory / "data" / "postmaster.pid").read_text().split()[0])
        assert _accepts_tcp(port)
    assert not cluster.running
    assert _wait_dead(pid), f"postmaster {pid} still alive"
    assert not _accepts_tcp(port)
    assert not directory.exists()
    cluster.stop()  # idempotent
    with pytest.raises(pg.PostgresError, match="not started"):
        cluster.new_database()


def test_pg_ctl_status_reports_stopped() -> None:
    bin_dir = require_pg_bin()
    cluster = PostgresCluster(bin_dir).start()
    assert cluster.directory is not None
    data = cluster.directory / "data"
    assert cluster._run("pg_ctl", "status", "-D", str(data), check=False).returncode == 0
    # Keep the data directory to ask pg_ctl afterwards: stop the server only.
    pg._stop_cluster(cluster.directory, cluster._run)
    status = cluster._run("pg_ctl", "status", "-D", str(data), check=False)
    assert status.returncode == 3, status.stdout + status.stderr  # 3: no server running
    cluster.stop()
    assert cluster.directory is None


def test_cluster_of_a_killed_session_is_reaped() -> None:
    require_pg_bin()
    script = (
        "import json, os\n"
        "from tests.issuer.pg import PostgresCluster\n"
        "c = PostgresCluster().start()\n"
        "pid = int((c.directory / 'data' / 'postmaster.pid').read_text().split()[0])\n"
        "print(json.dumps({'dir': str(c.directory), 'pid': pid, 'port': c.port}), flush=True)\n"
        "os._exit(0)\n"  # no atexit, no fixture teardown: as if killed
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    orphan = json.loads(result.stdout)
    try:
        assert Path(orphan["dir"]).is_dir()
        assert _accepts_tcp(orphan["port"])
        with PostgresCluster():
            pass  # starting a cluster reaps the orphan
        assert not Path(orphan["dir"]).exists()
        assert _wait_dead(orphan["pid"])
    finally:
        if _pid_alive(orphan["pid"]):  # the postmaster the child started, by its pid
            os.kill(orphan["pid"], 9)


def test_start_failure_shows_the_log(tmp_path: Path) -> None:
    bin_dir = require_pg_bin()
    cluster = PostgresCluster(bin_dir)
    cluster._launch_options = "-c no_such_setting=1"
    with pytest.raises(pg.PostgresError, match="no_such_setting") as info:
        cluster.start(timeout=20)
    assert "server log" in str(info.value)
    assert cluster.directory is None
    assert not cluster.running


def test_find_pg_bin_prefers_the_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MERKKI_PG_BIN", str(tmp_path))
    assert find_pg_bin() is None  # no initdb there
    for tool in ("initdb", "pg_ctl"):
        (tmp_path / tool).write_text("#!/bin/sh\n")
        (tmp_path / tool).chmod(0o755)
    assert find_pg_bin() == tmp_path


def test_find_pg_bin_picks_the_newest_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MERKKI_PG_BIN", raising=False)
    for version in ("9.6", "15", "16", "notes"):
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for tool in ("initdb", "pg_ctl"):
            (bin_dir / tool).write_text("#!/bin/sh\n")
            (bin_dir / tool).chmod(0o755)
    (tmp_path / "16" / "bin" / "initdb").chmod(0o644)  # broken install: not executable
    monkeypatch.setattr(pg, "PG_ROOT", tmp_path)
    assert find_pg_bin() == tmp_path / "15" / "bin"


@pytest.mark.parametrize(
    ("env", "required"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "1"}, True),
        ({"CI": "false"}, False),
        ({"CI": ""}, False),
        ({"MERKKI_REQUIRE_POSTGRES": "1"}, True),
        ({"MERKKI_REQUIRE_POSTGRES": "0"}, False),
    ],
)
def test_missing_postgres_fails_on_ci_and_skips_elsewhere(
    env: dict[str, str], required: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("MERKKI_REQUIRE_POSTGRES", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(pg, "find_pg_bin", lambda: None)
    expected = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(expected, match="PostgreSQL is not installed") as info:
        require_pg_bin()
    assert "apt-get install -y postgresql" in str(info.value)
