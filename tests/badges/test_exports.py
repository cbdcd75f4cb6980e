"""The curated public API of ``badges``, and the one-way dependency rule."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import badges
from tests.conftest import REPO


def test_all_names_are_exported_and_sorted() -> None:
    assert badges.__all__ == sorted(badges.__all__)
    for name in badges.__all__:
        assert getattr(badges, name) is not None, name


def test_every_exported_class_and_function_lives_in_badges() -> None:
    for name in badges.__all__:
        value = getattr(badges, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert value.__module__.startswith("badges."), name


def test_badges_never_imports_issuer_or_web_or_db() -> None:
    forbidden = (
        "issuer",
        "fastapi",
        "sqlalchemy",
        "starlette",
        "httpx",
        "requests",
        "urllib.request",
    )
    for path in (REPO / "badges").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(forbidden), f"{Path(path).name} imports {name}"
