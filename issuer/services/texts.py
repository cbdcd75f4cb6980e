"""Picking one language from the service's multilingual texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from badges.model import LANGUAGES


def pick(value: Any, *langs: str) -> Any:
    """``value`` in the first of ``langs`` it has (then any language); plain values as is."""
    if not isinstance(value, Mapping) or not value or not set(value) <= set(LANGUAGES):
        return value
    for lang in (*langs, *LANGUAGES):
        if lang in value:
            return value[lang]
    return next(iter(value.values()))  # pragma: no cover - keys are languages


def first_language(value: Any) -> str | None:
    """The first language of a multilingual text (``None`` for a plain string)."""
    if isinstance(value, Mapping):
        for lang in LANGUAGES:
            if lang in value:
                return lang
    return None
