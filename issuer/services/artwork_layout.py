"""Fitting a badge title into its box: line breaks, hyphenation and font size.

Every way of breaking the title into one to three lines is tried: at spaces, after a
hyphen already in a word, and inside long words at syllable boundaries (before a
consonant followed by a vowel, the Finnish rule, which suits Swedish and English well
enough for badge titles; a hyphen is added there). Each candidate gets the largest font
size at which its widest line fits the width and all its lines fit the height; the
candidate with the largest size wins, hyphenation and extra lines having to earn their
place (:data:`HYPHEN_PENALTY`, or :data:`COMPOUND_PENALTY` at a likely compound seam,
:data:`LINE_PENALTY`, and a line of fewer than
:data:`SHORT_LINE` letters costs :data:`SHORT_PENALTY`). A title that fits no candidate at
the smallest size is cut with an ellipsis, so no line is ever wider than the box.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Final, Literal

from issuer.services.artwork_font import Font

Joint = Literal["space", "hyphen", "soft"]
VOWELS: Final = frozenset("aeiouyäöåáàâãéèêëíìîïóòôõúùûüæøœ")
HYPHEN_PENALTY: Final = 0.72
COMPOUND_PENALTY: Final = 0.9
STEMS: Final = (
    *("johta", "kehit", "mentor", "suunnit", "verkost", "hank", "yhteis", "osaami"),
    *("ohjaa", "aktiiv", "työ", "koulut", "perehdy", "tasa", "vertai"),
    *("ledning", "ledar", "utveckl", "planer", "nätverk", "arbet", "samarbet"),
    *("introdukt", "projekt", "kompetens", "handled", "deltag"),
    *("leader", "develop", "management", "network", "work"),
)
LINE_PENALTY: Final = 0.97
SHORT_LINE: Final = 4
SHORT_PENALTY: Final = 0.8
MIN_WORD_SPLIT: Final = 7
MAX_CHARS: Final = 90
LINE_HEIGHT: Final = 1.1


@dataclass(frozen=True, slots=True)
class Box:
    """Where text may go: ``width`` × ``height`` pixels centred on (``cx``, ``cy``)."""

    cx: float
    cy: float
    width: float
    height: float
    max_size: float
    min_size: float
    max_lines: int = 3


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    x: float  # left edge of the line, in pixels
    baseline: float
    width: float


@dataclass(frozen=True, slots=True)
class Layout:
    lines: tuple[Line, ...]
    size: float


def syllable_breaks(word: str) -> list[int]:
    """Positions inside ``word`` where a hyphen may go (``"mentoroinnin"`` → ``[3, 5, …]``)."""
    if len(word) < MIN_WORD_SPLIT or not word.isalpha():
        return []
    lower = word.lower()
    return [i for i in range(3, len(word) - 2) if lower[i] not in VOWELS and lower[i + 1] in VOWELS]


def pieces(title: str) -> tuple[list[str], list[Joint]]:
    """The title cut at every break opportunity, and how each joint is joined."""
    out: list[str] = []
    joints: list[Joint] = []
    for word in title.split():
        for s, segment in enumerate(re.findall(r"[^-]+-*|-+", word)):
            core = segment.rstrip("-")
            cuts = [0, *syllable_breaks(core), len(segment)]
            for c, (begin, end) in enumerate(itertools.pairwise(cuts)):
                if out:
                    joints.append("soft" if c else "hyphen" if s else "space")
                out.append(segment[begin:end])
    return out, joints


def _lines(parts: list[str], joints: list[Joint], breaks: tuple[int, ...]) -> list[str]:
    lines: list[str] = []
    current = parts[0]
    for i, joint in enumerate(joints):
        if i in breaks:
            lines.append(current + ("-" if joint == "soft" else ""))
            current = parts[i + 1]
        else:
            current += (" " if joint == "space" else "") + parts[i + 1]
    return [*lines, current]


def _at_stem(parts: list[str], joints: list[Joint], joint: int) -> bool:
    """Whether the rest of the word after soft ``joint`` starts with a common word of
    badge titles (:data:`STEMS`): then the cut is likely a compound's seam
    (``Vertais-mentoroinnin``, ``Förändrings-ledning``) and costs only
    :data:`COMPOUND_PENALTY`."""
    rest, j = parts[joint + 1], joint + 1
    while j < len(joints) and joints[j] == "soft":
        j += 1
        rest += parts[j]
    return rest.lower().startswith(STEMS)


def _ellipsis(font: Font, text: str, width_units: float) -> str:
    while text and font.advance(text.rstrip() + "…") > width_units:
        text = text[:-1]
    return text.rstrip() + "…"


def fit(font: Font, title: str, box: Box) -> Layout:
    """The best layout of ``title`` in ``box`` (see the module docstring)."""
    text = " ".join(font.text(title).split())[:MAX_CHARS] or "?"
    parts, joints = pieces(text)
    upm = font.units_per_em
    best: tuple[float, float, list[str]] | None = None
    for count in range(box.max_lines):
        for breaks in itertools.combinations(range(len(joints)), count):
            lines = _lines(parts, joints, breaks)
            widest = max(font.advance(line) for line in lines)
            size = min(
                box.max_size,
                box.width * upm / max(widest, 1),
                box.height / ((len(lines) - 1) * LINE_HEIGHT + font.cap_height / upm),
            )
            soft = math.prod(
                COMPOUND_PENALTY if _at_stem(parts, joints, i) else HYPHEN_PENALTY
                for i in breaks
                if joints[i] == "soft"
            )
            short = sum(len(line.strip("-")) < SHORT_LINE for line in lines) if count else 0
            score = size * soft * LINE_PENALTY**count * SHORT_PENALTY**short
            if size >= box.min_size and (best is None or score > best[0]):
                best = (score, size, lines)
    if best is None:  # too long even for the smallest size: cut it
        size = box.min_size
        limit = box.width * upm / size
        lines = _lines(parts, joints, tuple(range(len(joints))))
        merged: list[str] = []
        for line in lines:
            if merged and font.advance(merged[-1].removesuffix("-") + " " + line) <= limit:
                merged[-1] = merged[-1] + " " + line
            else:
                merged.append(line)
        lines = merged[: max(1, int(box.max_lines))]
        rest = len(merged) > len(lines)
        lines = [
            _ellipsis(font, line, limit) if font.advance(line) > limit or (rest and last) else line
            for last, line in ((i == len(lines) - 1, line) for i, line in enumerate(lines))
        ]
        best = (0.0, size, lines)
    _, size, lines = best
    return Layout(_place(font, lines, size, box), size)


def _place(font: Font, lines: list[str], size: float, box: Box) -> tuple[Line, ...]:
    scale = size / font.units_per_em
    pitch = size * LINE_HEIGHT
    block = (len(lines) - 1) * pitch + font.cap_height * scale
    first = box.cy - block / 2 + font.cap_height * scale
    placed = []
    for i, line in enumerate(lines):
        width = font.advance(line) * scale
        placed.append(Line(line, box.cx - width / 2, first + i * pitch, width))
    return tuple(placed)
