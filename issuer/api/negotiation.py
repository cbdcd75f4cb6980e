"""Proactive content negotiation on ``Accept`` (RFC 9110 §12.5.1)."""

from __future__ import annotations

from collections.abc import Sequence


def _parse(accept: str) -> list[tuple[str, float, int]]:
    """``(media range, q, position)`` for each entry of an Accept header."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media.lower(), q, position))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float, int]]) -> tuple[float, int, int]:
    """(q, specificity, -position) of the most specific range matching ``offer``."""
    kind = offer.split("/")[0]
    best: tuple[float, int, int] = (0.0, -1, 0)
    for media, q, position in ranges:
        if media == offer:
            specificity = 2
        elif media == f"{kind}/*":
            specificity = 1
        elif media == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[1]:
            best = (q, specificity, -position)
    return best


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers; ties go to the client's order, then to ``offers``'
    order. No ``Accept`` means anything (the first offer); ``None``: nothing acceptable."""
    ranges = _parse(accept or "")
    if not ranges:
        return offers[0] if offers else None
    scored = []
    for index, offer in enumerate(offers):
        q, specificity, position = _quality(offer, ranges)
        if q > 0:
            scored.append((q, specificity, position, -index, offer))
    if not scored:
        return None
    return max(scored)[4]
