"""The admin pages for the people who award, over real HTTP against a live service:
dashboard, achievements, awards (form, list, status changes) and issuers, with roles,
CSRF and organisation isolation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from issuer.store.tables import AuditEvent
from tests.issuer.factories import achievement, award, ok, unique
from tests.issuer.live import LiveService
from tests.issuer.web import create_user, csrf, login

LANG_TEXTS = {"fi": "Yleiskatsaus", "sv": "Översikt", "en": "Overview"}


@contextmanager
def signed_in(service: LiveService, role: str) -> Iterator[httpx.Client]:
    client = login(service, *create_user(service, role=role))
    try:
        yield client
    finally:
        client.close()


@pytest.fixture(scope="module")
def owner(service: LiveService) -> Iterator[httpx.Client]:
    with signed_in(service, "owner") as client:
        yield client


@pytest.fixture(scope="module")
def made(api: httpx.Client) -> dict[str, Any]:
    """An achievement with rubric levels and one award of it."""
    ach = achievement(api)
    return {"achievement": ach, "award": award(api, ach["id"], name="Maija Meikäläinen")}


def first_issuer(api: httpx.Client) -> dict[str, Any]:
    return ok(api.get("/api/v1/issuers"))["items"][0]  # type: ignore[no-any-return]


def post(client: httpx.Client, path: str, data: dict[str, Any], form_page: str) -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf(client, form_page), **data})


def test_every_page_renders_in_fi_sv_en(
    owner: httpx.Client, api: httpx.Client, made: dict[str, Any]
) -> None:
    ach_id, award_id = made["achievement"]["id"], made["award"]["id"]
    issuer_id = first_issuer(api)["id"]
    paths = [
        "/admin",
        "/admin/achievements",
        "/admin/achievements/new",
        f"/admin/achievements/{ach_id}",
        "/admin/awards",
        "/admin/awards/new",
        f"/admin/awards/new?achievement={ach_id}",
        f"/admin/awards/{award_id}",
        "/admin/issuers",
        f"/admin/issuers/{issuer_id}",
    ]
    for lang, word in LANG_TEXTS.items():
        assert word in owner.get(f"/admin?lang={lang}").text
        for path in paths:
            response = owner.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            assert f'<html lang="{lang}">' in response.text, (path, lang)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            assert " style=" not in response.text
            assert "<script>" not in response.text


def test_dashboard_counts_awards(owner: httpx.Client, made: dict[str, Any]) -> None:
    html = owner.get("/admin?lang=en").text
    total = int(re.search(r"(\d+) badges in the last 12 weeks", html).group(1))  # type: ignore[union-attr]
    assert total >= 1
    assert html.count('<rect class="bar"') == 12
    assert made["achievement"]["name"]["en"] in html  # the most awarded list
    assert 'id="pending-count">0<' in html  # no applications yet
    assert "Badge awarded" in html  # recent activity, in the page's language
    assert "Merkki myönnetty" in owner.get("/admin?lang=fi").text


def test_create_achievement_shows_field_errors_then_saves(
    owner: httpx.Client, api: httpx.Client
) -> None:
    bad = {
        "name_fi": "Puolikas",
        "description_fi": "",
        "criteria_fi": "Kriteerit",
        "level_0_key": "Not a key!",
        "level_0_fi": "Perus",
        "default_validity_days": "0",
    }
    response = post(owner, "/admin/achievements/new?lang=en", bad, "/admin/achievements/new")
    assert response.status_code == 422
    html = response.text
    assert 'id="description_fi-error"' in html
    assert 'id="level_0_key-error"' in html
    assert 'id="default_validity_days-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Puolikas"' in html  # what was typed is kept

    name = unique("Tiimivalmentaja")
    good = {
        "name_fi": name,
        "description_fi": "Valmentaa tiimiä.",
        "criteria_fi": "Kolme valmennusta.",
        "name_en": f"{name} en",
        "description_en": "Coaches a team.",
        "criteria_en": "Three coaching sessions.",
        "achievement_type": "Competency",
        "level_0_key": "basic",
        "level_0_fi": "Perus",
        "level_0_en": "Basic",
        "evidence_required": "1",
        "default_validity_days": "365",
    }
    response = post(owner, "/admin/achievements/new", good, "/admin/achievements/new")
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    ach_id = location.split("/")[-1].split("?")[0]
    page = owner.get(location)
    assert name in page.text
    assert 'value="basic"' in page.text
    data = ok(api.get(f"/api/v1/achievements/{ach_id}"))
    assert data["languages"] == ["fi", "en"]
    assert data["achievement_type"] == "Competency"
    assert data["evidence_required"] is True
    assert data["default_validity_days"] == 365
    level = data["result_description"][0]["rubricCriterionLevel"][0]
    assert level["name"] == {"fi": "Perus", "en": "Basic"}

    edit = {**good, "description_en": "Coaches teams well."}
    response = post(owner, f"/admin/achievements/{ach_id}", edit, location)
    assert response.status_code == 303
    assert "saved=2" in response.headers["location"]
    again = ok(api.get(f"/api/v1/achievements/{ach_id}"))
    assert again["version"] == 2
    assert again["description"]["en"] == "Coaches teams well."
    assert again["result_description"][0]["rubricCriterionLevel"][0]["id"] == "#level-basic"

    response = post(owner, f"/admin/achievements/{ach_id}", edit, location)
    assert "done=adm_unchanged" in response.headers["location"]


def test_achievement_list_search_and_archived_filter(
    owner: httpx.Client, api: httpx.Client
) -> None:
    ach = achievement(api)
    name = ach["name"]["fi"]
    ok(api.patch(f"/api/v1/achievements/{ach['id']}", json={"archived": True}))
    link = f'href="/admin/achievements/{ach["id"]}"'
    assert link not in owner.get("/admin/achievements", params={"q": name}).text
    archived = owner.get("/admin/achievements", params={"q": name, "show": "archived"}).text
    assert link in archived
    assert archived.count('class="card-title"') == 1
    everything = owner.get("/admin/achievements", params={"q": name, "show": "all"}).text
    assert link in everything


def award_form(owner: httpx.Client, ach_id: str, **fields: str) -> httpx.Response:
    path = f"/admin/awards/new?achievement={ach_id}"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', owner.get(path).text)
    data = {"achievement": ach_id, "idempotency_key": key.group(1) if key else "", **fields}
    return post(owner, "/admin/awards/new", data, path)


def test_award_one_recipient(owner: httpx.Client, api: httpx.Client, made: dict[str, Any]) -> None:
    ach_id = made["achievement"]["id"]
    response = award_form(owner, ach_id, email="not-an-address", name="X")
    assert response.status_code == 422
    assert 'id="email-error"' in response.text

    response = award_form(
        owner,
        ach_id,
        email="Liisa.Lahtinen@Example.fi",
        name="Liisa Lahtinen",
        language="en",
        level="advanced",
        narrative="Led the pilot.",
        evidence_urls="https://example.fi/a\nhttps://example.fi/b",
        valid_until="2099-12-31",
    )
    assert response.status_code == 303, response.text[:500]
    award_id = response.headers["location"].split("/")[-1].split("?")[0]
    page = owner.get(response.headers["location"])
    assert "Liisa Lahtinen" in page.text
    assert "Advanced" in page.text
    assert f"/credentials/{award_id}.png" in page.text
    data = ok(api.get(f"/api/v1/awards/{award_id}"))
    assert data["language"] == "en"
    assert data["valid_until"].startswith("2099-12-31")
    subject = data["credential"]["credentialSubject"]
    assert [e["id"] for e in data["credential"]["evidence"]] == [
        "https://example.fi/a",
        "https://example.fi/b",
    ]
    assert subject["result"][0]["achievedLevel"].endswith("#level-advanced")
    found = ok(api.get("/api/v1/awards", params={"recipient": "liisa.lahtinen@example.fi"}))
    assert [item["id"] for item in found["items"]] == [award_id]


def test_awards_list_search_and_filters(
    owner: httpx.Client, api: httpx.Client, made: dict[str, Any]
) -> None:
    ach = achievement(api)
    email = f"{unique('haku')}@example.fi"
    mine = award(api, ach["id"], recipient={"email": email}, name="Hakija Henkilö")
    other = award(api, ach["id"], name="Toinen Tyyppi")
    html = owner.get("/admin/awards", params={"recipient": email.upper()}).text
    assert mine["id"] in html
    assert other["id"] not in html
    html = owner.get("/admin/awards", params={"achievement": ach["id"]}).text
    assert mine["id"] in html
    assert other["id"] in html
    assert made["award"]["id"] not in html
    html = owner.get("/admin/awards", params={"achievement": ach["id"], "status": "revoked"}).text
    assert mine["id"] not in html
    html = owner.get(
        "/admin/awards", params={"date_from": "2000-01-01", "date_to": "2000-12-31"}
    ).text
    assert mine["id"] not in html
    html = owner.get("/admin/awards", params={"date_from": "bad"}).text
    assert 'id="date_from-error"' in html


def test_awards_list_pages(owner: httpx.Client, api: httpx.Client) -> None:
    ach = achievement(api)
    ids = [award(api, ach["id"])["id"] for _ in range(27)]
    first = owner.get("/admin/awards", params={"achievement": ach["id"]}).text
    assert ids[-1] in first
    assert ids[0] not in first
    cursor = re.search(r'cursor=([A-Za-z0-9_-]+)" rel="next"', first)
    assert cursor
    second = owner.get(
        "/admin/awards", params={"achievement": ach["id"], "cursor": cursor.group(1)}
    ).text
    assert ids[0] in second
    assert ids[1] in second
    assert ids[-1] not in second


def test_revoke_asks_for_confirmation(
    service: LiveService, owner: httpx.Client, api: httpx.Client
) -> None:
    ach = achievement(api)
    made = award(api, ach["id"])
    path = f"/admin/awards/{made['id']}"
    response = post(owner, f"{path}/revoke?lang=en", {"reason_revoke": ""}, path)
    assert response.status_code == 422
    assert 'id="reason_revoke-error"' in response.text

    response = post(owner, f"{path}/revoke?lang=en", {"reason_revoke": "Väärä henkilö"}, path)
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.text
    assert ok(api.get(f"/api/v1/awards/{made['id']}"))["status"] == "active"

    data = {"reason_revoke": "Väärä henkilö", "confirm": "yes"}
    response = post(owner, f"{path}/revoke", data, path)
    assert response.status_code == 303
    after = ok(api.get(f"/api/v1/awards/{made['id']}"))
    assert after["status"] == "revoked"
    assert after["revocation_reason"] == "Väärä henkilö"
    page = owner.get(response.headers["location"]).text
    assert "status-revoked" in page
    assert 'action="' + path + '/revoke"' not in page
    with service.session() as session:
        event = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "award.revoke", AuditEvent.target_id == made["id"]
            )
        )
    assert event is not None
    assert event.actor_id.startswith("user:")


def test_suspend_and_reinstate(owner: httpx.Client, api: httpx.Client) -> None:
    made = award(api, achievement(api)["id"])
    path = f"/admin/awards/{made['id']}"
    data = {"reason_suspend": "Selvitetään", "confirm": "yes"}
    assert post(owner, f"{path}/suspend", data, path).status_code == 303
    assert ok(api.get(f"/api/v1/awards/{made['id']}"))["status"] == "suspended"
    assert post(owner, f"{path}/reinstate", {"confirm": "yes"}, path).status_code == 303
    assert ok(api.get(f"/api/v1/awards/{made['id']}"))["status"] == "active"


def test_viewer_reads_but_cannot_change(
    service: LiveService, api: httpx.Client, made: dict[str, Any]
) -> None:
    path = f"/admin/awards/{made['award']['id']}"
    with signed_in(service, "viewer") as viewer:
        page = viewer.get(path).text
        assert "/revoke" not in page
        assert "Maija" in page
        editor = viewer.get(f"/admin/achievements/{made['achievement']['id']}").text
        assert 'enctype="multipart/form-data"' not in editor
        token = csrf(viewer, "/admin")  # the layout's sign-out form
        response = viewer.post(
            f"{path}/revoke", data={"csrf_token": token, "reason_revoke": "x", "confirm": "yes"}
        )
        assert response.status_code == 403
        assert viewer.get("/admin/awards/new").status_code == 403
    assert ok(api.get(f"/api/v1/awards/{made['award']['id']}"))["status"] == "active"


def test_issuer_role_awards_but_does_not_edit_achievements(
    service: LiveService, made: dict[str, Any]
) -> None:
    ach_id = made["achievement"]["id"]
    with signed_in(service, "issuer") as issuer:
        assert issuer.get(f"/admin/awards/new?achievement={ach_id}").status_code == 200
        token = csrf(issuer, "/admin")
        response = issuer.post(
            f"/admin/achievements/{ach_id}", data={"csrf_token": token, "action": "archive"}
        )
        assert response.status_code == 403


def test_post_without_csrf_token_is_refused(owner: httpx.Client, made: dict[str, Any]) -> None:
    path = f"/admin/awards/{made['award']['id']}/revoke"
    response = owner.post(path, data={"reason_revoke": "x", "confirm": "yes"})
    assert response.status_code == 403
    response = owner.post(path, data={"csrf_token": "forged", "reason_revoke": "x"})
    assert response.status_code == 403


def test_another_organisations_objects_are_not_found(
    service: LiveService, owner: httpx.Client
) -> None:
    slug = unique("muu")
    service.organization(slug)
    with service.client(org=slug) as other:
        issuer = ok(other.post("/api/v1/issuers", json={"name": "Muu"}), 201)
        foreign = award(other, achievement(other)["id"])
        ach_id = foreign["achievement_id"]
    assert owner.get(f"/admin/awards/{foreign['id']}").status_code == 404
    assert owner.get(f"/admin/achievements/{ach_id}").status_code == 404
    assert owner.get(f"/admin/issuers/{issuer['id']}").status_code == 404
    path = f"/admin/awards/{foreign['id']}/revoke"
    response = post(owner, path, {"reason_revoke": "x", "confirm": "yes"}, "/admin")
    assert response.status_code == 404
    assert foreign["id"] not in owner.get("/admin/awards").text


def test_issuer_profile_and_key_rotation(
    service: LiveService, owner: httpx.Client, api: httpx.Client
) -> None:
    issuer = ok(api.post("/api/v1/issuers", json={"name": {"fi": "Kaupunki"}}), 201)
    path = f"/admin/issuers/{issuer['id']}"
    data = {
        "name_fi": "Testikaupunki",
        "name_sv": "Teststad",
        "name_en": "Test city",
        "url": "not a url",
        "email": "merkit@testikaupunki.example",
        "format": "ldp",
        "default_language": "fi",
        "ob2_signed": "1",
    }
    response = post(owner, path, data, path)
    assert response.status_code == 422
    assert 'id="url-error"' in response.text
    response = post(owner, path, {**data, "url": "https://testikaupunki.example"}, path)
    assert response.status_code == 303
    saved = ok(api.get(f"/api/v1/issuers/{issuer['id']}"))
    assert saved["name"] == {"fi": "Testikaupunki", "sv": "Teststad", "en": "Test city"}
    assert saved["ob2_signed"] is True

    response = post(owner, f"{path}/keys/rotate", {"key_type": "ed25519"}, path)
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.text
    assert len(ok(api.get(f"/api/v1/issuers/{issuer['id']}/keys"))) == 1
    data = {"key_type": "ed25519", "confirm": "yes"}
    assert post(owner, f"{path}/keys/rotate", data, path).status_code == 303
    keys = ok(api.get(f"/api/v1/issuers/{issuer['id']}/keys"))
    assert sorted(key["status"] for key in keys) == ["current", "retired"]


def test_compromise_and_reissue(owner: httpx.Client, api: httpx.Client) -> None:
    issuer = ok(api.post("/api/v1/issuers", json={"name": {"fi": "Vaarallinen"}}), 201)
    ach = achievement(api, issuer_id=issuer["id"])
    made = award(api, ach["id"])
    key_id = ok(api.get(f"/api/v1/issuers/{issuer['id']}/keys"))[0]["id"]
    path = f"/admin/issuers/{issuer['id']}"
    data = {"key_id": key_id, "since": "2020-01-01T00:00", "reason": "vuoto", "confirm": "yes"}
    response = post(owner, f"{path}/keys/compromise", data, path)
    assert response.status_code == 303
    assert "affected=1" in response.headers["location"]
    page = owner.get(response.headers["location"]).text
    assert "/keys/reissue" in page
    data = {"key_id": key_id, "confirm": "yes"}
    response = post(owner, f"{path}/keys/reissue", data, path)
    assert response.status_code == 303
    assert "reissued=1" in response.headers["location"]
    assert ok(api.get(f"/api/v1/awards/{made['id']}"))["status"] == "revoked"
