"""The review pages (``/admin/applications…``) over real HTTP: the queue, one application
with its evidence (files only as downloads), decisions through CSRF-protected forms as
the signed-in reviewer (audited as ``user:<id>``), and roles and organisations kept
apart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest
from sqlalchemy import select

from issuer.store.tables import Application, AuditEvent, Award
from tests.issuer.applying import apply, catalog_achievement, confirm, png
from tests.issuer.factories import unique
from tests.issuer.live import LiveService
from tests.issuer.web import create_user, csrf, login


@pytest.fixture(scope="module")
def reviewer(service: LiveService) -> Iterator[httpx.Client]:
    email, password = create_user(service, role="reviewer")
    with closing(login(service, email, password)) as client:
        yield client


def submitted(service: LiveService, **fields: object) -> str:
    """A confirmed application with a PNG file: its id."""
    address = f"{unique('hakija')}@example.fi"
    files = [("kuva.png", png(), "image/png")]
    response = apply(service, catalog_achievement(service), address, files=files, **fields)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    application_id, _ = confirm(service, address)
    return application_id


def status_of(service: LiveService, application_id: str) -> Application:
    with service.session() as session:
        found = session.get(Application, application_id)
        assert found is not None
        session.expunge(found)
        return found


def test_queue_detail_download_and_decisions(service: LiveService, reviewer: httpx.Client) -> None:
    first = submitted(service, name="Aino Arvioitava")
    queue = reviewer.get("/admin/applications")
    assert queue.status_code == 200
    assert f'href="/admin/applications/{first}"' in queue.text
    assert "Aino Arvioitava" in queue.text

    page = reviewer.get(f"/admin/applications/{first}")
    assert page.status_code == 200
    assert "I mentored a senior manager" in page.text
    download = re.search(rf'href="(/admin/applications/{first}/evidence/[^"]+)"', page.text)
    assert download is not None
    file = reviewer.get(download.group(1))
    assert file.status_code == 200
    assert file.content == png()
    assert file.headers["content-type"] == "image/png"
    assert file.headers["content-disposition"].startswith('attachment; filename="kuva.png"')
    assert file.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in file.headers["content-security-policy"]

    token = csrf(reviewer, f"/admin/applications/{first}")
    asked = reviewer.post(
        f"/admin/applications/{first}/decide",
        data={"csrf_token": token, "decision": "request_changes", "message": "Add feedback."},
    )
    assert asked.status_code == 303
    assert status_of(service, first).status == "changes_requested"
    refused = reviewer.post(
        f"/admin/applications/{first}/decide",
        data={"csrf_token": token, "decision": "approve", "level": "expert"},
    )
    assert refused.status_code == 409  # only a submitted application can be approved
    rejected = reviewer.post(
        f"/admin/applications/{first}/decide",
        data={"csrf_token": token, "decision": "reject", "message": "No reply in time."},
    )
    assert rejected.status_code == 303
    assert status_of(service, first).status == "rejected"

    second = submitted(service)
    approved = reviewer.post(
        f"/admin/applications/{second}/decide",
        data={"csrf_token": token, "decision": "approve", "level": "expert"},
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/admin/applications/{second}?done=1"
    row = status_of(service, second)
    assert row.status == "approved"
    assert row.approved_level == "expert"
    with service.session() as session:
        award = session.get(Award, row.award_id)
        assert award is not None
        level = award.credential["credentialSubject"]["result"][0]["achievedLevel"]
        assert level.endswith("#level-expert")
        events = session.scalars(select(AuditEvent).where(AuditEvent.target_id == second)).all()
        approve = [e for e in events if e.action == "application.approve"]
        assert approve
        assert approve[0].actor_id.startswith("user:")
    done = reviewer.get(f"/admin/applications/{second}?done=1")
    assert f'href="/credentials/{row.award_id}"' in done.text


def test_decisions_need_the_csrf_token(service: LiveService, reviewer: httpx.Client) -> None:
    application_id = submitted(service)
    response = reviewer.post(
        f"/admin/applications/{application_id}/decide",
        data={"decision": "reject", "message": "No."},
    )
    assert response.status_code == 403
    assert status_of(service, application_id).status == "submitted"


@pytest.mark.parametrize("role", ["viewer", "issuer"])
def test_only_reviewers_and_owners_review(service: LiveService, role: str) -> None:
    application_id = submitted(service)
    email, password = create_user(service, role=role)
    with closing(login(service, email, password)) as client:
        assert client.get("/admin/applications").status_code == 403
        assert client.get(f"/admin/applications/{application_id}").status_code == 403
        token = csrf(client, "/admin")
        response = client.post(
            f"/admin/applications/{application_id}/decide",
            data={"csrf_token": token, "decision": "approve"},
        )
        assert response.status_code == 403
    assert status_of(service, application_id).status == "submitted"
    owner_email, owner_password = create_user(service, role="owner")
    with closing(login(service, owner_email, owner_password)) as owner:
        assert owner.get(f"/admin/applications/{application_id}").status_code == 200


def test_other_organisations_applications_are_not_found(service: LiveService) -> None:
    application_id = submitted(service)
    other = unique("toinen")
    service.organization(other)
    email, password = create_user(service, org=other, role="reviewer")
    with closing(login(service, email, password)) as client:
        assert client.get(f"/admin/applications/{application_id}").status_code == 404
        assert application_id not in client.get("/admin/applications?status=").text
