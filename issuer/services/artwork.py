"""Generated badge artwork for achievements without an uploaded image.

One design, drawn as SVG and rendered to a 512 × 512 PNG by ``resvg`` (``resvg-py``,
a self-contained wheel: no browser, no system library, no installed font):

* the **family** of the achievement (``artwork_families``) gives the shape (circle,
  hexagon, shield, octagon, rosette for pathways), the colours and the icon
  (``artwork_icons``);
* the **level** of an award (foundation, practitioner, expert) gives the metal of the
  rim (bronze, silver, gold), one to three rings inside it and one to three stars;
  artwork without a level has a pale pewter rim;
* the **title** in the chosen language is fitted into the field (``artwork_layout``):
  one to three balanced lines, hyphenated at syllables only when that makes it much
  larger, never wider than its box; it is drawn as glyph paths (``artwork_font``), so
  it looks the same everywhere and measuring it is exact;
* a **ribbon** carries the level's name (when there is a level) or the issuer's name.

The SVG has ``role="img"``, a ``<title>`` and ``<desc>``, ``lang``, no scripts, no
external references and no fonts: it passes ``badges.images.sanitize_svg``. The same
input always gives the same bytes, PNG included.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final
from xml.sax.saxutils import escape, quoteattr

import resvg_py

from issuer.services.artwork_families import Family, Shape, family_for
from issuer.services.artwork_font import Font, font
from issuer.services.artwork_icons import icon
from issuer.services.artwork_layout import Box, Layout, fit

SIZE: Final = 512
C: Final = SIZE / 2
OUTER: Final = 240.0
FIELD: Final = 224.0
WHITE: Final = "#ffffff"
METALS: Final[tuple[tuple[str, str, str], ...]] = (
    ("#f6d3b0", "#c98a53", "#8a4f24"),  # bronze
    ("#ffffff", "#c9d1da", "#7d8895"),  # silver
    ("#fff3b0", "#e8b923", "#9a6b0b"),  # gold
)
PEWTER: Final = ("#ffffff", "#e5e9ef", "#aab4c0")
TITLE_WIDTH: Final[dict[Shape, float]] = {
    "circle": 360,
    "hexagon": 344,
    "shield": 330,
    "octagon": 350,
    "rosette": 340,
}
LEVEL_KEYS: Final = ("foundation", "practitioner", "expert")


@dataclass(frozen=True, slots=True)
class Artwork:
    """What the artwork shows."""

    title: str
    lang: str
    family: Family
    level: int | None = None  # 0 foundation (bronze), 1 practitioner (silver), 2 expert (gold)
    level_name: str | None = None
    issuer_name: str | None = None

    @property
    def ribbon(self) -> str | None:
        text = self.level_name if self.level is not None else self.issuer_name
        return " ".join(text.split()) if text and text.strip() else None

    @property
    def label(self) -> str:
        """The accessible name: the title, with the level when there is one."""
        return f"{self.title} – {self.level_name}" if self.level_name else self.title


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- shapes -------------------------------------------------------------------------


def _rounded_polygon(points: list[tuple[float, float]], corner: float) -> str:
    n = len(points)
    parts = []
    for i, (x, y) in enumerate(points):
        px, py = points[i - 1]
        nx, ny = points[(i + 1) % n]
        d_prev = math.hypot(px - x, py - y)
        d_next = math.hypot(nx - x, ny - y)
        ax, ay = x + (px - x) * corner / d_prev, y + (py - y) * corner / d_prev
        bx, by = x + (nx - x) * corner / d_next, y + (ny - y) * corner / d_next
        move = "M" if i == 0 else "L"
        parts.append(f"{move}{_num(ax)} {_num(ay)}Q{_num(x)} {_num(y)} {_num(bx)} {_num(by)}")
    return "".join(parts) + "Z"


def _regular(sides: int, radius: float, rotation: float) -> list[tuple[float, float]]:
    return [
        (
            C + radius * math.cos(rotation + 2 * math.pi * i / sides),
            C + radius * math.sin(rotation + 2 * math.pi * i / sides),
        )
        for i in range(sides)
    ]


def shape_path(shape: Shape, r: float) -> str:
    """The outline of ``shape`` of size ``r`` (about its half-height) centred on the badge."""
    if shape == "hexagon":
        return _rounded_polygon(_regular(6, r * 1.04, -math.pi / 2), r * 0.16)
    if shape == "octagon":
        return _rounded_polygon(_regular(8, r * 1.03, math.pi / 8), r * 0.12)
    if shape == "shield":

        def p(x: float, y: float) -> str:
            return f"{_num(C + x * r)} {_num(C + y * r)}"

        return (
            f"M{p(-0.9, -0.74)}Q{p(-0.9, -0.92)} {p(-0.72, -0.92)}"
            f"Q{p(0, -1.04)} {p(0.72, -0.92)}Q{p(0.9, -0.92)} {p(0.9, -0.74)}"
            f"L{p(0.9, 0.1)}C{p(0.9, 0.55)} {p(0.5, 0.84)} {p(0, 1.02)}"
            f"C{p(-0.5, 0.84)} {p(-0.9, 0.55)} {p(-0.9, 0.1)}Z"
        )
    if shape == "rosette":
        lobes = 24
        base = r * 0.965
        points = _regular(lobes, base, -math.pi / 2)
        bulge = base * math.sin(math.pi / lobes) * 1.08
        arcs = "".join(
            f"A{_num(bulge)} {_num(bulge)} 0 0 1 {_num(x)} {_num(y)}" for x, y in points[1:]
        )
        x0, y0 = points[0]
        return (
            f"M{_num(x0)} {_num(y0)}{arcs}A{_num(bulge)} {_num(bulge)} 0 0 1 {_num(x0)} {_num(y0)}Z"
        )
    half = f"A{_num(r)} {_num(r)} 0 1 0"
    return f"M{_num(C - r)} {_num(C)}{half} {_num(C + r)} {_num(C)}{half} {_num(C - r)} {_num(C)}Z"


# --- text ---------------------------------------------------------------------------


def _glyph_id(char: str) -> str:
    return f"g{ord(char):x}"


def _text(face: Font, layout: Layout, fill: str, used: set[str]) -> str:
    """The lines of ``layout`` as ``<use>`` of glyph paths (collected in ``used``)."""
    scale = layout.size / face.units_per_em
    out = []
    for line in layout.lines:
        uses = []
        x = 0
        for char in line.text:
            if char != " ":
                used.add(char)
                uses.append(f'<use href="#{_glyph_id(char)}" x="{x}"/>')
            x += face.widths[char]
        out.append(
            f'<g transform="translate({_num(line.x)} {_num(line.baseline)}) '
            f'scale({scale:.5f} {-scale:.5f})" fill="{fill}">{"".join(uses)}</g>'
        )
    return "".join(out)


# --- the badge ----------------------------------------------------------------------


def _star(x: float, y: float, r: float) -> str:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + math.pi * i / 5
        points.append(f"{_num(x + radius * math.cos(angle))} {_num(y + radius * math.sin(angle))}")
    return "M" + "L".join(points) + "Z"


def _ribbon(art: Artwork, face: Font, used: set[str], top: float) -> str:
    family = art.family
    height = 50.0
    left, right = 62.0, SIZE - 62.0
    bottom = top + height
    tail = (
        f'<path d="M{_num(left + 18)} {_num(top + 12)}H{_num(left - 38)}L{_num(left - 20)} '
        f"{_num(top + 12 + height / 2)}L{_num(left - 38)} {_num(bottom + 12)}"
        f'H{_num(left + 18)}Z" fill="{family.dark}"/>'
        f'<path d="M{_num(left)} {_num(bottom)}L{_num(left + 18)} {_num(bottom + 12)}'
        f'V{_num(bottom)}Z" fill="#000000" fill-opacity="0.45"/>'
    )
    mirrored = f'<g transform="translate({SIZE} 0) scale(-1 1)">{tail}</g>'
    band = (
        f'<path d="M{_num(left)} {_num(top)}H{_num(right)}V{_num(bottom)}H{_num(left)}Z" '
        'fill="url(#ribbon)"/>'
    )
    text = ""
    if art.ribbon:
        box = Box(C, top + height / 2, right - left - 40, 22, 22, 11, max_lines=1)
        layout = fit(face, art.ribbon.upper(), box)
        text = _text(face, layout, family.dark, used)
    return tail + mirrored + band + text


def _defs(art: Artwork, face: Font, used: set[str]) -> str:
    metal = PEWTER
    if art.level is not None:
        metal = METALS[art.level]
    elif art.family.shape == "rosette":  # a pathway: a larger qualification, in gold
        metal = METALS[2]
    family = art.family
    glyphs = "".join(
        f'<path id="{_glyph_id(char)}" d="{face.paths[char]}"/>' for char in sorted(used)
    )
    return (
        "<defs>"
        '<linearGradient id="rim" x1="0" y1="0" x2="0.35" y2="1">'
        f'<stop offset="0" stop-color="{metal[0]}"/><stop offset="0.45" stop-color="{metal[1]}"/>'
        f'<stop offset="1" stop-color="{metal[2]}"/></linearGradient>'
        '<linearGradient id="field" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{family.light}"/>'
        f'<stop offset="0.42" stop-color="{family.colour}"/>'
        f'<stop offset="1" stop-color="{family.dark}"/></linearGradient>'
        '<linearGradient id="ribbon" x1="0" y1="0" x2="0" y2="1">'
        '<stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="#eef1f5"/>'
        "</linearGradient>"
        f"{glyphs}</defs>"
    )


def svg_text(art: Artwork) -> str:
    """The artwork as an SVG document (text)."""
    face = font()
    family = art.family
    shape = family.shape
    used: set[str] = set()
    rings = 1 + (art.level or 0)
    ring_paths = "".join(
        f'<path d="{shape_path(shape, FIELD - 10 - 7 * i)}" fill="none" stroke="{WHITE}" '
        f'stroke-opacity="{0.45 - 0.1 * i:.2f}" stroke-width="2.5"/>'
        for i in range(rings)
    )
    has_ribbon = art.ribbon is not None
    title_box = Box(
        C,
        298 if has_ribbon else 318,
        TITLE_WIDTH[shape],
        104 if has_ribbon else 124,
        48,
        19,
    )
    title = _text(face, fit(face, art.title, title_box), WHITE, used)
    ribbon = _ribbon(art, face, used, 368) if has_ribbon else ""
    stars = ""
    if art.level is not None:
        count = art.level + 1
        y = 454 if shape != "shield" else 450
        stars = "".join(
            f'<path d="{_star(C + (i - (count - 1) / 2) * 38, y, 16)}" fill="url(#rim)" '
            f'stroke="{family.dark}" stroke-width="1.5" stroke-linejoin="round"/>'
            for i in range(count)
        )
    body = (
        f'<path d="{shape_path(shape, OUTER)}" transform="translate(0 7)" fill="#000000" '
        'fill-opacity="0.22"/>'
        f'<path d="{shape_path(shape, OUTER)}" fill="url(#rim)"/>'
        f'<path d="{shape_path(shape, FIELD)}" fill="url(#field)"/>'
        f"{ring_paths}"
        f'<g transform="translate({_num(C)} 148) scale(1.15)">'
        f"{icon(family.icon, family.colour)}</g>"
        f"{title}{ribbon}{stars}"
    )
    label = escape(art.label)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}" role="img" aria-labelledby="title desc" '
        f"lang={quoteattr(art.lang)}>"
        f'<title id="title">{label}</title>'
        f'<desc id="desc">{escape(_description(art))}</desc>'
        f"{_defs(art, face, used)}{body}</svg>\n"
    )


def _description(art: Artwork) -> str:
    parts = [f"Badge: {art.title}"]
    if art.level_name:
        parts.append(f"level: {art.level_name}")
    if art.issuer_name:
        parts.append(f"issuer: {art.issuer_name}")
    return "; ".join(parts)


def svg(art: Artwork) -> bytes:
    """The artwork as SVG bytes."""
    return svg_text(art).encode("utf-8")


@lru_cache(maxsize=128)
def png(art: Artwork) -> bytes:
    """The artwork rendered to a 512 × 512 RGBA PNG (no system fonts are read)."""
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg_text(art),
            width=SIZE,
            height=SIZE,
            skip_system_fonts=True,
            shape_rendering="geometric_precision",
        )
    )


# --- from an achievement ------------------------------------------------------------


def _in(value: Any, lang: str) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        text = value.get(lang) or next((v for v in value.values() if isinstance(v, str)), None)
        return text if isinstance(text, str) else None
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, str)]
    return []


def levels(source: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The rubric levels of an achievement source, in order."""
    out: list[Mapping[str, Any]] = []
    for description in source.get("resultDescription") or []:
        if isinstance(description, Mapping):
            out.extend(
                item
                for item in description.get("rubricCriterionLevel") or []
                if isinstance(item, Mapping)
            )
    return out


def level_key(level_id: str) -> str:
    """``…#level-expert`` → ``expert``."""
    return level_id.rpartition("#")[2].removeprefix("level-")


def find_level(source: Mapping[str, Any], level: str) -> tuple[int, Mapping[str, Any]] | None:
    """The metal (0–2) and rubric level named by id, fragment or key, if the source has it."""
    found = levels(source)
    for i, item in enumerate(found):
        key = level_key(str(item.get("id", "")))
        if level in (str(item.get("id", "")), key, f"level-{key}"):
            if key in LEVEL_KEYS:
                return LEVEL_KEYS.index(key), item
            return (0 if i == 0 else 2 if i == len(found) - 1 else 1), item
    return None


def artwork_for(
    source: Mapping[str, Any],
    *,
    seed: str,
    lang: str,
    catalog_key: str | None = None,
    level: str | None = None,
    issuer_name: str | None = None,
) -> Artwork:
    """The artwork of an achievement version's ``source`` in ``lang`` (a ``level`` the
    source has no rubric level for is ignored); ``seed`` is the achievement's id."""
    name = source.get("name")
    title = _in(name, lang) or "?"
    family = family_for(catalog_key, _names(name), seed)
    found = find_level(source, level) if level else None
    if found is None:
        return Artwork(title, lang, family, issuer_name=issuer_name)
    metal, item = found
    return Artwork(
        title,
        lang,
        family,
        level=metal,
        level_name=_in(item.get("name"), lang) or level_key(str(item.get("id", ""))),
        issuer_name=issuer_name,
    )


def source_digest(source: Mapping[str, Any]) -> str:
    """A short digest of an achievement version's source: names the version in the
    default image URL (a URL that always shows that version's artwork)."""
    data = json.dumps(source, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def default_image_url(achievement_url: str, source: Mapping[str, Any], lang: str) -> str:
    """``{achievement_url}/artwork.png?lang=…&v=…``: the credential's image when the
    achievement has no uploaded image."""
    return f"{achievement_url}/artwork.png?lang={lang}&v={source_digest(source)}"
