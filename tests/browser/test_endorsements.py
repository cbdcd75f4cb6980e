"""Endorsements in a real browser: a mentee endorses a badge through the public form and the
e-mailed link, a partner organisation through the API; the badge page shows both."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select

from issuer.store.tables import MailMessage
from tests.browser.conftest import ARTIFACTS, PHONE, overflow
from tests.issuer.factories import achievement, award, issuer, ok, unique
from tests.issuer.live import LiveService


def confirmation_link(service: LiveService, address: str) -> str:
    with service.session() as session:
        message = session.scalars(
            select(MailMessage)
            .where(MailMessage.to_address == address, MailMessage.kind == "endorsement_confirm")
            .order_by(MailMessage.id.desc())
        ).first()
        assert message is not None
        found = re.search(r"https?://\S+/endorse/confirm/\S+", message.text_body)
    assert found
    return found.group(0)


def test_a_badge_page_with_two_endorsements(
    page: Page, service: LiveService, api: httpx.Client
) -> None:
    made = award(api, achievement(api)["id"], name="Sanna Esihenkilö", language="fi")
    # a mentee, through the page's "Endorse this badge" link and the e-mailed link
    page.goto(made["urls"]["page"] + "?lang=fi")
    page.get_by_role("link", name="Suosittele tätä merkkiä").click()
    page.get_by_label("Nimesi").fill("Mikko Mentoroitava")
    page.get_by_label("Sähköpostiosoitteesi").fill("mikko@example.fi")
    page.get_by_label("mentoroitava").check()
    page.get_by_label("Suositus").fill(
        "Sanna kuunteli, kysyi oikeat kysymykset ja auttoi minua löytämään oman tapani johtaa "
        "hajautettua tiimiä. Suosittelen lämpimästi."
    )
    page.get_by_role("button", name="Lähetä vahvistuslinkki").click()
    expect(page.locator("h1")).to_have_text("Tarkista sähköpostisi")
    page.goto(confirmation_link(service, "mikko@example.fi"))
    page.get_by_role("button", name="Vahvista ja julkaise").click()
    expect(page.locator("blockquote")).to_contain_text("Sanna kuunteli")
    # a partner organisation, through the API with its own issuer profile
    slug = unique("kumppani")
    service.organization(slug)
    with service.client(scopes="manage,read,endorse", org=slug) as partner:
        profile = issuer(partner, name={"fi": "Naapurikaupungin HR-verkosto"})
        ok(
            partner.post(
                "/api/v1/endorsements",
                json={
                    "issuer_id": profile["id"],
                    "target_type": "award",
                    "target_id": made["id"],
                    "relation": "partner",
                    "comment": "Sanna veti yhteisen vertaismentorointiohjelmamme esimerkillisesti.",
                },
            ),
            201,
        )
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(made["urls"]["page"] + "?lang=fi")
    items = page.locator(".endorsement-list > li")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Mikko Mentoroitava, mentoroitava")
    expect(items.nth(1)).to_contain_text("Naapurikaupungin HR-verkosto, kumppaniorganisaatio")
    assert overflow(page) <= 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    section = page.locator("section.endorsements")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"credential-endorsements-{PHONE}.png"), full_page=True)
