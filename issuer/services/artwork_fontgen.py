"""Regenerates ``artwork_font.json``: the glyph outlines the badge artwork draws text with.

The artwork writes its titles as SVG paths, not ``<text>``, so every browser and the PNG
renderer show exactly the same letters and the layout can measure them exactly: no font
has to be installed where the service runs. The outlines come from DejaVu Sans Condensed
Bold (Debian ``fonts-dejavu-core``; Bitstream Vera / DejaVu licence, which allows
redistribution with its notice, kept in the file). Run, with ``fonttools`` installed::

    python -m issuer.services.artwork_fontgen \\
        /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf

Coordinates are integer font units (y up), so the JSON is small and stable.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any, Final

OUTPUT: Final = Path(__file__).with_name("artwork_font.json")
LICENCE: Final = (
    "Glyph outlines of DejaVu Sans Condensed Bold. Fonts are (c) Bitstream (see below). "
    "DejaVu changes are in public domain. Bitstream Vera Fonts Copyright (c) 2003 by "
    "Bitstream, Inc. All Rights Reserved. Bitstream Vera is a trademark of Bitstream, Inc. "
    "Permission is hereby granted, free of charge, to any person obtaining a copy of the "
    "fonts accompanying this license and associated documentation files, to use, copy, "
    "merge, publish, distribute, and/or sell copies of the Font Software, subject to the "
    "conditions of the Bitstream Vera licence (https://dejavu-fonts.github.io/License.html)."
)
EXTRA: Final = "‐–—‘’‚“”„…•·€ǥǦǧǩǨǯǮʒƷ"


def characters() -> list[str]:
    """Basic Latin, Latin-1, Latin Extended-A (Finnish, Swedish, Sámi, most of Europe)."""
    chars = [chr(c) for c in range(0x20, 0x7F)]
    chars += [chr(c) for c in range(0xA0, 0x180) if c != 0xAD]
    return chars + list(EXTRA)


def _round_pen(pen_module: Any, glyph_set: Any) -> Any:
    return pen_module.SVGPathPen(glyph_set, ntos=lambda value: str(round(value)))


def generate(font_path: Path) -> dict[str, Any]:
    tt_lib = importlib.import_module("fontTools.ttLib")
    svg_pen = importlib.import_module("fontTools.pens.svgPathPen")
    font = tt_lib.TTFont(str(font_path))
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    glyphs: dict[str, dict[str, Any]] = {}
    for char in characters():
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = _round_pen(svg_pen, glyph_set)
        glyph_set[name].draw(pen)
        glyphs[char] = {"w": glyph_set[name].width, "d": pen.getCommands()}
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    return {
        "licence": LICENCE,
        "family": "DejaVu Sans Condensed Bold",
        "unitsPerEm": head.unitsPerEm,
        "ascender": hhea.ascent,
        "descender": hhea.descent,
        "capHeight": getattr(os2, "sCapHeight", 0) or round(head.unitsPerEm * 0.729),
        "glyphs": glyphs,
    }


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m issuer.services.artwork_fontgen FONT.ttf")
    data = generate(Path(argv[0]))
    OUTPUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=0) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
