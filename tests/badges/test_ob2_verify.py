"""Open Badges 2.0 verification (badges.ob2): hosted and signed Assertions, one test per code."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from badges.ob2 import decode_jws, is_ob2_assertion, verify_ob2
from badges.report import Outcome, Verdict, VerificationReport
from badges.testing import dict_fetcher
from badges.verify import verify
from tests.badges.ob2_factory import (
    BADGE,
    BASE,
    EMAIL,
    HOSTED_ID,
    KEY_URL,
    NOW,
    PROFILE,
    REVOCATIONS,
    SALT,
    SIGNED_ID,
    assertion,
    hashed,
    hosted_world,
    p256_key,
    pem,
    rsa_key,
    sign_jws,
    unsigned_jws,
    world,
)

CORPUS = Path("/work/shared/interop")


def outcomes(report: VerificationReport) -> dict[str, tuple[str, str]]:
    return {c.id: (c.outcome.value, c.code) for c in report.checks}


def failing(report: VerificationReport) -> dict[str, str]:
    return {c.id: c.code for c in report.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)}


def translated(report: VerificationReport) -> None:
    """Every check and note has a message in each language (not just its code)."""
    for lang in ("en", "fi", "sv"):
        for check in report.checks:
            assert check.message(lang) != check.code, check
        for note in report.warnings:
            assert note.message(lang) != note.code, note


def run_hosted(**changes: Any) -> VerificationReport:
    w, doc = hosted_world(**changes)
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    translated(report)
    return report


def run_signed(
    payload: dict[str, Any] | None = None, *, mutate: Any = None, **options: Any
) -> VerificationReport:
    w = world()
    if mutate is not None:
        mutate(w)
    token = sign_jws(payload or assertion("signed"), rsa_key())
    report = verify_ob2(token, fetch=w.fetcher(), now=NOW, **options)
    translated(report)
    return report


# ------------------------------------------------------------------ happy paths


def test_valid_hosted_assertion() -> None:
    report = run_hosted()
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-hosted"
    assert outcomes(report) == {
        "parse": ("passed", "ok_parse"),
        "hosted": ("passed", "ok_hosted"),
        "assertion": ("passed", "ok_ob2_documents"),
        "issuer": ("passed", "ok_hosted_scope"),
        "valid_from": ("passed", "ok_valid_from"),
        "valid_until": ("passed", "no_expiry"),
        "status": ("passed", "ok_status"),
        "recipient": ("skipped", "recipient_not_requested"),
    }
    assert report.related is not None
    assert report.related["badge"]["id"] == BADGE
    assert report.related["issuer"]["id"] == PROFILE


def test_valid_signed_assertion() -> None:
    report = run_signed()
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-signed"
    assert outcomes(report) == {
        "parse": ("passed", "ok_parse"),
        "assertion": ("passed", "ok_ob2_documents"),
        "issuer": ("passed", "ok_issuer"),
        "proof": ("passed", "ok_proof"),
        "valid_from": ("passed", "ok_valid_from"),
        "valid_until": ("passed", "no_expiry"),
        "status": ("passed", "no_status"),
        "recipient": ("skipped", "recipient_not_requested"),
    }
    assert "RS256" in report.check("proof").message()


def test_signed_with_es256_and_an_embedded_badge_class() -> None:
    key = p256_key()
    w = world(key)
    token = sign_jws(assertion("signed", badge=w.badge), key)
    report = verify_ob2(token, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert w.fetched == [PROFILE, KEY_URL]


def test_embedded_profile_is_replaced_by_the_published_one() -> None:
    """A forger embeds the real issuer's Profile id listing the forger's key: refused."""
    forger = p256_key()
    w = world()
    forged_key = {**w.key, "id": f"{BASE}/keys/forged.json", "publicKeyPem": pem(forger)}
    w.hosted[forged_key["id"]] = forged_key
    embedded = dict(w.profile, publicKey=forged_key["id"])
    payload = assertion(
        "signed",
        badge=dict(w.badge, issuer=embedded),
        verification={"type": "SignedBadge", "creator": forged_key["id"]},
    )
    report = verify_ob2(sign_jws(payload, forger), fetch=w.fetcher(), now=NOW)
    assert failing(report) == {"issuer": "ob2_key_not_listed"}
    assert [n.code for n in report.warnings] == ["ob2_profile_replaced"]


def test_signed_without_creator_tries_the_issuers_keys() -> None:
    payload = assertion("signed", verification={"type": "signed"})
    report = run_signed(payload)
    assert report.verdict is Verdict.VALID, report.to_dict()


def test_facts_come_from_the_linked_documents() -> None:
    facts = run_hosted().to_dict("fi")["facts"]
    assert facts["name"] == "Vertaismentori"
    assert facts["issuer"] == {"id": PROFILE, "name": "Esimerkkilän kaupunki"}
    assert facts["achievement"]["criteria"] == "Ohjannut kuusi tapaamista."
    assert facts["achievement"]["image"] == f"{BASE}/badges/mentor.png"
    assert facts["recipient"] == {"type": "email", "identity": None, "hashed": True}
    assert facts["issued"] == facts["valid_from"] == "2026-01-10T09:00:00Z"
    assert facts["baked"] is None


# ------------------------------------------------------------------ signed failures


def test_tampered_jws_is_invalid() -> None:
    token = sign_jws(assertion("signed"), rsa_key())
    head, _, signature = token.split(".")
    forged = dict(decode_jws(token).payload, issuedOn="2025-01-01T00:00:00Z")
    body = sign_jws(forged, rsa_key()).split(".")[1]
    report = verify_ob2(f"{head}.{body}.{signature}", fetch=world().fetcher(), now=NOW)
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"proof": "invalid_signature"}


def test_signature_by_another_key_is_invalid() -> None:
    def other_key(w: Any) -> None:
        w.key["publicKeyPem"] = pem(p256_key())

    report = run_signed(mutate=other_key)
    assert failing(report) == {"proof": "key_type_mismatch"}


def test_key_owned_by_someone_else_is_not_bound() -> None:
    def stranger(w: Any) -> None:
        w.key["owner"] = "https://other.example/profile.json"

    report = run_signed(mutate=stranger)
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"issuer": "key_not_bound"}
    assert report.check("proof").outcome is Outcome.SKIPPED


def test_key_the_issuer_does_not_list_is_refused() -> None:
    def unlisted(w: Any) -> None:
        w.profile["publicKey"] = [f"{BASE}/keys/2.json"]

    report = run_signed(mutate=unlisted)
    assert failing(report) == {"issuer": "ob2_key_not_listed"}


def test_issuer_without_keys() -> None:
    def no_keys(w: Any) -> None:
        del w.profile["publicKey"]

    report = run_signed(assertion("signed", verification={"type": "SignedBadge"}), mutate=no_keys)
    assert failing(report) == {"issuer": "ob2_no_keys"}


def test_unusable_pem_is_a_bad_key() -> None:
    def broken(w: Any) -> None:
        w.key["publicKeyPem"] = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"

    assert failing(run_signed(mutate=broken)) == {"issuer": "ob2_bad_key"}


@pytest.mark.parametrize("alg", ["none", "HS256", "RS512"])
def test_algorithms_outside_the_allow_list_never_verify(alg: str) -> None:
    token = unsigned_jws(assertion("signed"), alg)
    report = verify_ob2(token, fetch=world().fetcher(), now=NOW)
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"proof": "unsupported_algorithm"}


def test_unfetchable_key_is_indeterminate() -> None:
    w = world()
    token = sign_jws(assertion("signed"), rsa_key())
    report = verify_ob2(token, fetch=w.fetcher(missing=(KEY_URL,)), now=NOW)
    assert report.verdict is Verdict.INDETERMINATE
    assert failing(report) == {"issuer": "key_unresolvable"}


def test_signed_assertion_as_plain_json_has_no_proof() -> None:
    report = verify_ob2(assertion("signed"), fetch=world().fetcher(), now=NOW)
    assert failing(report) == {"proof": "no_proof"}


def test_jws_of_a_hosted_assertion_is_refused() -> None:
    token = sign_jws(assertion("hosted"), rsa_key())
    report = verify_ob2(token, fetch=world().fetcher(), now=NOW)
    assert failing(report) == {"assertion": "ob2_invalid"}


def test_malformed_jws_payload_is_invalid() -> None:
    report = verify_ob2("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", now=NOW)
    assert failing(report) == {"parse": "malformed_jwt"}


# ------------------------------------------------------------------ revocation


@pytest.mark.parametrize(
    "entry",
    [
        SIGNED_ID,
        {"id": SIGNED_ID, "revocationReason": "Myönnetty virheellisesti"},
        {"uid": "abc-123"},
    ],
)
def test_revoked_via_the_issuers_revocation_list(entry: Any) -> None:
    def listed(w: Any) -> None:
        w.profile["revocationList"] = REVOCATIONS
        w.revocations = {
            "@context": "https://w3id.org/openbadges/v2",
            "type": "RevocationList",
            "id": REVOCATIONS,
            "revokedAssertions": ["urn:uuid:someone-else", entry],
        }

    report = run_signed(assertion("signed", uid="abc-123"), mutate=listed)
    assert report.verdict is Verdict.REVOKED, report.to_dict()
    assert failing(report) == {"status": "revoked"}
    if isinstance(entry, dict) and "revocationReason" in entry:
        assert [w.code for w in report.warnings] == ["ob2_revocation_reason"]
        assert "virheellisesti" in report.to_dict("fi")["warnings"][0]


def test_not_on_the_revocation_list_is_valid() -> None:
    def listed(w: Any) -> None:
        w.profile["revocationList"] = REVOCATIONS
        w.revocations = {"type": "RevocationList", "id": REVOCATIONS, "revokedAssertions": []}

    report = run_signed(mutate=listed)
    assert report.verdict is Verdict.VALID
    assert report.check("status").code == "ok_status"


def test_unreachable_revocation_list_is_indeterminate() -> None:
    def listed(w: Any) -> None:
        w.profile["revocationList"] = REVOCATIONS

    report = run_signed(mutate=listed)
    assert report.verdict is Verdict.INDETERMINATE
    assert failing(report) == {"status": "status_unreachable"}


def test_hosted_copy_marked_revoked() -> None:
    w, doc = hosted_world()
    w.hosted[HOSTED_ID] = {"id": HOSTED_ID, "revoked": True, "revocationReason": "Peruttu"}
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.REVOKED, report.to_dict()
    assert failing(report) == {"hosted": "revoked"}


def test_hosted_410_gone_is_revoked() -> None:
    w, doc = hosted_world()
    w.gone.add(HOSTED_ID)
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.REVOKED
    assert failing(report) == {"hosted": "revoked"}


# ------------------------------------------------------------------ hosted failures


def test_hosted_copy_with_another_id_is_refused() -> None:
    w, doc = hosted_world()
    w.hosted[HOSTED_ID] = dict(doc, id=f"{BASE}/assertions/2.json")
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"hosted": "ob2_hosted_mismatch"}


def test_hosted_copy_wins_over_the_presented_one() -> None:
    w, doc = hosted_world()
    presented = dict(doc, recipient={"type": "email", "hashed": False, "identity": "x@y.fi"})
    report = verify_ob2(presented, fetch=w.fetcher(), now=NOW, recipient=EMAIL)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.credential == doc
    assert [w.code for w in report.warnings] == ["ob2_hosted_differs"]


def test_hosted_id_must_be_http() -> None:
    report = verify_ob2(assertion("hosted", id="urn:uuid:1234"), fetch=world().fetcher(), now=NOW)
    assert failing(report) == {"hosted": "ob2_hosted_id"}


def test_unreachable_hosted_assertion_is_indeterminate() -> None:
    report = verify_ob2(assertion("hosted"), fetch=world().fetcher(), now=NOW)
    assert report.verdict is Verdict.INDETERMINATE
    assert failing(report) == {"hosted": "document_unreachable"}


ELSEWHERE = "https://elsewhere.example/profile.json"


def test_hosted_outside_the_issuers_origin() -> None:
    w, doc = hosted_world()
    w.profile["id"] = w.badge["issuer"] = ELSEWHERE
    w.hosted[ELSEWHERE] = w.profile
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert failing(report) == {"issuer": "ob2_out_of_scope"}


@pytest.mark.parametrize(
    ("rules", "verdict"),
    [
        ({"allowedOrigins": "issuer.example"}, Verdict.VALID),
        ({"allowedOrigins": ["other.example"]}, Verdict.INVALID),
        ({"startsWith": f"{BASE}/assertions/"}, Verdict.VALID),
        ({"startsWith": [f"{BASE}/other/"]}, Verdict.INVALID),
    ],
)
def test_issuer_verification_scope(rules: dict[str, Any], verdict: Verdict) -> None:
    w, doc = hosted_world()
    w.profile["id"] = w.badge["issuer"] = ELSEWHERE
    w.profile["verification"] = {"type": "VerificationObject", **rules}
    w.hosted[ELSEWHERE] = w.profile
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert report.verdict is verdict, report.to_dict()


def test_unfetchable_badge_class_is_indeterminate() -> None:
    w, doc = hosted_world()
    report = verify_ob2(doc, fetch=w.fetcher(missing=(BADGE,)), now=NOW)
    assert report.verdict is Verdict.INDETERMINATE
    assert failing(report) == {"assertion": "document_unreachable"}


def test_badge_class_served_under_another_id() -> None:
    w, doc = hosted_world()
    w.badge["id"] = f"{BASE}/badges/other.json"
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert failing(report) == {"assertion": "ob2_bad_document"}


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"recipient": "maija@example.fi"}, "IdentityObject"),
        ({"issuedOn": "2026-01-10"}, "issuedOn"),
        ({"badge": 42}, "badge"),
        ({"@context": "https://example.org/ctx"}, "@context"),
    ],
)
def test_malformed_assertion(changes: dict[str, Any], words: str) -> None:
    report = run_hosted(**changes)
    assert failing(report) == {"assertion": "ob2_invalid"}
    assert words in report.check("assertion").message()


def test_badge_class_missing_a_name() -> None:
    w, doc = hosted_world()
    del w.badge["name"]
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert failing(report) == {"assertion": "ob2_invalid"}
    assert "BadgeClass" in report.check("assertion").message()


def test_issuer_without_email_is_a_note() -> None:
    w, doc = hosted_world()
    del w.profile["email"]
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.VALID
    assert [w.code for w in report.warnings] == ["ob2_property_missing"]


# ------------------------------------------------------------------ dates and recipient


def test_expired_assertion() -> None:
    report = run_hosted(expires="2026-02-01T00:00:00+02:00")
    assert report.verdict is Verdict.EXPIRED
    assert failing(report) == {"valid_until": "expired"}


def test_not_yet_expired() -> None:
    report = run_hosted(expires="2027-02-01T00:00:00Z")
    assert report.check("valid_until").code == "ok_valid_until"


def test_issued_in_the_future_is_invalid() -> None:
    report = run_hosted(issuedOn="2026-06-01T00:00:00Z")
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"valid_from": "not_yet_valid"}


MD5 = hashed("a@b.fi", algorithm="md5")
UNSALTED_UPPER_HEX = "sha256$" + hashed("a@b.fi", salt="")[7:].upper()


@pytest.mark.parametrize(
    ("recipient", "given", "matches"),
    [
        ({"hashed": True, "salt": SALT, "identity": hashed(EMAIL.lower())}, EMAIL, True),
        ({"hashed": True, "salt": SALT, "identity": hashed(EMAIL.lower())}, "x@y.fi", False),
        (
            {"hashed": True, "salt": SALT, "identity": hashed("a@b.fi", algorithm="md5")},
            "A@b.fi",
            True,
        ),
        (
            {"hashed": True, "salt": SALT, "identity": hashed("a@b.fi", algorithm="md5")},
            "c@b.fi",
            False,
        ),
        (
            {"hashed": True, "identity": "sha256$" + hashed("a@b.fi", salt="")[7:].upper()},
            "a@b.fi",
            True,
        ),
        ({"hashed": False, "identity": "Maija@Example.fi"}, "maija@example.FI", True),
        ({"hashed": False, "identity": "maija@example.fi"}, "matti@example.fi", False),
    ],
)
def test_recipient(recipient: dict[str, Any], given: str, matches: bool) -> None:
    w, doc = hosted_world(recipient={"type": "email", **recipient})
    report = verify_ob2(doc, fetch=w.fetcher(), now=NOW, recipient=given)
    expected = ("passed", "ok_recipient") if matches else ("failed", "recipient_mismatch")
    assert outcomes(report)["recipient"] == expected


def test_recipient_of_a_signed_assertion() -> None:
    report = run_signed(recipient=EMAIL.upper())
    assert report.verdict is Verdict.VALID
    assert report.check("recipient").code == "ok_recipient"


# ------------------------------------------------------------------ inputs and corpus


@pytest.mark.parametrize("form", ["dict", "text", "bytes", "url"])
def test_verify_ob2_input_forms(form: str) -> None:
    w, doc = hosted_world()
    raw: Any = {
        "dict": doc,
        "text": json.dumps(doc),
        "bytes": json.dumps(doc).encode(),
        "url": f"  {HOSTED_ID}\n",
    }[form]
    report = verify_ob2(raw, fetch=w.fetcher(), now=NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert w.fetched.count(HOSTED_ID) == 1


def test_nothing_is_fetched_without_a_fetcher() -> None:
    report = verify_ob2(assertion("hosted"), now=NOW)
    assert report.verdict is Verdict.INDETERMINATE


def test_recognising_ob2_assertions() -> None:
    assert is_ob2_assertion(assertion())
    assert is_ob2_assertion({"type": "Assertion"})
    assert not is_ob2_assertion({"@context": ["https://www.w3.org/ns/credentials/v2"]})
    assert not is_ob2_assertion({"type": ["VerifiableCredential", "Assertion"]})
    assert not is_ob2_assertion("https://w3id.org/openbadges/v2")


def test_report_of_ob2_is_json_serialisable() -> None:
    report = run_signed()
    text = json.dumps(report.to_dict("sv"))
    assert "Vertaismentori" in text
    assert copy.deepcopy(report.to_dict()) == report.to_dict()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="interop corpus not present")
def test_corpus_signed_assertion_is_valid_through_the_map() -> None:
    mapping = json.loads((CORPUS / "docs/map.json").read_text())
    docs = {url: (CORPUS / "docs" / name).read_bytes() for url, name in mapping.items()}
    token = (CORPUS / "creds/ob2-signed-simple.jwt").read_bytes()
    now = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # as tests/interop/test_corpus.py
    report = verify(token, now=now, fetch=dict_fetcher(docs))
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-signed"
    assert report.check("issuer").params["key"] == "http://example.org/key1.json"
    facts = report.to_dict()["facts"]
    assert facts["issuer"]["id"] == "https://example.org/organization.json"
    assert facts["name"] == "Awesome Robotics Badge"
