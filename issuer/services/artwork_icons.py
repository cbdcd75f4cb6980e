"""The family icons of the badge artwork: simple white pictograms drawn as SVG paths.

Each icon is drawn in a 120 × 120 box centred on (0, 0); :func:`icon` returns SVG
elements to place inside a ``<g transform>``. ``field`` is the badge's field colour, used
to cut shapes apart where they overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

WHITE: Final = "#ffffff"
STROKE: Final = f'fill="none" stroke="{WHITE}" stroke-linecap="round" stroke-linejoin="round"'


def _person(x: float, y: float, scale: float, field: str) -> str:
    head = 16 * scale
    return (
        f'<path d="M{x - 34 * scale:.1f} {y + 50 * scale:.1f} '
        f"C{x - 34 * scale:.1f} {y + 14 * scale:.1f} {x - 20 * scale:.1f} {y + 4 * scale:.1f} "
        f"{x:.1f} {y + 4 * scale:.1f} C{x + 20 * scale:.1f} {y + 4 * scale:.1f} "
        f"{x + 34 * scale:.1f} {y + 14 * scale:.1f} {x + 34 * scale:.1f} {y + 50 * scale:.1f} "
        f'Z" fill="{WHITE}" stroke="{field}" stroke-width="6" stroke-linejoin="round"/>'
        f'<circle cx="{x:.1f}" cy="{y - 22 * scale:.1f}" r="{head:.1f}" fill="{WHITE}" '
        f'stroke="{field}" stroke-width="6"/>'
    )


def mentoring(field: str) -> str:
    """Two people, one ahead of the other: peer and reverse mentoring."""
    return _person(22, -10, 0.85, field) + _person(-16, -2, 1.0, field)


def network(field: str) -> str:
    """Three people joined in a network: a peer network."""
    return (
        f'<path d="M0 -30 L-38 30 M0 -30 L38 30 M-38 30 H38" {STROKE} stroke-width="6"/>'
        + "".join(
            f'<circle cx="{x}" cy="{y}" r="18" fill="{WHITE}" stroke="{field}" stroke-width="5"/>'
            for x, y in ((0, -32), (-40, 30), (40, 30))
        )
        + "".join(
            f'<circle cx="{x}" cy="{y}" r="7" fill="{field}"/>'
            for x, y in ((0, -36), (-40, 26), (40, 26))
        )
    )


def seedling(field: str) -> str:
    """A seedling: growing into a new job."""
    del field
    return (
        f'<path d="M0 48 V-6" {STROKE} stroke-width="8"/>'
        f'<path d="M0 14 C-4 -14 -26 -24 -48 -20 C-46 2 -26 16 0 14 Z" fill="{WHITE}"/>'
        f'<path d="M0 -2 C2 -30 24 -44 48 -42 C48 -18 28 -2 0 -2 Z" fill="{WHITE}"/>'
        f'<path d="M-34 50 H34" {STROKE} stroke-width="8"/>'
    )


def lightbulb(field: str) -> str:
    """A lightbulb: ideas and development."""
    del field
    rays = "".join(
        f'<path d="M{x1} {y1} L{x2} {y2}" {STROKE} stroke-width="6"/>'
        for x1, y1, x2, y2 in (
            (0, -58, 0, -66),
            (-40, -42, -46, -48),
            (40, -42, 46, -48),
            (-54, -10, -62, -10),
            (54, -10, 62, -10),
        )
    )
    return (
        '<path d="M-16 26 C-16 14 -36 4 -36 -18 A36 36 0 1 1 36 -18 C36 4 16 14 16 26 Z" '
        f'{STROKE} stroke-width="8"/>'
        f'<path d="M-16 38 H16 M-10 50 H10" {STROKE} stroke-width="8"/>'
        f'<path d="M-10 14 L-10 -4 L0 -14 L10 -4 L10 14" {STROKE} stroke-width="5"/>' + rays
    )


def change(field: str) -> str:
    """Two arrows turning round: change."""
    del field
    return (
        f'<path d="M-42 -6 A42 42 0 0 1 30 -30" {STROKE} stroke-width="8"/>'
        f'<path d="M42 6 A42 42 0 0 1 -30 30" {STROKE} stroke-width="8"/>'
        f'<path d="M40 -48 L36 -22 L12 -28 Z" fill="{WHITE}" stroke="{WHITE}" stroke-width="4" '
        'stroke-linejoin="round"/>'
        f'<path d="M-40 48 L-36 22 L-12 28 Z" fill="{WHITE}" stroke="{WHITE}" stroke-width="4" '
        'stroke-linejoin="round"/>'
    )


def competence(field: str) -> str:
    """Rising bars and an arrow: growing competence."""
    del field
    bars = "".join(
        f'<rect x="{x}" y="{y}" width="22" height="{50 - y}" rx="3" fill="{WHITE}"/>'
        for x, y in ((-46, 22), (-11, 4), (24, -14))
    )
    return (
        bars
        + f'<path d="M-48 0 L-14 -26 L8 -14 L44 -46" {STROKE} stroke-width="7"/>'
        + f'<path d="M26 -48 L46 -48 L46 -28" {STROKE} stroke-width="7"/>'
    )


def locations(field: str) -> str:
    """A map pin joined to two places: multi-location and hybrid work."""
    return (
        f'<path d="M-48 40 Q0 64 48 40" {STROKE} stroke-width="6" stroke-dasharray="2 12"/>'
        f'<circle cx="-48" cy="40" r="9" fill="{WHITE}"/>'
        f'<circle cx="48" cy="40" r="9" fill="{WHITE}"/>'
        '<path d="M0 50 C-8 34 -34 10 -34 -16 A34 34 0 0 1 34 -16 C34 10 8 34 0 50 Z" '
        f'fill="{WHITE}"/>'
        f'<circle cx="0" cy="-16" r="13" fill="{field}"/>'
    )


def scales(field: str) -> str:
    """A pair of scales: equality and non-discrimination."""
    del field
    pans = "".join(
        f'<path d="M{x} -30 L{x - 14} 10 M{x} -30 L{x + 14} 10" {STROKE} stroke-width="4"/>'
        f'<path d="M{x - 20} 10 H{x + 20} A20 16 0 0 1 {x - 20} 10 Z" fill="{WHITE}"/>'
        for x in (-40, 40)
    )
    return (
        f'<path d="M0 -44 V44 M-26 48 H26 M-46 -30 H46" {STROKE} stroke-width="8"/>'
        f'<circle cx="0" cy="-48" r="7" fill="{WHITE}"/>' + pans
    )


def graduation(field: str) -> str:
    """A graduation cap: pedagogy."""
    return (
        f'<path d="M-32 -2 V22 C-32 36 32 36 32 22 V-2" fill="{WHITE}"/>'
        f'<path d="M-60 -16 L0 -42 L60 -16 L0 10 Z" fill="{WHITE}" stroke="{field}" '
        'stroke-width="5" stroke-linejoin="round"/>'
        f'<path d="M48 -12 V24" {STROKE} stroke-width="5"/>'
        f'<circle cx="48" cy="28" r="7" fill="{WHITE}"/>'
    )


def digital(field: str) -> str:
    """A screen with a conversation on it: digital collaboration."""
    del field
    dots = "".join(f'<circle cx="{x}" cy="-12" r="6" fill="{WHITE}"/>' for x in (-20, 0, 20))
    return (
        f'<rect x="-54" y="-48" width="108" height="72" rx="10" {STROKE} stroke-width="8"/>'
        f'<path d="M0 24 V42 M-22 46 H22" {STROKE} stroke-width="8"/>'
        f'<path d="M-34 -32 H34 V6 H-6 L-20 16 V6 H-34 Z" fill="{WHITE}" fill-opacity="0.25"/>'
        + dots
    )


def pathway(field: str) -> str:
    """A summit with a flag: a pathway completed."""
    del field
    return (
        f'<path d="M-58 44 L-16 -14 L2 8 L20 -8 L58 44 Z" {STROKE} stroke-width="8"/>'
        f'<path d="M-16 -14 V-54" {STROKE} stroke-width="6"/>'
        f'<path d="M-16 -56 L18 -46 L-16 -34 Z" fill="{WHITE}"/>'
    )


def star(field: str) -> str:
    """A star: any other badge."""
    del field
    return (
        '<path d="M0 -54 L15 -18 L54 -16 L24 8 L34 46 L0 24 L-34 46 L-24 8 L-54 -16 L-15 -18 Z" '
        f'fill="{WHITE}" stroke="{WHITE}" stroke-width="6" stroke-linejoin="round"/>'
    )


ICONS: Final[dict[str, Callable[[str], str]]] = {
    "mentoring": mentoring,
    "network": network,
    "seedling": seedling,
    "lightbulb": lightbulb,
    "change": change,
    "competence": competence,
    "locations": locations,
    "scales": scales,
    "graduation": graduation,
    "digital": digital,
    "pathway": pathway,
    "star": star,
}


def icon(name: str, field: str) -> str:
    """The SVG elements of icon ``name`` (the star when there is no such icon)."""
    return ICONS.get(name, star)(field)
