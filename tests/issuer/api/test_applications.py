"""Badge applications over real HTTP: apply on the public page with text, link and file
evidence → confirmation mail → confirm → the reviewer asks for more → the applicant adds
evidence and resubmits → the reviewer approves at another level → the badge carries the
level and the evidence (with the files' SHA-256), verifies and validates. Plus the file
limits, the single-use expiring token, CSRF, scopes, organisations and the audit log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from badges.schema import validate_credential
from issuer.services.evidence import MAX_FILE_BYTES
from issuer.store.base import utcnow
from issuer.store.tables import Application, ApplicationEvent
from tests.issuer.applying import (
    PDF,
    apply,
    catalog_achievement,
    confirm,
    form_token,
    link_in,
    mails,
    path_of,
    png,
    query,
)
from tests.issuer.factories import ok, problem, unique
from tests.issuer.live import LiveService


@pytest.fixture(scope="module")
def reviewer(service: LiveService) -> Iterator[httpx.Client]:
    with service.client(scopes="review,read") as client:
        yield client


Visitor = Callable[[], httpx.Client]


@pytest.fixture
def visitor(service: LiveService) -> Iterator[Visitor]:
    """Makes new clients (each its own cookie jar), closed after the test."""
    made: list[httpx.Client] = []

    def new() -> httpx.Client:
        made.append(httpx.Client(base_url=service.base_url, timeout=30))
        return made[-1]

    yield new
    for client in made:
        client.close()


def email() -> str:
    return f"{unique('hakija')}@example.fi"


def applied(service: LiveService, achievement_id: str, **fields: object) -> tuple[str, str, str]:
    """A confirmed application: ``(e-mail, application id, status page path)``."""
    address = email()
    response = apply(service, achievement_id, address, **fields)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    application_id, status_path = confirm(service, address)
    return address, application_id, status_path


def test_apply_review_resubmit_approve_issues_a_verifiable_badge(
    service: LiveService, api: httpx.Client, reviewer: httpx.Client, visitor: Visitor
) -> None:
    achievement_id = catalog_achievement(service)
    address = email()
    photo = png()
    page = service.http.get(f"/apply/{achievement_id}?lang=fi")
    assert page.status_code == 200
    assert "Käänteismentori" in page.text
    assert "Odotetut näytöt" in page.text

    response = apply(
        service,
        achievement_id,
        address,
        evidence_text="Mentoring diary, six meetings.",
        urls="https://example.fi/mentoring/report",
        files=[("../../etc/kuva <1>.png", photo, "image/png")],
    )
    assert response.status_code == 200, response.text
    assert "Check your e-mail" in response.text
    [confirm_mail] = mails(service, address, "application_confirm")
    assert "/confirm?token=" in confirm_mail.text_body
    assert confirm_mail.html_body
    assert "<a href=" in confirm_mail.html_body
    draft_id = path_of(link_in(confirm_mail)).split("/")[2]
    drafts = ok(reviewer.get("/api/v1/applications", params={"status": "draft"}))
    assert draft_id in [item["id"] for item in drafts["items"]]
    assert draft_id not in [
        item["id"] for item in ok(reviewer.get("/api/v1/applications"))["items"]
    ]

    application_id, status_path = confirm(service, address)
    assert application_id == draft_id
    status_page = service.http.get(status_path)
    assert status_page.status_code == 200
    assert "Under review" in status_page.text
    assert "Mentoring diary" in status_page.text
    assert mails(service, address, "application_submitted")

    body = ok(reviewer.get(f"/api/v1/applications/{application_id}"))
    assert body["status"] == "submitted"
    assert body["claimed_level"] == "foundation"
    kinds = sorted(item["kind"] for item in body["evidence"])
    assert kinds == ["file", "text", "url"]
    [file_item] = [item for item in body["evidence"] if item["kind"] == "file"]
    assert file_item["file_name"] == "kuva _1.png"
    assert file_item["sha256"] == hashlib.sha256(photo).hexdigest()
    assert "email" not in body

    asked = ok(
        reviewer.post(
            f"/api/v1/applications/{application_id}/request-changes",
            json={"message": "Please add your mentee's feedback."},
        )
    )
    assert asked["status"] == "changes_requested"
    [changes_mail] = mails(service, address, "application_request_changes")
    assert "Please add your mentee's feedback." in changes_mail.text_body
    status_link = path_of(link_in(changes_mail))
    page = service.http.get(status_link)
    assert "Please add your mentee" in page.text
    assert 'name="narrative"' in page.text

    client = visitor()
    token = form_token(client, status_link)
    resubmitted = client.post(
        f"/applications/{application_id}/resubmit",
        data={
            "csrf_token": token,
            "token": query(status_link, "token"),
            "narrative": "I mentored a senior manager; feedback attached.",
        },
        files=[("files", ("feedback.pdf", PDF, "application/pdf"))],
    )
    assert resubmitted.status_code == 303, resubmitted.text
    assert mails(service, address, "application_resubmitted")

    approved = ok(
        reviewer.post(
            f"/api/v1/applications/{application_id}/approve", json={"level": "practitioner"}
        )
    )
    assert approved["status"] == "approved"
    assert approved["approved_level"] == "practitioner"
    assert [event["action"] for event in approved["history"]] == [
        "created",
        "submitted",
        "request_changes",
        "resubmitted",
        "approve",
    ]
    award = ok(api.get(f"/api/v1/awards/{approved['award_id']}"))
    credential = award["credential"]
    subject = credential["credentialSubject"]
    assert subject["result"][0]["achievedLevel"].endswith("#level-practitioner")
    assert subject["narrative"] == "I mentored a senior manager; feedback attached."
    evidence = credential["evidence"]
    assert {"id": "https://example.fi/mentoring/report", "type": ["Evidence"]} in evidence
    assert any(item.get("narrative") == "Mentoring diary, six meetings." for item in evidence)
    files = [item for item in evidence if item.get("genre") in ("image/png", "application/pdf")]
    assert len(files) == 2
    for item in files:
        download = service.http.get(path_of(item["id"]))  # public once approved
        assert download.status_code == 200
        assert download.headers["content-disposition"].startswith("attachment;")
        assert download.headers["x-content-type-options"] == "nosniff"
        assert item["description"] == f"SHA-256: {hashlib.sha256(download.content).hexdigest()}"
    assert service.verify(credential).verdict.value == "valid"
    assert [issue for issue in validate_credential(credential) if issue.is_error] == []
    [approve_mail] = mails(service, address, "application_approve")
    assert f"/credentials/{approved['award_id']}" in approve_mail.text_body

    events = ok(api.get("/api/v1/audit", params={"limit": 200}))["items"]
    mine = [e["action"] for e in events if e["target_id"] == application_id]
    for action in (
        "application.create",
        "application.submit",
        "application.request_changes",
        "application.resubmit",
        "application.approve",
    ):
        assert action in mine
    again = reviewer.post(f"/api/v1/applications/{application_id}/approve", json={})
    problem(again, 409, "conflict")


def test_files_are_limited_by_size_and_sniffed_type(service: LiveService) -> None:
    achievement_id = catalog_achievement(service)
    address = email()
    big = apply(
        service,
        achievement_id,
        address,
        files=[("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_FILE_BYTES, "image/png")],
    )
    assert big.status_code == 413
    assert "too large" in big.text
    disguised = apply(
        service,
        achievement_id,
        address,
        files=[("photo.png", b"<html><script>alert(1)</script></html>\x00", "image/png")],
    )
    assert disguised.status_code == 415
    assert "not accepted" in disguised.text
    assert ">I mentored a senior manager" in disguised.text  # the typed text is kept
    assert mails(service, address) == []


def test_confirmation_token_is_single_use_and_expires(
    service: LiveService, visitor: Visitor
) -> None:
    achievement_id = catalog_achievement(service)
    address = email()
    assert apply(service, achievement_id, address).status_code == 200
    link = link_in(mails(service, address, "application_confirm")[0])
    page, token = path_of(link), query(link, "token")
    action = page.split("?")[0]
    client = visitor()
    csrf = form_token(client, page)
    wrong = client.post(action, data={"csrf_token": csrf, "token": token[:-2] + "xx"})
    assert wrong.status_code == 403
    assert client.post(action, data={"csrf_token": csrf, "token": token}).status_code == 303
    reused = client.post(action, data={"csrf_token": csrf, "token": token})
    assert reused.status_code == 409
    assert "already been used" in reused.text

    late = email()
    assert apply(service, achievement_id, late).status_code == 200
    link = link_in(mails(service, late, "application_confirm")[0])
    late_id = path_of(link).split("/")[2]
    with service.session() as session:
        session.execute(
            update(Application)
            .where(Application.id == late_id)
            .values(confirm_expires_at=utcnow() - timedelta(minutes=1))
        )
        session.commit()
    expired = client.post(
        path_of(link).split("?")[0], data={"csrf_token": csrf, "token": query(link, "token")}
    )
    assert expired.status_code == 403
    assert "expired" in expired.text


def test_forms_need_the_csrf_token_and_links_their_token(
    service: LiveService, visitor: Visitor
) -> None:
    achievement_id = catalog_achievement(service)
    address = email()
    refused = apply(service, achievement_id, address, csrf=False)
    assert refused.status_code == 403
    stranger = visitor()  # no cookie
    token = form_token(visitor(), f"/apply/{achievement_id}")
    no_cookie = stranger.post(
        f"/apply/{achievement_id}", data={"csrf_token": token, "email": address, "name": "X"}
    )
    assert no_cookie.status_code == 403
    assert mails(service, address) == []

    _, application_id, status_path = applied(
        service, achievement_id, files=[("a.txt", "Muistiinpanot ✓\n".encode(), "text/plain")]
    )
    assert service.http.get(f"/applications/{application_id}?token=wrong").status_code == 404
    page = service.http.get(status_path)
    href = page.text.split(f"/applications/{application_id}/evidence/")[1].split('"')[0]
    evidence_id = href.split("?")[0]
    bare = service.http.get(f"/applications/{application_id}/evidence/{evidence_id}")
    assert bare.status_code == 404  # not public before approval
    download = service.http.get(
        f"/applications/{application_id}/evidence/{evidence_id}?token={query(status_path, 'token')}"
    )
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/plain; charset=utf-8"
    assert download.headers["content-disposition"].startswith("attachment;")


def test_scopes_organisations_and_decision_rules(
    service: LiveService, reviewer: httpx.Client
) -> None:
    achievement_id = catalog_achievement(service)
    _, application_id, _ = applied(service, achievement_id)
    with service.client(scopes="read,award") as reader:
        problem(reader.get("/api/v1/applications"), 403, "forbidden")
        problem(
            reader.post(f"/api/v1/applications/{application_id}/reject", json={"reason": "x"}),
            403,
            "forbidden",
        )
    other = unique("muu")
    service.organization(other)
    with service.client(scopes="review,read", org=other) as outsider:
        problem(outsider.get(f"/api/v1/applications/{application_id}"), 404, "not-found")
        problem(
            outsider.post(f"/api/v1/applications/{application_id}/approve", json={}),
            404,
            "not-found",
        )
        assert application_id not in str(ok(outsider.get("/api/v1/applications")))
    problem(
        reviewer.post(f"/api/v1/applications/{application_id}/request-changes", json={}),
        422,
        "validation-error",
    )
    bad_level = reviewer.post(
        f"/api/v1/applications/{application_id}/approve", json={"level": "grandmaster"}
    )
    problem(bad_level, 422, "validation-error")
    unchanged = ok(reviewer.get(f"/api/v1/applications/{application_id}"))
    assert unchanged["status"] == "submitted"
    assert unchanged["award_id"] is None
    rejected = ok(
        reviewer.post(
            f"/api/v1/applications/{application_id}/reject", json={"reason": "No evidence."}
        )
    )
    assert rejected["status"] == "rejected"
    assert rejected["decision_message"] == "No evidence."


def test_history_is_append_only(service: LiveService) -> None:
    _, application_id, _ = applied(service, catalog_achievement(service))
    with service.session() as session:
        with pytest.raises(DBAPIError):
            session.execute(
                update(ApplicationEvent)
                .where(ApplicationEvent.application_id == application_id)
                .values(message="rewritten")
            )
        session.rollback()
        with pytest.raises(DBAPIError):
            session.execute(
                delete(ApplicationEvent).where(ApplicationEvent.application_id == application_id)
            )
        session.rollback()
        with service.session() as fresh:
            email_column = fresh.get(Application, application_id)
            assert email_column is not None
            assert "@" not in email_column.email_encrypted  # stored encrypted
            assert email_column.email_hash.startswith("hmac-sha256:")


def test_applications_are_throttled_per_email_address(service: LiveService) -> None:
    achievement_id = catalog_achievement(service)
    address = email()
    for _ in range(5):
        assert apply(service, achievement_id, address).status_code == 200
    throttled = apply(service, achievement_id, address)
    assert throttled.status_code == 429
    assert len(mails(service, address, "application_confirm")) == 5


def test_archived_or_unknown_achievements_take_no_applications(
    service: LiveService, api: httpx.Client
) -> None:
    from tests.issuer.factories import achievement

    made = achievement(api)
    assert service.http.get(f"/apply/{made['id']}").status_code == 200
    ok(api.patch(f"/api/v1/achievements/{made['id']}", json={"archived": True}))
    assert service.http.get(f"/apply/{made['id']}").status_code == 404
    assert service.http.get("/apply/no-such-achievement").status_code == 404
    required = apply(service, catalog_achievement(service), email(), evidence_text="")
    assert required.status_code == 422  # the catalog badge requires evidence
    assert "requires evidence" in required.text
