"""Key rotation and compromise, end to end over the did:web documents the service serves.

Every credential here is verified by ``badges.verify`` resolving the issuer's did:web
from the running service (``LiveService.verify``), so what is checked is what any
verifier would see: the DID document as served, the proofs as stored.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from badges.jsonld import expand
from badges.report import Outcome, Verdict
from tests.issuer.factories import achievement, award, issuer, ok, problem
from tests.issuer.live import LiveService

SECURITY = "https://w3id.org/security#"


def _did_document(service: LiveService, issuer_id: str) -> dict[str, Any]:
    response = service.http.get(f"/issuers/{issuer_id}/did.json")
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _method(credential: dict[str, Any]) -> str:
    method: str = credential["proof"]["verificationMethod"]
    return method


def _next_second() -> datetime:
    """Wait for the next whole second (awards are stamped to the second); return it."""
    now = datetime.now(UTC)
    target = now.replace(microsecond=0) + timedelta(seconds=1)
    time.sleep((target - now).total_seconds())
    while datetime.now(UTC) < target:  # pragma: no cover - sleep may return a hair early
        time.sleep(0.01)
    return target


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_list_keys_shows_public_parts_only(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api)
    keys = ok(api.get(f"/api/v1/issuers/{made['id']}/keys"))
    assert [key["status"] for key in keys] == ["current"]
    [key] = keys
    assert key["id"] == made["keys"][0]["id"]
    assert key["verification_method"] == f"{made['did']}#{key['id']}"
    assert key["public_jwk"]["kty"] == "OKP"
    assert "d" not in key["public_jwk"]
    assert "private" not in str(keys).lower()
    assert key["compromised_since"] is None
    with service.client(scopes="read") as reader:
        assert ok(reader.get(f"/api/v1/issuers/{made['id']}/keys")) == keys
    assert service.http.get(f"/api/v1/issuers/{made['id']}/keys").status_code == 401
    problem(api.get("/api/v1/issuers/nope/keys"), 404, "not-found")
    with service.client(org=_other_org(service)) as other:
        problem(other.get(f"/api/v1/issuers/{made['id']}/keys"), 404, "not-found")


def _other_org(service: LiveService) -> str:
    slug = f"keys-other-{time.monotonic_ns()}"
    service.organization(slug)
    return slug


def test_rotation_keeps_old_credentials_verifying(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api)
    ach = _achievement_of(api, made)
    first = award(api, ach["id"], format="jwt", level="basic")
    assert service.verify(first["credential"]).verdict is Verdict.VALID
    old_key = made["keys"][0]["id"]

    response = api.post(f"/api/v1/issuers/{made['id']}/keys/rotate")
    new = ok(response, 201)
    assert new["status"] == "current"
    assert new["id"] != old_key
    assert new["type"] == "Ed25519"  # default: the type of the current key
    assert "d" not in new["public_jwk"]

    second = award(api, ach["id"], format="jwt")
    assert _method(first["credential"]) == f"{made['did']}#{old_key}"
    assert _method(second["credential"]) == f"{made['did']}#{new['id']}"
    for given in (first, second):
        assert service.verify(given["credential"]).verdict is Verdict.VALID
        assert service.verify(given["jwt"]).verdict is Verdict.VALID

    document = _did_document(service, made["id"])
    ids = [method["id"] for method in document["verificationMethod"]]
    assert ids == [f"{made['did']}#{old_key}", f"{made['did']}#{new['id']}"]
    assert document["assertionMethod"] == ids
    assert all("revoked" not in method for method in document["verificationMethod"])

    keys = {key["id"]: key for key in ok(api.get(f"/api/v1/issuers/{made['id']}/keys"))}
    assert keys[old_key]["status"] == "retired"
    assert keys[old_key]["retired_at"] is not None
    assert keys[new["id"]]["status"] == "current"

    events = ok(api.get("/api/v1/audit", params={"action": "key.create", "limit": 200}))["items"]
    assert any(
        event["target_id"] == new["id"] and event["details"]["retired"] == old_key
        for event in events
    )


def _achievement_of(api: httpx.Client, made: dict[str, Any]) -> dict[str, Any]:
    return achievement(api, issuer_id=made["id"])


def test_rotation_rules(service: LiveService, api: httpx.Client) -> None:
    did_key = issuer(api, did_method="key")
    body = problem(api.post(f"/api/v1/issuers/{did_key['id']}/keys/rotate"), 409, "conflict")
    assert "did:key" in body["detail"]
    ldp = issuer(api)
    problem(
        api.post(f"/api/v1/issuers/{ldp['id']}/keys/rotate", json={"type": "p256"}),
        422,
        "validation-error",
    )
    problem(
        api.post(f"/api/v1/issuers/{ldp['id']}/keys/rotate", json={"type": "dsa"}),
        422,
        "validation-error",
    )
    jwt_issuer = issuer(api, format="jwt", key_type="p256")
    rotated = ok(api.post(f"/api/v1/issuers/{jwt_issuer['id']}/keys/rotate"), 201)
    assert rotated["type"] == "P-256"
    rsa = ok(api.post(f"/api/v1/issuers/{jwt_issuer['id']}/keys/rotate", json={"type": "rsa"}), 201)
    assert rsa["type"] == "RSA"
    document = _did_document(service, jwt_issuer["id"])
    assert len(document["verificationMethod"]) == 3
    with service.client(scopes="read,award") as reader:
        problem(reader.post(f"/api/v1/issuers/{ldp['id']}/keys/rotate"), 403, "forbidden")
    problem(api.post("/api/v1/issuers/nope/keys/rotate"), 404, "not-found")


def test_compromise_refuses_later_proofs_and_reissue_replaces_them(
    service: LiveService, api: httpx.Client
) -> None:
    made = issuer(api)
    ach = _achievement_of(api, made)
    key1 = made["keys"][0]["id"]
    before = award(api, ach["id"], level="advanced", name="Maija Meikäläinen")
    since = _next_second()
    after = award(api, ach["id"], format="jwt", level="basic", name="Matti Virtanen")
    assert service.verify(after["credential"]).verdict is Verdict.VALID

    response = api.post(
        f"/api/v1/issuers/{made['id']}/keys/{key1}/compromise",
        json={"since": _stamp(since), "reason": "laptop stolen"},
    )
    result = ok(response)
    assert result["key"]["status"] == "compromised"
    assert result["key"]["compromised_since"].startswith(_stamp(since)[:19])
    assert result["key"]["compromise_reason"] == "laptop stolen"
    assert result["rotated_to"]["status"] == "current"
    key2 = result["rotated_to"]["id"]
    assert result["affected_awards"] == 1

    # the DID document keeps the key, with `revoked`, and still lists it for assertions
    document = _did_document(service, made["id"])
    methods = {method["id"]: method for method in document["verificationMethod"]}
    old_method = methods[f"{made['did']}#{key1}"]
    assert old_method["revoked"] == _stamp(since)
    assert "revoked" not in methods[f"{made['did']}#{key2}"]
    assert f"{made['did']}#{key1}" in document["assertionMethod"]
    # `revoked` is a defined term (multikey/v1), not dropped by a JSON-LD processor
    [node] = [
        item
        for item in expand(document)[0]["https://w3id.org/security#verificationMethod"]
        if item["@id"] == old_method["id"]
    ]
    assert node[f"{SECURITY}revoked"] == [
        {"@type": "http://www.w3.org/2001/XMLSchema#dateTime", "@value": _stamp(since)}
    ]

    # signed before the compromise: valid; at/after it: invalid, `key_revoked`
    assert service.verify(before["credential"]).verdict is Verdict.VALID
    for form in (after["credential"], after["jwt"]):
        report = service.verify(form)
        assert report.verdict is Verdict.INVALID
        check = report.check("issuer")
        assert check.outcome is Outcome.FAILED
        assert check.code == "key_revoked"

    # new awards are signed by the new key and verify
    fresh = award(api, ach["id"])
    assert _method(fresh["credential"]) == f"{made['did']}#{key2}"
    assert service.verify(fresh["credential"]).verdict is Verdict.VALID

    # re-issue what the compromised key signed after `since`
    done = ok(api.post(f"/api/v1/issuers/{made['id']}/reissue", json={"key_id": key1}))
    assert done["reissued"] == 1
    assert done["remaining"] == 0
    [pair] = done["awards"]
    assert pair["old"] == after["id"]
    new = ok(api.get(f"/api/v1/awards/{pair['new']}"))
    old = ok(api.get(f"/api/v1/awards/{after['id']}"))
    assert old["status"] == "revoked"
    assert old["revocation_reason"] == "key compromise"
    assert old["reissued_by"] == new["id"]
    assert new["reissued_from"] == old["id"]
    assert new["status"] == "active"
    assert new["format"] == "jwt"
    assert _method(new["credential"]) == f"{made['did']}#{key2}"
    subject, old_subject = (
        new["credential"]["credentialSubject"],
        after["credential"]["credentialSubject"],
    )
    assert subject["identifier"] == old_subject["identifier"]  # same recipient and name
    assert subject["result"] == old_subject["result"]  # same level
    assert new["credential"]["validFrom"] == after["credential"]["validFrom"]
    new_status, old_status = (
        new["credential"]["credentialStatus"],
        after["credential"]["credentialStatus"],
    )
    assert new_status["statusPurpose"] == old_status["statusPurpose"] == "revocation"
    assert new_status["id"] != old_status["id"]  # its own status list entry
    assert new["credential"]["id"].endswith(f"/credentials/{new['id']}")
    for form in (new["credential"], new["jwt"]):
        assert service.verify(form).verdict is Verdict.VALID
    # the award from before the compromise is left alone
    assert ok(api.get(f"/api/v1/awards/{before['id']}"))["status"] == "active"

    again = ok(api.post(f"/api/v1/issuers/{made['id']}/reissue", json={"key_id": key1}))
    assert again == {"key_id": key1, "reissued": 0, "remaining": 0, "awards": []}

    actions = {
        event["action"]
        for event in ok(api.get("/api/v1/audit", params={"limit": 200}))["items"]
        if event["target_id"] in {key1, key2, new["id"]}
    }
    assert {"key.compromise", "key.create", "award.reissue", "key.reissue"} <= actions


def test_compromise_rules(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api)
    key1 = made["keys"][0]["id"]
    url = f"/api/v1/issuers/{made['id']}/keys/{key1}/compromise"
    future = datetime.now(UTC) + timedelta(days=1)
    problem(api.post(url, json={"since": future.isoformat()}), 422, "validation-error")
    problem(api.post(url, json={}), 422, "validation-error")
    problem(api.post(url, json={"since": "yesterday"}), 422, "validation-error")
    problem(
        api.post(f"/api/v1/issuers/{made['id']}/reissue", json={"key_id": key1}), 409, "conflict"
    )
    with service.client(scopes="read,award,revoke") as limited:
        problem(limited.post(url, json={"since": "2026-01-01T00:00:00Z"}), 403, "forbidden")
    assert ok(api.get(f"/api/v1/issuers/{made['id']}/keys"))[0]["status"] == "current"

    # a retired key: no rotation; a naive time is UTC; fractions are rounded down
    key2 = ok(api.post(f"/api/v1/issuers/{made['id']}/keys/rotate"), 201)["id"]
    result = ok(api.post(url, json={"since": "2026-01-02T10:00:00.750"}))
    assert result["rotated_to"] is None
    assert result["affected_awards"] == 0
    document = _did_document(service, made["id"])
    assert document["verificationMethod"][0]["revoked"] == "2026-01-02T10:00:00Z"
    # again: only an earlier time
    problem(api.post(url, json={"since": "2026-01-03T00:00:00Z"}), 409, "conflict")
    problem(api.post(url, json={"since": "2026-01-02T10:00:00Z"}), 409, "conflict")
    ok(api.post(url, json={"since": "2026-01-01T08:00:00+02:00"}))
    document = _did_document(service, made["id"])
    assert document["verificationMethod"][0]["revoked"] == "2026-01-01T06:00:00Z"
    keys = {key["id"]: key["status"] for key in ok(api.get(f"/api/v1/issuers/{made['id']}/keys"))}
    assert keys == {key1: "compromised", key2: "current"}

    problem(
        api.post(
            f"/api/v1/issuers/{made['id']}/keys/nope/compromise",
            json={"since": "2026-01-01T00:00:00Z"},
        ),
        404,
        "not-found",
    )
    did_key = issuer(api, did_method="key")
    problem(
        api.post(
            f"/api/v1/issuers/{did_key['id']}/keys/{did_key['keys'][0]['id']}/compromise",
            json={"since": "2026-01-01T00:00:00Z"},
        ),
        409,
        "conflict",
    )


@pytest.mark.parametrize("kind", ["rsa"])
def test_compromised_rsa_key_keeps_its_revoked_time(
    service: LiveService, api: httpx.Client, kind: str
) -> None:
    """JsonWebKey methods carry ``revoked`` too (defined by the jwk/v1 context)."""
    made = issuer(api, format="jwt", key_type=kind)
    key = made["keys"][0]["id"]
    ok(
        api.post(
            f"/api/v1/issuers/{made['id']}/keys/{key}/compromise",
            json={"since": "2026-01-01T00:00:00Z"},
        )
    )
    document = _did_document(service, made["id"])
    [old, new] = document["verificationMethod"]
    assert old["type"] == "JsonWebKey"
    assert old["revoked"] == "2026-01-01T00:00:00Z"
    assert new["type"] == "JsonWebKey"  # rotated in with the same type
    expanded = expand(document)[0]["https://w3id.org/security#verificationMethod"]
    assert any(f"{SECURITY}revoked" in node for node in expanded)
