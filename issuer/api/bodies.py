"""Reading request bodies with a size cap, before anything parses them."""

from __future__ import annotations

from fastapi import Request

from issuer.errors import PayloadTooLarge


def media_type(header: str | None) -> str:
    """The bare, lower-case media type of a ``Content-Type`` header (``""`` if none)."""
    return (header or "").split(";", 1)[0].strip().lower()


async def read_capped(request: Request, limit: int, too_large: str) -> bytes:
    """The body, refused with ``too_large`` (413) as soon as it is known to pass ``limit``
    bytes: by its ``Content-Length``, or while streaming (chunked bodies)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(too_large)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise PayloadTooLarge(too_large)
    return bytes(data)
