"""The public pages over plain HTTP: security headers, CSRF, languages, QR codes, escaping."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import png
import pytest
import zxingcpp

from badges import sign_credential
from badges.keys import KeyPair
from badges.testing import did_key_identity, sample_credential
from issuer.store.tables import Award
from tests.issuer.factories import achievement, award, problem
from tests.issuer.live import LiveService

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def http(service: LiveService) -> httpx.Client:
    """A client of its own (its own cookies)."""
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        yield client  # type: ignore[misc]


def form_token(http: httpx.Client, lang: str = "en") -> str:
    page = http.get(f"/verify?lang={lang}")
    assert page.status_code == 200
    found = TOKEN.search(page.text)
    assert found
    return found.group(1)


def submit(http: httpx.Client, token: str | None, **fields: str) -> httpx.Response:
    data = {**fields, **({"csrf_token": token} if token is not None else {})}
    return http.post("/verify?lang=en", data=data, files={"file": ("", b"")})


def verdict(response: httpx.Response) -> str | None:
    found = re.search(r'class="verdict-text"[^>]*>([^<]*)<', response.text)
    return found.group(1) if found else None


# ---------------------------------------------------------------------- headers


@pytest.mark.parametrize("path", ["/verify", "/credentials/{id}"])
def test_pages_send_strict_security_headers(
    http: httpx.Client, badge: dict[str, Any], path: str
) -> None:
    response = http.get(path.format(id=badge["id"]), headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    assert policy["style-src"] == "'self'"
    assert "script-src" not in policy  # no script at all (default-src 'none')
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    page = response.text
    for forbidden in ("<script", "<style", " style="):
        assert forbidden not in page


def test_the_stylesheet_is_served_with_a_content_hash(http: httpx.Client) -> None:
    page = http.get("/verify").text
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert href is not None
    assert re.fullmatch(r"/static/merkki\.css\?v=[0-9a-f]{12}", href.group(1))
    css = http.get(href.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in css.headers["cache-control"]
    assert ":focus-visible" in css.text
    problem(http.get("/static/../settings.py"), 404, "not-found")
    problem(http.get("/static/other.css"), 404, "not-found")


# ---------------------------------------------------------------------- CSRF


def test_the_form_sets_a_strict_csrf_cookie(http: httpx.Client) -> None:
    response = http.get("/verify")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("merkki_csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Path=/verify" in cookie
    assert TOKEN.search(response.text).group(1) == http.cookies["merkki_csrf"]  # type: ignore[union-attr]
    again = http.get("/verify")  # a valid cookie is kept (several tabs keep working)
    assert "set-cookie" not in again.headers
    assert TOKEN.search(again.text).group(1) == http.cookies["merkki_csrf"]  # type: ignore[union-attr]


def test_a_post_without_the_token_is_refused(
    http: httpx.Client, service: LiveService, badge: dict[str, Any]
) -> None:
    credential = json.dumps(badge["credential"])
    form_token(http)
    refused = submit(http, None, credential=credential)
    assert refused.status_code == 403
    assert "The form expired or was sent from another site" in refused.text
    assert verdict(refused) is None
    assert credential[:40].replace('"', "&#34;") in refused.text  # the input is kept


def test_a_post_from_another_site_is_refused(service: LiveService, badge: dict[str, Any]) -> None:
    """Another site has neither the visitor's cookie (SameSite) nor can read it: a token
    it got for itself does not match the cookie of the visitor."""
    with httpx.Client(base_url=service.base_url, timeout=30) as attacker:
        their_token = form_token(attacker)
    with httpx.Client(base_url=service.base_url, timeout=30) as visitor:
        form_token(visitor)
        refused = submit(visitor, their_token, credential=json.dumps(badge["credential"]))
        assert refused.status_code == 403
        forged = submit(visitor, "x.1.y", credential=json.dumps(badge["credential"]))
        assert forged.status_code == 403
    with httpx.Client(base_url=service.base_url, timeout=30) as no_cookie:
        refused = submit(no_cookie, their_token, credential=json.dumps(badge["credential"]))
        assert refused.status_code == 403


def test_a_post_with_the_token_verifies(http: httpx.Client, badge: dict[str, Any]) -> None:
    response = submit(http, form_token(http), credential=json.dumps(badge["credential"]))
    assert response.status_code == 200
    assert verdict(response) == "Valid"
    assert response.headers["cache-control"] == "no-store"


def test_unusable_submissions_name_the_problem(http: httpx.Client) -> None:
    token = form_token(http)
    cases = [
        ({}, 422, "Paste the badge, upload a file or give a web address."),
        ({"credential": "{}", "url": "https://example.fi/b"}, 422, "Use only one way"),
        ({"url": "javascript:alert(1)"}, 422, "starts with https://"),
    ]
    for fields, status, text in cases:
        response = submit(http, token, **fields)
        assert response.status_code == status, response.text
        assert text in response.text
        assert 'role="alert"' in response.text


def test_a_too_large_form_is_refused_before_it_is_read(http: httpx.Client) -> None:
    token = form_token(http)
    big = "x" * (6 * 1024 * 1024)
    response = submit(http, token, credential=big)
    assert response.status_code == 413
    assert "too large" in response.text


def test_garbage_gets_a_verdict_not_an_error(http: httpx.Client) -> None:
    response = submit(http, form_token(http), credential="this is not a badge")
    assert response.status_code == 200
    assert verdict(response) == "Not valid"
    assert 'data-check="parse"' in response.text


# ---------------------------------------------------------------------- languages


def test_the_language_choice_is_remembered(http: httpx.Client) -> None:
    chosen = http.get("/verify?lang=sv")
    assert chosen.headers["content-language"] == "sv"
    assert "merkki_lang=sv" in chosen.headers["set-cookie"]
    later = http.get("/verify", headers={"Accept-Language": "fi"})
    assert '<html lang="sv">' in later.text  # the cookie beats Accept-Language


@pytest.mark.parametrize(
    ("accept", "lang"), [("fi-FI,fi;q=0.9", "fi"), ("sv", "sv"), ("de", "en"), (None, "en")]
)
def test_the_default_language_comes_from_accept_language(
    http: httpx.Client, accept: str | None, lang: str
) -> None:
    headers = {"Accept-Language": accept} if accept else {}
    page = http.get("/verify", headers=headers)
    assert f'<html lang="{lang}">' in page.text
    assert "Accept-Language" in page.headers["vary"]


def test_a_badge_page_without_a_preference_is_in_the_badge_language(
    http: httpx.Client, badge: dict[str, Any]
) -> None:
    page = http.get(f"/credentials/{badge['id']}", headers={"Accept": "text/html"})
    assert '<html lang="fi">' in page.text
    assert "Myöntäjä" in page.text


def test_every_page_links_every_language(http: httpx.Client, badge: dict[str, Any]) -> None:
    for path in ("/verify", f"/credentials/{badge['id']}"):
        page = http.get(path, headers={"Accept": "text/html"}).text
        for code in ("fi", "sv", "en"):
            assert f'href="{path}?lang={code}" lang="{code}"' in page


# ---------------------------------------------------------------------- the badge page


def set_award(service: LiveService, award_id: str, **values: Any) -> None:
    with service.session() as session:
        row = session.get(Award, award_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        session.commit()


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({"status": "revoked"}, "Revoked"),
        ({"status": "suspended"}, "Suspended"),
        ({"valid_until": datetime.now(UTC) - timedelta(days=1)}, "Expired"),
    ],
)
def test_the_badge_page_shows_the_live_status(
    http: httpx.Client, service: LiveService, api: httpx.Client, values: dict[str, Any], text: str
) -> None:
    made = award(api, achievement(api)["id"])
    page = http.get(f"/credentials/{made['id']}?lang=en", headers={"Accept": "text/html"})
    assert '<span class="visually-hidden">Status: </span>Valid' in page.text
    set_award(service, made["id"], **values)
    page = http.get(f"/credentials/{made['id']}?lang=en", headers={"Accept": "text/html"})
    assert f'<span class="visually-hidden">Status: </span>{text}' in page.text
    assert page.headers["cache-control"] == "no-cache"


def test_qr_codes(http: httpx.Client, badge: dict[str, Any]) -> None:
    page_url = badge["urls"]["page"]
    svg = http.get(f"/credentials/{badge['id']}/qr.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.headers["content-security-policy"].startswith("default-src 'none'")
    assert b"<svg" in svg.content
    assert b"<script" not in svg.content
    image = http.get(f"/credentials/{badge['id']}/qr.png")
    assert image.headers["content-type"] == "image/png"
    width, height, rows, info = png.Reader(file=io.BytesIO(image.content)).asDirect()
    top = (1 << info["bitdepth"]) - 1
    pixels = bytes(value * 255 // top for row in rows for value in row)
    found = zxingcpp.read_barcodes(
        zxingcpp.ImageView(pixels, width, height, zxingcpp.ImageFormat.Lum)
    )
    assert [result.text for result in found] == [page_url]
    problem(http.get("/credentials/nope/qr.svg"), 404, "not-found")
    problem(http.get("/credentials/nope/qr.png"), 404, "not-found")


# ---------------------------------------------------------------------- untrusted badges


def test_a_hostile_badge_is_shown_escaped_and_without_script_links(http: httpx.Client) -> None:
    key = KeyPair.generate()
    issuer, method = did_key_identity(key)
    credential = sample_credential(issuer)
    credential["name"] = '<script>alert("x")</script>'
    credential["credentialSubject"]["achievement"]["name"] = "<b>bold</b>"
    credential["issuer"]["url"] = "javascript:alert(1)"
    credential["credentialSubject"]["achievement"]["image"] = {
        "id": "javascript:alert(2)",
        "type": "Image",
    }
    credential["credentialSubject"]["achievement"]["criteria"]["id"] = "javascript:alert(3)"
    signed = sign_credential(credential, key, method)
    response = submit(http, form_token(http), credential=json.dumps(signed))
    assert response.status_code == 200
    page = response.text
    assert "<script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page
    assert verdict(response) is not None, page


def test_the_url_query_only_fills_in_web_addresses(http: httpx.Client) -> None:
    filled = http.get("/verify", params={"url": "https://example.fi/badge.json"}).text
    assert 'value="https://example.fi/badge.json"' in filled
    refused = http.get("/verify", params={"url": "javascript:alert(1)"}).text
    assert "javascript:" not in refused
