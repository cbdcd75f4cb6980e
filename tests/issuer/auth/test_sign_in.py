"""Signing in and out, throttling, sessions, CSRF, password reset and page headers,
against a live service (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from issuer.auth import CLI
from issuer.security_headers import admin_headers
from issuer.services import users, web_sessions
from issuer.store.base import utcnow
from issuer.store.tables import LoginAttempt, MailMessage, User, WebSession
from issuer.web.session import WebUser
from tests.issuer.live import LiveService
from tests.issuer.web import create_user, csrf, login

LINK = re.compile(r"https?://[^\s\"<]+/password/reset/[A-Za-z0-9_-]+")


def post_login(
    client: httpx.Client, email: str, password: str, next_: str | None = None
) -> httpx.Response:
    token = csrf(client, "/login")
    data = {"email": email, "password": password, "csrf_token": token}
    if next_ is not None:
        data["next"] = next_
    return client.post("/login", data=data)


def anonymous(service: LiveService) -> httpx.Client:
    return httpx.Client(base_url=service.base_url, timeout=30)


# ---------------------------------------------------------------------- passwords


def test_passwords_are_argon2id() -> None:
    stored = users.hash_password("a long enough password")
    assert stored.startswith("$argon2id$v=19$m=")
    assert users.verify_password(stored, "a long enough password")
    assert not users.verify_password(stored, "a long enough passwore")
    assert not users.verify_password(None, "a long enough password")
    assert not users.verify_password("not a hash", "x")
    with pytest.raises(users.PasswordRejected):
        users.check_new_password("short")
    with pytest.raises(users.PasswordRejected):
        users.check_new_password("twelve chars", "twelve chars!")


def test_unknown_email_still_verifies_a_hash(
    service: LiveService, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = users._hasher

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            calls.append(stored)
            return real.verify(stored, password)

        def hash(self, password: str) -> str:
            return real.hash(password)

    monkeypatch.setattr(users, "_hasher", Spy())
    with service.session() as session:
        assert users.authenticate(session, "nobody@nowhere.example", "whatever", "10.9.9.9") is None
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")  # the dummy hash, checked like a real one


def test_roles_have_the_scopes_they_need() -> None:
    def user(role: str) -> WebUser:
        return WebUser("u", "a@b.fi", "", "o", "demo", role, "en")  # type: ignore[arg-type]

    owner = user("owner").principal()
    assert {"award", "revoke", "manage", "read", "review"} <= owner.scopes
    assert owner.actor_id == "user:u"
    assert owner.actor_name == "a@b.fi"
    assert owner.org_id == "o"
    assert user("issuer").principal().scopes == {"award", "revoke", "read"}
    reviewer = user("reviewer").principal()
    assert not reviewer.has("award")
    assert "review" in reviewer.scopes
    assert user("viewer").principal().scopes == {"read"}


# ---------------------------------------------------------------------- signing in


def test_sign_in_and_wrong_password(service: LiveService) -> None:
    email, password = create_user(service)
    with anonymous(service) as client:
        wrong = post_login(client, email, password + "x")
        assert wrong.status_code == 400
        assert "The e-mail address or password is wrong." in wrong.text
        assert "merkki_session" not in wrong.headers.get("set-cookie", "")
        right = post_login(client, email.upper(), password)
        assert right.status_code == 303
        assert right.headers["location"] == "/admin"
        cookie = right.headers.get_list("set-cookie")
        session_cookie = next(value for value in cookie if value.startswith("merkki_session="))
        assert "HttpOnly" in session_cookie
        assert "SameSite=lax" in session_cookie or "SameSite=Lax" in session_cookie
        assert "Path=/" in session_cookie
        page = client.get("/admin/users")
        assert page.status_code == 200
        assert email in page.text
    with service.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        assert user.last_login_at is not None


def test_signed_in_pages_redirect_to_login(service: LiveService) -> None:
    with anonymous(service) as client:
        response = client.get("/admin/users?x=1")
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=/admin/users%3Fx%3D1"


def test_throttling_after_five_failures(service: LiveService) -> None:
    email, password = create_user(service)
    with anonymous(service) as client:
        for _ in range(users.EMAIL_FAILURES):
            assert post_login(client, email, "wrong password!").status_code == 400
        throttled = post_login(client, email, password)  # even the right password
        assert throttled.status_code == 429
        assert int(throttled.headers["retry-after"]) > 0
        assert "Too many failed sign-ins" in throttled.text
    with service.session() as session:
        session.query(LoginAttempt).filter(LoginAttempt.email == email).delete()
        session.commit()
    login(service, email, password).close()


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/admin\r\nLocation: https://evil.example",
    ],
)
def test_next_must_be_a_local_path(service: LiveService, target: str) -> None:
    email, password = create_user(service)
    with anonymous(service) as client:
        response = post_login(client, email, password, next_=target)
        assert response.status_code == 303
        assert response.headers["location"] == "/admin"


def test_next_local_path_is_followed(service: LiveService) -> None:
    email, password = create_user(service)
    with anonymous(service) as client:
        response = post_login(client, email, password, next_="/admin/tokens?a=1")
        assert response.headers["location"] == "/admin/tokens?a=1"


def test_logout_ends_the_server_session(service: LiveService) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    token = client.cookies["merkki_session"]
    response = client.post("/logout", data={"csrf_token": csrf(client, "/admin/users")})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    with service.session() as session:
        assert session.get(WebSession, web_sessions.session_id(token)) is None
    with anonymous(service) as replay:  # the old cookie, sent again
        replay.cookies.set("merkki_session", token)
        assert replay.get("/admin/users").status_code == 303
    client.close()


@pytest.mark.parametrize("limit", ["idle", "absolute"])
def test_sessions_expire(service: LiveService, limit: str) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    assert client.get("/admin/users").status_code == 200
    sid = web_sessions.session_id(client.cookies["merkki_session"])
    with service.session() as session:
        row = session.get(WebSession, sid)
        assert row is not None
        now = utcnow()
        if limit == "idle":
            row.last_seen_at = now - web_sessions.IDLE_TIMEOUT - timedelta(seconds=1)
        else:
            row.expires_at = now - timedelta(seconds=1)
        session.commit()
    response = client.get("/admin/users")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    with service.session() as session:
        assert session.get(WebSession, sid) is None
    client.close()


def test_disabled_user_loses_the_session(service: LiveService) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    with service.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        user.disabled = True
        session.commit()
    assert client.get("/admin/users").status_code == 303
    with anonymous(service) as other:
        assert post_login(other, email, password).status_code == 400
    client.close()


# ---------------------------------------------------------------------- CSRF


def test_forms_without_the_right_csrf_token_are_refused(service: LiveService) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    other = login(service, *create_user(service))
    good = csrf(client, "/admin/tokens")
    foreign = csrf(other, "/admin/tokens")
    assert good != foreign
    for data in ({}, {"csrf_token": "x" * 64}, {"csrf_token": foreign}):
        response = client.post("/admin/tokens", data={"name": "t", "scopes": "read", **data})
        assert response.status_code == 403
        assert "security token" in response.text
    created = client.post("/admin/tokens", data={"name": "t", "scopes": "read", "csrf_token": good})
    assert created.status_code == 201
    # signing in needs the visitor's double-submit token too
    with anonymous(service) as visitor:
        refused = visitor.post("/login", data={"email": email, "password": password})
        assert refused.status_code == 403
    client.close()
    other.close()


# ---------------------------------------------------------------------- password reset


def outbox(service: LiveService, to: str, kind: str) -> list[MailMessage]:
    with service.session() as session:
        rows = session.scalars(
            select(MailMessage)
            .where(MailMessage.to_address == to, MailMessage.kind == kind)
            .order_by(MailMessage.created_at, MailMessage.id)
        ).all()
        session.expunge_all()
        return list(rows)


def test_password_reset_through_the_mailed_link(service: LiveService) -> None:
    email, password = create_user(service, lang="fi")
    signed_in = login(service, email, password)
    with anonymous(service) as client:
        token = csrf(client, "/password/forgot")
        answer = client.post("/password/forgot", data={"email": email, "csrf_token": token})
        assert answer.status_code == 200
        unknown = client.post(
            "/password/forgot", data={"email": "nobody@example.fi", "csrf_token": token}
        )
        assert unknown.status_code == 200
        sent_text = "If the address has an account, a link was sent to it."
        assert sent_text in answer.text
        assert sent_text in unknown.text
        assert outbox(service, "nobody@example.fi", "password_reset") == []
        mails = outbox(service, email, "password_reset")
        assert len(mails) == 1
        assert mails[0].subject == "Merkki: salasanan vaihto"  # the user's language
        assert mails[0].html_body
        assert "<a href=" in mails[0].html_body
        found = LINK.search(mails[0].text_body)
        assert found
        path = "/" + found.group(0).split("/", 3)[3]
        form = client.get(path)
        assert form.status_code == 200
        token = csrf(client, path)
        short = client.post(
            path, data={"password": "short", "password2": "short", "csrf_token": token}
        )
        assert short.status_code == 400
        new = "a brand new long password"
        differ = client.post(
            path, data={"password": new, "password2": new + "!", "csrf_token": token}
        )
        assert differ.status_code == 400
        done = client.post(path, data={"password": new, "password2": new, "csrf_token": token})
        assert done.status_code == 303
        assert done.headers["location"] == "/login?reset=1"
        again = client.post(path, data={"password": new, "password2": new, "csrf_token": token})
        assert again.status_code == 404  # single use
    assert signed_in.get("/admin/users").status_code == 303  # other sessions ended
    with anonymous(service) as client:
        assert post_login(client, email, password).status_code == 400
    login(service, email, new).close()
    signed_in.close()


def test_reset_link_expires(service: LiveService) -> None:
    email, _ = create_user(service)
    with service.session() as session:
        found = users.request_reset(session, email)
        assert found is not None
        _, token = found
        session.commit()
        assert users.reset_user(session, token) is not None
        from issuer.store.tables import PasswordResetToken

        row = session.get(PasswordResetToken, users.token_hash(token))
        assert row is not None
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.commit()
    with anonymous(service) as client:
        assert client.get(f"/password/reset/{token}").status_code == 404


def test_set_password_ends_sessions(service: LiveService) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    with service.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        users.set_password(session, CLI, user, "another long password")
    assert client.get("/admin/users").status_code == 303
    client.close()


# ---------------------------------------------------------------------- headers


def test_strict_headers_on_sign_in_and_admin_pages(service: LiveService) -> None:
    email, password = create_user(service)
    client = login(service, email, password)
    for response in (client.get("/admin/users"), service.http.get("/login")):
        csp = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "script-src 'self'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in response.headers  # plain http here
        assert "<script>" not in response.text
        assert " style=" not in response.text
    client.close()


def test_https_adds_hsts_and_the_host_cookie_prefix() -> None:
    assert admin_headers(https=True)["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in admin_headers(https=False)
    assert web_sessions.cookie_name(https=True) == "__Host-merkki_session"
    assert web_sessions.cookie_name(https=False) == "merkki_session"
