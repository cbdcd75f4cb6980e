"""Verification-method revocation (key compromise): Controlled Identifiers ``revoked``.

A did:web issuer marks a compromised key with ``revoked`` (an XSD dateTime) in its
DID document and keeps it listed. Proofs made at or after that time fail
(``key_revoked``), undated ones fail (``key_revoked_undated``), earlier ones stay
valid with the warning ``key_revoked_later``: for Data Integrity ``proof.created``
counts, for VC-JWT ``iat``, else ``nbf``, else ``validFrom``.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from badges import DidResolver, Verdict, VerificationReport, verify
from badges.did import build_did_web_document, did_web_url
from badges.encoding import b64url_encode
from badges.errors import DidResolutionError, InvalidDid
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair, KeyType
from badges.proofs.dataintegrity import add_proof
from badges.report import Outcome
from badges.testing import FROZEN_NOW, dict_fetcher, sample_credential
from badges.types import JSONObject

DID = "did:web:badges.example.fi:issuers:7"
OLD = KeyPair.from_seed(bytes(range(32)))
NEW = KeyPair.from_seed(bytes(range(1, 33)))
RSA = KeyPair.generate(KeyType.RSA)
COMPROMISED = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
BEFORE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
AFTER = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def did_document(revoked: dict[str, datetime] | None = None) -> JSONObject:
    keys = [("key-1", OLD.public), ("key-2", NEW.public), ("key-rsa", RSA.public)]
    return build_did_web_document(DID, keys, revoked=revoked)


def resolver(document: JSONObject) -> DidResolver:
    return DidResolver(dict_fetcher({did_web_url(DID): document}))


def verify_with(credential: JSONObject | str, document: JSONObject) -> VerificationReport:
    return verify(credential, now=FROZEN_NOW, resolver=resolver(document))


def signed(key: KeyPair, fragment: str, created: datetime) -> JSONObject:
    return sign_credential(sample_credential(DID), key, f"{DID}#{fragment}", created=created)


def warning_codes(report: VerificationReport) -> list[str]:
    return [w.code for w in report.warnings]


# ---------------------------------------------------------------- DID documents


def test_did_document_carries_revoked_and_resolver_reads_it() -> None:
    document = did_document({"key-1": COMPROMISED})
    methods = {m["id"]: m for m in document["verificationMethod"]}
    assert methods[f"{DID}#key-1"]["revoked"] == "2026-01-10T08:00:00Z"
    assert "revoked" not in methods[f"{DID}#key-2"]
    assert f"{DID}#key-1" in document["assertionMethod"]  # retired keys stay listed
    method = resolver(document).dereference(f"{DID}#key-1")
    assert method.revoked == COMPROMISED
    assert resolver(document).dereference(f"{DID}#key-2").revoked is None


def test_build_refuses_unknown_fragment_and_naive_time() -> None:
    with pytest.raises(InvalidDid):
        did_document({"nope": COMPROMISED})
    with pytest.raises(InvalidDid):
        did_document({"key-1": datetime(2026, 1, 10)})  # naive on purpose


@pytest.mark.parametrize("value", ["yesterday", "2026-01-10", "2026-01-10T08:00:00", 1767000000])
def test_malformed_revoked_makes_the_document_unusable(value: object) -> None:
    document = did_document()
    document["verificationMethod"][0]["revoked"] = value
    with pytest.raises(DidResolutionError, match="revoked"):
        resolver(document).dereference(f"{DID}#key-1")


def test_revoked_in_a_controller_document_reaches_https_keys() -> None:
    controller = "https://issuer.example.fi/profile"
    document = {
        "id": controller,
        "assertionMethod": [f"{controller}#k1"],
        "verificationMethod": [
            {
                "id": f"{controller}#k1",
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": OLD.public.to_multibase(),
                "revoked": "2026-01-10T10:00:00+02:00",
            }
        ],
    }
    method = DidResolver(dict_fetcher({controller: document})).dereference(f"{controller}#k1")
    assert method.revoked == COMPROMISED


# ---------------------------------------------------------------- Data Integrity


def test_proof_created_after_revocation_fails() -> None:
    report = verify_with(signed(OLD, "key-1", AFTER), did_document({"key-1": COMPROMISED}))
    assert report.verdict is Verdict.INVALID
    issuer = report.check("issuer")
    assert (issuer.outcome, issuer.code) == (Outcome.FAILED, "key_revoked")
    assert "2026-01-10T08:00:00Z" in issuer.message("en")
    assert "compromised" in issuer.message("en")
    assert "vaarantuneeksi" in issuer.message("fi")
    assert "komprometterad" in issuer.message("sv")


def test_proof_created_exactly_at_revocation_fails() -> None:
    report = verify_with(signed(OLD, "key-1", COMPROMISED), did_document({"key-1": COMPROMISED}))
    assert report.check("issuer").code == "key_revoked"


def test_proof_created_before_revocation_stays_valid_with_warning() -> None:
    report = verify_with(signed(OLD, "key-1", BEFORE), did_document({"key-1": COMPROMISED}))
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert "key_revoked_later" in warning_codes(report)
    text = next(w for w in report.warnings if w.code == "key_revoked_later").message("fi")
    assert "2026-01-10T08:00:00Z" in text


def test_proof_without_created_and_revoked_key_fails() -> None:
    credential = signed(OLD, "key-1", BEFORE)
    del credential["proof"]["created"]  # the signature no longer matches either, but
    report = verify_with(credential, did_document({"key-1": COMPROMISED}))  # issuer decides first
    assert report.check("issuer").code == "key_revoked_undated"
    assert report.verdict is Verdict.INVALID


def test_other_keys_of_the_issuer_are_unaffected() -> None:
    report = verify_with(signed(NEW, "key-2", AFTER), did_document({"key-1": COMPROMISED}))
    assert report.verdict is Verdict.VALID
    assert "key_revoked_later" not in warning_codes(report)


def test_every_proof_of_a_proof_set_is_checked() -> None:
    good = signed(NEW, "key-2", AFTER)
    both = add_proof(good, OLD, f"{DID}#key-1", created=AFTER)
    report = verify_with(both, did_document({"key-1": COMPROMISED}))
    assert report.check("issuer").code == "key_revoked"


# ---------------------------------------------------------------- VC-JWT


def jwt_token(key: KeyPair, fragment: str, **claims: Any) -> str:
    """A VC-JWT with ``kid`` and chosen extra claims (``None`` removes a claim)."""
    credential = sample_credential(DID)
    payload: dict[str, Any] = {**credential, "iss": DID, "jti": credential["id"]}
    payload["sub"] = credential["credentialSubject"]["id"]
    payload["nbf"] = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    for name, value in claims.items():
        if value is None:
            payload.pop(name, None)
        else:
            payload[name] = value
    header = {"alg": key.public.jws_alg, "kid": f"{DID}#{fragment}", "typ": "JWT"}
    parts = [b64url_encode(json.dumps(part).encode()) for part in (header, payload)]
    signing_input = ".".join(parts).encode()
    return f"{signing_input.decode()}.{b64url_encode(key.sign(signing_input))}"


def test_jwt_iat_after_revocation_fails() -> None:
    token = jwt_token(RSA, "key-rsa", iat=int(AFTER.timestamp()))
    report = verify_with(token, did_document({"key-rsa": COMPROMISED}))
    assert report.check("issuer").code == "key_revoked"
    assert report.verdict is Verdict.INVALID


def test_jwt_iat_before_revocation_is_valid_with_warning() -> None:
    token = jwt_token(RSA, "key-rsa", iat=int(BEFORE.timestamp()))
    report = verify_with(token, did_document({"key-rsa": COMPROMISED}))
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert "key_revoked_later" in warning_codes(report)


def test_jwt_without_iat_uses_nbf() -> None:
    # nbf = validFrom = 2026-01-01, before the compromise
    token = sign_credential_jwt(sample_credential(DID), OLD, f"{DID}#key-1")
    assert verify_with(token, did_document({"key-1": COMPROMISED})).verdict is Verdict.VALID
    late = datetime(2025, 12, 1, tzinfo=UTC)
    assert verify_with(token, did_document({"key-1": late})).check("issuer").code == "key_revoked"


def test_jwt_without_iat_and_nbf_falls_back_to_valid_from() -> None:
    token = jwt_token(OLD, "key-1", nbf=None)
    report = verify_with(token, did_document({"key-1": datetime(2025, 12, 1, tzinfo=UTC)}))
    assert report.check("issuer").code == "key_revoked"


def test_jwt_undated_with_revoked_key_fails() -> None:
    credential = sample_credential(DID)
    del credential["validFrom"]
    payload = {**credential, "iss": DID, "jti": credential["id"]}
    header = {"alg": "EdDSA", "kid": f"{DID}#key-1", "typ": "JWT"}
    parts = [b64url_encode(json.dumps(part).encode()) for part in (header, payload)]
    signing_input = ".".join(parts).encode()
    token = f"{signing_input.decode()}.{b64url_encode(OLD.sign(signing_input))}"
    report = verify_with(token, did_document({"key-1": COMPROMISED}))
    assert report.check("issuer").code == "key_revoked_undated"


def test_header_jwk_matching_a_revoked_published_key_is_refused() -> None:
    credential = sample_credential(DID)
    payload = {**credential, "iss": DID, "jti": credential["id"], "iat": int(AFTER.timestamp())}
    payload["sub"] = credential["credentialSubject"]["id"]
    payload["nbf"] = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    header = {"alg": "EdDSA", "jwk": OLD.public.to_jwk(), "typ": "JWT"}
    parts = [b64url_encode(json.dumps(part).encode()) for part in (header, payload)]
    signing_input = ".".join(parts).encode()
    token = f"{signing_input.decode()}.{b64url_encode(OLD.sign(signing_input))}"
    report = verify_with(token, did_document({"key-1": COMPROMISED}))
    assert report.check("issuer").code == "key_revoked"
    unrevoked = verify_with(token, copy.deepcopy(did_document()))
    assert unrevoked.verdict is Verdict.VALID
    assert "jwk_not_bound" not in warning_codes(unrevoked)  # the issuer lists that key
