"""``/api/v1/audit``: every change is recorded; the log is append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from issuer.auth import CLI
from issuer.services import tokens as token_service
from tests.issuer.factories import achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService


def test_changes_are_audited(service: LiveService) -> None:
    org = unique("audited")
    service.organization(org)
    token = service.token(org=org, name="integration")
    token_id = token.split("_")[1]
    with service.client(token) as client:
        made_issuer = issuer(client)
        ok(
            client.patch(
                f"/api/v1/issuers/{made_issuer['id']}", json={"url": "https://new.example"}
            )
        )
        key = ok(client.post(f"/api/v1/issuers/{made_issuer['id']}/keys"), 201)
        made = achievement(client)
        ok(client.patch(f"/api/v1/achievements/{made['id']}", json={"criteria": "Uudet kriteerit"}))
        ok(client.patch(f"/api/v1/achievements/{made['id']}", json={"archived": True}))
        ok(client.patch(f"/api/v1/achievements/{made['id']}", json={"archived": False}))
        given = award(client, made["id"])
        with service.session() as session:
            token_service.revoke_token(session, CLI, service.token(org=org).split("_")[1])
        events = ok(client.get("/api/v1/audit", params={"limit": 200}))["items"]

    actions = [event["action"] for event in events]
    assert actions == [
        "organization.create",
        "token.create",
        "issuer.create",
        "key.create",
        "issuer.update",
        "key.create",
        "key.retire",
        "achievement.create",
        "achievement.update",
        "achievement.archive",
        "achievement.restore",
        "award.create",
        "token.create",
        "token.revoke",
    ]
    by_action = {event["action"]: event for event in events}
    created = by_action["award.create"]
    assert created["target_type"] == "award"
    assert created["target_id"] == given["id"]
    assert created["actor_id"] == token_id
    assert created["actor_name"] == "integration"
    assert created["details"]["achievement_id"] == made["id"]
    assert created["at"].endswith("Z") or "+00:00" in created["at"]
    assert by_action["key.create"]["details"]["retired"] == made_issuer["keys"][0]["id"]
    assert by_action["key.create"]["target_id"] == key["id"]
    assert by_action["achievement.update"]["details"]["version"] == 2
    assert by_action["token.revoke"]["actor_id"] == "cli"


def test_filter_and_pages(service: LiveService) -> None:
    org = unique("audit-pages")
    service.organization(org)
    with service.client(org=org) as client:
        for _ in range(3):
            issuer(client)
        only = ok(client.get("/api/v1/audit", params={"action": "issuer.create"}))["items"]
        assert [event["action"] for event in only] == ["issuer.create"] * 3
        first = ok(client.get("/api/v1/audit", params={"action": "issuer.create", "limit": 2}))
        rest = ok(
            client.get(
                "/api/v1/audit",
                params={"action": "issuer.create", "limit": 2, "cursor": first["next_cursor"]},
            )
        )
        assert [e["id"] for e in first["items"] + rest["items"]] == [e["id"] for e in only]
        assert rest["next_cursor"] is None
        problem(client.get("/api/v1/audit", params={"cursor": "YWJj"}), 422, "validation-error")


def test_read_tokens_cannot_read_the_audit_log(service: LiveService) -> None:
    with service.client(scopes="read,award") as client:
        problem(client.get("/api/v1/audit"), 403, "forbidden")


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"]
)
def test_the_log_is_append_only_in_the_database(service: LiveService, statement: str) -> None:
    with service.session() as session, pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))
