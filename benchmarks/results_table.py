"""Putting a benchmark's results table between its markers in ``benchmarks/README.md``."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def write_table(name: str, text: str) -> None:
    """Replace what stands between ``<!-- name:begin -->`` and ``<!-- name:end -->``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    readme = README.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(readme):
        raise SystemExit(f"{README} has no {begin} … {end} markers")
    body = text if text.endswith("\n") else text + "\n"
    README.write_text(pattern.sub(lambda _m: f"{begin}\n{body}{end}", readme), encoding="utf-8")
