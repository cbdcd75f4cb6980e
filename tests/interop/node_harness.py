"""Call the independent Node.js harness (tests/interop/node/harness.mjs) from Python tests.

The harness reads one JSON request on stdin and writes one JSON response on stdout; see
tests/interop/node/README.md for the ops. Its node_modules are installed by `make node`
(`npm ci` in tests/interop/node).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parent / "node"
HARNESS = NODE_DIR / "harness.mjs"
NODE_MODULES = NODE_DIR / "node_modules"


class NodeHarnessError(RuntimeError):
    """The harness itself failed (crash, no node_modules, unreadable output, timeout)."""


def node_executable() -> str | None:
    """Path of `node` on PATH, or None."""
    return shutil.which("node")


def require_node_harness() -> None:
    """For tests: skip when node is not installed, fail when the npm packages are missing."""
    if node_executable() is None:
        pytest.skip("node is not on PATH: the Node.js interop harness cannot run")
    if not (NODE_MODULES / "@digitalbazaar" / "vc").is_dir():
        pytest.fail(
            f"{NODE_MODULES} is missing or incomplete: run `make node` "
            "(npm ci in tests/interop/node)"
        )


def run_node(request: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    """Send one request to the harness and return its JSON response.

    Request errors come back as ``{"ok": False, "error": ...}``; a harness crash, a
    timeout or output that is not one JSON object raises NodeHarnessError.
    """
    node = node_executable()
    if node is None:
        raise NodeHarnessError("node is not on PATH")
    try:
        proc = subprocess.run(
            [node, str(HARNESS)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=NODE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise NodeHarnessError(f"node harness timed out after {timeout}s") from exc
    if proc.returncode != 0:
        raise NodeHarnessError(
            f"node harness exited {proc.returncode}: {proc.stderr.strip() or proc.stdout.strip()}"
        )
    try:
        response = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise NodeHarnessError(f"node harness printed no JSON: {proc.stdout[:500]!r}") from exc
    if not isinstance(response, dict):
        raise NodeHarnessError(f"node harness response is not an object: {response!r}")
    return response


def run_node_batch(requests: list[dict[str, Any]], timeout: float = 120) -> list[dict[str, Any]]:
    """Run several requests in one node process; returns one response per request."""
    response = run_node({"op": "batch", "requests": requests}, timeout=timeout)
    if not response.get("ok"):
        raise NodeHarnessError(f"batch failed: {response.get('error')}")
    responses: list[dict[str, Any]] = response["responses"]
    if len(responses) != len(requests):
        raise NodeHarnessError("batch returned a different number of responses")
    return responses
