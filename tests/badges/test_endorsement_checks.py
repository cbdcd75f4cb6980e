"""The ``endorsement`` check: embedded EndorsementCredentials verified on their own (OB 3.0
§9.1 step 6), reported in full without deciding the badge's verdict."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from badges import KeyPair, sign_credential, verify
from badges.checks.endorsements import MAX_ENDORSEMENTS, embedded_endorsements
from badges.messages import LANGUAGES, message
from badges.report import ADVISORY_CHECKS, Outcome, Verdict
from badges.testing import FROZEN_NOW, did_key_identity, sample_credential

ENDORSER = KeyPair.generate()
ISSUER = KeyPair.generate()
ENDORSER_DID, ENDORSER_METHOD = did_key_identity(ENDORSER)
ISSUER_DID, ISSUER_METHOD = did_key_identity(ISSUER)
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def endorsement(subject_id: str, comment: str = "Hyvä mentori.", **extra: Any) -> dict[str, Any]:
    unsigned = {
        "@context": CONTEXT,
        "id": "https://endorse.example/endorsements/1",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Suositus",
        "issuer": {"id": ENDORSER_DID, "type": ["Profile"], "name": "Maija Mentori"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": subject_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
        **extra,
    }
    return sign_credential(unsigned, ENDORSER, ENDORSER_METHOD)


def badge(*endorsements: dict[str, Any], where: str = "achievement") -> dict[str, Any]:
    credential = sample_credential(ISSUER_DID)
    holder = {
        "achievement": credential["credentialSubject"]["achievement"],
        "issuer": credential["issuer"],
        "credential": credential,
    }[where]
    holder["endorsement"] = list(endorsements)
    return sign_credential(credential, ISSUER, ISSUER_METHOD)


ACHIEVEMENT_ID = sample_credential(ISSUER_DID)["credentialSubject"]["achievement"]["id"]


def test_a_valid_embedded_endorsement_passes() -> None:
    report = verify(badge(endorsement(ACHIEVEMENT_ID)), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    check = report.check("endorsement")
    assert (check.outcome, check.code) == (Outcome.PASSED, "ok_endorsement")
    [found] = report.endorsements
    assert found.valid
    assert (found.where, found.issuer_id, found.comment) == (
        "achievement",
        ENDORSER_DID,
        "Hyvä mentori.",
    )
    assert found.report.check("proof").outcome is Outcome.PASSED
    assert report.to_dict("fi")["endorsements"][0]["valid"] is True


@pytest.mark.parametrize("where", ["issuer", "credential"])
def test_endorsements_of_the_issuer_and_the_credential_are_checked(where: str) -> None:
    subject = ISSUER_DID if where == "issuer" else sample_credential(ISSUER_DID)["id"]
    report = verify(badge(endorsement(subject), where=where), now=FROZEN_NOW)
    assert report.check("endorsement").outcome is Outcome.PASSED
    assert [e.where for e in report.endorsements] == [where]


def test_a_badly_signed_endorsement_is_reported_but_does_not_decide_the_verdict() -> None:
    forged = endorsement(ACHIEVEMENT_ID)
    forged["credentialSubject"]["endorsementComment"] = "Kirjoitettu uudelleen."
    report = verify(badge(forged, endorsement(ACHIEVEMENT_ID)), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID  # the badge's own checks all pass
    check = report.check("endorsement")
    assert (check.outcome, check.code) == (Outcome.FAILED, "endorsement_invalid")
    assert check.params["failed"] == 1
    assert check.params["count"] == 2
    bad, good = report.endorsements
    assert not bad.valid
    assert bad.report.check("proof").code == "invalid_signature"
    assert good.valid
    assert [w.code for w in report.warnings] == ["endorsement_not_valid"]
    assert report.errors() == []  # advisory: not among the badge's errors
    data = report.to_dict("sv")
    assert data["valid"] is True
    assert [e["valid"] for e in data["endorsements"]] == [False, True]
    assert "endorsement" in ADVISORY_CHECKS


def test_an_endorsement_of_something_else_fails() -> None:
    report = verify(badge(endorsement("https://elsewhere.example/achievements/9")), now=FROZEN_NOW)
    assert report.check("endorsement").code == "endorsement_invalid"
    [found] = report.endorsements
    assert found.report.valid  # it is a good credential ...
    assert not found.subject_matches  # ... about another object
    assert "not an endorsement of this achievement" in report.check("endorsement").message()


def test_an_expired_endorsement_fails_without_expiring_the_badge() -> None:
    old = endorsement(ACHIEVEMENT_ID, validUntil="2026-01-02T00:00:00Z")
    report = verify(badge(old), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    assert report.check("endorsement").outcome is Outcome.FAILED
    assert report.endorsements[0].report.verdict is Verdict.EXPIRED


def test_an_endorsement_whose_key_cannot_be_fetched_is_an_error() -> None:
    unsigned = endorsement(ACHIEVEMENT_ID)
    unsigned.pop("proof")
    unsigned["issuer"] = {"id": "did:web:endorsers.example", "type": ["Profile"], "name": "X"}
    web = sign_credential(unsigned, ENDORSER, "did:web:endorsers.example#key-1")
    report = verify(badge(web), now=FROZEN_NOW)  # no fetcher: did:web cannot be resolved
    assert report.verdict is Verdict.VALID
    check = report.check("endorsement")
    assert (check.outcome, check.code) == (Outcome.ERROR, "endorsement_unverifiable")


def test_tampering_after_the_badge_was_signed_breaks_the_badge_too() -> None:
    signed = badge(endorsement(ACHIEVEMENT_ID))
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["endorsement"][0]["credentialSubject"][
        "endorsementComment"
    ] = "Väärennetty."
    report = verify(tampered, now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID
    assert report.check("proof").code == "invalid_signature"
    assert report.check("endorsement").code == "endorsement_invalid"


def test_without_embedded_endorsements_there_is_no_endorsement_check() -> None:
    report = verify(sign_credential(sample_credential(ISSUER_DID), ISSUER, ISSUER_METHOD))
    assert "endorsement" not in [c.id for c in report.checks]
    assert report.endorsements == ()
    assert "endorsements" not in report.to_dict()


def test_embedded_endorsements_are_found_everywhere_ob_puts_them() -> None:
    credential = sample_credential(ISSUER_DID)
    achievement = credential["credentialSubject"]["achievement"]
    achievement["creator"] = {"id": "https://creator.example", "type": ["Profile"]}
    achievement["creator"]["endorsement"] = [{"a": 1}]
    achievement["endorsementJwt"] = ["x.y.z"]
    credential["issuer"]["endorsement"] = [{"b": 2}]
    credential["endorsement"] = [{"c": 3}]
    found = embedded_endorsements(credential)
    assert [(where, item) for where, _, item in found] == [
        ("credential", {"c": 3}),
        ("issuer", {"b": 2}),
        ("achievement", "x.y.z"),
        ("creator", {"a": 1}),
    ]
    assert found[3][1] == "https://creator.example"


def test_at_most_a_bounded_number_are_verified() -> None:
    many = [endorsement(ACHIEVEMENT_ID)] * (MAX_ENDORSEMENTS + 1)
    report = verify(badge(*many), now=FROZEN_NOW)
    assert len(report.endorsements) == MAX_ENDORSEMENTS
    assert "endorsements_truncated" in [w.code for w in report.warnings]


@pytest.mark.parametrize(
    "code",
    [
        "ok_endorsement",
        "endorsement_invalid",
        "endorsement_unverifiable",
        "endorsement_not_valid",
        "endorsements_truncated",
    ],
)
def test_messages_exist_in_every_language(code: str) -> None:
    texts = {message(code, {}, lang) for lang in LANGUAGES}
    assert len(texts) == len(LANGUAGES)
    assert code not in texts
