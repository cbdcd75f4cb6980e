"""The glyph outlines the badge artwork writes text with (``artwork_font.json``).

Text is drawn as paths (see ``artwork_fontgen``), so measuring it here is exact: a line's
width is the sum of its glyphs' advances. A character the table lacks is drawn as its
base letter when it has one (``ǖ`` → ``u``), otherwise as ``?``.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FALLBACK = "?"


@dataclass(frozen=True, slots=True)
class Font:
    units_per_em: int
    ascender: int
    descender: int
    cap_height: int
    widths: dict[str, int]
    paths: dict[str, str]

    def char(self, char: str) -> str:
        """``char`` if the font has it, else its base letter, else ``?``."""
        if char in self.widths:
            return char
        base = unicodedata.normalize("NFKD", char)[:1]
        if base in self.widths:
            return base
        return " " if char.isspace() else FALLBACK

    def text(self, text: str) -> str:
        """``text`` with every character the font can draw (see :meth:`char`)."""
        return "".join(self.char(char) for char in unicodedata.normalize("NFC", text))

    def advance(self, text: str) -> int:
        """The width of ``text`` in font units (``text`` already passed :meth:`text`)."""
        return sum(self.widths[char] for char in text)

    def width(self, text: str, size: float) -> float:
        """The width of ``text`` in pixels at font size ``size``."""
        return self.advance(self.text(text)) * size / self.units_per_em


@cache
def font() -> Font:
    raw: dict[str, Any] = json.loads(
        resources.files("issuer.services").joinpath("artwork_font.json").read_text("utf-8")
    )
    glyphs: dict[str, dict[str, Any]] = raw["glyphs"]
    return Font(
        units_per_em=int(raw["unitsPerEm"]),
        ascender=int(raw["ascender"]),
        descender=int(raw["descender"]),
        cap_height=int(raw["capHeight"]),
        widths={char: int(glyph["w"]) for char, glyph in glyphs.items()},
        paths={char: str(glyph["d"]) for char, glyph in glyphs.items()},
    )
