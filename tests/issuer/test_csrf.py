"""The signed double-submit CSRF token."""

from __future__ import annotations

from issuer.csrf import CsrfTokens

SECRET = b"a-secret-for-csrf-tests-0123456789abcdef"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_checks_against_the_same_cookie() -> None:
    tokens = CsrfTokens(SECRET)
    token = tokens.issue()
    assert tokens.valid(token)
    assert tokens.check(token, token)
    assert tokens.issue() != token


def test_form_and_cookie_must_be_equal() -> None:
    tokens = CsrfTokens(SECRET)
    one, two = tokens.issue(), tokens.issue()
    assert not tokens.check(one, two)
    assert not tokens.check(one, None)
    assert not tokens.check(None, one)
    assert not tokens.check("", "")


def test_another_secret_or_a_changed_token_is_refused() -> None:
    token = CsrfTokens(SECRET).issue()
    assert not CsrfTokens(b"another-secret-another-secret-000000").check(token, token)
    nonce, issued, mac = token.split(".")
    forged = f"{nonce}x.{issued}.{mac}"
    assert not CsrfTokens(SECRET).check(forged, forged)
    for bad in ("", "a.b.c", "x" * 500, f"{nonce}.{issued}", "ä.1.2"):
        assert not CsrfTokens(SECRET).valid(bad)


def test_tokens_expire() -> None:
    clock = Clock()
    tokens = CsrfTokens(SECRET, max_age=3600, clock=clock)
    token = tokens.issue()
    clock.now += 3600
    assert tokens.check(token, token)
    clock.now += 1
    assert not tokens.check(token, token)


def test_tokens_from_the_future_are_refused() -> None:
    clock = Clock()
    tokens = CsrfTokens(SECRET, clock=clock)
    clock.now += 3600
    future = tokens.issue()
    clock.now -= 3600
    assert not tokens.valid(future)
