"""Browser tests: Debian's Chromium driven by Playwright against ONE live Merkki service.

The service runs on SQLite for the whole session (``tests/issuer/live.py``); the browser
is launched once per session (``executable_path`` is the system ``chromium``: no browser
is ever downloaded) and every test gets a fresh context (no cookies carried over).
Screenshots go to ``tests/artifacts/`` (git-ignored) for people to look at. Without a
``chromium`` the tests are skipped, unless ``MERKKI_REQUIRE_BROWSER`` is set (``make
test`` sets it after installing Chromium), when they fail.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import REPO
from tests.issuer.factories import achievement, award
from tests.issuer.live import LiveService
from tests.issuer.smtp import SmtpSink

ARTIFACTS = REPO / "tests" / "artifacts"
WIDTHS = (1200, 390)
PHONE = 390


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "no chromium: `apt-get install chromium` (make test installs it)"
        if os.environ.get("MERKKI_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpSink]:
    """The local SMTP server the browser tests' service delivers its e-mail to."""
    sink = SmtpSink().start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpSink) -> Iterator[LiveService]:
    folder = tmp_path_factory.mktemp("browser-service")
    live = LiveService.start(
        f"sqlite:///{folder / 'merkki.db'}", folder, verify_rate="off", **smtp.settings()
    )
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="session")
def api(service: LiveService) -> Iterator[httpx.Client]:
    with service.client() as client:
        yield client


@pytest.fixture(scope="session")
def badge(api: httpx.Client) -> dict[str, Any]:
    """One award of the service: a Finnish badge with a level, a name and evidence."""
    made = achievement(api)
    return award(
        api,
        made["id"],
        name="Maija Meikäläinen",
        level="advanced",
        language="fi",
        narrative="Ohjasi kuusi vertaismentoroinnin tapaamista.",
        evidence_urls=["https://portfolio.example.fi/maija/mentorointi"],
    )


@pytest.fixture
def page(browser: Browser, service: LiveService) -> Iterator[Page]:
    """A fresh page (own cookies) at desktop width, English unless a test says otherwise."""
    context = browser.new_context(
        base_url=service.base_url, viewport={"width": 1200, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(20_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def overflow(page: Page) -> int:
    """How many pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width - page.viewport_size["width"] if page.viewport_size else 0


def shoot(page: Page, name: str) -> list[Path]:
    """Full-page screenshots at 1200 and 390 px, each checked for horizontal overflow."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size or {"width": 1200, "height": 900}
    paths = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        if width == PHONE:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= PHONE, f"{name}: {scroll_width} px wide at {PHONE} px"
        path = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths
