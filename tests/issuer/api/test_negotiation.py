"""``issuer.api.negotiation.negotiate`` (RFC 9110 §12.5.1 Accept)."""

from __future__ import annotations

import pytest

from issuer.api.negotiation import negotiate

OFFERS = ["application/ld+json", "application/json", "text/html", "application/vc+jwt"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/ld+json"),
        ("", "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("text/*", "text/html"),
        ("application/json", "application/json"),
        ("APPLICATION/JSON", "application/json"),
        ("text/html;q=0.9, application/vc+jwt", "application/vc+jwt"),
        ("application/json, text/html", "application/json"),
        ("text/html, application/json", "text/html"),
        ("application/*;q=0.2, text/html;q=0.1", "application/ld+json"),
        ("*/*;q=0.1, application/vc+jwt;q=0", "application/ld+json"),
        ("application/vc+jwt;q=0, */*", "application/ld+json"),
        ("image/png", None),
        ("application/json;q=0", None),
        ("application/json;q=abc", None),
        (",,", "application/ld+json"),
    ],
)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERS) == expected


def test_specific_range_wins_over_wildcard() -> None:
    assert negotiate("*/*;q=0.9, application/vc+jwt;q=0", ["application/vc+jwt"]) is None
