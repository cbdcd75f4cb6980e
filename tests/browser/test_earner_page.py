"""``/my`` in a real browser, as an earner on a phone: the e-mail's magic link, "My
badges", downloading the baked PNG (which verifies), the privacy switch, signing out.
Screenshots at 1200 and 390 px go to ``tests/artifacts/earner-*.png``."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from badges.baking import unbake
from tests.browser.conftest import PHONE, overflow, shoot
from tests.issuer.factories import achievement, award, ok, unique
from tests.issuer.live import LiveService
from tests.issuer.smtp import SmtpSink

LINK = re.compile(r"https?://[^\s\"]+/my/link/[A-Za-z0-9_-]+")
LONG_NAME = {
    "fi": "Monipaikkaisen työn johtamisen ja etäjohtamisen kehittäjä, vaativa taso",
    "sv": "Utvecklare av ledarskap för arbete på flera platser, krävande nivå",
    "en": "Developer of leadership for multi-location and remote work, advanced level",
}


def _link(smtp: SmtpSink, to: str) -> str:
    received = smtp.wait_for(to)[-1]
    text = received.message.get_body(("plain",))
    assert text is not None
    found = LINK.search(str(text.get_content()))
    assert found is not None
    return found.group(0)


@pytest.fixture(scope="module")
def earner(api: httpx.Client) -> dict[str, Any]:
    """An earner with three badges: a long-named one, a revoked one, a plain one."""
    to = f"{unique('selain')}@example.fi"
    long_named = achievement(
        api,
        name={key: unique(value) for key, value in LONG_NAME.items()},
        description={
            "fi": "Johtaa hajautettua tiimiä ja kehittää monipaikkaisen työn käytäntöjä.",
            "sv": "Leder ett distribuerat team och utvecklar arbetssätt.",
            "en": "Leads a distributed team and develops multi-location work practices.",
        },
    )
    first = award(api, long_named["id"], recipient={"email": to}, name="Maija Meikäläinen")
    revoked = award(api, achievement(api)["id"], recipient={"email": to})
    ok(api.post(f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "virhe"}))
    plain = award(api, achievement(api)["id"], recipient={"email": to}, language="fi")
    return {"email": to, "badges": [first, revoked, plain]}


def _sign_in(page: Page, smtp: SmtpSink, earner: dict[str, Any]) -> None:
    page.goto(_link(smtp, earner["email"]) + "?lang=en")
    expect(page.locator("h1")).to_have_text("Open your badges")
    page.get_by_role("button", name="Open my badges").click()
    expect(page.locator("h1")).to_have_text("My badges")


def test_asking_for_a_link_on_a_phone(page: Page, smtp: SmtpSink) -> None:
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto("/my?lang=en")
    expect(page.locator("h1")).to_have_text("My badges")
    shoot(page, "earner-request")
    page.get_by_label("E-mail address").fill("kukaan@example.fi")
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".notice")).to_contain_text("If badges were awarded to this address")
    assert overflow(page) <= 0
    shoot(page, "earner-request-sent")


def test_my_badges_on_a_phone(
    page: Page, smtp: SmtpSink, earner: dict[str, Any], service: LiveService
) -> None:
    page.set_viewport_size({"width": PHONE, "height": 800})
    _sign_in(page, smtp, earner)
    cards = page.locator(".earner-badge")
    expect(cards).to_have_count(3)
    expect(page.locator(".status-revoked")).to_have_count(1)
    first = page.locator(f"#badge-{earner['badges'][0]['id']}")
    expect(first.locator("h2")).to_contain_text(LONG_NAME["fi"])
    image = first.locator("img.badge-image")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    assert overflow(page) <= 0
    shoot(page, "earner-badges")
    first.locator("summary").click()
    expect(first.get_by_role("link", name="Add to LinkedIn profile")).to_be_visible()
    assert overflow(page) <= 0
    shoot(page, "earner-badge-open")
    with page.expect_download() as download_info:
        first.get_by_role("link", name="Badge image (PNG)").click()
    path = download_info.value.path()
    baked = unbake(path.read_bytes())
    report = service.verify(json.loads(baked.text), recipient=earner["email"])
    assert report.valid, report
    with page.expect_download() as wallet_info:
        first.get_by_role("link", name="Presentation for a wallet (VerifiablePresentation)").click()
    presentation = json.loads(wallet_info.value.path().read_text())
    assert presentation["type"] == ["VerifiablePresentation"]


def test_the_privacy_switch_and_signing_out(
    page: Page, smtp: SmtpSink, service: LiveService, api: httpx.Client
) -> None:
    to = f"{unique('yksityinen')}@example.fi"
    issued = award(api, achievement(api)["id"], recipient={"email": to})
    _sign_in(page, smtp, {"email": to})
    card = page.locator(f"#badge-{issued['id']}")
    card.get_by_role("button", name="Hide the page").click()
    expect(card.locator(".privacy-state")).to_contain_text("Hidden")
    hidden = httpx.get(issued["urls"]["page"], headers={"Accept": "text/html"})
    assert hidden.status_code == 404
    page.goto(issued["urls"]["page"] + "?lang=en")  # the earner still sees it
    expect(page.locator("h1")).to_be_visible()
    page.goto("/my?lang=en")
    shoot(page, "earner-badge-hidden")
    card.get_by_role("button", name="Make the page public").click()
    expect(card.locator(".privacy-state")).to_contain_text("Public")
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".notice")).to_contain_text("You have signed out")
    expect(page.get_by_label("E-mail address")).to_be_visible()
