"""``/credentials``: content negotiation of the public credential and VC-API issuing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from badges.model import Recipient, build_credential
from badges.report import Verdict
from tests.issuer.factories import achievement, award, issuer, ok, problem
from tests.issuer.live import LiveService


@pytest.fixture(scope="module")
def both(api: httpx.Client) -> dict[str, Any]:
    """An award with both forms (JSON-LD with proof and VC-JWT)."""
    return award(api, achievement(api)["id"], format="jwt", name="Maija <b>Meikäläinen</b>")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/ld+json", "application/ld+json"),
        ("application/vc+ld+json", "application/vc+ld+json"),
        ("application/vc", "application/vc"),
        ("application/json", "application/json"),
        ("*/*", "application/ld+json"),
        (None, "application/ld+json"),
        ("application/vc+jwt", "application/vc+jwt"),
        ("application/vc+jwt;q=0.5, application/json;q=0.9", "application/json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_content_negotiation(
    service: LiveService, both: dict[str, Any], accept: str | None, expected: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = service.http.get(f"/credentials/{both['id']}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]
    if expected == "application/vc+jwt":
        assert response.text == both["jwt"]
    elif expected != "text/html":
        assert response.json() == both["credential"]


def test_html_page(service: LiveService, both: dict[str, Any]) -> None:
    response = service.http.get(f"/credentials/{both['id']}", headers={"Accept": "text/html"})
    page = response.text
    assert page.startswith("<!doctype html>")
    assert '<html lang="fi">' in page
    assert both["credential"]["name"] in page
    assert "Maija &lt;b&gt;Meikäläinen&lt;/b&gt;" in page  # autoescaped
    assert f'href="{both["urls"]["json"]}"' in page
    assert f'href="{both["urls"]["jwt"]}"' in page
    assert "Voimassa" in page


def test_html_page_in_swedish(service: LiveService, api: httpx.Client) -> None:
    made = award(api, achievement(api)["id"], language="sv", level="basic")
    page = service.http.get(f"/credentials/{made['id']}", headers={"Accept": "text/html"}).text
    assert '<html lang="sv">' in page
    assert "Utfärdare" in page
    assert "Grund" in page  # the level's Swedish name


def test_forms_that_do_not_exist(service: LiveService, api: httpx.Client) -> None:
    ldp = award(api, achievement(api)["id"])
    problem(service.http.get(f"/credentials/{ldp['id']}.jwt"), 404, "not-found")
    problem(
        service.http.get(f"/credentials/{ldp['id']}", headers={"Accept": "application/vc+jwt"}),
        406,
        "not-acceptable",
    )
    problem(
        service.http.get(f"/credentials/{ldp['id']}", headers={"Accept": "image/png"}),
        406,
        "not-acceptable",
    )
    problem(service.http.get("/credentials/nope"), 404, "not-found")
    problem(service.http.get("/credentials/nope.json"), 404, "not-found")
    problem(service.http.get("/credentials/nope.png"), 404, "not-found")


def test_jwt_only_credential_negotiates_to_the_jwt(service: LiveService, api: httpx.Client) -> None:
    made = award(
        api, achievement(api, issuer_id=issuer(api, key_type="p256", format="jwt")["id"])["id"]
    )
    response = service.http.get(f"/credentials/{made['id']}", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("application/vc+jwt")
    html = service.http.get(f"/credentials/{made['id']}", headers={"Accept": "text/html"})
    assert made["credential"]["name"] in html.text
    problem(
        service.http.get(f"/credentials/{made['id']}", headers={"Accept": "application/ld+json"}),
        406,
        "not-acceptable",
    )


def test_public_documents_allow_any_origin(service: LiveService, both: dict[str, Any]) -> None:
    for path in (f"/credentials/{both['id']}.json", f"/issuers/{both['issuer_id']}/did.json"):
        assert service.http.get(path).headers["access-control-allow-origin"] == "*"


# ----------------------------------------------------------------------------- VC-API


def _unsigned(issuer_did: str, **extra: Any) -> dict[str, Any]:
    credential = build_credential(
        issuer={"id": issuer_did, "type": ["Profile"], "name": "Demo"},
        achievement={
            "id": "https://example.fi/achievements/1",
            "type": ["Achievement"],
            "name": "Ulkoinen merkki",
            "description": "Kuvaus",
            "criteria": {"narrative": "Kriteerit"},
        },
        recipient=Recipient(email="a@example.fi"),
        valid_from=datetime.now(UTC).replace(microsecond=0),
    )
    return {**credential, **extra}


@pytest.fixture(scope="module")
def demo_did(api: httpx.Client) -> str:
    did: str = ok(api.get("/api/v1/issuers"))["items"][0]["did"]
    return did


def test_vc_api_issue(service: LiveService, api: httpx.Client, demo_did: str) -> None:
    credential = _unsigned(demo_did)
    response = api.post("/credentials/issue", json={"credential": credential, "options": {}})
    signed = ok(response, 201)["verifiableCredential"]
    assert {key: value for key, value in signed.items() if key != "proof"} == credential
    assert service.verify(signed).verdict is Verdict.VALID
    events = ok(api.get("/api/v1/audit", params={"action": "credential.issue"}))["items"]
    assert events[-1]["target_id"] == credential["id"][:64]


def test_vc_api_issuer_must_be_the_callers(api: httpx.Client, demo_did: str) -> None:
    body = problem(
        api.post("/credentials/issue", json={"credential": _unsigned("did:example:someone")}),
        400,
        "invalid-credential",
    )
    assert body["errors"][0]["loc"] == ["body", "credential", "issuer"]


def test_vc_api_rejects_invalid_credentials(
    service: LiveService, api: httpx.Client, demo_did: str
) -> None:
    broken = _unsigned(demo_did)
    del broken["credentialSubject"]
    body = problem(
        api.post("/credentials/issue", json={"credential": broken}), 400, "invalid-credential"
    )
    assert body["errors"]
    signed = ok(api.post("/credentials/issue", json={"credential": _unsigned(demo_did)}), 201)
    problem(
        api.post("/credentials/issue", json={"credential": signed["verifiableCredential"]}),
        400,
        "invalid-credential",
    )
    problem(
        api.post(
            "/credentials/issue", json={"credential": _unsigned(demo_did), "options": {"x": 1}}
        ),
        400,
        "invalid-credential",
    )
    problem(api.post("/credentials/issue", json={"options": {}}), 422, "validation-error")
    problem(
        service.http.post("/credentials/issue", json={"credential": _unsigned(demo_did)}),
        401,
        "unauthenticated",
    )
    with service.client(scopes="read") as reader:
        problem(
            reader.post("/credentials/issue", json={"credential": _unsigned(demo_did)}),
            403,
            "forbidden",
        )
