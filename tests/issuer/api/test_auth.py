"""Bearer tokens, scopes and organisation isolation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from issuer.auth import CLI
from issuer.services import tokens as token_service
from issuer.store.tables import ApiToken
from tests.issuer.factories import achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService

PROTECTED = [
    ("GET", "/api/v1/issuers"),
    ("POST", "/api/v1/issuers"),
    ("GET", "/api/v1/achievements"),
    ("POST", "/api/v1/achievements"),
    ("GET", "/api/v1/awards"),
    ("POST", "/api/v1/awards"),
    ("GET", "/api/v1/audit"),
    ("POST", "/credentials/issue"),
]


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_no_token_is_401_with_a_challenge(service: LiveService, method: str, path: str) -> None:
    response = service.http.request(method, path, json={})
    problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer mk_0000000000000000_" + "A" * 43,
        "Basic dXNlcjpwYXNz",
    ],
)
def test_bad_tokens_are_401(service: LiveService, header: str) -> None:
    response = service.http.get("/api/v1/issuers", headers={"Authorization": header})
    problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_a_token_with_a_wrong_secret_is_401(service: LiveService) -> None:
    token = service.token()
    prefix, token_id, _secret = token.split("_", 2)
    forged = f"{prefix}_{token_id}_{'B' * 43}"
    response = service.http.get("/api/v1/issuers", headers={"Authorization": f"Bearer {forged}"})
    problem(response, 401, "unauthenticated")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_revoked_tokens_are_401(service: LiveService) -> None:
    token = service.token("read")
    with service.client(token) as client:
        ok(client.get("/api/v1/issuers"))
        with service.session() as session:
            token_service.revoke_token(session, CLI, token.split("_")[1])
        body = problem(client.get("/api/v1/issuers"), 401, "unauthenticated")
        assert "revoked" in body["detail"]


def test_tokens_are_stored_hashed(service: LiveService) -> None:
    token = service.token()
    secret = token.split("_", 2)[2]
    with service.session() as session:
        row = session.get(ApiToken, token.split("_")[1])
        assert row is not None
        assert secret not in row.secret_hash
        assert len(row.secret_hash) == 64


@pytest.mark.parametrize(
    ("scopes", "method", "path", "body"),
    [
        ("award", "GET", "/api/v1/issuers", None),
        ("read", "POST", "/api/v1/issuers", {"name": "x"}),
        (
            "read,award",
            "POST",
            "/api/v1/achievements",
            {"name": "x", "description": "x", "criteria": "x"},
        ),
        (
            "read,manage",
            "POST",
            "/api/v1/awards",
            {"achievement_id": "x", "recipient": {"email": "a@b.fi"}},
        ),
        ("read,award", "GET", "/api/v1/audit", None),
    ],
)
def test_missing_scope_is_403(
    service: LiveService, scopes: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    with service.client(scopes=scopes) as client:
        found = problem(client.request(method, path, json=body), 403, "forbidden")
        assert "scope" in found["detail"]


def test_organisations_see_only_their_own_objects(service: LiveService, api: httpx.Client) -> None:
    """A token of organisation B gets 404 for A's issuer, achievement and award."""
    a_issuer = issuer(api)
    a_achievement = achievement(api, issuer_id=a_issuer["id"])
    a_award = award(api, a_achievement["id"])

    other = unique("other-org")
    service.organization(other)
    with service.client(org=other) as b:
        problem(b.get(f"/api/v1/issuers/{a_issuer['id']}"), 404, "not-found")
        problem(
            b.patch(f"/api/v1/issuers/{a_issuer['id']}", json={"name": "hijacked"}),
            404,
            "not-found",
        )
        problem(b.post(f"/api/v1/issuers/{a_issuer['id']}/keys"), 404, "not-found")
        problem(b.get(f"/api/v1/achievements/{a_achievement['id']}"), 404, "not-found")
        problem(
            b.patch(f"/api/v1/achievements/{a_achievement['id']}", json={"archived": True}),
            404,
            "not-found",
        )
        problem(b.get(f"/api/v1/awards/{a_award['id']}"), 404, "not-found")
        problem(
            b.post(
                "/api/v1/awards",
                json={"achievement_id": a_achievement["id"], "recipient": {"email": "x@y.fi"}},
            ),
            404,
            "not-found",
        )
        problem(
            b.post(
                "/api/v1/achievements",
                json={
                    "issuer_id": a_issuer["id"],
                    "name": "x",
                    "description": "x",
                    "criteria": "x",
                },
            ),
            404,
            "not-found",
        )
        assert ok(b.get("/api/v1/issuers"))["items"] == []
        assert ok(b.get("/api/v1/achievements"))["items"] == []
        assert ok(b.get("/api/v1/awards"))["items"] == []
        assert ok(b.get("/api/v1/awards", params={"recipient": "maija@example.fi"}))["items"] == []
        assert ok(b.get("/api/v1/audit"))["items"][0]["action"] == "organization.create"
        b_issuer = issuer(b)
        problem(api.get(f"/api/v1/issuers/{b_issuer['id']}"), 404, "not-found")
        problem(
            b.post(
                "/credentials/issue", json={"credential": a_award["credential"] | {"proof": None}}
            ),
            400,
            "invalid-credential",
        )
    # nothing of A changed
    assert ok(api.get(f"/api/v1/issuers/{a_issuer['id']}"))["name"] == a_issuer["name"]
    assert ok(api.get(f"/api/v1/achievements/{a_achievement['id']}"))["archived"] is False
