"""Helpers for tests of the signed-in pages: make a user, sign in, read a form's CSRF token.

``create_user(service, org="demo", role="owner")`` makes an account with a membership
directly in the database (as ``merkki user create`` does) and returns its e-mail and
password; ``login(service, email, password)`` signs in through ``/login`` and returns an
``httpx.Client`` carrying the session cookie; ``csrf(client, path)`` reads the CSRF
token of the form on ``path``.
"""

from __future__ import annotations

import itertools
import re
import secrets

import httpx

from issuer.auth import CLI
from issuer.services import users
from issuer.store import repo
from tests.issuer.live import LiveService

# Cheap argon2id costs for every test that uses these helpers (the defaults take about
# a second per hash on a loaded machine); tests of the hash format still see argon2id.
users.set_hash_cost(time_cost=1, memory_kib=8 * 1024, parallelism=1)

_counter = itertools.count(1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def create_user(
    service: LiveService,
    *,
    org: str = "demo",
    role: str = "owner",
    email: str | None = None,
    password: str | None = None,
    name: str = "",
    lang: str | None = None,
) -> tuple[str, str]:
    """A new user of ``org`` (a slug) with ``role``: ``(email, password)``."""
    email = email or f"user{next(_counter)}-{secrets.token_hex(3)}@example.fi"
    password = password or "correct horse battery " + secrets.token_hex(4)
    with service.session() as session:
        org_id = repo.org_by_slug(session, org).id
        users.create_user(
            session,
            CLI,
            email=email,
            password=password,
            name=name,
            org_id=org_id,
            role=role,
            lang=lang,
        )
    return email.strip().lower(), password


def csrf(client: httpx.Client, path: str) -> str:
    """The CSRF token in the first form of the page at ``path``."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:500])
    found = _CSRF.search(response.text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def login(service: LiveService, email: str, password: str) -> httpx.Client:
    """A client signed in as ``email`` (fails the test if signing in fails)."""
    client = httpx.Client(base_url=service.base_url, timeout=30)
    token = csrf(client, "/login")
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, (response.status_code, response.text[:500])
    return client
