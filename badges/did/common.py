"""Constants, patterns and errors shared by the DID modules."""

from __future__ import annotations

import re
from typing import Final, NoReturn

from badges.errors import DidResolutionError

DID_CONTEXT: Final = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT: Final = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT: Final = "https://w3id.org/security/jwk/v1"

VERIFICATION_RELATIONSHIPS: Final = (
    "authentication",
    "assertionMethod",
    "keyAgreement",
    "capabilityInvocation",
    "capabilityDelegation",
)
"""Verification relationships of DID Core §5.3 / Controlled Identifiers §2.3."""

MAX_DOCUMENT_BYTES: Final = 256 * 1024
"""Largest fetched document accepted."""
MAX_JSON_DEPTH: Final = 32
"""Deepest nesting of arrays/objects accepted in a fetched document."""

# DID Core §3.1: did = "did:" method-name ":" method-specific-id
_DID_RE: Final = re.compile(
    r"did:(?P<method>[a-z0-9]+):(?P<msid>(?:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*:)*"
    r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+)"
)
_FRAGMENT_RE: Final = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})+")
_SEGMENT_RE: Final = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_RE: Final = re.compile(rf"(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?")
_WEB_SCHEMES: Final = ("https", "http")


def _resolution_error(message: str, cause: BaseException | None = None) -> NoReturn:
    raise DidResolutionError(message) from cause
