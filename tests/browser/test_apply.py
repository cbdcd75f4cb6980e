"""Applying for a badge in a real browser, without script: the apply page (fi), the e-mail
confirmation, the status page, then a reviewer approving at practitioner level on the
review page. Screenshots at 1200 and 390 px in ``tests/artifacts/``."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import shoot
from tests.issuer.applying import catalog_achievement, link_in, mails, png
from tests.issuer.live import LiveService
from tests.issuer.web import create_user


def _context_page(browser: Browser, service: LiveService) -> Page:
    context = browser.new_context(
        base_url=service.base_url, viewport={"width": 1200, "height": 900}, locale="fi-FI"
    )
    context.set_default_timeout(20_000)
    return context.new_page()


def test_apply_confirm_and_review(browser: Browser, service: LiveService, tmp_path: Path) -> None:
    achievement_id = catalog_achievement(service)
    address = "esihenkilo.selain@example.fi"
    photo = tmp_path / "palaute.png"
    photo.write_bytes(png(8, 8))
    page = _context_page(browser, service)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    try:
        page.goto(f"/apply/{achievement_id}?lang=fi")
        expect(page.locator("h1")).to_have_text("Käänteismentori")
        page.fill("#email", address)
        page.fill("#name", "Sanna Esihenkilö")
        page.select_option("#level", "practitioner")
        page.fill(
            "#narrative",
            "Toimin käänteismentorina kuuden kuukauden ajan: opastin johtajaa "
            "digitaalisissa työkaluissa ja kokosimme yhdessä oppimispäiväkirjan.",
        )
        page.fill("#evidence_text", "Tapasimme kuusi kertaa; muistiinpanot liitteenä.")
        page.fill("#urls", "https://intra.example.fi/mentorointi/sanna")
        page.set_input_files("#files", str(photo))
        shoot(page, "apply")
        page.get_by_role("button", name="Lähetä hakemus").click()
        expect(page.locator("h1")).to_have_text("Tarkista sähköpostisi")

        link = link_in(mails(service, address, "application_confirm")[-1])
        page.goto(link)
        page.get_by_role("button", name="Vahvista ja lähetä").click()
        expect(page.locator(".app-status")).to_have_text(re.compile("Arvioitavana"))
        expect(page.locator(".app-notice")).to_be_visible()
        shoot(page, "application-status")
        application_id = link.split("/applications/")[1].split("/")[0]
    finally:
        page.context.close()

    email, password = create_user(service, role="reviewer", name="Riikka Arvioija", lang="fi")
    page = _context_page(browser, service)
    page.on("console", lambda message: errors.append(message.text))
    try:
        page.goto("/login?lang=fi")
        page.fill("#email", email)
        page.fill("#password", password)
        page.locator("form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/?$"))
        page.goto("/admin/applications")
        page.get_by_role("link", name="Sanna Esihenkilö").first.click()
        expect(page.locator("h1")).to_have_text("Sanna Esihenkilö")
        expect(page.locator(".app-evidence a[download]")).to_have_text("palaute.png")
        shoot(page, "application-review")
        page.select_option("#level", "practitioner")
        page.locator("form.app-approve button[type=submit]").click()
        expect(page.locator(".app-notice")).to_be_visible()
        expect(page.locator(".app-status")).to_have_text(re.compile("Hyväksytty"))
        page.get_by_role("link", name="Näytä merkki").click()
        expect(page.locator("h1")).to_contain_text("Käänteismentori")
        expect(page.locator("body")).to_contain_text("Harjaantunut")
    finally:
        page.context.close()
    refused = [e for e in errors if "Refused" in e or "Uncaught" in e]
    assert not refused, refused
    assert application_id
