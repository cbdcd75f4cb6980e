"""Parsing fetched DID and controller documents with size and depth limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, NoReturn

from badges.did.common import (
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DEPTH,
    _resolution_error,
)
from badges.types import JSONObject


def _check_depth(value: object) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (iteratively, no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterator[object] = iter(item.values())
        elif isinstance(item, list):
            children = iter(item)
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> JSONObject:
    result: JSONObject = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"non-standard JSON constant {name}")


def parse_document(body: bytes, url: str) -> JSONObject:
    """Parse a fetched JSON document with size, depth and duplicate-member limits."""
    if not isinstance(body, bytes | bytearray):
        _resolution_error(f"document {url}: fetcher returned {type(body).__name__}, not bytes")
    if len(body) > MAX_DOCUMENT_BYTES:
        _resolution_error(
            f"document {url}: expected at most {MAX_DOCUMENT_BYTES} bytes, got {len(body)}"
        )
    try:
        text = bytes(body).decode("utf-8")
        document = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
        )
        _check_depth(document)
    except (ValueError, RecursionError) as exc:
        _resolution_error(f"document {url}: not valid JSON ({exc})", exc)
    if not isinstance(document, dict):
        _resolution_error(f"document {url}: expected a JSON object, got {type(document).__name__}")
    return document
