"""Open Badges 2.0 documents: recognising them and checking their required properties.

OB 2.0 "Open Badges Vocabulary" (Assertion, BadgeClass, Profile, IdentityObject,
VerificationObject, RevocationList, CryptographicKey) and "Data Validation":
"Each Badge Object contains all required properties for its class" and "values
of the expected data type". Each ``*_problems`` function answers a list of
human-readable findings; an empty list means the document is well-formed.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from badges.errors import InvalidInput
from badges.types import JSONObject

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB2_CONTEXTS = frozenset({OB2_CONTEXT, "https://openbadgespec.org/v2/context.json"})
"""The OB 2.0 context, by its persistent id and by the URL it redirects to."""

VerificationType = Literal["hosted", "signed"]

_VERIFICATION_TYPES: dict[str, VerificationType] = {
    "HostedBadge": "hosted",
    "hosted": "hosted",
    "SignedBadge": "signed",
    "signed": "signed",
}
_DATE_TIME = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$", re.IGNORECASE
)


def types_of(document: JSONObject) -> list[str]:
    """The ``type`` of a document as a list of strings (one value or many are allowed)."""
    value = document.get("type")
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def contexts_of(document: JSONObject) -> list[object]:
    value = document.get("@context")
    return value if isinstance(value, list) else [value]


def is_ob2_assertion(document: object) -> bool:
    """Whether ``document`` presents itself as an OB 2.0 Assertion (never an OB 3.0 VC).

    True for the OB 2.0 ``@context`` or ``"type": "Assertion"``; a document that
    also says ``VerifiableCredential`` is OB 3.0.
    """
    if not isinstance(document, dict):
        return False
    types = types_of(document)
    if "VerifiableCredential" in types:
        return False
    if any(c in OB2_CONTEXTS for c in contexts_of(document)):
        return True
    return "Assertion" in types


def verification_of(assertion: JSONObject) -> JSONObject:
    """The Assertion's VerificationObject (``verification``, alias ``verify``), or ``{}``."""
    value = assertion.get("verification", assertion.get("verify"))
    return value if isinstance(value, dict) else {}


def verification_type(assertion: JSONObject) -> VerificationType | None:
    """``hosted`` or ``signed`` (``HostedBadge``/``SignedBadge`` or their aliases)."""
    kinds = {
        _VERIFICATION_TYPES[t]
        for t in types_of(verification_of(assertion))
        if t in _VERIFICATION_TYPES
    }
    return next(iter(kinds)) if len(kinds) == 1 else None


def ref_id(value: object) -> str | None:
    """The IRI of a reference that is a string or an object with an ``id``."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def refs(value: object) -> list[object]:
    """One value or many ("Multiple values allowed") as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_url_text(text: str) -> bool:
    """Text that is one HTTP(S) URL (surrounding white space allowed, none inside)."""
    stripped = text.strip()
    return is_http_url(stripped) and not any(c.isspace() for c in stripped)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of an HTTP(S) URL, default ports made explicit."""
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def parse_date_time(value: object, name: str) -> datetime:
    """OB 2.0 "DateTime": ISO 8601 text with a time and a time zone indicator."""
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise InvalidInput(
            f'"{name}" must be an ISO 8601 date-time with a time zone, got {value!r}'
        )
    text = value.upper().replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f'"{name}" is not a valid date-time: {value!r}') from exc


def _iri_problem(document: JSONObject, name: str, where: str) -> list[str]:
    value = document.get(name)
    if not isinstance(value, str) or not value or " " in value or ":" not in value:
        return [f'{where} "{name}" must be an IRI, got {value!r}']
    return []


def _text_problem(document: JSONObject, name: str, where: str) -> list[str]:
    value = document.get(name)
    if not isinstance(value, str) or not value.strip():
        return [f'{where} "{name}" must be non-empty text, got {value!r}']
    return []


def _ref_problem(document: JSONObject, name: str, where: str) -> list[str]:
    value = document.get(name)
    if isinstance(value, dict) or ref_id(value) is not None:
        return []
    return [f'{where} "{name}" must be an IRI or an embedded document, got {value!r}']


def _type_problem(document: JSONObject, wanted: tuple[str, ...], where: str) -> list[str]:
    if set(types_of(document)).intersection(wanted):
        return []
    return [f'{where} "type" must include {" or ".join(wanted)}, got {document.get("type")!r}']


def identity_problems(recipient: object) -> list[str]:
    """OB 2.0 IdentityObject: ``identity`` and ``type`` text, ``hashed`` boolean."""
    if not isinstance(recipient, dict):
        return [f'Assertion "recipient" must be an IdentityObject, got {recipient!r}']
    found = _text_problem(recipient, "identity", "IdentityObject")
    found += _text_problem(recipient, "type", "IdentityObject")
    if "hashed" in recipient and not isinstance(recipient["hashed"], bool):
        found.append(f'IdentityObject "hashed" must be a boolean, got {recipient["hashed"]!r}')
    salt = recipient.get("salt")
    if salt is not None and not isinstance(salt, str):
        found.append(f'IdentityObject "salt" must be text, got {salt!r}')
    return found


def assertion_problems(assertion: JSONObject) -> list[str]:
    """OB 2.0 "Assertion": the required properties and their types."""
    where = "Assertion"
    found: list[str] = []
    if not any(c in OB2_CONTEXTS for c in contexts_of(assertion)):
        found.append(f'{where} "@context" must include {OB2_CONTEXT}')
    found += _type_problem(assertion, ("Assertion",), where)
    found += _iri_problem(assertion, "id", where)
    found += identity_problems(assertion.get("recipient"))
    found += _ref_problem(assertion, "badge", where)
    if verification_type(assertion) is None:
        found.append(
            f'{where} "verification" must be a VerificationObject of type HostedBadge or '
            f"SignedBadge, got {assertion.get('verification', assertion.get('verify'))!r}"
        )
    for name, required in (("issuedOn", True), ("expires", False)):
        if required or name in assertion:
            try:
                parse_date_time(assertion.get(name), name)
            except InvalidInput as exc:
                found.append(f"{where} {exc}")
    if "revoked" in assertion and not isinstance(assertion["revoked"], bool):
        found.append(f'{where} "revoked" must be a boolean, got {assertion["revoked"]!r}')
    return found


def badge_class_problems(badge: JSONObject) -> list[str]:
    """OB 2.0 "BadgeClass": id, type, name, description, image, criteria, issuer."""
    where = "BadgeClass"
    found = _type_problem(badge, ("BadgeClass",), where)
    found += _iri_problem(badge, "id", where)
    found += _text_problem(badge, "name", where)
    found += _text_problem(badge, "description", where)
    for name in ("image", "criteria", "issuer"):
        found += _ref_problem(badge, name, where)
    return found


def profile_problems(profile: JSONObject) -> tuple[list[str], list[str]]:
    """OB 2.0 "Profile" used as an issuer: (errors, missing recommended properties).

    ``id``, ``type`` and ``name`` are enforced; the spec also lists ``url`` and
    ``email`` as required for issuers, which many hosted issuers omit, so their
    absence is reported as a note.
    """
    where = "Issuer"
    found = _type_problem(profile, ("Issuer", "Profile"), where)
    found += _iri_problem(profile, "id", where)
    found += _text_problem(profile, "name", where)
    notes = [name for name in ("url", "email") if not profile.get(name)]
    return found, notes


def key_problems(key: JSONObject) -> list[str]:
    """OB 2.0 "CryptographicKey": ``owner`` and ``publicKeyPem``."""
    where = "CryptographicKey"
    found = []
    if "type" in key:
        found += _type_problem(key, ("CryptographicKey",), where)
    found += _iri_problem(key, "owner", where)
    found += _text_problem(key, "publicKeyPem", where)
    return found


def revocation_list_problems(document: JSONObject) -> list[str]:
    """OB 2.0 "RevocationList": type and ``revokedAssertions``."""
    where = "RevocationList"
    found = _type_problem(document, ("RevocationList",), where)
    entries = document.get("revokedAssertions")
    if not isinstance(entries, list):
        found.append(f'{where} "revokedAssertions" must be a list, got {entries!r}')
    return found
