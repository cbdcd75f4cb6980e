"""Service benchmark: `merkki serve` in a subprocess on 127.0.0.1, measured over HTTP.

    .venv/bin/python benchmarks/service.py [--databases sqlite,postgresql] [--write]

For each database (SQLite in a fresh data directory; PostgreSQL in a throwaway cluster
from ``tests.issuer.pg``, which runs with ``fsync=off``) it starts the service with one
bulk worker, creates a token with ``merkki token create`` and an achievement with a
rubric, then measures

* single-award latency: ``--single`` sequential ``POST /api/v1/awards`` (p50, p99);
* API throughput: ``--requests`` awards by ``--clients`` concurrent clients;
* bulk: a ``--rows``-row CSV uploaded to ``POST /api/v1/awards/bulk``, polled until the
  job is done (wall time from the upload).

Every award is an eddsa-rdfc-2022 signed credential, stored. Prints a markdown table;
``--write`` puts it between the ``service`` markers in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_table import write_table  # noqa: E402  (benchmarks/ is the script's path)

from tests.issuer.pg import PostgresCluster  # noqa: E402

SECRET = "benchmark-secret-for-merkki-service-0123456789"  # noqa: S105 - a local benchmark
MERKKI = str(Path(sys.executable).parent / "merkki")
RUBRIC = [
    {
        "id": "#level",
        "name": {"fi": "Taso", "sv": "Nivå", "en": "Level"},
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {"id": "#level-basic", "name": {"fi": "Perus", "sv": "Grund", "en": "Basic"}},
            {"id": "#level-advanced", "name": {"fi": "Edistynyt", "sv": "Avancerad"}},
        ],
    }
]


@dataclass
class Result:
    database: str
    p50_ms: float
    p99_ms: float
    api_rate: float
    bulk_rows: int
    bulk_seconds: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(database_url: str, data_dir: Path) -> Iterator[tuple[str, str]]:
    """``(base URL, token)`` of a running service; stopped on exit."""
    port = _free_port()
    env = {
        **os.environ,
        "MERKKI_DATA_DIR": str(data_dir),
        "MERKKI_DATABASE_URL": database_url,
        "MERKKI_SECRET_KEY": SECRET,
        "MERKKI_WORKERS": "1",
    }
    log = (data_dir / "serve.log").open("w")
    process = subprocess.Popen(
        [MERKKI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start: see {data_dir / 'serve.log'}")
            time.sleep(0.1)
        created = subprocess.run(
            [MERKKI, "token", "create", "--org", "demo", "--scopes", "award,read,manage"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        yield base, created.stdout.strip().splitlines()[-1]
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _client(base: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"})


def _award(client: httpx.Client, achievement_id: str, n: int) -> None:
    body = {
        "achievement_id": achievement_id,
        "recipient": {"email": f"henkilo{n}@example.fi"},
        "name": f"Henkilö {n}",
        "level": "basic",
    }
    response = client.post("/api/v1/awards", json=body)
    if response.status_code != 201:
        raise RuntimeError(f"award failed: {response.status_code} {response.text[:300]}")


def _csv(rows: int) -> bytes:
    lines = ["email,name,level,language"]
    lines += [f"bulk{n}@example.fi,Henkilö {n},{('basic', '')[n % 2]},fi" for n in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def measure(database: str, database_url: str, data_dir: Path, args: argparse.Namespace) -> Result:
    with serve(database_url, data_dir) as (base, token), _client(base, token) as api:
        made = api.post(
            "/api/v1/achievements",
            json={
                "name": {"fi": "Vertaismentori", "sv": "Mentor", "en": "Peer mentor"},
                "description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
                "criteria": {"fi": "Kriteerit", "sv": "Kriterier", "en": "Criteria"},
                "result_description": RUBRIC,
            },
        )
        made.raise_for_status()
        achievement_id: str = made.json()["id"]
        _award(api, achievement_id, -1)  # warm up
        latencies = []
        for n in range(args.single):
            started = time.perf_counter()
            _award(api, achievement_id, n)
            latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]

        clients = [_client(base, token) for _ in range(args.clients)]
        try:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.clients) as pool:
                list(
                    pool.map(
                        lambda n: _award(clients[n % args.clients], achievement_id, 100_000 + n),
                        range(args.requests),
                    )
                )
            api_rate = args.requests / (time.perf_counter() - started)
        finally:
            for client in clients:
                client.close()

        data = _csv(args.rows)
        started = time.perf_counter()
        response = api.post(
            "/api/v1/awards/bulk",
            params={"achievement_id": achievement_id},
            content=data,
            headers={"Content-Type": "text/csv"},
        )
        if response.status_code != 202:
            raise RuntimeError(f"bulk upload failed: {response.status_code} {response.text[:500]}")
        job: dict[str, Any] = response.json()
        deadline = time.monotonic() + args.timeout
        while job["status"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the bulk job did not finish in {args.timeout} s: {job}")
            time.sleep(0.2)
            job = api.get(f"/api/v1/jobs/{job['id']}").json()
        bulk_seconds = time.perf_counter() - started
        if job["status"] != "done" or job["awards"]["issued"] != args.rows:
            raise RuntimeError(f"the bulk job did not issue every row: {job}")
        return Result(
            database=database,
            p50_ms=statistics.median(latencies),
            p99_ms=p99,
            api_rate=api_rate,
            bulk_rows=args.rows,
            bulk_seconds=bulk_seconds,
        )


def table(results: list[Result], args: argparse.Namespace) -> str:
    head = (
        f"`merkki serve` on 127.0.0.1, one bulk worker; {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs; eddsa-rdfc-2022, Ed25519 "
        "did:web issuer; every award stored.\n\n"
        f"| database | single award p50 | p99 ({args.single} sequential) | "
        f"API awards/s ({args.requests} by {args.clients} clients) | "
        f"bulk CSV wall time | bulk awards/s |\n|---|---|---|---|---|---|\n"
    )
    rows = [
        f"| {r.database} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms | {r.api_rate:.0f} | "
        f"{r.bulk_rows:,} rows in {r.bulk_seconds:.1f} s | {r.bulk_rows / r.bulk_seconds:.0f} |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--single", type=int, default=200, help="sequential awards")
    parser.add_argument("--requests", type=int, default=1000, help="concurrent awards")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the bulk CSV")
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the bulk job")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="merkki-bench-") as tmp:
        for database in args.databases.split(","):
            data_dir = Path(tmp) / database
            data_dir.mkdir()
            if database == "sqlite":
                url = f"sqlite:///{data_dir / 'merkki.db'}"
                results.append(measure(database, url, data_dir, args))
            elif database == "postgresql":
                with PostgresCluster() as cluster:
                    url = cluster.new_database("bench")
                    results.append(measure(database, url, data_dir, args))
            else:
                raise SystemExit(f"unknown database {database!r}")
            print(table(results[-1:], args), file=sys.stderr)
    text = table(results, args)
    print(text)
    if args.write:
        write_table("service", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
