"""JSON-LD to RDF, badges.jsonld against pyld, on the OB 3.0 test vector credential.

    .venv/bin/python benchmarks/jsonld_to_rdf.py [--seconds 3]

Both convert the same document with the same pinned contexts, one process,
one after the other; pyld gets a loader that serves the pinned files.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyld import jsonld

from badges.contexts import load_document
from badges.jsonld import to_rdf

VECTOR = (
    Path(__file__).resolve().parents[2]
    / "shared/spec/vectors/ob_v3p0/ldp-ob.unsigned.extracted.json"
)


def rate(operation: Callable[[], object], seconds: float) -> float:
    operation()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        operation()
        count += 1
    return count / (time.perf_counter() - start)


def pyld_loader(url: str, _options: Any = None) -> dict[str, Any]:
    return {"contextUrl": None, "documentUrl": url, "document": load_document(url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    document = json.loads(VECTOR.read_text())
    ours = rate(lambda: to_rdf(document), args.seconds)
    theirs = rate(lambda: jsonld.to_rdf(document, {"documentLoader": pyld_loader}), args.seconds)
    print("| converter | documents/s |\n|---|---:|")
    print(f"| badges.jsonld | {ours:,.0f} |\n| pyld | {theirs:,.0f} |")
    print(f"\nbadges.jsonld is {ours / theirs:.1f}× pyld on this document.")


if __name__ == "__main__":
    main()
