"""Verification over HTTP: ``POST /api/v1/verify`` requests/second and latency.

    .venv/bin/python benchmarks/verify_http.py [--workers 2] [--clients 8] [--seconds 10]
                                               [--credentials 400] [--write]

Starts ``merkki serve --workers W`` in a subprocess on 127.0.0.1 (SQLite in a fresh data
directory, the rate limit off), awards ``--credentials`` distinct badges up front through
the API (each with an eddsa-rdfc-2022 proof and a VC-JWT of the same credential, signed
by the demo organisation's Ed25519 did:web issuer), then for each format runs
``--clients`` concurrent clients for ``--seconds`` (after a warm-up): each client is a
thread with one keep-alive ``http.client`` connection posting ``{"credential": …}``,
cycling through the distinct credentials. Every answer must be 200 with the verdict
``valid``. Nothing caches results; the service caches only the issuer's DID document
(``MERKKI_FETCH_CACHE_TTL``). Prints a markdown table; ``--write`` puts it between the
``verify`` markers in ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from results_table import write_table

ROOT = Path(__file__).resolve().parent.parent
SECRET = "benchmark-secret-for-merkki-service-0123456789"  # noqa: S105 - a local benchmark
MERKKI = str(Path(sys.executable).parent / "merkki")
VALID = b'"verdict":"valid"'


@dataclass
class Result:
    format: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int
    server_cpu_ms: float
    """CPU time of the service processes per request."""
    client_cpu_ms: float
    """CPU time of this process (the load generator) per request."""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def _cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and its descendants (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    family, total = {root}, 0.0
    changed = True
    while changed:
        changed = False
        for pid, (parent, _) in stats.items():
            if parent in family and pid not in family:
                family.add(pid)
                changed = True
    for pid in family:
        total += stats.get(pid, (0, 0.0))[1]
    return total


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _request(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None, token: str = ""
) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


@contextmanager
def serve(data_dir: Path, workers: int) -> Iterator[tuple[int, str, int]]:
    """``(port, token, pid)`` of a running service; stopped on exit."""
    port = _free_port()
    env = {
        **os.environ,
        "MERKKI_DATA_DIR": str(data_dir),
        "MERKKI_SECRET_KEY": SECRET,
        "MERKKI_VERIFY_RATE": "off",
        "MERKKI_WORKERS": "0",
    }
    log = (data_dir / "serve.log").open("w")
    process = subprocess.Popen(
        [MERKKI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                if _request(conn, "GET", "/healthz", None)[0] == 200:
                    conn.close()
                    break
            except OSError:
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
        yield port, created.stdout.strip().splitlines()[-1], process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def prepare(port: int, token: str, count: int) -> dict[str, list[bytes]]:
    """Request bodies for ``count`` distinct awards, per format (``ldp`` and ``jwt``)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    status, body = _request(
        conn,
        "POST",
        "/api/v1/achievements",
        json.dumps(
            {
                "name": {"fi": "Vertaismentori", "sv": "Mentor", "en": "Peer mentor"},
                "description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
                "criteria": {"fi": "Kriteerit", "sv": "Kriterier", "en": "Criteria"},
            }
        ).encode(),
        token,
    )
    if status != 201:
        raise RuntimeError(f"achievement: {status} {body[:300]!r}")
    achievement_id = json.loads(body)["id"]
    conn.close()
    local = threading.local()

    def award(n: int) -> tuple[bytes, bytes]:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        payload = {
            "achievement_id": achievement_id,
            "recipient": {"email": f"henkilo{n}@example.fi"},
            "name": f"Henkilö {n}",
            "format": "jwt",
        }
        status, body = _request(
            local.conn, "POST", "/api/v1/awards", json.dumps(payload).encode(), token
        )
        if status != 201:
            raise RuntimeError(f"award: {status} {body[:300]!r}")
        made = json.loads(body)
        return (
            json.dumps({"credential": made["credential"]}).encode(),
            json.dumps({"credential": made["jwt"]}).encode(),
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        pairs = list(pool.map(award, range(count)))
    return {"eddsa-rdfc-2022": [p[0] for p in pairs], "VC-JWT (EdDSA)": [p[1] for p in pairs]}


def load(
    port: int, pid: int, bodies: list[bytes], clients: int, seconds: float, name: str
) -> Result:
    """``clients`` threads posting ``bodies`` in turn for ``seconds``."""
    counter = itertools.count()
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.connect()
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        mine = latencies[index]
        headers = {"Content-Type": "application/json"}
        start.wait()
        while True:
            body = bodies[next(counter) % len(bodies)]
            began = time.perf_counter()
            if began >= stop_at[0]:
                break
            conn.request("POST", "/api/v1/verify", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            mine.append(time.perf_counter() - began)
            if response.status != 200 or VALID not in answer:
                failures[index] += 1
                if failures[index] == 1:
                    print(f"{name}: {response.status} {answer[:400]!r}", file=sys.stderr)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    server_cpu, client_cpu = _cpu_seconds(pid), time.process_time()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    server_cpu = _cpu_seconds(pid) - server_cpu
    client_cpu = time.process_time() - client_cpu
    every = sorted(itertools.chain.from_iterable(latencies))
    p99 = every[min(len(every) - 1, int(len(every) * 0.99))]
    return Result(
        format=name,
        requests=len(every),
        seconds=elapsed,
        p50_ms=statistics.median(every) * 1000,
        p99_ms=p99 * 1000,
        failures=sum(failures),
        server_cpu_ms=server_cpu * 1000 / max(1, len(every)),
        client_cpu_ms=client_cpu * 1000 / max(1, len(every)),
    )


def table(results: list[Result], args: argparse.Namespace) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (
        f"`merkki serve --workers {args.workers}` on 127.0.0.1 (SQLite), {args.clients} "
        f"keep-alive clients in one process on the same machine, {args.seconds:g} s per "
        f"format after a {args.warmup:g} s warm-up, {args.credentials} distinct credentials "
        f"each; {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs. Measured {when}.\n\n"
        "| format | requests/s | p50 | p99 | requests | not 200 + valid | "
        "service CPU/request | client CPU/request | target |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
    )
    rows = [
        f"| {r.format} | {r.rate:,.0f} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms | "
        f"{r.requests:,} | {r.failures} | {r.server_cpu_ms:.2f} ms | {r.client_cpu_ms:.2f} ms | "
        f"{'≥ 300/s, p99 < 100 ms' if r.format.startswith('eddsa') else ''} |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="service processes")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured time per format")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--credentials", type=int, default=400, help="distinct credentials")
    parser.add_argument("--formats", default="eddsa-rdfc-2022,VC-JWT (EdDSA)")
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="merkki-verify-bench-") as tmp,
        serve(Path(tmp), args.workers) as (port, token, pid),
    ):
        bodies = prepare(port, token, args.credentials)
        for name in args.formats.split(","):
            load(port, pid, bodies[name], args.clients, args.warmup, name)
            result = load(port, pid, bodies[name], args.clients, args.seconds, name)
            print(table([result], args), file=sys.stderr)
            results.append(result)
    text = table(results, args)
    print(text)
    if args.write:
        write_table("verify", text)
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
