"""Signing in with the keyboard in a real browser, the wrong-password message, signing
out; screenshots of the sign-in page and the users page at 1200 and 390 px."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import shoot
from tests.issuer.live import LiveService
from tests.issuer.web import create_user


def test_sign_in_with_the_keyboard(page: Page, service: LiveService) -> None:
    email, password = create_user(service, name="Olli Omistaja")
    page.goto("/admin/users?lang=en")
    expect(page).to_have_url(re.compile(r"/login\?next=/admin/users"))
    expect(page).to_have_title(re.compile("Sign in"))
    shoot(page, "login")

    expect(page.locator("#email")).to_be_focused()  # autofocus
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(password + "-wrong")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("The e-mail address or password is wrong.")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    shoot(page, "login-wrong-password")

    page.locator("#password").focus()
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/users\?lang=en$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(page.locator(".admin-email")).to_have_text(email)
    expect(page.get_by_role("navigation", name="Administration menu")).to_be_visible()
    shoot(page, "admin-users")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login\?signed_out=1"))
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto("/admin/users")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_sign_in_page_in_finnish(page: Page) -> None:
    page.goto("/login?lang=fi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirjaudu sisään")
    expect(page.get_by_label("Sähköpostiosoite")).to_be_visible()
    expect(page.get_by_label("Salasana")).to_be_visible()
