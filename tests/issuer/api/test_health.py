"""The service starts: migrations applied, demo seeded, health, OpenAPI, unknown paths."""

from __future__ import annotations

import httpx

from badges.did import did_web_from_url
from issuer.catalog import load_catalog
from tests.issuer.factories import ok, problem
from tests.issuer.live import LiveService


def test_healthz(service: LiveService) -> None:
    assert ok(service.http.get("/healthz")) == {"status": "ok", "database": "ok"}


def test_demo_organisation_is_seeded_with_the_catalog(
    service: LiveService, api: httpx.Client
) -> None:
    issuers = ok(api.get("/api/v1/issuers"))["items"]
    assert len(issuers) >= 1
    demo = issuers[0]
    assert demo["did"] == did_web_from_url(service.base_url, f"issuers/{demo['id']}")
    assert demo["did"].startswith(f"did:web:127.0.0.1%3A{service.settings.port}:issuers:")
    assert [key["type"] for key in demo["keys"]] == ["Ed25519"]
    assert demo["format"] == "ldp"

    achievements = ok(api.get("/api/v1/achievements", params={"limit": 200}))["items"]
    seeded = {item["catalog_key"]: item for item in achievements if item["catalog_key"]}
    assert set(seeded) == {entry.key for entry in load_catalog().achievements}
    mentoring = seeded["peer-mentoring-participant"]
    assert mentoring["languages"] == ["fi", "sv", "en"]
    assert mentoring["name"]["sv"] == "Deltagare i kamratmentorering"
    assert mentoring["issuer_id"] == demo["id"]


def test_seeding_happens_once(service: LiveService) -> None:
    from issuer.services.seed import seed_demo

    with service.session() as session:
        assert seed_demo(session, service.app.state.context) is False


def test_openapi_documents_the_api(service: LiveService) -> None:
    assert service.http.get("/docs").status_code == 200
    paths = ok(service.http.get("/openapi.json"))["paths"]
    for path in (
        "/api/v1/issuers",
        "/api/v1/issuers/{issuer_id}",
        "/api/v1/issuers/{issuer_id}/keys",
        "/api/v1/achievements",
        "/api/v1/achievements/{achievement_id}",
        "/api/v1/awards",
        "/api/v1/awards/{award_id}",
        "/api/v1/audit",
        "/credentials/issue",
        "/credentials/{award_id}",
        "/credentials/{award_id}.json",
        "/credentials/{award_id}.jwt",
        "/issuers/{issuer_id}",
        "/issuers/{issuer_id}/did.json",
        "/achievements/{achievement_id}",
        "/healthz",
    ):
        assert path in paths, path


def test_unknown_paths_and_methods_are_problems(service: LiveService) -> None:
    problem(service.http.get("/no/such/thing"), 404, "not-found")
    problem(service.http.delete("/healthz"), 405, "method-not-allowed")


def test_responses_carry_a_request_id(service: LiveService) -> None:
    assert len(service.http.get("/healthz").headers["x-request-id"]) == 32
    echoed = service.http.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
