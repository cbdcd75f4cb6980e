"""Pathways over real HTTP: definitions, automatic awards (API and bulk), exactly once,
revoked components and other organisations' badges not counting, progress, the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from issuer.services.bulk_worker import run_pending_jobs
from issuer.store.tables import AuditEvent
from tests.issuer.factories import achievement, issuer, ok, problem, unique
from tests.issuer.live import LiveService


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    live = LiveService.start(database_url, tmp_path_factory.mktemp("data"), workers=0)
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture
def org(service: LiveService) -> Iterator[httpx.Client]:
    """A client of a new organisation with one issuer (every scope)."""
    slug = unique("polku")
    service.organization(slug)
    with service.client(org=slug) as client:
        issuer(client)
        yield client


def pathway(api: httpx.Client, count: int = 4, any_count: int = 1) -> tuple[str, list[str], str]:
    """(pathway achievement id, component ids [A, B, C, D], pathway id): A and B all, C
    or D."""
    target = achievement(api)["id"]
    parts = [achievement(api)["id"] for _ in range(count)]
    body = {
        "achievement_id": target,
        "requires_all": parts[:2],
        "requires_any": parts[2:],
        "any_count": any_count,
    }
    created = ok(api.post("/api/v1/pathways", json=body), 201)
    return target, parts, created["id"]


def give(api: httpx.Client, achievement_id: str, email: str, **fields: Any) -> dict[str, Any]:
    body = {
        "achievement_id": achievement_id,
        "recipient": {"email": email},
        "evidence_urls": ["https://kehittamishanke.example/raportti"],
        **fields,
    }
    return ok(api.post("/api/v1/awards", json=body), 201)  # type: ignore[no-any-return]


def awards(api: httpx.Client, achievement_id: str, email: str) -> list[dict[str, Any]]:
    params = {"achievement_id": achievement_id, "recipient": email}
    return ok(api.get("/api/v1/awards", params=params))["items"]  # type: ignore[no-any-return]


def progress(api: httpx.Client, email: str) -> dict[str, dict[str, Any]]:
    found = ok(api.get("/api/v1/pathways/progress", params={"recipient": email}))
    return {item["pathway_id"]: item for item in found}


def test_the_last_component_awards_the_pathway_exactly_once(
    service: LiveService, org: httpx.Client
) -> None:
    target, (a, b, c, d), pathway_id = pathway(org)
    email = "maija.polku@example.fi"
    first = give(org, a, email, name="Maija Meikäläinen", language="sv")
    assert progress(org, email)[pathway_id] | {"requires_all": None, "requires_any": None} == {
        "pathway_id": pathway_id,
        "achievement_id": target,
        "name": ok(org.get(f"/api/v1/achievements/{target}"))["name"],
        "requires_all": None,
        "requires_any": None,
        "any_count": 1,
        "done": 1,
        "total": 3,
        "complete": False,
        "award_id": None,
    }
    second = give(org, b, email)
    assert awards(org, target, email) == []
    assert progress(org, email)[pathway_id]["done"] == 2
    third = give(org, c, email)
    (won,) = awards(org, target, email)
    assert won["status"] == "active"
    assert won["language"] == "fi"  # the completing award's language
    credential = won["credential"]
    assert [e["id"] for e in credential["evidence"]] == [
        f"{service.base_url}/credentials/{x['id']}" for x in (first, second, third)
    ]
    assert all(e["name"] for e in credential["evidence"])
    names = [
        i for i in credential["credentialSubject"]["identifier"] if i["identityType"] == "name"
    ]
    assert names == []  # the completing award carried no name
    report = service.verify(credential, recipient=email)
    assert report.valid, report.errors
    done = progress(org, email)[pathway_id]
    assert (done["done"], done["complete"], done["award_id"]) == (3, True, won["id"])
    assert [s["held"] for s in done["requires_all"] + done["requires_any"]] == [
        True,
        True,
        True,
        False,
    ]
    give(org, d, email)  # the other choice too: nothing more
    give(org, c, email)  # and C again
    assert len(awards(org, target, email)) == 1
    with service.session() as session:
        events = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "pathway.award", AuditEvent.target_id == won["id"])
        )
    assert events == 1


def test_revoked_and_suspended_components_do_not_count(org: httpx.Client) -> None:
    target, (a, b, c, _), _ = pathway(org)
    email = "revoked.polku@example.fi"
    revoked = give(org, a, email)
    ok(org.post(f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "virhe"}))
    give(org, b, email)
    give(org, c, email)
    assert awards(org, target, email) == []
    give(org, a, email)  # a valid A at last
    assert len(awards(org, target, email)) == 1

    other = "suspended.polku@example.fi"
    suspended = give(org, a, other)
    ok(org.post(f"/api/v1/awards/{suspended['id']}/suspend", json={"reason": "tarkistus"}))
    give(org, b, other)
    give(org, c, other)
    assert awards(org, target, other) == []
    ok(org.post(f"/api/v1/awards/{suspended['id']}/reinstate"))
    give(org, b, other)  # the next award counts the reinstated A
    assert len(awards(org, target, other)) == 1


def test_a_did_recipient_and_a_name(service: LiveService, org: httpx.Client) -> None:
    target, (a, b, c, _), _ = pathway(org)
    did = "did:example:polku-1"
    for part in (a, b):
        ok(
            org.post("/api/v1/awards", json={"achievement_id": part, "recipient": {"did": did}}),
            201,
        )
    body = {"achievement_id": c, "recipient": {"did": did}, "name": "Matti Virtanen"}
    ok(org.post("/api/v1/awards", json=body), 201)
    (won,) = ok(org.get("/api/v1/awards", params={"achievement_id": target, "recipient": did}))[
        "items"
    ]
    subject = won["credential"]["credentialSubject"]
    assert subject["id"] == did
    assert {"identityType": "name", "identityHash": "Matti Virtanen"}.items() <= subject[
        "identifier"
    ][0].items()
    assert service.verify(won["credential"]).valid


def test_another_organisations_badges_do_not_count(
    service: LiveService, api: httpx.Client, org: httpx.Client
) -> None:
    # org imports the demo catalog too: same keys, its own achievements and pathways
    shipped = ok(api.get("/api/v1/catalog/export", params={"format": "json"}))
    imported = ok(
        org.post(
            "/api/v1/catalog/import",
            content=api.get("/api/v1/catalog/export", params={"format": "json"}).content,
            headers={"Content-Type": "application/json"},
        )
    )
    assert len(imported["pathways_created"]) == len(shipped["pathways"])
    ids = {
        client: {
            item["catalog_key"]: item["id"]
            for item in ok(client.get("/api/v1/achievements", params={"limit": 200}))["items"]
        }
        for client in (api, org)
    }
    email = "kaksi.organisaatiota@example.fi"
    give(org, ids[org]["peer-mentoring-facilitator"], email)
    give(org, ids[org]["reverse-mentoring-mentor"], email)
    give(api, ids[api]["peer-mentoring-participant"], email)  # the third, from demo
    for client in (api, org):
        assert awards(client, ids[client]["mentoring-leader"], email) == []
    leader = {p["achievement_id"]: p for p in progress(org, email).values()}[
        ids[org]["mentoring-leader"]
    ]
    assert (leader["done"], leader["total"]) == (2, 3)
    give(org, ids[org]["change-leadership"], email)  # org's own third badge completes it
    (won,) = awards(org, ids[org]["mentoring-leader"], email)
    assert awards(api, ids[api]["mentoring-leader"], email) == []
    assert service.verify(won["credential"], recipient=email).valid


def test_bulk_completes_a_pathway(service: LiveService, org: httpx.Client) -> None:
    target, (a, b, c, _), _ = pathway(org)
    ready, halfway = "bulk.valmis@example.fi", "bulk.kesken@example.fi"
    give(org, a, ready)
    give(org, b, ready)
    give(org, a, halfway)
    csv = f"email,name\n{ready},Valmis Henkilö\n{halfway},Kesken Henkilö\n".encode()
    job = ok(
        org.post(
            "/api/v1/awards/bulk",
            params={"achievement_id": c},
            content=csv,
            headers={"Content-Type": "text/csv"},
        ),
        202,
    )
    run_pending_jobs(service.app.state.sessions, service.app.state.context)
    assert ok(org.get(f"/api/v1/jobs/{job['id']}"))["status"] == "done"
    (won,) = awards(org, target, ready)
    assert awards(org, target, halfway) == []
    subject = won["credential"]["credentialSubject"]
    assert any(i.get("identityHash") == "Valmis Henkilö" for i in subject["identifier"])
    assert service.verify(won["credential"], recipient=ready).valid
    give(org, b, ready)
    assert len(awards(org, target, ready)) == 1


def test_definitions_crud_and_validation(service: LiveService, org: httpx.Client) -> None:
    target, parts, pathway_id = pathway(org)
    got = ok(org.get(f"/api/v1/pathways/{pathway_id}"))
    assert [r["achievement_id"] for r in got["requires_all"]] == parts[:2]
    assert got["urls"]["public"] == f"{service.base_url}/pathways/{pathway_id}"
    assert pathway_id in {p["id"] for p in ok(org.get("/api/v1/pathways"))["items"]}
    again = {"achievement_id": target, "requires_all": parts[:1]}
    problem(org.post("/api/v1/pathways", json=again), 409, "conflict")
    loop = {"achievement_id": parts[0], "requires_all": [target]}
    assert (
        "require each other"
        in problem(org.post("/api/v1/pathways", json=loop), 422, "validation-error")["detail"]
    )
    other = achievement(org)["id"]
    for body in (
        {"achievement_id": other, "requires_all": [other]},
        {"achievement_id": other, "requires_all": ["no-such-achievement"]},
        {"achievement_id": other, "requires_all": [], "requires_any": parts, "any_count": 9},
        {"achievement_id": other, "requires_all": []},
    ):
        problem(org.post("/api/v1/pathways", json=body), 422, "validation-error")
    changed = ok(org.patch(f"/api/v1/pathways/{pathway_id}", json={"requires_any": parts[2:3]}))
    assert [r["achievement_id"] for r in changed["requires_any"]] == parts[2:3]
    assert changed["any_count"] == 1
    with service.client(scopes="read") as reader:
        problem(reader.post("/api/v1/pathways", json=again), 403, "forbidden")
        problem(reader.get(f"/api/v1/pathways/{pathway_id}"), 404, "not-found")  # demo org
    assert org.delete(f"/api/v1/pathways/{pathway_id}").status_code == 204
    problem(org.get(f"/api/v1/pathways/{pathway_id}"), 404, "not-found")


def test_public_page_in_three_languages(service: LiveService, api: httpx.Client) -> None:
    paths = {p["catalog_key"]: p for p in ok(api.get("/api/v1/pathways"))["items"]}
    leader = paths["mentoring-leader"]
    expected = {
        "fi": ("Mentoroiva johtaja", "Vertaismentoroinnin ohjaaja", "vähintään 1"),
        "sv": ("Mentorerande ledare", "Handledare för kamratmentorering", "minst 1"),
        "en": ("Mentoring Leader", "Peer Mentoring Facilitator", "at least 1"),
    }
    for lang, (name, part, any_of) in expected.items():
        page = service.http.get(f"/pathways/{leader['id']}", params={"lang": lang})
        assert page.status_code == 200
        assert page.headers["content-language"] == lang
        assert "content-security-policy" in page.headers
        assert name in page.text
        assert part in page.text
        assert any_of in page.text.lower()
    assert service.http.get("/pathways/no-such-pathway").status_code == 404
