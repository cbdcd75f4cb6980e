"""Default badge artwork for achievements without an uploaded image.

A plain round badge in a colour derived from the achievement's id: as SVG with the
name's initials, and as a 256×256 PNG (a disc and a ring; drawn here with ``zlib`` and
``struct``, no imaging library). Placeholder artwork until real designs replace it.
"""

from __future__ import annotations

import colorsys
import hashlib
import struct
import zlib
from functools import lru_cache
from typing import Final
from xml.sax.saxutils import escape

SIZE: Final = 256
PALETTE_SATURATION: Final = 0.55
PALETTE_LIGHTNESS: Final = 0.38


def colour(seed: str) -> tuple[int, int, int]:
    """A dark, saturated colour picked by ``seed`` (white text stays readable on it)."""
    hue = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:2], "big") / 65536
    r, g, b = colorsys.hls_to_rgb(hue, PALETTE_LIGHTNESS, PALETTE_SATURATION)
    return round(r * 255), round(g * 255), round(b * 255)


def initials(name: str) -> str:
    """Up to two initials of ``name`` (``"Vertaismentoroinnin osallistuja"`` → ``"VO"``)."""
    letters = [word[0] for word in name.split() if word[:1].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def svg(name: str, seed: str) -> bytes:
    """The SVG artwork: a disc, a ring and the initials."""
    r, g, b = colour(seed)
    fill = f"#{r:02x}{g:02x}{b:02x}"
    text = escape(initials(name))
    title = escape(name)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}">'
        f"<title>{title}</title>"
        f'<circle cx="128" cy="128" r="124" fill="{fill}"/>'
        '<circle cx="128" cy="128" r="106" fill="none" stroke="#ffffff" stroke-width="6"/>'
        '<text x="128" y="128" text-anchor="middle" dominant-baseline="central" '
        'font-family="sans-serif" font-size="84" font-weight="700" fill="#ffffff">'
        f"{text}</text></svg>\n"
    ).encode()


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


@lru_cache(maxsize=64)
def png(seed: str) -> bytes:
    """The PNG artwork (RGBA, transparent outside the disc)."""
    fill = (*colour(seed), 255)
    white = (255, 255, 255, 255)
    clear = (0, 0, 0, 0)
    centre = (SIZE - 1) / 2
    rows = bytearray()
    for y in range(SIZE):
        rows.append(0)  # filter: none
        dy = (y - centre) ** 2
        for x in range(SIZE):
            distance = ((x - centre) ** 2 + dy) ** 0.5
            if distance > 124:
                pixel = clear
            elif 103 <= distance <= 109:
                pixel = white
            else:
                pixel = fill
            rows.extend(pixel)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )
