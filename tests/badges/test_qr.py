"""QR codes decode back to the page URL: PNG read with pypng, SVG rasterised from its path,
both decoded with zxing-cpp (an independent reader)."""

from __future__ import annotations

import re

import png
import pytest
import zxingcpp
from defusedxml import ElementTree

from badges.errors import InvalidInput
from badges.qr import MAX_TEXT, qr_png, qr_svg

URL = "https://merkki.example/credentials/0190f3c2-6d5e-7a1b-9c3d-2e4f5a6b7c8d"


def decode(pixels: bytes, width: int, height: int) -> list[str]:
    image = zxingcpp.ImageView(pixels, width, height, zxingcpp.ImageFormat.Lum)
    return [result.text for result in zxingcpp.read_barcodes(image)]


def png_pixels(data: bytes) -> tuple[bytes, int, int]:
    width, height, rows, info = png.Reader(bytes=data).asDirect()
    top = (1 << info["bitdepth"]) - 1
    assert info["planes"] == 1  # greyscale
    return bytes(value * 255 // top for row in rows for value in row), width, height


def svg_pixels(data: bytes, scale: int = 6) -> tuple[bytes, int, int]:
    """Rasterise the code's path (unit squares ``M x,y H.. V.. H.. z``) at ``scale``."""
    root = ElementTree.fromstring(data)
    _, _, width, height = (int(float(v)) for v in root.get("viewBox").split())
    grid = [[255] * width for _ in range(height)]
    paths = root.findall("{http://www.w3.org/2000/svg}path")
    assert len(paths) == 1
    for x, y in re.findall(r"M(\d+),(\d+)H\d+V\d+H\d+z", paths[0].get("d")):
        grid[int(y)][int(x)] = 0
    rows = [bytes(v for v in row for _ in range(scale)) for row in grid]
    pixels = b"".join(row for row in rows for _ in range(scale))
    return pixels, width * scale, height * scale


def test_png_decodes_to_the_url() -> None:
    data = qr_png(URL)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert decode(*png_pixels(data)) == [URL]


def test_svg_decodes_to_the_url() -> None:
    data = qr_svg(URL)
    root = ElementTree.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<script" not in data
    assert decode(*svg_pixels(data)) == [URL]


def test_svg_has_a_white_background_and_a_quiet_zone() -> None:
    root = ElementTree.fromstring(qr_svg(URL))
    rect = root.find("{http://www.w3.org/2000/svg}rect")
    assert rect is not None
    assert rect.get("fill") == "white"
    path = root.find("{http://www.w3.org/2000/svg}path").get("d")
    xs = [int(x) for x, _ in re.findall(r"M(\d+),(\d+)", path)]
    assert min(xs) == 4  # four modules of quiet zone


def test_same_text_same_bytes() -> None:
    assert qr_png(URL) == qr_png(URL)
    assert qr_svg(URL) == qr_svg(URL)
    assert qr_png(URL) != qr_png(URL + "x")


def test_box_size_scales_the_png() -> None:
    _, small, _ = png_pixels(qr_png(URL, box_size=2))
    _, large, _ = png_pixels(qr_png(URL, box_size=8))
    assert large == 4 * small


@pytest.mark.parametrize(
    ("text", "box_size"), [("", 8), ("x" * (MAX_TEXT + 1), 8), (URL, 0), (URL, 41)]
)
def test_refusals(text: str, box_size: int) -> None:
    with pytest.raises(InvalidInput):
        qr_png(text, box_size)
