"""Page texts and the choice of page language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from issuer import i18n


def test_every_language_has_every_text() -> None:
    keys = {lang: set(texts) for lang, texts in i18n.TEXTS.items()}
    assert set(keys) == set(i18n.LANGS)
    assert keys["fi"] == keys["sv"] == keys["en"]
    for lang in i18n.LANGS:
        for key, value in i18n.TEXTS[lang].items():
            assert value.strip(), (lang, key)
            placeholders = set(re.findall(r"\{(\w+)\}", value))
            assert placeholders == set(re.findall(r"\{(\w+)\}", i18n.TEXTS["en"][key]))


def test_translations_differ_from_english() -> None:
    """A text left in English by mistake shows up here (a few are the same word)."""
    same = {k for k, v in i18n.TEXTS["fi"].items() if v == i18n.TEXTS["en"][k]}
    assert same == set()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fi-FI,fi;q=0.9,en;q=0.8", "fi"),
        ("sv-FI", "sv"),
        ("de-DE,de;q=0.9,en-GB;q=0.5,sv;q=0.7", "sv"),
        ("en-US,en;q=0.9", "en"),
        ("de, fr", None),
        ("fi;q=0, sv;q=0.1", "sv"),
        ("*", "en"),
        ("fi;q=abc, sv", "sv"),
        ("", None),
        (None, None),
        ("en, fi", "en"),  # a tie goes to the header's order
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.accept_language(header) == expected


def test_choose_language_order() -> None:
    assert i18n.choose_language("sv", "fi", "en") == "sv"
    assert i18n.choose_language(None, "fi", "en") == "fi"
    assert i18n.choose_language("xx", "yy", "sv-FI") == "sv"
    assert i18n.choose_language(None, None, "de") == "en"
    assert i18n.choose_language(None, None, None, fallback="fi") == "fi"


def test_format_date() -> None:
    moment = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
    assert i18n.format_date(moment, "fi") == "5.3.2026"
    assert i18n.format_date(moment, "sv") == "2026-03-05"
    assert i18n.format_date(moment, "en") == "5 March 2026"
    assert i18n.format_date("2026-03-05T23:30:00Z", "fi") == "5.3.2026"
    assert i18n.format_date(date(2026, 12, 1), "en") == "1 December 2026"
    assert i18n.format_date("not a date", "fi") == "not a date"
    assert i18n.format_date(None, "fi") is None
    assert i18n.iso_datetime(datetime(2026, 3, 5, 12)) == "2026-03-05T12:00:00Z"


def test_text_fills_placeholders() -> None:
    assert i18n.text("fi", "error_rate", seconds=3) == (
        "Liian monta tarkistusta. Yritä uudelleen 3 sekunnin kuluttua."
    )
    assert i18n.pick_text({"sv": "Hej", "en": "Hi"}, "fi") == "Hej"
    assert i18n.pick_text({"sv": "Hej", "en": "Hi"}, "en") == "Hi"
    assert i18n.pick_text(42, "en") is None
