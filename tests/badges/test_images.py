"""``badges.images``: PNG and SVG checked and sanitised; every refusal has a reason."""

from __future__ import annotations

import struct
import zlib

import pytest

from badges.errors import InvalidImage, InvalidInput
from badges.images import (
    MAX_DIMENSION,
    PNG_MEDIA_TYPE,
    SVG_MEDIA_TYPE,
    sanitize_image,
    sanitize_png,
    sanitize_svg,
    sniff_media_type,
)

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def ihdr(width: int, height: int, depth: int = 8, colour: int = 6, interlace: int = 0) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))


def pixels(width: int, height: int, channels: int = 4) -> bytes:
    """Scanlines of a gradient, each with filter byte 0."""
    rows = []
    for y in range(height):
        row = bytes((x * 7 + y * 13 + c * 50) % 256 for x in range(width) for c in range(channels))
        rows.append(b"\x00" + row)
    return b"".join(rows)


def png(
    width: int = 16,
    height: int = 12,
    *,
    raw: bytes | None = None,
    extra: bytes = b"",
    split: int = 0,
) -> bytes:
    """A real RGBA PNG made with zlib; ``extra`` chunks go before IDAT."""
    compressed = zlib.compress(pixels(width, height) if raw is None else raw, 9)
    if split:
        idat = b"".join(
            chunk(b"IDAT", compressed[i : i + split]) for i in range(0, len(compressed), split)
        )
    else:
        idat = chunk(b"IDAT", compressed)
    return SIGNATURE + ihdr(width, height) + extra + idat + chunk(b"IEND", b"")


def text_chunk(kind: bytes, keyword: bytes, text: bytes = b"{}") -> bytes:
    if kind == b"tEXt":
        return chunk(kind, keyword + b"\x00" + text)
    if kind == b"zTXt":
        return chunk(kind, keyword + b"\x00\x00" + zlib.compress(text))
    return chunk(kind, keyword + b"\x00\x00\x00\x00\x00" + text)  # iTXt, uncompressed


def refused(data: bytes, media_type: str, *words: str) -> str:
    with pytest.raises(InvalidImage) as caught:
        sanitize_image(data, media_type)
    message = str(caught.value)
    for word in words:
        assert word in message, message
    return message


# --------------------------------------------------------------------------- PNG


def test_png_happy_path_is_kept_byte_for_byte() -> None:
    data = png(split=7, extra=text_chunk(b"tEXt", b"Title", b"Mentori"))
    checked = sanitize_image(data, PNG_MEDIA_TYPE)
    assert checked.media_type == PNG_MEDIA_TYPE
    assert checked.extension == "png"
    assert (checked.width, checked.height) == (16, 12)
    assert checked.data == data


@pytest.mark.parametrize("interlace", [0, 1])
@pytest.mark.parametrize(("depth", "colour", "channels"), [(1, 0, 1), (16, 2, 3), (8, 4, 2)])
def test_png_other_formats(depth: int, colour: int, channels: int, interlace: int) -> None:
    width, height = 5, 3
    bits = depth * channels

    def size(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits + 7) // 8)

    if interlace:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4)]
        passes += [(0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        total = sum(
            size((width - x + dx - 1) // dx, (height - y + dy - 1) // dy) for x, y, dx, dy in passes
        )
    else:
        total = size(width, height)
    data = (
        SIGNATURE
        + ihdr(width, height, depth, colour, interlace)
        + chunk(b"IDAT", zlib.compress(bytes(total)))
        + chunk(b"IEND", b"")
    )
    assert sanitize_png(data).data == data


def test_indexed_png_needs_a_palette() -> None:
    raw = bytes(2 * (1 + 2))
    body = chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    with_palette = SIGNATURE + ihdr(2, 2, 8, 3) + chunk(b"PLTE", bytes(6)) + body
    assert sanitize_png(with_palette).data == with_palette
    refused(SIGNATURE + ihdr(2, 2, 8, 3) + body, PNG_MEDIA_TYPE, "palette")


@pytest.mark.parametrize("kind", [b"tEXt", b"iTXt", b"zTXt"])
@pytest.mark.parametrize("keyword", [b"openbadges", b"openbadgecredential", b"OpenBadges"])
def test_baked_badges_are_stripped(kind: bytes, keyword: bytes) -> None:
    baked = text_chunk(kind, keyword, b'{"type": ["OpenBadgeCredential"]}')
    other = text_chunk(kind, b"Comment", b"kept")
    checked = sanitize_png(png(extra=baked + other))
    assert checked.data == png(extra=other)
    assert b"OpenBadgeCredential" not in checked.data


def test_decompression_bomb_is_refused_without_inflating_it_all() -> None:
    # 64 bytes per row declared; the stream inflates to 256 MiB of zeros
    bomb = zlib.compressobj(9)
    compressed = b"".join(bomb.compress(bytes(1024 * 1024)) for _ in range(256)) + bomb.flush()
    assert len(compressed) < 300_000
    data = SIGNATURE + ihdr(16, 16) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")
    refused(data, PNG_MEDIA_TYPE, "decompresses to more than its dimensions allow")


def test_bomb_at_the_largest_allowed_dimensions() -> None:
    side = MAX_DIMENSION
    expected = side * (1 + side * 4)  # 64 MiB + filter bytes: allowed by the header
    bomb = zlib.compressobj(9)
    parts = [bomb.compress(bytes(8 * 1024 * 1024)) for _ in range(expected // (8 << 20) + 2)]
    compressed = b"".join(parts) + bomb.flush()
    assert len(compressed) < 200_000
    data = SIGNATURE + ihdr(side, side) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")
    refused(data, PNG_MEDIA_TYPE, "bomb")


@pytest.mark.parametrize(("width", "height"), [(MAX_DIMENSION + 1, 1), (1, 100_000)])
def test_oversize_dimensions(width: int, height: int) -> None:
    data = SIGNATURE + ihdr(width, height) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    refused(data, PNG_MEDIA_TYPE, "4096×4096")


def test_decoded_size_limit() -> None:
    data = SIGNATURE + ihdr(4096, 4096, 16, 6) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    refused(data, PNG_MEDIA_TYPE, "64 MiB")


def test_bad_crc() -> None:
    good = png()
    idat_at = good.index(b"IDAT")
    tampered = bytearray(good)
    tampered[idat_at + 6] ^= 0xFF  # a byte of the compressed data
    refused(bytes(tampered), PNG_MEDIA_TYPE, "IDAT", "bad CRC")
    wrong = SIGNATURE + chunk(b"IHDR", good[16:29], crc=0) + good[33:]
    refused(wrong, PNG_MEDIA_TYPE, "IHDR", "CRC")


@pytest.mark.parametrize("cut", [8, 20, 40, -12, -1])
def test_truncated(cut: int) -> None:
    refused(png()[:cut], PNG_MEDIA_TYPE, "truncated")


def test_truncated_image_stream() -> None:
    compressed = zlib.compress(pixels(16, 12))[:-20]
    data = SIGNATURE + ihdr(16, 12) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")
    refused(data, PNG_MEDIA_TYPE, "incomplete")


def test_short_image_data() -> None:
    refused(png(raw=pixels(16, 11)), PNG_MEDIA_TYPE, "its header says")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"GIF89a" + bytes(40), "signature"),
        (SIGNATURE + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "IHDR"),
        (png() + b"trailing", "after the IEND"),
        (SIGNATURE + ihdr(1, 1) + chunk(b"IEND", b""), "no image data"),
        (SIGNATURE + ihdr(0, 1) + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "zero"),
        (SIGNATURE + ihdr(1, 1, 3, 2) + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "bit depth"),
        (png(extra=chunk(b"ABCD", b"")), "critical chunk ABCD"),
        (png(extra=ihdr(1, 1)), "more than one IHDR"),
        (SIGNATURE + ihdr(1, 1) + chunk(b"IDAT", b"x\x9c"), "no IEND"),
        (SIGNATURE + ihdr(1, 1) + chunk(b"IDAT", b"not zlib") + chunk(b"IEND", b""), "cannot"),
    ],
)
def test_malformed_png(data: bytes, reason: str) -> None:
    refused(data, PNG_MEDIA_TYPE, reason)


def test_idat_chunks_must_be_consecutive() -> None:
    compressed = zlib.compress(pixels(16, 12))
    data = (
        SIGNATURE
        + ihdr(16, 12)
        + chunk(b"IDAT", compressed[:10])
        + text_chunk(b"tEXt", b"x")
        + chunk(b"IDAT", compressed[10:])
        + chunk(b"IEND", b"")
    )
    refused(data, PNG_MEDIA_TYPE, "consecutive")


def test_too_large_file() -> None:
    with pytest.raises(InvalidImage, match="larger than 100 bytes"):
        sanitize_png(png(), max_bytes=100)


def test_invalid_image_is_invalid_input() -> None:
    assert issubclass(InvalidImage, InvalidInput)
    refused(b"GIF89a", "image/gif", "unsupported image type")


# --------------------------------------------------------------------------- SVG

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'

BADGE_SVG = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- made by hand -->
{SVG_HEAD} width="200" height="200" viewBox="0 0 200 200">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0%" stop-color="#1d4ed8"/>
      <stop offset="100%" stop-color="#60a5fa"/>
    </linearGradient>
    <style>.title {{ font: bold 20px sans-serif; fill: url(#sky); }}</style>
  </defs>
  <circle cx="100" cy="100" r="90" fill="url(#sky)" stroke="#0f172a" stroke-width="4"/>
  <use xlink:href="#ring" href="#ring"/>
  <image width="10" height="10" href="data:image/png;base64,iVBORw0KGgo="/>
  <text x="100" y="110" text-anchor="middle" class="title">Mentori – Vertaismentori</text>
  <a href="#top"><title>Ylös</title></a>
</svg>
"""


def test_svg_happy_path_keeps_meaning() -> None:
    import xml.etree.ElementTree as ET

    checked = sanitize_image(BADGE_SVG.encode(), SVG_MEDIA_TYPE)
    assert checked.media_type == SVG_MEDIA_TYPE
    assert checked.extension == "svg"
    text = checked.data.decode()
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>")
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text
    assert "<!--" not in text
    assert 'xlink:href="#ring"' in text
    assert "Mentori – Vertaismentori" in text
    original = ET.fromstring(BADGE_SVG.encode())  # noqa: S314 - our own test document
    again = ET.fromstring(checked.data)  # noqa: S314
    assert [(e.tag, e.attrib, (e.text or "").strip()) for e in original.iter()] == [
        (e.tag, e.attrib, (e.text or "").strip()) for e in again.iter()
    ]
    assert sanitize_svg(checked.data).data == checked.data  # idempotent


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&xxe;</text></svg>"""

DOCTYPE = """<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg"/>"""


def svg(body: str, attrs: str = "") -> bytes:
    return f"{SVG_HEAD}{attrs}>{body}</svg>".encode()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS.encode(), "DTDs, entities"),
        (EXTERNAL_ENTITY.encode(), "DTDs, entities"),
        (DOCTYPE.encode(), "DTDs, entities"),
        (svg("<script>alert(1)</script>"), "<script>"),
        (svg('<script xlink:href="https://evil.example/x.js"/>'), "<script>"),
        (svg("", ' onload="alert(1)"'), "'onload'"),
        (svg('<rect width="1" height="1" onclick="alert(1)"/>'), "'onclick'"),
        (svg('<g><rect ONMOUSEOVER="x"/></g>'), "ONMOUSEOVER"),
        (
            svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
            "foreignObject",
        ),
        (svg('<div xmlns="http://www.w3.org/1999/xhtml"/>'), "HTML elements"),
        (svg('<image href="https://evil.example/track.png"/>'), "evil.example"),
        (svg('<use xlink:href="other.svg#icon"/>'), "other.svg"),
        (svg('<a href="javascript:alert(1)"><text>x</text></a>'), "javascript"),
        (svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'), "data:image/svg"),
        (svg('<image href="data:text/html,hi"/>'), "data:text/html"),
        (svg('<rect fill="url(https://evil.example/p.svg#g)"/>'), "external reference"),
        (svg('<rect style="fill: url(//evil.example/x)"/>'), "external reference"),
        (svg("<style>@import url(#x);</style>"), "@import"),
        (svg("<style>rect { background: url('http://evil.example/') }</style>"), "external"),
        (svg('<set attributeName="href" to="javascript:alert(1)"/>'), "javascript"),
        (svg('<animate attributeName="xlink:href" values="#a"/>'), "may not animate"),
        (svg("", ' xml:base="https://evil.example/"'), "xml:base"),
        (
            svg(
                '<openbadges:credential xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
                "<![CDATA[{}]]></openbadges:credential>"
            ),
            "baked Open Badge",
        ),
        (
            svg('<openbadges:assertion xmlns:openbadges="http://openbadges.org" verify="x"/>'),
            "baked Open Badge",
        ),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "root element"),
        (svg('<g xmlns=""><rect/></g>'), "outside any namespace"),
        (b"<svg><rect/></svg>", "SVG namespace"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "well-formed"),
        (b"\x89PNG not xml", "well-formed"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g>" * 300 + b"</g>" * 300 + b"</svg>",
            "nested",
        ),
    ],
)
def test_unsafe_svg_is_refused(data: bytes, reason: str) -> None:
    refused(data, SVG_MEDIA_TYPE, reason)


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 140_000  # just under 1 MiB
    data = b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g>" * depth + b"</g>" * depth
    refused(data + b"</svg>", SVG_MEDIA_TYPE, "nested")


def test_sniff() -> None:
    assert sniff_media_type(png()) == PNG_MEDIA_TYPE
    assert sniff_media_type(b"\xef\xbb\xbf\n  <svg/>") == SVG_MEDIA_TYPE
    assert sniff_media_type(b"GIF89a") is None
