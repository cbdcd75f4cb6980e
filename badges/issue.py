"""Signing a built credential: Data Integrity (eddsa-rdfc-2022) or VC-JWT.

OB 3.0 §8 "Proofs": an embedded proof is created first; a VC-JWT wraps the
credential as it is (with any embedded proof already inside it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from badges.errors import InvalidCredential
from badges.keys import KeyPair
from badges.proofs import dataintegrity, jwt
from badges.types import DocumentLoader, JSONObject

ProofFormat = Literal["ldp", "jwt"]


def sign_credential(
    credential: JSONObject,
    key: KeyPair,
    verification_method: str,
    *,
    created: datetime | None = None,
    loader: DocumentLoader | None = None,
) -> JSONObject:
    """Return a copy of ``credential`` secured with an eddsa-rdfc-2022 DataIntegrityProof."""
    _check_issuer(credential, verification_method)
    return dataintegrity.add_proof(
        credential, key, verification_method, created=created, loader=loader
    )


def sign_credential_jwt(credential: JSONObject, key: KeyPair, verification_method: str) -> str:
    """Return ``credential`` as a VC-JWT (compact JWS) whose ``kid`` is the verification method."""
    _check_issuer(credential, verification_method)
    return jwt.sign_jwt(credential, key, verification_method)


def _check_issuer(credential: JSONObject, verification_method: str) -> None:
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        raise InvalidCredential('"issuer" must be a URI or a Profile with an "id"')
    if "#" not in verification_method:
        raise InvalidCredential(
            f'the verification method must be a key id "<controller>#<key>", '
            f"got {verification_method!r}"
        )
