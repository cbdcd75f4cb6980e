"""``/verify`` in a real browser: paste, upload and URL; verdicts; languages; keyboard."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from badges import sign_credential
from badges.keys import KeyPair
from badges.testing import did_key_identity, sample_credential
from tests.browser.conftest import ARTIFACTS, shoot
from tests.issuer.factories import achievement, award, issuer
from tests.issuer.live import LiveService


@pytest.fixture(scope="module")
def signed_json(service: LiveService, badge: dict[str, Any]) -> str:
    response = service.http.get(f"/credentials/{badge['id']}.json")
    assert response.status_code == 200, response.text
    return response.text


def verdict(page: Page) -> str:
    return page.locator(".verdict-text").inner_text()


def check_row(page: Page, check_id: str) -> Any:
    return page.locator(f'li.check[data-check="{check_id}"]')


def test_the_form(page: Page) -> None:
    page.goto("/verify?lang=en")
    expect(page).to_have_title(re.compile("Verify a badge"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for label in (
        "Paste the badge (JSON or JWT)",
        "or upload a badge image or file (PNG, SVG, JSON, JWT)",
        "or give the web address of the badge or badge image",
        "The applicant's e-mail address",
    ):
        expect(page.get_by_label(label)).to_be_visible()
    expect(page.get_by_role("main")).to_be_visible()
    expect(page.get_by_role("navigation", name="Language")).to_be_visible()
    shoot(page, "verify-form")


def test_verify_by_paste_with_the_recipient(page: Page, signed_json: str) -> None:
    page.goto("/verify?lang=en")
    page.get_by_label("Paste the badge (JSON or JWT)").fill(signed_json)
    page.get_by_label("The applicant's e-mail address").fill("maija@example.fi")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Valid")
    expect(page.locator(".verdict")).to_have_attribute("role", "status")
    expect(page.locator(".recipient")).to_contain_text("was awarded to this e-mail address")
    expect(check_row(page, "proof")).to_contain_text("Signature")
    expect(check_row(page, "proof")).to_contain_text("Passed")
    expect(check_row(page, "recipient")).to_contain_text("Passed")
    expect(page.locator(".facts")).to_contain_text("Maija Meikäläinen")
    expect(page.locator("h2.badge-name")).to_have_text(json.loads(signed_json)["name"])
    shoot(page, "verdict-valid")


def test_the_wrong_recipient_is_named(page: Page, signed_json: str) -> None:
    page.goto("/verify?lang=en")
    page.get_by_label("Paste the badge (JSON or JWT)").fill(signed_json)
    page.get_by_label("The applicant's e-mail address").fill("someone.else@example.fi")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Not valid")
    expect(page.locator(".recipient")).to_contain_text("was not awarded to this e-mail address")
    expect(check_row(page, "recipient")).to_contain_text("Failed")


def test_verify_by_upload(
    page: Page, service: LiveService, badge: dict[str, Any], signed_json: str, tmp_path: Path
) -> None:
    """A baked PNG when the service bakes, else the JSON file."""
    baked = service.http.get(f"/credentials/{badge['id']}.png")
    if baked.status_code == 200 and baked.content.startswith(b"\x89PNG"):
        upload = tmp_path / "badge.png"
        upload.write_bytes(baked.content)
    else:
        upload = tmp_path / "badge.json"
        upload.write_text(signed_json, encoding="utf-8")
    page.goto("/verify?lang=en")
    page.get_by_label("or upload a badge image or file").set_input_files(str(upload))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Valid")
    expect(check_row(page, "proof")).to_contain_text("Passed")


def test_verify_by_url(page: Page, badge: dict[str, Any]) -> None:
    page.goto("/verify?lang=fi")
    page.get_by_label("tai anna merkin tai merkkikuvan osoite").fill(badge["urls"]["page"])
    page.get_by_role("button", name="Tarkista").click()
    expect(page.locator(".verdict-text")).to_have_text("Kelvollinen")
    expect(check_row(page, "proof")).to_contain_text("Allekirjoitus")
    expect(page.locator(".recipient")).to_contain_text("Saajaa ei tarkistettu")
    shoot(page, "verdict-valid-fi")


def test_a_tampered_badge_is_not_valid_and_the_failing_check_is_named(
    page: Page, signed_json: str
) -> None:
    tampered = json.loads(signed_json)
    tampered["credentialSubject"]["achievement"]["name"] = "Johtamisen mestari"
    page.goto("/verify?lang=en")
    page.get_by_label("Paste the badge (JSON or JWT)").fill(json.dumps(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Not valid")
    expect(page.locator(".verdict .problems")).to_have_text(
        re.compile(r"^Failed check: Signature – ")
    )
    expect(check_row(page, "proof")).to_contain_text("Failed")
    expect(check_row(page, "proof")).to_have_class(re.compile("check-failed"))
    shoot(page, "verdict-invalid")


def test_an_expired_badge(page: Page) -> None:
    key = KeyPair.generate()
    issuer, method = did_key_identity(key)
    credential = sample_credential(issuer)
    credential["validUntil"] = "2026-02-01T00:00:00Z"
    signed = sign_credential(credential, key, method)
    page.goto("/verify?lang=sv")
    page.get_by_label("Klistra in märket (JSON eller JWT)").fill(json.dumps(signed))
    page.get_by_role("button", name="Kontrollera").click()
    expect(page.locator(".verdict-text")).to_have_text("Har gått ut")
    expect(check_row(page, "valid_until")).to_contain_text("Underkänd")
    expect(page.locator(".facts")).to_contain_text("2026-02-01")
    shoot(page, "verdict-expired")


def test_a_badge_that_cannot_be_checked(page: Page, service: LiveService) -> None:
    """The URL answers 404: nothing to verify, so the verdict is "could not be checked"."""
    page.goto("/verify?lang=en")
    page.get_by_label("or give the web address").fill(f"{service.base_url}/credentials/nope")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Could not be checked")
    shoot(page, "verdict-indeterminate")


def test_an_unusable_submission_is_explained(page: Page, signed_json: str) -> None:
    page.goto("/verify?lang=en")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("Paste the badge, upload a file")
    page.get_by_label("Paste the badge (JSON or JWT)").fill(signed_json)
    page.get_by_label("or give the web address").fill("https://example.fi/badge")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("Use only one way")
    expect(page.get_by_label("Paste the badge (JSON or JWT)")).to_have_value(signed_json.strip())
    shoot(page, "verify-form-error")


def test_language_switch_changes_the_texts_and_is_remembered(page: Page) -> None:
    page.goto("/verify?lang=fi")
    expect(page.locator("h1")).to_have_text("Tarkista osaamismerkki")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.get_by_role("link", name="svenska").click()
    expect(page.locator("h1")).to_have_text("Kontrollera ett kompetensmärke")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("link", name="svenska")).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Verify a badge")
    expect(page.get_by_role("button", name="Verify")).to_be_visible()
    page.goto("/verify")  # no ?lang=: the cookie remembers English
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_default_language_follows_the_browser(browser: Any, service: LiveService) -> None:
    context = browser.new_context(base_url=service.base_url, locale="sv-FI")
    try:
        opened = context.new_page()
        opened.goto("/verify")
        expect(opened.locator("html")).to_have_attribute("lang", "sv")
    finally:
        context.close()


def test_keyboard_only(page: Page, signed_json: str) -> None:
    """Tab to the text area, type, tab to the button, press Enter: the focus is visible."""
    page.goto("/verify?lang=en")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "credential":
            break
        page.keyboard.press("Tab")
    expect(page.locator("#credential")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "verify-keyboard-focus-1200.png"))
    page.keyboard.insert_text(signed_json)
    for _ in range(8):
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
        page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Verify")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".verdict-text")).to_have_text("Valid")


def test_text_contrast_is_at_least_4_5(page: Page, signed_json: str) -> None:
    """WCAG 2.2 1.4.3: every text element of a result page against its background."""
    tampered = copy.deepcopy(json.loads(signed_json))
    tampered["name"] = "x"
    page.goto("/verify?lang=en")
    page.get_by_label("Paste the badge (JSON or JWT)").fill(json.dumps(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_be_visible()
    worst = page.evaluate(CONTRAST_SCRIPT)
    assert worst["ratio"] >= 4.5, worst


CONTRAST_SCRIPT = """() => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let worst = {ratio: 99, text: ''};
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('.visually-hidden') || !el.getClientRects().length) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const text = el.textContent.trim().slice(0, 60);
    if (ratio < worst.ratio) worst = {ratio, text, tag: el.tagName};
  }
  return worst;
}"""


def test_artifacts_folder_is_ignored_by_git() -> None:
    ignored = (ARTIFACTS.parent.parent / ".gitignore").read_text(encoding="utf-8")
    assert "tests/artifacts/" in ignored.splitlines()


def test_the_api_and_the_page_agree(service: LiveService, signed_json: str) -> None:
    """The page shows the verdict ``POST /api/v1/verify`` gives for the same badge."""
    answer = httpx.post(
        f"{service.base_url}/api/v1/verify",
        json={"credential": json.loads(signed_json)},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["verdict"] == "valid"


def test_a_revoked_badge(page: Page, api: httpx.Client) -> None:
    """A new issuer: its status list is fetched fresh (the verifier caches documents)."""
    made = award(api, achievement(api, issuer_id=issuer(api)["id"])["id"])
    changed = api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Testi"})
    assert changed.status_code == 200, changed.text
    page.goto(made["urls"]["page"] + "?lang=en")
    expect(page.locator(".status")).to_contain_text("Revoked")
    shoot(page, "credential-page-revoked")
    page.get_by_role("link", name="Verify this badge").click()
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Revoked")
    expect(check_row(page, "status")).to_contain_text("Failed")
    shoot(page, "verdict-revoked")


def test_a_suspended_badge_page(page: Page, api: httpx.Client) -> None:
    """The page shows the award's live status. (Merkki's credentials name only their
    revocation entry, so a verifier cannot see a suspension.)"""
    made = award(api, achievement(api)["id"])
    changed = api.post(f"/api/v1/awards/{made['id']}/suspend", json={"reason": "Testi"})
    assert changed.status_code == 200, changed.text
    page.goto(made["urls"]["page"] + "?lang=sv")
    expect(page.locator(".status")).to_contain_text("Tillfälligt upphävt")
    shoot(page, "credential-page-suspended")
