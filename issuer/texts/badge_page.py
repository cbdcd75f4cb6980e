"""Texts of the badge page that are not in ``issuer.i18n``'s own catalog."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str, str]] = {
    "badge_translated": (
        "Merkki on myönnetty kielellä {language}. Tällä sivulla sen tekstit näytetään "
        "myöntäjän omana käännöksenä.",
        "Märket är utfärdat på {language}. På den här sidan visas dess texter i "
        "utfärdarens egen översättning.",
        "The badge was issued in {language}. This page shows its texts in the issuer's "
        "own translation.",
    ),
}
