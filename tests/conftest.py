"""Shared test fixtures: paths to the read-only reference data beside the repo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SPEC = SHARED / "spec"
VECTORS = SPEC / "vectors"
INTEROP = SHARED / "interop"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"the reference data folder {SHARED} is missing (it sits beside the repo)")
    return SHARED
