"""The users, tokens and audit pages, invitations, roles and organisation isolation,
against a live service (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from issuer.auth import authenticate
from issuer.errors import Unauthenticated
from issuer.services import users
from issuer.store import repo
from issuer.store.tables import ApiToken, MailMessage, Membership, User
from tests.issuer.factories import unique
from tests.issuer.live import LiveService
from tests.issuer.web import create_user, csrf, login

TOKEN = re.compile(r"mk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
INVITE = re.compile(r"https?://[^\s\"<]+/invite/[A-Za-z0-9_-]+")
FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(service: LiveService, org: str = "demo", role: str = "owner") -> httpx.Client:
    return login(service, *create_user(service, org=org, role=role))


def new_org(service: LiveService) -> str:
    slug = unique("org")
    service.organization(slug)
    return slug


def user_id(service: LiveService, email: str) -> str:
    with service.session() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        return user.id


def role_of(service: LiveService, email: str, org: str) -> str | None:
    with service.session() as session:
        org_id = repo.org_by_slug(session, org).id
        member = users.membership(session, user_id(service, email), org_id)
        return member.role if member else None


# ---------------------------------------------------------------------- roles


def test_only_owners_open_the_owner_pages(service: LiveService) -> None:
    for role in ("viewer", "reviewer", "issuer"):
        client = signed_in(service, role=role)
        for path in ("/admin/tokens", "/admin/users", "/admin/audit"):
            page = client.get(path)
            assert page.status_code == 403, (role, path)
            assert "Your role does not allow this page or action." in page.text
        token = FIELD.search(client.get("/admin/tokens").text)  # the sign-out form's token
        assert token
        create = client.post(
            "/admin/tokens", data={"name": "x", "scopes": "award", "csrf_token": token.group(1)}
        )
        assert create.status_code == 403
        assert "mk_" not in create.text
        client.close()


# ---------------------------------------------------------------------- tokens


def test_tokens_create_shows_the_secret_once_and_revoke(service: LiveService) -> None:
    client = signed_in(service)
    token = csrf(client, "/admin/tokens")
    name = unique("hr-system")
    created = client.post(
        "/admin/tokens", data={"name": name, "scopes": ["award", "read"], "csrf_token": token}
    )
    assert created.status_code == 201
    found = TOKEN.search(created.text)
    assert found
    secret = found.group(0)
    with service.session() as session:
        principal = authenticate(session, secret)
        assert principal.scopes == {"award", "read"}
        assert principal.org_id == repo.org_by_slug(session, "demo").id
    listing = client.get("/admin/tokens")
    assert name in listing.text
    assert secret not in listing.text
    token_id = secret.split("_")[1]
    revoked = client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 303
    with service.session() as session:
        try:
            authenticate(session, secret)
            raise AssertionError("a revoked token still works")
        except Unauthenticated:
            pass
    for data in ({"name": "", "scopes": "read"}, {"name": "no scopes"}):
        refused = client.post("/admin/tokens", data={**data, "csrf_token": token})
        assert refused.status_code == 400
    client.close()


# ---------------------------------------------------------------------- isolation


def test_organisations_see_nothing_of_each_other(service: LiveService) -> None:
    other = new_org(service)
    owner_a = signed_in(service)
    owner_b = signed_in(service, org=other)
    a_email = create_user(service, role="viewer")[0]
    token_a = csrf(owner_a, "/admin/tokens")
    name = unique("secret-of-a")
    owner_a.post("/admin/tokens", data={"name": name, "scopes": "read", "csrf_token": token_a})
    with service.session() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.name == name))
        assert row is not None
        token_id = row.id
    token_b = csrf(owner_b, "/admin/tokens")
    assert name not in owner_b.get("/admin/tokens").text
    assert a_email not in owner_b.get("/admin/users").text
    assert name not in owner_b.get("/admin/audit").text
    revoke = owner_b.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token_b})
    assert revoke.status_code == 404
    with service.session() as session:
        row = session.get(ApiToken, token_id)
        assert row is not None
        assert row.revoked_at is None
    a_id = user_id(service, a_email)
    role = owner_b.post(f"/admin/users/{a_id}/role", data={"role": "owner", "csrf_token": token_b})
    assert role.status_code == 404
    remove = owner_b.post(f"/admin/users/{a_id}/remove", data={"csrf_token": token_b})
    assert remove.status_code == 404
    assert role_of(service, a_email, "demo") == "viewer"
    owner_a.close()
    owner_b.close()


# ---------------------------------------------------------------------- users


def test_change_role_remove_and_keep_one_owner(service: LiveService) -> None:
    org = new_org(service)
    owner_email, owner_password = create_user(service, org=org)
    client = login(service, owner_email, owner_password)
    token = csrf(client, "/admin/users")
    member_email = create_user(service, org=org, role="viewer")[0]
    member = user_id(service, member_email)
    owner = user_id(service, owner_email)
    changed = client.post(
        f"/admin/users/{member}/role", data={"role": "issuer", "csrf_token": token}
    )
    assert changed.status_code == 303
    assert role_of(service, member_email, org) == "issuer"
    last = client.post(f"/admin/users/{owner}/role", data={"role": "viewer", "csrf_token": token})
    assert last.status_code == 409
    assert "at least one owner" in last.text
    gone = client.post(f"/admin/users/{owner}/remove", data={"csrf_token": token})
    assert gone.status_code == 409
    assert role_of(service, owner_email, org) == "owner"
    bad = client.post(f"/admin/users/{member}/role", data={"role": "admin", "csrf_token": token})
    assert bad.status_code == 400
    removed = client.post(f"/admin/users/{member}/remove", data={"csrf_token": token})
    assert removed.status_code == 303
    assert role_of(service, member_email, org) is None
    audit = client.get("/admin/audit?action=membership.role")
    assert audit.status_code == 200
    assert "membership.role" in audit.text
    client.close()


def invitation_link(service: LiveService, email: str) -> str:
    with service.session() as session:
        mail = session.scalars(
            select(MailMessage)
            .where(MailMessage.to_address == email, MailMessage.kind == "invitation")
            .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        ).first()
        assert mail is not None
        assert mail.html_body
        assert email not in mail.subject
        found = INVITE.search(mail.text_body)
        assert found
        return "/" + found.group(0).split("/", 3)[3]


def test_invitation_creates_an_account(service: LiveService) -> None:
    org = new_org(service)
    owner = login(service, *create_user(service, org=org))
    token = csrf(owner, "/admin/users")
    invited = f"{unique('new')}@example.fi"
    sent = owner.post(
        "/admin/users/invite",
        data={"email": invited.upper(), "role": "reviewer", "csrf_token": token},
    )
    assert sent.status_code == 303
    page = owner.get(sent.headers["location"])
    assert f"The invitation was sent to {invited}." in page.text
    assert invited in page.text  # pending
    again = owner.post(
        "/admin/users/invite",
        data={"email": "not an address", "role": "viewer", "csrf_token": token},
    )
    assert again.status_code == 400
    path = invitation_link(service, invited)
    with httpx.Client(base_url=service.base_url, timeout=30) as visitor:
        form = visitor.get(path)
        assert form.status_code == 200
        assert "Create your account and join" in form.text
        field = csrf(visitor, path)
        short = visitor.post(path, data={"password": "x", "password2": "x", "csrf_token": field})
        assert short.status_code == 400
        password = "my own long password"
        done = visitor.post(
            path,
            data={
                "name": "Uusi Käyttäjä",
                "password": password,
                "password2": password,
                "csrf_token": field,
            },
        )
        assert done.status_code == 303
        assert done.headers["location"] == "/admin"
        assert "merkki_session" in visitor.cookies
        assert visitor.get("/admin/users").status_code == 403  # a reviewer
        assert visitor.get(path).status_code == 404  # used up
    assert role_of(service, invited, org) == "reviewer"
    login(service, invited, password).close()
    owner.close()


def test_invitation_of_an_existing_user_and_switching_org(service: LiveService) -> None:
    org = new_org(service)
    owner = login(service, *create_user(service, org=org))
    email, password = create_user(service)  # an owner of demo
    token = csrf(owner, "/admin/users")
    owner.post("/admin/users/invite", data={"email": email, "role": "viewer", "csrf_token": token})
    path = invitation_link(service, email)
    with httpx.Client(base_url=service.base_url, timeout=30) as visitor:
        page = visitor.get(path)
        assert "Sign in with it to accept the invitation." in page.text
    someone_else = signed_in(service)
    other = someone_else.get(path)
    assert "but the invitation is for" in other.text
    client = login(service, email, password)
    field = csrf(client, path)
    joined = client.post(path, data={"csrf_token": field})
    assert joined.status_code == 303
    assert role_of(service, email, org) == "viewer"
    # the session now acts in the new organisation, where this user is a viewer
    assert client.get("/admin/users").status_code == 403
    with service.session() as session:
        demo_id = repo.org_by_slug(session, "demo").id
        org_id = repo.org_by_slug(session, org).id
    page = client.get("/admin/audit")
    assert 'name="org_id"' in page.text  # the organisation switcher
    found = FIELD.search(page.text)
    assert found
    switched = client.post(
        "/admin/org", data={"org_id": demo_id, "next": "/admin/users", "csrf_token": found.group(1)}
    )
    assert switched.status_code == 303
    assert switched.headers["location"] == "/admin/users"
    assert client.get("/admin/users").status_code == 200
    # a foreign organisation cannot be switched to
    outsider = new_org(service)
    with service.session() as session:
        outsider_id = repo.org_by_slug(session, outsider).id
    client.post("/admin/org", data={"org_id": outsider_id, "csrf_token": found.group(1)})
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert email in page.text
    with service.session() as session:
        assert session.scalar(select(Membership).where(Membership.org_id == outsider_id)) is None
    assert org_id
    client.close()
    owner.close()
    someone_else.close()


# ---------------------------------------------------------------------- audit


def test_audit_page_filters(service: LiveService) -> None:
    client = signed_in(service)
    token = csrf(client, "/admin/tokens")
    name = unique("audited")
    client.post("/admin/tokens", data={"name": name, "scopes": "read", "csrf_token": token})
    page = client.get("/admin/audit?action=token.create")
    assert page.status_code == 200
    assert name in page.text
    assert "user.login" not in page.text.split("<tbody>")[1]
    by_actor = client.get("/admin/audit?actor=nobody-like-this")
    assert name not in by_actor.text
    future = client.get("/admin/audit?from=2999-01-01")
    assert name not in future.text
    today = client.get("/admin/audit?action=token.create&from=2000-01-01&to=2999-12-31")
    assert name in today.text
    bad = client.get("/admin/audit?from=yesterday")
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.text
    client.close()
