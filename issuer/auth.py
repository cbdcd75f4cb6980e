"""API tokens: ``mk_<id>_<secret>``, shown once, stored as SHA-256 of the secret.

The secret is 256 random bits, so a fast unsalted hash is enough (it cannot be
guessed from its hash the way a password could); lookups go by the public ``id``
and the hashes are compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal, get_args

from sqlalchemy.orm import Session

from issuer.errors import Unauthenticated
from issuer.store.tables import ApiToken

Scope = Literal["award", "revoke", "manage", "read", "endorse", "review"]
SCOPES: Final[tuple[Scope, ...]] = get_args(Scope)
TOKEN_PREFIX: Final = "mk"  # noqa: S105 - a public prefix, not a secret
_TOKEN_RE: Final = re.compile(r"mk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who acts: an API token (bound to one organisation) or a local operator/system."""

    actor_id: str
    actor_name: str
    org_id: str | None
    scopes: frozenset[str]

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def org(self) -> str:
        """The organisation an API token acts for."""
        if self.org_id is None:
            raise Unauthenticated("this principal acts for no organisation")
        return self.org_id


SYSTEM = Principal("system", "merkki", None, frozenset(SCOPES))
CLI = Principal("cli", "merkki command line", None, frozenset(SCOPES))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_token() -> tuple[str, str, str]:
    """``(token id, secret hash, the token text)``; the text is shown once and never stored."""
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return token_id, hash_secret(secret), f"{TOKEN_PREFIX}_{token_id}_{secret}"


def parse_scopes(text: str) -> frozenset[str]:
    """``"award,read"`` → the scopes; unknown names raise ``ValueError``."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in SCOPES]
    if unknown or not names:
        raise ValueError(
            f"scopes must be a comma-separated subset of {','.join(SCOPES)}, got {text!r}"
        )
    return frozenset(names)


def authenticate(session: Session, token: str) -> Principal:
    """The principal of a bearer token; raises :class:`Unauthenticated` for any failure."""
    match = _TOKEN_RE.fullmatch(token.strip())
    if match is None:
        raise Unauthenticated("the bearer token is malformed")
    token_id, secret = match.groups()
    row = session.get(ApiToken, token_id)
    # Compare even when the row is missing, so timing does not reveal which ids exist.
    expected = row.secret_hash if row is not None else "0" * 64
    if not hmac.compare_digest(expected, hash_secret(secret)) or row is None:
        raise Unauthenticated("the bearer token is not valid")
    if row.revoked_at is not None:
        raise Unauthenticated("the bearer token has been revoked")
    return Principal(
        actor_id=row.id,
        actor_name=row.name,
        org_id=row.org_id,
        scopes=frozenset(row.scopes.split(",")),
    )
