"""CSRF protection for the public forms: a signed double-submit token.

The verify form has no session to bind a token to, so the token is the OWASP "signed
double-submit cookie": ``<nonce>.<issued>.<mac>`` where ``mac`` is HMAC-SHA256 of the
nonce and time under a key derived from the service secret. The page sets it as an
``HttpOnly``, ``SameSite=Strict`` cookie and repeats it in a hidden form field; a POST
is accepted only when both are present, equal (compared in constant time), signed by
this service and younger than :data:`MAX_AGE`. Another site can make a browser send
the cookie only without ``SameSite`` and can never read it to fill in the field.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

COOKIE = "merkki_csrf"
FIELD = "csrf_token"
MAX_AGE = 4 * 3600
"""Seconds a form stays usable after the page was loaded."""
_LABEL = b"merkki csrf token v1"


class CsrfTokens:
    """Issues and checks signed tokens under a key derived from ``secret``."""

    def __init__(
        self, secret: bytes, *, max_age: int = MAX_AGE, clock: Callable[[], float] = time.time
    ) -> None:
        self._key = hmac.new(secret, _LABEL, hashlib.sha256).digest()
        self.max_age = max_age
        self._clock = clock

    def _mac(self, nonce: str, issued: str) -> str:
        message = f"{nonce}.{issued}".encode("ascii")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def issue(self) -> str:
        """A new token."""
        nonce = secrets.token_urlsafe(18)
        issued = str(int(self._clock()))
        return f"{nonce}.{issued}.{self._mac(nonce, issued)}"

    def valid(self, token: str | None) -> bool:
        """``token`` was issued here and has not expired."""
        if not token or len(token) > 200 or not token.isascii():
            return False
        nonce, _, rest = token.partition(".")
        issued, _, mac = rest.partition(".")
        if not nonce or not issued.isdigit() or not mac:
            return False
        if not hmac.compare_digest(mac, self._mac(nonce, issued)):
            return False
        age = self._clock() - int(issued)
        return -60 <= age <= self.max_age

    def check(self, form_token: str | None, cookie_token: str | None) -> bool:
        """The form's token equals the cookie's and is valid."""
        if not form_token or not cookie_token:
            return False
        same = hmac.compare_digest(form_token.encode("utf-8"), cookie_token.encode("utf-8"))
        return same and self.valid(form_token)
