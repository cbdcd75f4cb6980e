"""The verification pipeline: one test per check id and failure code."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.did import DidResolver, build_did_web_document
from badges.errors import FetchError, InvalidInput
from badges.identity import hash_identity
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair, KeyType
from badges.report import Outcome, Verdict
from badges.status import StatusResult
from badges.testing import FROZEN_NOW, dict_fetcher, did_key_identity, sample_credential
from badges.verify import verify

KEY = KeyPair.from_seed(bytes(range(32)))
OTHER = KeyPair.from_seed(bytes(range(1, 33)))
ISSUER, METHOD = did_key_identity(KEY)


def signed(**changes: Any) -> dict[str, Any]:
    credential = sample_credential(ISSUER)
    credential.update(changes)
    return sign_credential(credential, KEY, METHOD)


def outcomes(report: Any) -> dict[str, tuple[str, str]]:
    return {c.id: (c.outcome.value, c.code) for c in report.checks}


def test_valid_credential_passes_every_check() -> None:
    report = verify(signed(), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert outcomes(report) == {
        "parse": ("passed", "ok_parse"),
        "context": ("passed", "ok_context"),
        "schema": ("passed", "ok_schema"),
        "issuer": ("passed", "ok_issuer"),
        "proof": ("passed", "ok_proof"),
        "valid_from": ("passed", "ok_valid_from"),
        "valid_until": ("passed", "no_expiry"),
        "status": ("passed", "no_status"),
        "recipient": ("skipped", "recipient_not_requested"),
    }


@pytest.mark.parametrize("form", ["dict", "text", "bytes"])
def test_accepts_dict_json_text_and_bytes(form: str) -> None:
    credential = signed()
    raw: Any = {
        "dict": credential,
        "text": json.dumps(credential),
        "bytes": json.dumps(credential).encode(),
    }[form]
    assert verify(raw, now=FROZEN_NOW).valid


def test_changed_claim_fails_proof() -> None:
    credential = signed()
    credential["credentialSubject"]["achievement"]["name"] = "Something else"
    report = verify(credential, now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID
    assert outcomes(report)["proof"] == ("failed", "invalid_signature")
    assert outcomes(report)["valid_from"] == ("skipped", "skipped_after_failure")


def test_changed_proof_value_fails_proof() -> None:
    credential = signed()
    value = credential["proof"]["proofValue"]
    credential["proof"]["proofValue"] = value[:-2] + ("1" if value[-2] != "1" else "2") + value[-1]
    assert outcomes(verify(credential, now=FROZEN_NOW))["proof"][0] == "failed"


def test_other_verification_method_is_not_bound_to_issuer() -> None:
    credential = signed()
    credential["proof"]["verificationMethod"] = did_key_identity(OTHER)[1]
    assert outcomes(verify(credential, now=FROZEN_NOW))["issuer"] == ("failed", "key_not_bound")


def test_changed_issuer_is_not_bound_to_key() -> None:
    credential = signed()
    credential["issuer"]["id"] = did_key_identity(OTHER)[0]
    assert outcomes(verify(credential, now=FROZEN_NOW))["issuer"] == ("failed", "key_not_bound")


def test_swapped_key_fails_signature() -> None:
    credential = sample_credential(ISSUER)
    forged = sign_credential(credential, OTHER, METHOD)  # claims KEY, signed by OTHER
    assert outcomes(verify(forged, now=FROZEN_NOW))["proof"] == ("failed", "invalid_signature")


def test_changed_context_list_fails() -> None:
    credential = signed()
    credential["@context"] = credential["@context"][:1]
    report = verify(credential, now=FROZEN_NOW)
    assert outcomes(report)["context"] == ("failed", "bad_context")
    assert report.verdict is Verdict.INVALID


def test_equivalent_extra_context_keeps_the_same_rdf() -> None:
    """data-integrity/v2 redefines VC 2.0 terms identically: same graph, same signature."""
    credential = signed()
    credential["@context"].append("https://w3id.org/security/data-integrity/v2")
    assert verify(credential, now=FROZEN_NOW).valid


def test_older_vc_context_breaks_the_proof() -> None:
    credential = signed()
    credential["@context"][0] = "https://www.w3.org/2018/credentials/v1"
    report = verify(credential, now=FROZEN_NOW)
    assert report.check("proof").outcome is Outcome.FAILED
    assert report.check("proof").code == "proof_transformation_error"


def test_unpinned_context_is_never_fetched() -> None:
    credential = signed()
    credential["@context"].append("https://evil.example/context.jsonld")
    report = verify(credential, now=FROZEN_NOW)
    assert report.check("proof").outcome is Outcome.ERROR
    assert "evil.example" in report.check("proof").message()
    assert report.verdict is Verdict.INDETERMINATE


def test_undefined_term_is_refused_not_dropped() -> None:
    credential = sample_credential(ISSUER)
    credential["credentialSubject"]["nickname"] = "outside the signature"
    with pytest.raises(InvalidInput):
        sign_credential(credential, KEY, METHOD)


def test_schema_failure_is_reported() -> None:
    credential = sample_credential(ISSUER)
    credential["credentialSchema"] = [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
            "ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]
    credential["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    del credential["credentialSubject"]["achievement"]["criteria"]
    report = verify(sign_credential(credential, KEY, METHOD), now=FROZEN_NOW)
    assert outcomes(report)["schema"] == ("failed", "schema_invalid")
    assert "criteria" in report.check("schema").message()


def test_unsigned_credential() -> None:
    assert outcomes(verify(sample_credential(ISSUER), now=FROZEN_NOW))["issuer"] == (
        "failed",
        "no_proof",
    )


def test_not_yet_valid_is_invalid() -> None:
    report = verify(signed(validFrom="2027-01-01T00:00:00Z"), now=FROZEN_NOW)
    assert outcomes(report)["valid_from"] == ("failed", "not_yet_valid")
    assert report.verdict is Verdict.INVALID


def test_skew_tolerates_small_clock_differences() -> None:
    credential = signed(validFrom="2026-01-15T12:03:00Z")
    assert verify(credential, now=FROZEN_NOW).valid
    assert not verify(credential, now=FROZEN_NOW, skew=timedelta(0)).valid


def test_expired_is_expired_not_invalid() -> None:
    report = verify(signed(validUntil="2026-01-10T00:00:00Z"), now=FROZEN_NOW)
    assert outcomes(report)["valid_until"] == ("failed", "expired")
    assert report.verdict is Verdict.EXPIRED


STATUS = {
    "id": "https://example.fi/status/1#42",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "42",
    "statusListCredential": "https://example.fi/status/1",
}


def test_status_without_resolver_is_skipped_with_warning() -> None:
    report = verify(signed(credentialStatus=STATUS), now=FROZEN_NOW)
    assert outcomes(report)["status"] == ("skipped", "status_not_checked")
    assert [w.code for w in report.warnings] == ["status_not_checked"]
    assert report.valid


@pytest.mark.parametrize(
    ("purpose", "verdict"),
    [("revocation", Verdict.REVOKED), ("suspension", Verdict.SUSPENDED)],
)
def test_status_set_bit(purpose: str, verdict: Verdict) -> None:
    entry = {**STATUS, "statusPurpose": purpose}
    seen: list[dict[str, Any]] = []

    def resolver(status: dict[str, Any]) -> StatusResult:
        seen.append(status)
        return StatusResult(status["statusPurpose"], True)

    report = verify(signed(credentialStatus=entry), now=FROZEN_NOW, status_resolver=resolver)
    assert report.verdict is verdict
    assert seen == [entry]


def test_status_unreachable_is_indeterminate() -> None:
    def resolver(status: dict[str, Any]) -> StatusResult:
        raise FetchError("status list server is down")

    report = verify(signed(credentialStatus=STATUS), now=FROZEN_NOW, status_resolver=resolver)
    assert outcomes(report)["status"] == ("error", "status_unreachable")
    assert report.verdict is Verdict.INDETERMINATE


def test_recipient_email_hash() -> None:
    credential = sample_credential(ISSUER)
    subject = credential["credentialSubject"]
    del subject["id"]
    subject["identifier"] = [
        {
            "type": "IdentityObject",
            "hashed": True,
            "identityHash": hash_identity("maija.meikalainen@example.fi", "s4lt"),
            "identityType": "emailAddress",
            "salt": "s4lt",
        }
    ]
    secured = sign_credential(credential, KEY, METHOD)
    good = verify(secured, now=FROZEN_NOW, recipient="maija.meikalainen@example.fi")
    assert outcomes(good)["recipient"] == ("passed", "ok_recipient")
    bad = verify(secured, now=FROZEN_NOW, recipient="someone@example.fi")
    assert outcomes(bad)["recipient"] == ("failed", "recipient_mismatch")


def test_did_web_issuer_through_injected_fetcher() -> None:
    did = "did:web:badges.example.fi:issuers:7"
    document = build_did_web_document(did, [("key-1", KEY.public)])
    credential = sign_credential(sample_credential(did), KEY, f"{did}#key-1")
    fetch = dict_fetcher({"https://badges.example.fi/issuers/7/did.json": document})
    assert verify(credential, now=FROZEN_NOW, resolver=DidResolver(fetch)).valid
    offline = verify(credential, now=FROZEN_NOW, resolver=DidResolver(dict_fetcher({})))
    assert outcomes(offline)["issuer"] == ("error", "key_unresolvable")
    assert offline.verdict is Verdict.INDETERMINATE


def test_unknown_did_method_is_invalid() -> None:
    credential = signed()
    credential["proof"]["verificationMethod"] = "did:example:123#key"
    assert outcomes(verify(credential, now=FROZEN_NOW))["issuer"] == (
        "failed",
        "unsupported_did_method",
    )


def test_wrong_proof_purpose() -> None:
    credential = sample_credential(ISSUER)
    from badges.proofs import dataintegrity

    secured = dataintegrity.add_proof(credential, KEY, METHOD, proof_purpose="authentication")
    assert outcomes(verify(secured, now=FROZEN_NOW))["proof"] == ("failed", "wrong_proof_purpose")


@pytest.mark.parametrize("key_type", [KeyType.ED25519, KeyType.P256, KeyType.RSA])
def test_jwt_round_trip(key_type: KeyType) -> None:
    key = KeyPair.generate(key_type)
    did = "did:web:badges.example.fi"
    document = build_did_web_document(did, [("k", key.public)])
    token = sign_credential_jwt(sample_credential(did), key, f"{did}#k")
    fetch = dict_fetcher({"https://badges.example.fi/.well-known/did.json": document})
    report = verify(token, now=FROZEN_NOW, resolver=DidResolver(fetch))
    assert report.valid, report.to_dict()
    assert report.format == "jwt"


def test_jwt_tampered_payload_fails() -> None:
    token = sign_credential_jwt(sample_credential(ISSUER), KEY, METHOD)
    header, _, signature = token.split(".")
    other = sign_credential_jwt(sample_credential(ISSUER, credential_id="urn:uuid:x"), KEY, METHOD)
    forged = ".".join([header, other.split(".")[1], signature])
    assert outcomes(verify(forged, now=FROZEN_NOW))["proof"] == ("failed", "invalid_signature")


def test_report_messages_are_translated() -> None:
    credential = signed()
    credential["name"] = "changed"
    report = verify(credential, now=FROZEN_NOW)
    english, finnish, swedish = (report.check("proof").message(lang) for lang in ("en", "fi", "sv"))
    assert "signature" in english
    assert "Allekirjoitus" in finnish
    assert "Signaturen" in swedish
    assert report.to_dict("fi")["errors"] == [finnish]


def test_verify_does_not_mutate_input() -> None:
    credential = signed()
    before = copy.deepcopy(credential)
    verify(credential, now=FROZEN_NOW)
    assert credential == before


def test_deeply_nested_json_is_refused() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    report = verify(deep)
    assert report.check("parse").outcome is Outcome.FAILED
    nested: dict[str, Any] = {}
    cursor = nested
    for _ in range(200):
        cursor["a"] = {}
        cursor = cursor["a"]
    assert outcomes(verify(nested))["parse"] == ("failed", "too_deep")


def test_huge_input_is_refused() -> None:
    assert outcomes(verify("x" * (3 * 1024 * 1024)))["parse"] == ("failed", "too_large")


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_arbitrary_input_never_raises(data: str | bytes) -> None:
    report = verify(data, now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["credentialSubject", "issuer", "proof", "@context", "type", "validFrom"]),
    JSON_VALUES,
)
def test_arbitrary_member_values_never_raise(member: str, value: Any) -> None:
    credential = signed()
    credential[member] = value
    report = verify(credential, now=FROZEN_NOW)
    assert report.verdict is not Verdict.VALID
    assert all(c.code != "internal_error" for c in report.checks), report.to_dict()
