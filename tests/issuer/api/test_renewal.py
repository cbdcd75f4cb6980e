"""Expiry and renewal: ``POST /api/v1/awards/{id}/renew``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from badges.model.dates import parse_datetime
from badges.report import Verdict
from tests.issuer.factories import achievement, award, ok, problem
from tests.issuer.live import LiveService


def _when(text: str) -> datetime:
    return parse_datetime(text)


def _renew(api: httpx.Client, award_id: str, **body: Any) -> dict[str, Any]:
    response = api.post(f"/api/v1/awards/{award_id}/renew", json=body or None)
    made: dict[str, Any] = ok(response, 201)
    assert response.headers["location"] == f"/api/v1/awards/{made['id']}"
    return made


def test_renewal_issues_a_linked_credential_with_a_new_validity(
    service: LiveService, api: httpx.Client
) -> None:
    ach = achievement(api)
    old = award(
        api,
        ach["id"],
        level="advanced",
        name="Maija Meikäläinen",
        valid_until="2027-01-31T00:00:00Z",
    )
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(days=800)
    new = _renew(api, old["id"], valid_until=until.isoformat())

    assert new["renewed_from"] == old["id"]
    assert ok(api.get(f"/api/v1/awards/{old['id']}"))["renewed_by"] == new["id"]
    assert ok(api.get(f"/api/v1/awards/{old['id']}"))["status"] == "active"
    credential, before = new["credential"], old["credential"]
    assert credential["id"].endswith(f"/credentials/{new['id']}")
    assert _when(credential["validUntil"]) == until
    assert _when(new["valid_until"]) == until
    assert _when(credential["validFrom"]) >= _when(before["validFrom"])
    subject, old_subject = credential["credentialSubject"], before["credentialSubject"]
    assert subject["identifier"] == old_subject["identifier"]  # same recipient, same name
    assert subject["result"] == old_subject["result"]  # same level
    assert subject["achievement"]["id"] == old_subject["achievement"]["id"]
    assert service.verify(credential, recipient="maija@example.fi").verdict is Verdict.VALID

    # the old award expires on its own date; the renewed one is valid then
    later = datetime(2027, 6, 1, tzinfo=UTC)
    assert service.verify(before, now=later).verdict is Verdict.EXPIRED
    assert service.verify(credential, now=later).verdict is Verdict.VALID

    # an award is renewed once; the renewal can be renewed again
    body = problem(api.post(f"/api/v1/awards/{old['id']}/renew"), 409, "conflict")
    assert new["id"] in body["detail"]
    third = _renew(api, new["id"])
    assert third["renewed_from"] == new["id"]

    events = ok(api.get("/api/v1/audit", params={"action": "award.renew", "limit": 200}))["items"]
    renewed = {event["target_id"]: event["details"]["renewed_from"] for event in events}
    assert renewed[new["id"]] == old["id"]
    assert renewed[third["id"]] == new["id"]


def test_renewal_uses_the_current_version_and_default_validity(
    service: LiveService, api: httpx.Client
) -> None:
    ach = achievement(api, default_validity_days=30)
    old = award(api, ach["id"], format="jwt", level="basic")
    assert _when(old["valid_until"]) == _when(old["valid_from"]) + timedelta(days=30)
    ok(
        api.patch(
            f"/api/v1/achievements/{ach['id']}",
            json={"criteria": "Uudet kriteerit", "default_validity_days": 365},
        )
    )
    new = _renew(api, old["id"])
    assert new["achievement_version"] == 2
    assert new["format"] == "jwt"
    assert _when(new["valid_until"]) == _when(new["valid_from"]) + timedelta(days=365)
    assert new["credential"]["credentialSubject"]["achievement"]["criteria"]["narrative"] == (
        "Uudet kriteerit"
    )
    for form in (new["credential"], new["jwt"]):
        assert service.verify(form).verdict is Verdict.VALID


def test_renewal_rules(service: LiveService, api: httpx.Client) -> None:
    ach = achievement(api)
    given = award(api, ach["id"])
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    problem(
        api.post(f"/api/v1/awards/{given['id']}/renew", json={"valid_until": past}),
        422,
        "validation-error",
    )
    problem(
        api.post(f"/api/v1/awards/{given['id']}/renew", json={"valid_until": "soon"}),
        422,
        "validation-error",
    )
    problem(
        api.post(f"/api/v1/awards/{given['id']}/renew", json={"other": 1}),
        422,
        "validation-error",
    )
    problem(api.post("/api/v1/awards/nope/renew"), 404, "not-found")
    with service.client(scopes="read") as reader:
        problem(reader.post(f"/api/v1/awards/{given['id']}/renew"), 403, "forbidden")
    service.organization("renewal-other")
    with service.client(org="renewal-other") as other:
        problem(other.post(f"/api/v1/awards/{given['id']}/renew"), 404, "not-found")
    assert ok(api.get(f"/api/v1/awards/{given['id']}"))["renewed_by"] is None

    ok(api.patch(f"/api/v1/achievements/{ach['id']}", json={"archived": True}))
    problem(api.post(f"/api/v1/awards/{given['id']}/renew"), 409, "conflict")
