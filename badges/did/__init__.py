"""DIDs and verification-method dereferencing: did:key, did:web and HTTPS key URLs.

* did:key (W3C CCG "The did:key Method" v0.9): the DID is
  ``did:key:`` + the Multikey ``publicKeyMultibase``; the DID document is
  generated locally (§3.1.2 "Document Creation Algorithm").
* did:web (W3C CCG "did:web Method Specification"): the DID document is
  fetched from ``https://<host>[:port]/<path>/did.json`` or
  ``https://<host>/.well-known/did.json`` (§3.2 "Read (Resolve)").
* Verification methods are found as described by W3C Controlled Identifiers
  v1.0 §3.3 "Retrieve Verification Method": the document's ``id`` must be the
  URL it was fetched for, and the method's ``controller`` must be that
  document's ``id``. Plain HTTPS method URLs (as used by 1EdTech Open Badges
  fixtures) are supported alongside DID URLs.

No network access happens here: documents come from the injected
:data:`badges.types.HttpFetcher` or from a pre-seeded map.
"""

from badges.did.common import (
    DID_CONTEXT,
    JWK_CONTEXT,
    MAX_DOCUMENT_BYTES,
    MAX_JSON_DEPTH,
    MULTIKEY_CONTEXT,
    VERIFICATION_RELATIONSHIPS,
)
from badges.did.documents import (
    parse_document,
)
from badges.did.key import (
    did_key,
    did_key_verification_method_id,
    resolve_did_key,
)
from badges.did.resolver import (
    DidResolver,
    VerificationMethod,
)
from badges.did.web import (
    build_did_web_document,
    did_web_from_url,
    did_web_url,
)

__all__ = [
    "DID_CONTEXT",
    "JWK_CONTEXT",
    "MAX_DOCUMENT_BYTES",
    "MAX_JSON_DEPTH",
    "MULTIKEY_CONTEXT",
    "VERIFICATION_RELATIONSHIPS",
    "DidResolver",
    "VerificationMethod",
    "build_did_web_document",
    "did_key",
    "did_key_verification_method_id",
    "did_web_from_url",
    "did_web_url",
    "parse_document",
    "resolve_did_key",
]
