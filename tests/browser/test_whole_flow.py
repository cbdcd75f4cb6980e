"""The whole flow in a real browser, as an HR person and an earner would go through it.

An owner signs in at ``/login``, creates an achievement in the admin UI, bulk-awards it
from a 50-row CSV file with two bad rows (shown in the preview, fixed, uploaded again),
waits for the job and downloads its report. The earner's award e-mail arrives at the
local SMTP server; the earner opens the magic link, downloads the baked PNG from "My
badges" and it verifies (against the live service). The owner revokes that award in
the admin UI, and the earner's page shows it revoked.

Each step is screenshotted at 1200 and 390 px (``tests/artifacts/flow-*.png``), and at
390 px no page may be wider than the phone. Buttons and links are activated with the
keyboard (Enter): after a full-page screenshot, Chromium sometimes drops a mouse click.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from badges.report import Verdict
from badges.verify import verify
from tests.browser.conftest import shoot
from tests.issuer.live import LiveService
from tests.issuer.smtp import SmtpSink, parts
from tests.issuer.web import create_user

ROWS = 50
EARNER = "maija.meikalainen@example.fi"
BAD = {11: "maija.virtanen(at)example.fi", 31: "matti@@example.fi"}
"""Spreadsheet line → a bad e-mail address on that line (line 1 is the header)."""


def people_csv(*, bad: bool) -> bytes:
    """The award round's file: 50 people, semicolons, as Excel's "CSV UTF-8" writes it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["email", "name", "language"])
    for number in range(1, ROWS + 1):
        line = number + 1
        email = EARNER if number == 1 else f"osallistuja{number:02d}@example.fi"
        if bad and line in BAD:
            email = BAD[line]
        writer.writerow([email, f"Osallistuja {number:02d} Äijälä", "fi"])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def new_context(browser: Browser, service: LiveService, downloads: Path) -> BrowserContext:
    context = browser.new_context(
        base_url=service.base_url,
        viewport={"width": 1200, "height": 900},
        locale="en-GB",
        accept_downloads=True,
    )
    context.set_default_timeout(30_000)
    downloads.mkdir(parents=True, exist_ok=True)
    return context


@pytest.fixture
def admin(browser: Browser, service: LiveService, tmp_path: Path) -> Iterator[Page]:
    context = new_context(browser, service, tmp_path / "admin")
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def earner(browser: Browser, service: LiveService, tmp_path: Path) -> Iterator[Page]:
    context = new_context(browser, service, tmp_path / "earner")
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Page, service: LiveService) -> None:
    email, password = create_user(service, role="owner", name="Hanna HR")
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    shoot(page, "flow-01-login")
    page.get_by_role("button", name="Sign in").press("Enter")
    page.wait_for_url(re.compile(r"/admin/?$"))
    shoot(page, "flow-02-dashboard")


def create_achievement(page: Page) -> str:
    page.goto("/admin/achievements/new")
    texts = {
        "fi": ("Vertaismentori (koko kierros)", "Toimi vertaismentorina.", "Ohjasi tapaamiset."),
        "sv": ("Kamratmentor (hela rundan)", "Var kamratmentor.", "Ledde träffarna."),
        "en": ("Peer mentor (whole round)", "Acted as a peer mentor.", "Led the meetings."),
    }
    for code, (name, description, criteria) in texts.items():
        page.fill(f"#name_{code}", name)
        page.fill(f"#description_{code}", description)
        page.fill(f"#criteria_{code}", criteria)
    shoot(page, "flow-03-achievement-new")
    page.locator("form.editor-form button[type=submit]").first.press("Enter")
    page.wait_for_url(re.compile(r"/admin/achievements/[0-9a-f-]{36}"))
    shoot(page, "flow-04-achievement-saved")
    found = re.search(r"/admin/achievements/([0-9a-f-]{36})", page.url)
    assert found, page.url
    return found.group(1)


def upload(page: Page, data: bytes, name: str) -> None:
    page.set_input_files("#bulk-file", {"name": name, "mimeType": "text/csv", "buffer": data})
    page.locator("form.bulk-upload button[type=submit]").last.press("Enter")
    page.wait_for_url(re.compile(r"/admin/bulk/preview\?"))


def bulk_award(page: Page, achievement_id: str, downloads: Path) -> dict[str, str]:
    """The bulk award round; the report's award id of each recipient."""
    page.goto(f"/admin/bulk?achievement={achievement_id}")
    expect(page.locator("#bulk-achievement")).to_have_value(achievement_id)
    shoot(page, "flow-05-bulk-form")
    upload(page, people_csv(bad=True), "osallistujat.csv")

    # the preview: both bad rows with their line numbers, nothing issued, no confirm button
    expect(page.locator(".bulk-message-bad")).to_contain_text("48 valid, 2 with errors")
    for line, value in BAD.items():
        row = page.locator(f"#line-{line}")
        expect(row).to_contain_text(value)
        expect(row).to_contain_text(re.compile("e-mail address", re.IGNORECASE))
    expect(page.locator("form.bulk-confirm")).to_have_count(0)
    shoot(page, "flow-06-bulk-preview-errors")

    # fixed in the spreadsheet and uploaded again
    upload(page, people_csv(bad=False), "osallistujat-korjattu.csv")
    expect(page.locator(".bulk-message-ok")).to_contain_text("50 valid, 0 with errors")
    expect(page.locator(".bulk-row-bad")).to_have_count(0)
    shoot(page, "flow-07-bulk-preview-ok")
    page.get_by_role("button", name=f"Award {ROWS} badges").press("Enter")
    page.wait_for_url(re.compile(r"/admin/bulk/[0-9a-f-]{36}$"))
    expect(page.locator("progress")).to_be_visible()
    shoot(page, "flow-08-bulk-progress")

    # the script reloads the page when the job is done: then the summary is there
    expect(page.locator('[data-count="issued"]')).to_have_text(str(ROWS), timeout=60_000)
    expect(page.locator('[data-count="failed"]')).to_have_text("0")
    assert page.locator("progress").get_attribute("value") == str(ROWS)
    shoot(page, "flow-09-bulk-done")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the result report (CSV)").press("Enter")
    path = downloads / "report.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))
    assert len(rows) == ROWS
    assert {row["status"] for row in rows} == {"issued"}
    return {row["recipient"]: row["award_id"] for row in rows}


def magic_link(smtp: SmtpSink, service: LiveService) -> str:
    """The "My badges" link of the earner's award e-mail."""
    received = smtp.wait_for(EARNER)
    message = received[0].message
    assert "Vertaismentori" in str(message["Subject"]), message["Subject"]
    text, html = parts(message)
    links = re.findall(rf"{re.escape(service.base_url)}/my/link/[A-Za-z0-9_-]+", text)
    assert links, text
    assert links[0] in html
    return str(links[0]).removeprefix(service.base_url)


def test_award_round_from_sign_in_to_revocation(
    admin: Page,
    earner: Page,
    service: LiveService,
    smtp: SmtpSink,
    tmp_path: Path,
) -> None:
    sign_in(admin, service)
    achievement_id = create_achievement(admin)
    award_ids = bulk_award(admin, achievement_id, tmp_path)
    award_id = award_ids[EARNER]

    # the earner: the e-mail, the magic link, "My badges"
    link = magic_link(smtp, service)
    earner.goto(link)
    shoot(earner, "flow-10-magic-link")
    earner.locator("form button[type=submit]").first.press("Enter")
    earner.wait_for_url(re.compile(r"/my$"))
    card = earner.locator(f"[data-award='{award_id}'], article:has(a[href*='{award_id}'])")
    expect(card.first).to_be_visible()
    expect(card.first).to_contain_text("Vertaismentori (koko kierros)")
    shoot(earner, "flow-11-my-badges")

    card.first.locator("summary").first.press("Enter")  # "Download the badge · Share …"
    with earner.expect_download() as info:
        card.first.get_by_role("link", name="Badge image (PNG)").press("Enter")
    png = tmp_path / "badge.png"
    info.value.save_as(png)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    report = verify(data, resolver=service.resolver(), recipient=EARNER)
    assert report.verdict == Verdict.VALID, report.errors
    with httpx.Client(base_url=service.base_url) as client:
        answer = client.post("/api/v1/verify", files={"file": ("badge.png", data, "image/png")})
    assert answer.status_code == 200
    assert answer.json()["verdict"] == "valid", answer.json()

    # the owner revokes it in the admin UI (confirmation dialog or page)
    admin.goto(f"/admin/awards/{award_id}")
    shoot(admin, "flow-12-award")
    admin.fill("#reason_revoke", "Myönnetty väärälle henkilölle.")
    revoke = admin.locator(f"form[action='/admin/awards/{award_id}/revoke']")
    revoke.locator("button[type=submit]").press("Enter")
    yes = admin.get_by_role("button", name=re.compile("^Yes", re.IGNORECASE))
    yes.first.press("Enter")
    admin.wait_for_url(re.compile(rf"/admin/awards/{award_id}"))
    expect(admin.locator("main")).to_contain_text("Revoked")
    shoot(admin, "flow-13-award-revoked")

    # … and the earner sees it
    earner.reload()
    card = earner.locator(f"[data-award='{award_id}'], article:has(a[href*='{award_id}'])")
    expect(card.first).to_contain_text("Revoked")
    shoot(earner, "flow-14-my-badges-revoked")
    with httpx.Client(base_url=service.base_url) as client:
        answer = client.post("/api/v1/verify", files={"file": ("badge.png", data, "image/png")})
    assert answer.json()["verdict"] == "revoked", answer.json()
