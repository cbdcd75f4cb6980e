"""Verifier rules found with the interop corpus: schema scope, bare did:key, header jwk, types."""

from __future__ import annotations

from typing import Any

from badges.issue import sign_credential
from badges.keys import KeyPair, KeyType
from badges.proofs.dataintegrity import add_proof
from badges.proofs.jwt import _segment
from badges.report import Outcome, Verdict
from badges.testing import FROZEN_NOW, did_key_identity, sample_credential
from badges.verify import verify

KEY = KeyPair.from_seed(bytes(range(32)))
ISSUER, METHOD = did_key_identity(KEY)
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"


def codes(report: Any) -> list[str]:
    return [w.code for w in report.warnings]


def test_undeclared_schema_findings_are_warnings() -> None:
    """OB 3.0 §9.1 step 1 enforces the schema the credential declares."""
    credential = sample_credential(ISSUER)
    credential["credentialSubject"]["achievement"]["achievementType"] = "Program"
    report = verify(sign_credential(credential, KEY, METHOD), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    assert report.check("schema").code == "schema_undeclared"
    assert "schema_warning" in codes(report)


def test_declared_schema_is_enforced() -> None:
    credential = sample_credential(ISSUER)
    credential["credentialSchema"] = [SCHEMA]
    credential["@context"].append(EXTENSIONS)
    credential["credentialSubject"]["achievement"]["achievementType"] = "Program"
    report = verify(sign_credential(credential, KEY, METHOD), now=FROZEN_NOW)
    assert report.check("schema").code == "schema_invalid"
    assert report.verdict is Verdict.INVALID


def test_unidentified_subject_fails_a_declared_schema() -> None:
    credential = sample_credential(ISSUER)
    credential["credentialSchema"] = [SCHEMA]
    credential["@context"].append(EXTENSIONS)
    del credential["credentialSubject"]["id"]
    report = verify(sign_credential(credential, KEY, METHOD), now=FROZEN_NOW)
    assert report.check("schema").code == "schema_invalid"
    assert "identifier" in report.check("schema").message()


def test_generic_credential_is_checked_without_an_ob_schema() -> None:
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:x"},
    }
    report = verify(add_proof(credential, KEY, METHOD), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    assert report.check("schema").code == "schema_not_applicable"


def test_bare_did_key_means_its_single_key() -> None:
    signed = add_proof(sample_credential(ISSUER), KEY, ISSUER)  # sign_credential refuses it
    report = verify(signed, now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    assert "bare_did_key" in codes(report)


def _jwt_with_header_jwk(signer: KeyPair, issuer: str) -> str:
    credential = sample_credential(issuer)
    payload = {**credential, "iss": issuer, "jti": credential["id"], "nbf": 1767225600}
    payload["sub"] = credential["credentialSubject"]["id"]
    header = {"alg": signer.public.jws_alg, "typ": "JWT", "jwk": signer.public.to_jwk()}
    signing_input = _segment(header) + b"." + _segment(payload)
    from badges.encoding import b64url_encode

    return (signing_input + b"." + b64url_encode(signer.sign(signing_input)).encode()).decode()


def test_header_jwk_not_bound_fails_by_default_and_passes_spec_literal() -> None:
    stranger = KeyPair.generate(KeyType.ED25519)
    token = _jwt_with_header_jwk(stranger, "https://issuer.example/profile")
    strict = verify(token, now=FROZEN_NOW)
    assert strict.check("issuer").code == "key_not_bound"
    literal = verify(token, now=FROZEN_NOW, accept_header_jwk=True)
    assert literal.check("proof").outcome is Outcome.PASSED
    assert "jwk_not_bound" in codes(literal)
