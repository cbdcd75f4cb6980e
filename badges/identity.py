"""Recipient identity hashing (OB 3.0 "IdentityObject" / "IdentityHash").

``IdentityHash`` is ``"<alg>$" + hex(<alg>(UTF8(identity + salt)))`` with ``alg``
``sha256`` or ``md5``; the hex may be upper or lower case. We only *create*
``sha256`` hashes; ``md5`` is accepted when checking hashes made by others.

E-mail normalisation
--------------------
The hash covers the exact bytes, so issuer and verifier must feed it the same
text. We strip surrounding white space and lowercase the whole address before
hashing (:func:`normalize_email`). Domain names are case-insensitive (RFC 5321
§2.4); local parts may in theory be case-sensitive, but no mainstream mail
system treats them so, and people type their address with whatever
capitalisation they like. Lowercasing is the common practice among Open Badges
issuers, and it is what lets a recipient prove "A.Virtanen@Kunta.fi" owns a badge
issued to "a.virtanen@kunta.fi". :func:`identity_matches` therefore tries both
the text as given and its normalised e-mail form, so hashes made by issuers that
did not normalise still match.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from badges.errors import InvalidInput

SHA256_PREFIX = "sha256$"
MD5_PREFIX = "md5$"

_HEX = re.compile(r"[0-9a-fA-F]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_HEX_LENGTHS = {"sha256": 64, "md5": 32}


def new_salt(nbytes: int = 16) -> str:
    """A fresh random salt: ``nbytes`` random bytes as URL-safe base64 text."""
    return secrets.token_urlsafe(nbytes)


def normalize_email(email: str) -> str:
    """Strip and lowercase an e-mail address; raise ``InvalidInput`` if it is not one."""
    value = email.strip().lower()
    if not _EMAIL.fullmatch(value):
        raise InvalidInput(f"not an e-mail address: {email!r}")
    return value


def looks_like_email(value: str) -> bool:
    """True for ``local@domain`` text (no URI scheme such as ``did:`` or ``mailto:``)."""
    return bool(_EMAIL.fullmatch(value.strip()))


def hash_identity(identity: str, salt: str | None) -> str:
    """``"sha256$" + hex(sha256(UTF8(identity + salt)))``; no normalisation is applied."""
    digest = hashlib.sha256((identity + (salt or "")).encode("utf-8")).hexdigest()
    return SHA256_PREFIX + digest


def hash_email(email: str, salt: str | None) -> str:
    """The IdentityHash of a normalised e-mail address (see :func:`normalize_email`)."""
    return hash_identity(normalize_email(email), salt)


def _digest(algorithm: str, identity: str, salt: str | None) -> str:
    data = (identity + (salt or "")).encode("utf-8")
    if algorithm == "sha256":
        return hashlib.sha256(data).hexdigest()
    # MD5 only to check hashes issued by others (OB 2.0/3.0 allow it); never used to create.
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _candidates(identity: str) -> list[str]:
    found = [identity]
    stripped = identity.strip()
    if stripped not in found:
        found.append(stripped)
    if looks_like_email(stripped) and stripped.lower() not in found:
        found.append(stripped.lower())
    return found


def identity_matches(identity_hash: str, identity: str, salt: str | None) -> bool:
    """Whether ``identity_hash`` (``sha256$…`` or ``md5$…``) is the hash of ``identity``.

    The identity is tried as given, stripped, and (for e-mail addresses) lowercased.
    Malformed hashes never match. Digests are compared with ``hmac.compare_digest``.
    """
    algorithm, sep, hex_digest = identity_hash.strip().partition("$")
    algorithm = algorithm.lower()
    if not sep or algorithm not in _HEX_LENGTHS:
        return False
    if len(hex_digest) != _HEX_LENGTHS[algorithm] or not _HEX.fullmatch(hex_digest):
        return False
    expected = hex_digest.lower().encode("ascii")
    matched = False
    for candidate in _candidates(identity):
        actual = _digest(algorithm, candidate, salt).encode("ascii")
        matched |= hmac.compare_digest(expected, actual)
    return matched
