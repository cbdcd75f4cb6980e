"""``/api/v1/awards``: issuing, verifying through the running service, searching."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from badges.identity import identity_matches
from badges.report import Verdict
from tests.issuer.factories import achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService


@pytest.fixture(scope="module")
def mentor(api: httpx.Client) -> dict[str, object]:
    return achievement(api)


def test_award_verifies_from_the_public_json(
    service: LiveService, api: httpx.Client, mentor: dict[str, str]
) -> None:
    response = api.post(
        "/api/v1/awards",
        json={
            "achievement_id": mentor["id"],
            "recipient": {"email": "  Maija.Meikalainen@Example.FI "},
            "name": "Maija Meikäläinen",
            "narrative": "Vetänyt kolmikkoa koko kauden.",
            "evidence_urls": ["https://esimerkkila.example/naytto/1"],
            "level": "advanced",
        },
    )
    made = ok(response, 201)
    assert response.headers["location"] == f"/api/v1/awards/{made['id']}"
    page = f"{service.base_url}/credentials/{made['id']}"
    assert made["urls"] == {
        "page": page,
        "json": f"{page}.json",
        "jwt": None,
        "png": f"{page}.png",
        "svg": f"{page}.svg",
        "ob2": f"{service.base_url}/ob2/assertions/{made['id']}",
        "ob2_jws": None,
    }
    assert made["format"] == "ldp"
    assert made["language"] == "fi"
    assert made["jwt"] is None

    fetched = service.http.get(f"/credentials/{made['id']}.json")
    credential = ok(fetched)
    assert credential == made["credential"]
    assert credential["id"] == page
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    subject = credential["credentialSubject"]
    assert subject["achievement"]["id"] == mentor["urls"]["public"]  # type: ignore[index]
    assert subject["narrative"] == "Vetänyt kolmikkoa koko kauden."
    assert subject["result"][0]["achievedLevel"] == f"{subject['achievement']['id']}#level-advanced"
    assert credential["evidence"] == [
        {"id": "https://esimerkkila.example/naytto/1", "type": ["Evidence"]}
    ]
    assert "maija.meikalainen" not in fetched.text.lower()  # only the salted hash of the e-mail
    email_id, name_id = subject["identifier"]
    assert identity_matches(
        email_id["identityHash"], "maija.meikalainen@example.fi", email_id["salt"]
    )
    assert name_id == {
        "type": "IdentityObject",
        "hashed": False,
        "identityHash": "Maija Meikäläinen",
        "identityType": "name",
    }

    report = service.verify(credential, recipient="maija.meikalainen@example.fi")
    assert report.verdict is Verdict.VALID, report.to_dict("en")
    assert ok(api.get(f"/api/v1/awards/{made['id']}")) == made


def test_every_award_gets_a_fresh_salt(api: httpx.Client, mentor: dict[str, str]) -> None:
    first = award(api, mentor["id"])["credential"]["credentialSubject"]["identifier"][0]
    second = award(api, mentor["id"])["credential"]["credentialSubject"]["identifier"][0]
    assert first["salt"] != second["salt"]
    assert first["identityHash"] != second["identityHash"]


def test_jwt_award_has_two_verifiable_forms(
    service: LiveService, api: httpx.Client, mentor: dict[str, str]
) -> None:
    made = award(
        api, mentor["id"], format="jwt", recipient={"did": "did:example:maija"}, language="sv"
    )
    assert made["format"] == "jwt"
    assert made["urls"]["jwt"] == f"{made['urls']['page']}.jwt"
    jwt = service.http.get(f"/credentials/{made['id']}.jwt")
    assert jwt.headers["content-type"].startswith("application/vc+jwt")
    assert jwt.text == made["jwt"]
    assert service.verify(jwt.text).verdict is Verdict.VALID
    credential = ok(service.http.get(f"/credentials/{made['id']}.json"))
    assert service.verify(credential).verdict is Verdict.VALID
    assert credential["credentialSubject"]["id"] == "did:example:maija"
    assert credential["credentialSubject"]["achievement"]["inLanguage"] == "sv"


def test_issuer_format_setting_applies(service: LiveService, api: httpx.Client) -> None:
    jwt_issuer = issuer(api, format="jwt")
    made = award(api, achievement(api, issuer_id=jwt_issuer["id"])["id"])
    assert made["format"] == "jwt"
    assert made["jwt"] is not None
    ldp = award(api, made["achievement_id"], format="ldp")
    assert ldp["jwt"] is None


@pytest.mark.parametrize("key_type", ["p256", "rsa"])
def test_p256_and_rsa_issuers_issue_vc_jwt_only(
    service: LiveService, api: httpx.Client, key_type: str
) -> None:
    made_issuer = issuer(api, key_type=key_type, format="jwt")
    ach = achievement(api, issuer_id=made_issuer["id"])
    made = award(api, ach["id"])
    assert made["urls"]["json"] is None
    problem(service.http.get(f"/credentials/{made['id']}.json"), 404, "not-found")
    assert (
        service.verify(ok_text(service.http.get(f"/credentials/{made['id']}.jwt"))).verdict
        is Verdict.VALID
    )
    problem(
        api.post(
            "/api/v1/awards",
            json={"achievement_id": ach["id"], "recipient": {"email": "a@b.fi"}, "format": "ldp"},
        ),
        409,
        "format-unavailable",
    )


def ok_text(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    return response.text


def test_key_rotation_keeps_old_credentials_verifying(
    service: LiveService, api: httpx.Client
) -> None:
    made_issuer = issuer(api)
    ach = achievement(api, issuer_id=made_issuer["id"])
    before = award(api, ach["id"], format="jwt")
    ok(api.post(f"/api/v1/issuers/{made_issuer['id']}/keys", json={"type": "ed25519"}), 201)
    after = award(api, ach["id"])
    old_method = before["credential"]["proof"]["verificationMethod"]
    assert after["credential"]["proof"]["verificationMethod"] != old_method
    for made in (before, after):
        credential = ok(service.http.get(f"/credentials/{made['id']}.json"))
        assert service.verify(credential).verdict is Verdict.VALID
    assert service.verify(before["jwt"]).verdict is Verdict.VALID


def test_validity(api: httpx.Client, mentor: dict[str, str]) -> None:
    until = (datetime.now(UTC) + timedelta(days=365)).replace(microsecond=0)
    made = award(api, mentor["id"], valid_until=until.isoformat())
    assert made["credential"]["validUntil"] == until.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert made["valid_until"].startswith(until.strftime("%Y-%m-%dT%H:%M:%S"))
    naive = award(api, mentor["id"], valid_until="2099-01-01T00:00:00")
    assert naive["credential"]["validUntil"] == "2099-01-01T00:00:00Z"
    problem(
        api.post(
            "/api/v1/awards",
            json={
                "achievement_id": mentor["id"],
                "recipient": {"email": "a@b.fi"},
                "valid_until": "2001-01-01T00:00:00Z",
            },
        ),
        422,
        "validation-error",
    )
    days = achievement(api, default_validity_days=10)
    dated = award(api, days["id"])
    expected = datetime.fromisoformat(dated["valid_from"]) + timedelta(days=10)
    assert datetime.fromisoformat(dated["valid_until"]) == expected


def test_evidence_required(api: httpx.Client) -> None:
    ach = achievement(api, evidence_required=True)
    body = problem(
        api.post(
            "/api/v1/awards", json={"achievement_id": ach["id"], "recipient": {"email": "a@b.fi"}}
        ),
        422,
        "validation-error",
    )
    assert body["errors"][0]["loc"] == ["body", "evidence_urls"]
    award(api, ach["id"], evidence_urls=["https://example.fi/evidence"])


def test_idempotency_key(api: httpx.Client, mentor: dict[str, str]) -> None:
    key = unique("row")
    body = {
        "achievement_id": mentor["id"],
        "recipient": {"email": "idem@example.fi"},
        "idempotency_key": key,
    }
    first = ok(api.post("/api/v1/awards", json=body), 201)
    again = ok(api.post("/api/v1/awards", json=body), 200)
    assert again == first
    other = {**body, "recipient": {"email": "someone.else@example.fi"}}
    problem(api.post("/api/v1/awards", json=other), 409, "idempotency-conflict")


def test_bad_input_is_a_problem_and_issues_nothing(
    api: httpx.Client, mentor: dict[str, str]
) -> None:
    def count() -> int:
        page = ok(api.get("/api/v1/awards", params={"achievement_id": mentor["id"], "limit": 200}))
        return len(page["items"])

    before = count()
    cases = [
        ({"recipient": {"email": "a@b.fi"}}, "body.achievement_id"),
        ({"achievement_id": mentor["id"], "recipient": {}}, "body.recipient"),
        (
            {
                "achievement_id": mentor["id"],
                "recipient": {"email": "a@b.fi", "did": "did:example:x"},
            },
            "body.recipient",
        ),
        (
            {"achievement_id": mentor["id"], "recipient": {"email": "not-an-email"}},
            "body.recipient.email",
        ),
        ({"achievement_id": mentor["id"], "recipient": {"url": "ftp://x"}}, "body.recipient.url"),
        (
            {"achievement_id": mentor["id"], "recipient": {"email": "a@b.fi"}, "level": "guru"},
            "body.level",
        ),
        (
            {"achievement_id": mentor["id"], "recipient": {"email": "a@b.fi"}, "language": "de"},
            "body.language",
        ),
        (
            {"achievement_id": mentor["id"], "recipient": {"email": "a@b.fi"}, "format": "pdf"},
            "body.format",
        ),
        (
            {"achievement_id": mentor["id"], "recipient": {"email": "a@b.fi"}, "extra": 1},
            "body.extra",
        ),
    ]
    for body, field in cases:
        found = problem(api.post("/api/v1/awards", json=body), 422, "validation-error")
        assert any(error["field"].startswith(field) for error in found["errors"]), (body, found)
    problem(
        api.post(
            "/api/v1/awards", json={"achievement_id": "nope", "recipient": {"email": "a@b.fi"}}
        ),
        404,
        "not-found",
    )
    assert count() == before


def test_language_must_be_offered(api: httpx.Client) -> None:
    finnish = achievement(
        api,
        name="Vain suomeksi",
        description="x",
        criteria="x",
        language="fi",
        result_description=[],
    )
    problem(
        api.post(
            "/api/v1/awards",
            json={
                "achievement_id": finnish["id"],
                "recipient": {"email": "a@b.fi"},
                "language": "sv",
            },
        ),
        422,
        "validation-error",
    )


def test_list_and_search(service: LiveService) -> None:
    org = unique("awards")
    service.organization(org)
    with service.client(org=org) as client:
        issuer(client)
        first, second = achievement(client), achievement(client)
        a = award(client, first["id"], recipient={"email": "Liisa@Example.fi"})
        b = award(client, first["id"], recipient={"did": "did:example:liisa"})
        c = award(client, second["id"], recipient={"email": "liisa@example.fi"})
        everything = ok(client.get("/api/v1/awards"))
        assert [item["id"] for item in everything["items"]] == [a["id"], b["id"], c["id"]]
        by_achievement = ok(client.get("/api/v1/awards", params={"achievement_id": first["id"]}))
        assert [item["id"] for item in by_achievement["items"]] == [a["id"], b["id"]]
        by_email = ok(client.get("/api/v1/awards", params={"recipient": " LIISA@example.fi"}))
        assert [item["id"] for item in by_email["items"]] == [a["id"], c["id"]]
        by_did = ok(client.get("/api/v1/awards", params={"recipient": "did:example:liisa"}))
        assert [item["id"] for item in by_did["items"]] == [b["id"]]
        assert len(ok(client.get("/api/v1/awards", params={"status": "active"}))["items"]) == 3
        assert ok(client.get("/api/v1/awards", params={"status": "revoked"}))["items"] == []
        problem(client.get("/api/v1/awards", params={"status": "lost"}), 422, "validation-error")
        page = ok(client.get("/api/v1/awards", params={"limit": 2}))
        assert page["next_cursor"] is not None
        rest = ok(client.get("/api/v1/awards", params={"limit": 2, "cursor": page["next_cursor"]}))
        assert [item["id"] for item in rest["items"]] == [c["id"]]
    with service.session() as session:
        from issuer.store.tables import Award

        row = session.get(Award, a["id"])
        assert row is not None
        assert "liisa" not in json.dumps(row.credential).lower()
        assert "liisa" not in row.recipient_ref
        assert row.recipient_ref.startswith("hmac-sha256:")


def test_catalog_award_in_each_language(service: LiveService, api: httpx.Client) -> None:
    catalog = ok(api.get("/api/v1/achievements", params={"q": "vertaismentoroinnin osallistuja"}))
    [entry] = [
        item for item in catalog["items"] if item["catalog_key"] == "peer-mentoring-participant"
    ]
    for lang in ("fi", "sv", "en"):
        made = award(api, entry["id"], language=lang, level="practitioner")
        achievement_json = made["credential"]["credentialSubject"]["achievement"]
        assert achievement_json["name"] == entry["name"][lang]
        assert achievement_json["inLanguage"] == lang
        assert service.verify(made["credential"]).verdict is Verdict.VALID


def test_concurrent_awards(service: LiveService, mentor: dict[str, str]) -> None:
    token = service.token("award,read")

    def give(number: int) -> httpx.Response:
        with service.client(token) as client:
            body = {"achievement_id": mentor["id"], "recipient": {"email": f"p{number}@example.fi"}}
            return client.post("/api/v1/awards", json=body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(give, range(24)))
    assert [response.status_code for response in responses] == [201] * 24
    assert len({response.json()["id"] for response in responses}) == 24


def test_concurrent_requests_with_one_idempotency_key(
    service: LiveService, mentor: dict[str, str]
) -> None:
    token = service.token("award,read")
    body = {"achievement_id": mentor["id"], "recipient": {"email": "once@example.fi"},
            "idempotency_key": unique("concurrent")}  # fmt: skip

    def give(_: int) -> httpx.Response:
        with service.client(token) as client:
            return client.post("/api/v1/awards", json=body)

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(give, range(8)))
    assert sorted(response.status_code for response in responses) == [200] * 7 + [201]
    assert len({response.json()["id"] for response in responses}) == 1
