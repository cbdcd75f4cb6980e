"""Merkki's pure Open Badges library: build, sign and verify OB 3.0 credentials.

No web framework, no database and no network of its own: anything fetched goes
through an injected ``HttpFetcher``, and JSON-LD contexts come only from the
pinned copies shipped in ``badges/contexts``.
"""

from badges.baking import BakedPayload, bake, unbake
from badges.did import DidResolver, VerificationMethod, build_did_web_document, did_key
from badges.errors import (
    BadgesError,
    BakingError,
    DidResolutionError,
    DocumentLoaderError,
    FetchError,
    InvalidCredential,
    InvalidDid,
    InvalidEncoding,
    InvalidInput,
    InvalidKey,
    JsonLdError,
    ProofError,
    ResolutionError,
    UndefinedTerm,
    UnsupportedAlgorithm,
)
from badges.identity import hash_identity, identity_matches
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair, KeyType, PublicKey
from badges.model import Recipient, build_credential, parse_credential
from badges.ob2 import verify_ob2
from badges.report import CheckResult, Outcome, Verdict, VerificationReport
from badges.schema import validate_credential
from badges.status import StatusResolver, StatusResult
from badges.status_list import BitstringStatusListResolver
from badges.verify import verify

__all__ = [
    "BadgesError",
    "BakedPayload",
    "BakingError",
    "BitstringStatusListResolver",
    "CheckResult",
    "DidResolutionError",
    "DidResolver",
    "DocumentLoaderError",
    "FetchError",
    "InvalidCredential",
    "InvalidDid",
    "InvalidEncoding",
    "InvalidInput",
    "InvalidKey",
    "JsonLdError",
    "KeyPair",
    "KeyType",
    "Outcome",
    "ProofError",
    "PublicKey",
    "Recipient",
    "ResolutionError",
    "StatusResolver",
    "StatusResult",
    "UndefinedTerm",
    "UnsupportedAlgorithm",
    "Verdict",
    "VerificationMethod",
    "VerificationReport",
    "bake",
    "build_credential",
    "build_did_web_document",
    "did_key",
    "hash_identity",
    "identity_matches",
    "parse_credential",
    "sign_credential",
    "sign_credential_jwt",
    "unbake",
    "validate_credential",
    "verify",
    "verify_ob2",
]
