"""Badge families: the shape, colours and icon of each kind of leadership badge.

The family of a catalog achievement is the catalog entry's ``family`` (found through the
achievement's ``catalog_key``); the catalog's pathway achievements are rosettes in their
family's colours with the pathway icon. An achievement made through the API has no
catalog key: its family is guessed from words of its name in any language
(:data:`KEYWORDS`), else it is ``general``, whose colour is picked from its id.
"""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass, replace
from functools import cache
from typing import Final, Literal

from issuer.catalog import load_catalog

Shape = Literal["circle", "hexagon", "shield", "octagon", "rosette"]


@dataclass(frozen=True, slots=True)
class Family:
    key: str
    shape: Shape
    icon: str
    colour: str  # the field behind the white title (contrast ≥ 4.5:1 with white)
    light: str  # the top of the field's gradient
    dark: str  # the shadow, the ribbon's text


FAMILIES: Final[dict[str, Family]] = {
    family.key: family
    for family in (
        Family("mentoring", "circle", "mentoring", "#0f766e", "#14b8a6", "#134e4a"),
        Family("hr-network", "circle", "network", "#9a3412", "#f97316", "#431407"),
        Family("onboarding", "circle", "seedling", "#15803d", "#4ade80", "#14532d"),
        Family("development", "hexagon", "lightbulb", "#b45309", "#f59e0b", "#78350f"),
        Family("change", "hexagon", "change", "#be123c", "#fb7185", "#881337"),
        Family("competence", "shield", "competence", "#1d4ed8", "#60a5fa", "#1e3a8a"),
        Family("work-organisation", "shield", "locations", "#4338ca", "#818cf8", "#312e81"),
        Family("equality", "shield", "scales", "#a21caf", "#e879f9", "#701a75"),
        Family("pedagogy", "octagon", "graduation", "#7e22ce", "#c084fc", "#581c87"),
        Family("digital", "octagon", "digital", "#0e7490", "#22d3ee", "#164e63"),
        Family("pathway", "rosette", "pathway", "#1e3a5f", "#3b82f6", "#0f172a"),
        Family("general", "circle", "star", "#334155", "#94a3b8", "#0f172a"),
    )
}

KEYWORDS: Final[tuple[tuple[str, str], ...]] = (
    ("mentor", "mentoring"),
    ("pedagog", "pedagogy"),
    ("digi", "digital"),
    ("tasa-arvo", "equality"),
    ("yhdenvert", "equality"),
    ("jämställ", "equality"),
    ("likabehand", "equality"),
    ("equality", "equality"),
    ("discrimin", "equality"),
    ("perehdy", "onboarding"),
    ("introdu", "onboarding"),
    ("onboard", "onboarding"),
    ("osaami", "competence"),
    ("kompetens", "competence"),
    ("competen", "competence"),
    ("muutos", "change"),
    ("förändr", "change"),
    ("change", "change"),
    ("monipaik", "work-organisation"),
    ("hybrid", "work-organisation"),
    ("multi-location", "work-organisation"),
    ("verkost", "hr-network"),
    ("nätverk", "hr-network"),
    ("network", "hr-network"),
    ("kehit", "development"),
    ("utveckl", "development"),
    ("develop", "development"),
)


@cache
def catalog_families() -> tuple[dict[str, str], frozenset[str]]:
    """Catalog key → family key of the shipped catalog's achievements, and the keys of
    its pathway achievements."""
    catalog = load_catalog()
    families = {entry.key: entry.family for entry in catalog.achievements}
    pathways = {
        str(getattr(pathway, "achievement", None) or getattr(pathway, "key", ""))
        for pathway in catalog.pathways
    }
    return families, frozenset(pathways)


def _general(seed: str) -> Family:
    hue = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:2], "big") / 65536

    def hex_colour(lightness: float, saturation: float) -> str:
        r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
        return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"

    return replace(
        FAMILIES["general"],
        colour=hex_colour(0.30, 0.55),
        light=hex_colour(0.55, 0.60),
        dark=hex_colour(0.16, 0.55),
    )


def family_for(catalog_key: str | None, names: list[str], seed: str) -> Family:
    """The family of an achievement (see the module docstring); ``seed`` (its id) picks
    the colour of a ``general`` one."""
    families, pathways = catalog_families()
    key = families.get(catalog_key or "")
    if catalog_key in pathways:  # a pathway: a rosette in its family's colours
        found = FAMILIES.get(key or "", FAMILIES["pathway"])
        return replace(found, shape="rosette", icon="pathway")
    if key in FAMILIES:
        return FAMILIES[key]
    text = " ".join(names).lower()
    for word, guess in KEYWORDS:
        if word in text:
            return FAMILIES[guess]
    return _general(seed)
