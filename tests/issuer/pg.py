"""One throwaway PostgreSQL cluster per test session.

API (everything else is private):

* ``find_pg_bin() -> Path | None``: the PostgreSQL ``bin`` directory with ``initdb`` and
  ``pg_ctl``: ``$MERKKI_PG_BIN`` if set, else the newest ``/usr/lib/postgresql/*/bin``
  (Debian), else the directory of ``initdb`` on ``PATH``; ``None`` when not installed.
* ``postgres_required() -> bool``: true when ``CI`` is set (to anything but ``""``, ``0``
  or ``false``) or ``MERKKI_REQUIRE_POSTGRES=1``. Tests needing PostgreSQL then FAIL when
  it is missing; otherwise they are skipped with the reason.
* ``PostgresCluster(bin_dir=None)``: ``start()``, ``stop()`` (idempotent),
  ``new_database(name_prefix="t") -> str`` (a SQLAlchemy URL
  ``postgresql+psycopg://postgres@127.0.0.1:PORT/<unique name>`` of a freshly created,
  empty database), ``port``, ``running``; also a context manager (``with ... as cluster``
  starts and stops it). The cluster lives in a temporary directory owned by the
  ``postgres`` user (``initdb`` refuses to run as root), listens on 127.0.0.1 only, uses
  locale C and UTF8, trust authentication, and runs with ``fsync=off`` (data is thrown
  away). Left-over clusters of crashed sessions (owner process gone) are stopped and
  removed when the next one starts.
* ``postgres_cluster``: session-scoped pytest fixture yielding a started cluster (fails or
  skips as above when PostgreSQL is missing); stopped at session end, with an ``atexit``
  safety net.
* ``fresh_database_url(kind, directory, cluster_getter, name="merkki") -> str``: a fresh
  database URL, ``kind`` being ``"sqlite"`` (``sqlite:///{directory}/{name}.db``) or
  ``"postgresql"`` (``cluster_getter()`` is called only then, so SQLite-only runs never
  start PostgreSQL).
* ``make_database_url``: function-scoped fixture returning ``(kind) -> str`` built on
  ``fresh_database_url`` with the test's ``tmp_path``; every call gives a new database.
  ``DATABASE_KINDS`` lists the kinds, e.g. for ``@pytest.fixture(params=DATABASE_KINDS)``.

Wiring, in ``tests/issuer/conftest.py``::

    from tests.issuer.pg import make_database_url, postgres_cluster  # noqa: F401

    @pytest.fixture(params=DATABASE_KINDS)
    def database_url(request, make_database_url):
        return make_database_url(request.param)
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import psycopg
import pytest
from psycopg import sql

DATABASE_KINDS: tuple[Literal["sqlite", "postgresql"], ...] = ("sqlite", "postgresql")
PG_ROOT = Path("/usr/lib/postgresql")
OS_USER = "postgres"
"""The operating-system user that owns and runs the cluster when tests run as root."""
_DIR_PREFIX = "merkki-pg-"
_OWNER_FILE = "merkki-owner.json"
_NAME_PREFIX = re.compile(r"[a-z_][a-z0-9_]{0,30}")
_MISSING = (
    "PostgreSQL is not installed: no {root}/*/bin/initdb (install Debian's `postgresql` "
    "package: `apt-get install -y postgresql`; `make test` does this), and no initdb on "
    "PATH or in $MERKKI_PG_BIN"
)


class PostgresError(RuntimeError):
    """The throwaway cluster could not be created, started or used."""


def _version_key(path: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in path.parent.name.split("."))
    except ValueError:
        return (-1,)


def _has_tools(directory: Path) -> bool:
    return all(os.access(directory / tool, os.X_OK) for tool in ("initdb", "pg_ctl"))


def find_pg_bin() -> Path | None:
    """The PostgreSQL server ``bin`` directory, or ``None`` when it is not installed."""
    if override := os.environ.get("MERKKI_PG_BIN"):
        return Path(override) if _has_tools(Path(override)) else None
    found = [path for path in PG_ROOT.glob("*/bin") if _has_tools(path)]
    if found:
        return max(found, key=_version_key)
    initdb = shutil.which("initdb")
    if initdb and _has_tools(Path(initdb).parent):
        return Path(initdb).parent
    return None


def postgres_required() -> bool:
    """Whether a missing PostgreSQL fails the tests (CI) instead of skipping them."""
    ci = os.environ.get("CI", "").strip().lower()
    return ci not in ("", "0", "false", "no") or os.environ.get("MERKKI_REQUIRE_POSTGRES") == "1"


def require_pg_bin() -> Path:
    """``find_pg_bin()``, or fail (CI) / skip the calling test with a clear message."""
    bin_dir = find_pg_bin()
    if bin_dir is not None:
        return bin_dir
    message = _MISSING.format(root=PG_ROOT)
    if postgres_required():
        pytest.fail(
            f"{message}; required because CI or MERKKI_REQUIRE_POSTGRES=1 is set", pytrace=False
        )
    pytest.skip(f"{message} (set CI or MERKKI_REQUIRE_POSTGRES=1 to fail instead)")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _world_traversable(directory: Path) -> bool:
    return all(os.stat(part).st_mode & 0o001 for part in (directory, *directory.parents))


def _base_directory() -> Path:
    """A temporary directory every ancestor of which the cluster's user can enter."""
    fixed = [Path("/tmp"), Path("/var/tmp")]  # noqa: S108  (only a parent for mkdtemp)
    candidates = [Path(tempfile.gettempdir()), *fixed]
    for candidate in candidates:
        if candidate.is_dir() and _world_traversable(candidate.resolve()):
            return candidate
    # Nothing suitable: let others traverse (not list) the ancestors of the usual place.
    first = candidates[0].resolve()
    for part in (first, *first.parents):
        os.chmod(part, os.stat(part).st_mode | 0o001)
    return first


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir
        self.directory: Path | None = None
        self.port: int | None = None
        self._counter = itertools.count(1)
        self._as_root = os.geteuid() == 0
        self._launch_options = ""  # extra server options (tests use it to provoke failures)

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether the server process of this cluster is alive (``pg_ctl status``)."""
        if self.directory is None or not (self.directory / "data").is_dir():
            return False
        result = self._run("pg_ctl", "status", "-D", str(self.directory / "data"), check=False)
        return result.returncode == 0

    def start(self, timeout: float = 60.0) -> PostgresCluster:
        """Create the cluster, start it and wait until it accepts TCP connections."""
        if self.directory is not None:
            raise PostgresError("the cluster is already started")
        if self.bin_dir is None:
            self.bin_dir = find_pg_bin()
            if self.bin_dir is None:
                raise PostgresError(_MISSING.format(root=PG_ROOT))
        _reap_stale_clusters()
        self.directory = Path(tempfile.mkdtemp(prefix=_DIR_PREFIX, dir=_base_directory()))
        (self.directory / _OWNER_FILE).write_text(json.dumps({"pid": os.getpid()}))
        atexit.register(self.stop)
        try:
            if self._as_root:
                user = pwd.getpwnam(OS_USER)
                os.chown(self.directory, user.pw_uid, user.pw_gid)
            self._initdb()
            self._launch(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _initdb(self) -> None:
        assert self.directory is not None
        data = self.directory / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-instructions",
        )
        socket_dir = str(self.directory) if len(str(self.directory)) < 80 else ""
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": socket_dir,
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "200",
        }
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# merkki test cluster\n")
            for key, value in settings.items():
                conf.write(f"{key} = '{value}'\n")

    def _launch(self, timeout: float) -> None:
        assert self.directory is not None
        log = self.directory / "log"
        for attempt in range(3):
            self.port = _free_port()
            result = self._run(
                "pg_ctl",
                "start",
                "-D",
                str(self.directory / "data"),
                "-l",
                str(log),
                "-w",
                "-t",
                str(int(timeout)),
                "-o",
                f"-p {self.port} {self._launch_options}",
                check=False,
            )
            if result.returncode == 0:
                break
            in_use = "already in use" in self.log_tail()
            if not (in_use and attempt < 2):  # another process took the port: retry
                raise PostgresError(self._failure("pg_ctl start failed", result))
        self._wait_until_ready(timeout)

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self._dsn("postgres"), connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as exc:
                last = exc
                time.sleep(0.05)
        raise PostgresError(
            f"PostgreSQL on 127.0.0.1:{self.port} did not accept connections within "
            f"{timeout:g} s (last error: {last})\n{self._log_section()}"
        )

    def stop(self) -> None:
        """Stop the server at once (``-m immediate``) and remove the directory. Idempotent."""
        directory, self.directory = self.directory, None
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        if directory is None:
            return
        _stop_cluster(directory, self._run)
        shutil.rmtree(directory, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- databases --------------------------------------------------------------------------

    def new_database(self, name_prefix: str = "t") -> str:
        """Create an empty database with a unique name; return its SQLAlchemy URL."""
        if not _NAME_PREFIX.fullmatch(name_prefix):
            raise ValueError(f"name_prefix {name_prefix!r}: use 1-31 of a-z, 0-9 and _")
        if self.directory is None:
            raise PostgresError("the cluster is not started")
        name = f"{name_prefix}_{next(self._counter)}_{secrets.token_hex(3)}"
        with psycopg.connect(self._dsn("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    # -- helpers ----------------------------------------------------------------------------

    def _dsn(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.bin_dir is not None
        return _run_tool(self.bin_dir / tool, args, self.directory, self._as_root, check)

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server log (empty if there is none)."""
        if self.directory is None:
            return ""
        try:
            text = (self.directory / "log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _log_section(self) -> str:
        return f"--- server log (last lines) ---\n{self.log_tail() or '(empty)'}"

    def _failure(self, what: str, result: subprocess.CompletedProcess[str]) -> str:
        output = (result.stdout + result.stderr).strip()
        return f"{what} (exit {result.returncode}): {output}\n{self._log_section()}"


def _run_tool(
    program: Path, args: tuple[str, ...], cwd: Path | None, as_root: bool, check: bool
) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program, as the ``postgres`` user when we are root."""
    options: dict[str, Any] = {}
    if as_root:
        user = pwd.getpwnam(OS_USER)
        options = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    result = subprocess.run(
        [str(program), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd if cwd is not None and cwd.is_dir() else "/",
        env=env,
        stdin=subprocess.DEVNULL,
        **options,
    )
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise PostgresError(
            f"{program.name} {' '.join(args)} failed ({result.returncode}): {output}"
        )
    return result


def _stop_cluster(directory: Path, run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """Stop the server of the cluster in ``directory``; kill its postmaster if that fails."""
    data = directory / "data"
    pid_file = data / "postmaster.pid"
    if not pid_file.exists():
        return
    with contextlib.suppress(Exception):
        run("pg_ctl", "stop", "-D", str(data), "-m", "immediate", "-w", "-t", "30", check=False)
    if pid_file.exists():  # pg_ctl failed: end the postmaster this cluster started
        with contextlib.suppress(Exception):
            pid = int(pid_file.read_text().split()[0])
            if _pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def _runner(bin_dir: Path, directory: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run_tool(bin_dir / tool, args, directory, os.geteuid() == 0, check)

    return run


def _reap_stale_clusters() -> None:
    """Stop and remove clusters left behind by test sessions that were killed."""
    bin_dir = find_pg_bin()
    if bin_dir is None:
        return
    with contextlib.suppress(OSError):
        for directory in _base_directory().glob(f"{_DIR_PREFIX}*"):
            try:
                owner = int(json.loads((directory / _OWNER_FILE).read_text())["pid"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if _pid_alive(owner):
                continue
            _stop_cluster(directory, _runner(bin_dir, directory))
            shutil.rmtree(directory, ignore_errors=True)


# -- pytest ------------------------------------------------------------------------------------


def fresh_database_url(
    kind: str,
    directory: Path,
    cluster_getter: Callable[[], PostgresCluster],
    name: str = "merkki",
) -> str:
    """A URL of a new, empty database: ``"sqlite"`` (a file in ``directory``) or
    ``"postgresql"`` (a new database in the cluster that ``cluster_getter()`` returns)."""
    if kind == "sqlite":
        return f"sqlite:///{directory}/{name}.db"
    if kind == "postgresql":
        return cluster_getter().new_database()
    raise ValueError(f"database kind {kind!r}: expected one of {', '.join(DATABASE_KINDS)}")


_shared: list[PostgresCluster] = []
"""The process's cluster while any ``postgres_cluster`` fixture instance holds it."""
_holders = 0


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL cluster, started on first use and stopped at the end.

    Importing the fixture into several modules (say ``conftest.py`` and a test file)
    registers it more than once; they all share one cluster."""
    global _holders
    bin_dir = require_pg_bin()
    if not _shared:
        _shared.append(PostgresCluster(bin_dir).start())
    _holders += 1
    try:
        yield _shared[0]
    finally:
        _holders -= 1
        if _holders == 0:
            _shared.pop().stop()


@pytest.fixture
def make_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """``make_database_url("sqlite" | "postgresql")``: a new empty database per call."""
    counter = itertools.count(1)

    def cluster() -> PostgresCluster:
        found: PostgresCluster = request.getfixturevalue("postgres_cluster")
        return found

    def make(kind: str) -> str:
        number = next(counter)
        name = "merkki" if number == 1 else f"merkki-{number}"
        return fresh_database_url(kind, tmp_path, cluster, name)

    return make
