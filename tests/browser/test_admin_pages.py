"""The admin pages for the people who award, in a real browser: sign in, the dashboard,
the badge editor's live preview, the award form and revoking with the confirmation
dialog. Screenshots at 1200 and 390 px go to ``tests/artifacts/admin-*.png``."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import shoot
from tests.issuer.factories import achievement, award
from tests.issuer.live import LiveService
from tests.issuer.web import create_user


@pytest.fixture
def owner_page(browser: Browser, service: LiveService) -> Iterator[Page]:
    context = browser.new_context(
        base_url=service.base_url, viewport={"width": 1200, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text))
    email, password = create_user(service, role="owner", name="Olli Omistaja", lang="en")
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/?$"))
    try:
        yield page
        refused = [e for e in errors if "Refused" in e or "Uncaught" in e]
        assert not refused, refused  # no CSP violations or script errors
    finally:
        context.close()


def test_dashboard_editor_award_and_revoke(owner_page: Page, api: httpx.Client) -> None:
    page = owner_page
    made = achievement(api)
    for _ in range(3):
        award(api, made["id"], name="Maija Meikäläinen")

    page.goto("/admin?lang=en")
    expect(page.locator("svg.chart rect.bar")).to_have_count(12)
    expect(page.locator(".top-list")).to_contain_text(made["name"]["en"])
    shoot(page, "admin-dashboard")

    # the editor's preview follows typing, in the chosen language
    page.goto("/admin/achievements/new")
    preview = page.locator("#preview")
    page.fill("#name_en", "Team coach")
    expect(preview.locator("[data-preview=name]")).to_have_text("Team coach")
    expect(preview.locator("[data-preview-initials]")).to_have_text("TC")
    page.fill("#description_en", "Coaches a team through a project.")
    expect(preview.locator("[data-preview=description]")).to_have_text(
        "Coaches a team through a project."
    )
    page.fill("#criteria_en", "Three coaching sessions.")
    page.fill("#level_0_key", "basic")
    page.fill("#level_0_en", "Basic")
    expect(preview.locator("[data-preview=levels] li")).to_have_text(["Basic"])
    page.fill("#name_fi", "Tiimivalmentaja")
    preview.locator("[data-preview-lang=fi]").click()
    expect(preview.locator("[data-preview=name]")).to_have_text("Tiimivalmentaja")
    preview.locator("[data-preview-lang=en]").click()
    shoot(page, "admin-achievement-editor")
    page.locator("form.editor-form button[type=submit]").click()
    # Finnish texts are incomplete: the errors are shown next to the fields
    expect(page.locator("#description_fi-error")).to_be_visible()
    page.fill("#name_fi", "")
    page.locator("form.editor-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/achievements/[0-9a-f-]{36}\?done=adm_created"))
    expect(page.locator("[data-preview-image]")).to_have_attribute("src", re.compile("artwork"))
    achievement_id = re.search(r"achievements/([0-9a-f-]{36})", page.url).group(1)  # type: ignore[union-attr]

    # award one person
    page.goto(f"/admin/awards/new?achievement={achievement_id}")
    page.fill("#email", "tiina.tiimi@example.fi")
    page.fill("#name", "Tiina Tiimi")
    page.select_option("#level", "basic")
    shoot(page, "admin-award-form")
    page.get_by_role("button", name="Award the badge").click()
    page.wait_for_url(re.compile(r"/admin/awards/[0-9a-f-]{36}\?done=adm_awarded"))
    expect(page.locator("main")).to_contain_text("Tiina Tiimi")
    expect(page.locator("#award-status")).to_contain_text("Active")
    shoot(page, "admin-award")

    # revoke: the dialog asks first; cancelling changes nothing
    page.fill("#reason_revoke", "Awarded by mistake.")
    page.locator("form[action$='/revoke'] button[type=submit]").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Tiina Tiimi")
    shoot(page, "admin-revoke-dialog")
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.locator("#award-status")).to_contain_text("Active")
    page.locator("form[action$='/revoke'] button[type=submit]").click()
    page.get_by_role("button", name="Yes, revoke it").click()
    page.wait_for_url(re.compile(r"changed=revoke"))
    expect(page.locator("#award-status")).to_contain_text("Revoked")

    page.goto("/admin/awards?status=revoked")
    expect(page.locator("#award-list")).to_contain_text("Tiina Tiimi")
    shoot(page, "admin-awards")

    page.goto("/admin/issuers")
    page.locator(".card-title").first.click()
    expect(page.locator("#key-table")).to_be_visible()
    shoot(page, "admin-issuer")
