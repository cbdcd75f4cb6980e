"""``/credentials/{id}`` in a real browser: the badge, its live status, QR code, links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import zxingcpp
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import shoot
from tests.issuer.factories import achievement, award
from tests.issuer.live import LiveService

BADGE_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<circle cx="50" cy="50" r="46" fill="#12355b"/>
<circle cx="50" cy="50" r="36" fill="#ffbf2f"/>
<path d="M50 24 L57 43 L77 43 L61 55 L67 75 L50 63 L33 75 L39 55 L23 43 L43 43 Z" fill="#12355b"/>
</svg>"""


@pytest.fixture(scope="module")
def pictured(api: httpx.Client) -> dict[str, Any]:
    """An award of an achievement with an uploaded image, valid until a date."""
    made = achievement(api)
    response = api.put(
        f"/api/v1/achievements/{made['id']}/image",
        content=BADGE_SVG,
        headers={"Content-Type": "image/svg+xml"},
    )
    assert response.status_code == 200, response.text
    return award(
        api,
        made["id"],
        name="Matti Virtanen",
        level="basic",
        language="sv",
        valid_until="2031-06-30T00:00:00Z",
        format="jwt",
    )


def test_the_badge_page(page: Page, pictured: dict[str, Any]) -> None:
    page.goto(pictured["urls"]["page"] + "?lang=en")
    credential = pictured["credential"]
    # Issued in Swedish; this page shows the issuer's own English texts, and says so.
    english = credential["name"].removesuffix(" sv") + " en"
    expect(page.locator("h1")).to_have_text(english)
    expect(page.locator("h1")).to_have_attribute("lang", "en")
    expect(page.locator(".claims")).to_contain_text("The badge was issued in svenska")
    expect(page.locator(".status")).to_contain_text("Valid")
    facts = page.locator(".facts")
    expect(facts).to_contain_text("Matti Virtanen")
    expect(facts).to_contain_text("30 June 2031")
    expect(facts).to_contain_text("Basic")  # the level, in the page's language
    page.goto(pictured["urls"]["page"] + "?lang=sv")  # the badge's own language: as signed
    expect(page.locator("h1")).to_have_text(credential["name"])
    expect(page.locator("h1")).to_have_attribute("lang", "sv")
    expect(page.locator(".claims")).to_have_count(0)
    expect(page.locator(".facts")).to_contain_text("Grund")
    page.goto(pictured["urls"]["page"] + "?lang=en")
    image = page.locator("img.badge-image")
    expect(image).to_have_attribute("alt", re.compile("Badge image: "))
    assert page.evaluate("document.querySelector('img.badge-image').naturalWidth") > 0
    qr = page.get_by_role("img", name="QR code that opens this page")
    expect(qr).to_be_visible()
    assert page.evaluate("[...document.images].every((i) => i.complete && i.naturalWidth > 0)")
    for name, suffix in (
        ("Signed badge (JSON)", ".json"),
        ("Signed badge (JWT)", ".jwt"),
        ("Badge image (PNG)", ".png"),
        ("Badge image (SVG)", ".svg"),
        ("QR code (SVG)", "/qr.svg"),
        ("QR code (PNG)", "/qr.png"),
    ):
        link = page.get_by_role("link", name=name)
        expect(link).to_have_attribute("href", pictured["urls"]["page"] + suffix)
    expect(page.get_by_label("Address of this page")).to_have_value(pictured["urls"]["page"])
    shoot(page, "credential-page")


def test_the_qr_code_in_the_page_scans_to_the_page(
    browser: Browser, service: LiveService, pictured: dict[str, Any]
) -> None:
    """The SVG code as Chromium draws it in the page, read back by zxing-cpp."""
    context = browser.new_context(base_url=service.base_url, device_scale_factor=3)
    try:
        opened = context.new_page()
        opened.goto(pictured["urls"]["page"])
        shot = opened.get_by_role("img", name=re.compile("QR")).screenshot(type="png")
    finally:
        context.close()
    found = zxingcpp.read_barcodes(_luminance(shot))
    assert [result.text for result in found] == [pictured["urls"]["page"]]


def _luminance(data: bytes) -> zxingcpp.ImageView:
    import png

    width, height, rows, _ = png.Reader(bytes=data).asRGBA8()
    pixels = bytearray()
    for row in rows:
        pixels.extend(row[i + 1] for i in range(0, len(row), 4))  # the green channel
    return zxingcpp.ImageView(bytes(pixels), width, height, zxingcpp.ImageFormat.Lum)


def test_linkedin_link_fills_in_the_certification(page: Page, pictured: dict[str, Any]) -> None:
    page.goto(pictured["urls"]["page"] + "?lang=fi")
    href = page.get_by_role("link", name="Lisää LinkedIn-profiiliin").get_attribute("href")
    assert href is not None
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    fields = {key: values[0] for key, values in parse_qs(parts.query).items()}
    credential = pictured["credential"]
    issued = credential["validFrom"]
    assert fields == {
        "startTask": "CERTIFICATION_NAME",
        "name": credential["name"],
        "organizationName": credential["issuer"]["name"],
        "issueYear": issued[:4],
        "issueMonth": str(int(issued[5:7])),
        "expirationYear": "2031",
        "expirationMonth": "6",
        "certUrl": pictured["urls"]["page"],
        "certId": pictured["id"],
    }


def test_opengraph_tags(page: Page, pictured: dict[str, Any]) -> None:
    page.goto(pictured["urls"]["page"])
    meta = page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('meta[property], meta[name]')]"
        ".map((m) => [m.getAttribute('property') || m.getAttribute('name'), m.content]))"
    )
    credential = pictured["credential"]
    assert meta["og:url"] == pictured["urls"]["page"]
    assert meta["og:title"].startswith(credential["name"])
    assert meta["og:description"] == credential["credentialSubject"]["achievement"]["description"]
    assert meta["og:image"] == credential["credentialSubject"]["achievement"]["image"]["id"]
    assert meta["og:image"].startswith("http")
    assert meta["twitter:card"] == "summary"
    image = httpx.get(meta["og:image"], timeout=30)
    assert image.status_code == 200


def test_the_page_follows_the_language_switch(page: Page, pictured: dict[str, Any]) -> None:
    page.goto(pictured["urls"]["page"] + "?lang=fi")
    expect(page.locator(".status")).to_contain_text("Voimassa")
    expect(page.locator(".facts")).to_contain_text("30.6.2031")
    page.get_by_role("link", name="svenska").click()
    expect(page.locator(".status")).to_contain_text("Giltigt")
    expect(page.locator(".facts")).to_contain_text("2031-06-30")
    page.get_by_role("link", name="English").click()
    expect(page.locator(".status")).to_contain_text("Valid")


def test_verify_this_badge_goes_to_the_filled_in_form(
    page: Page, service: LiveService, badge: dict[str, Any]
) -> None:
    page.goto(badge["urls"]["page"] + "?lang=en")
    page.get_by_role("link", name="Verify this badge").click()
    expect(page.get_by_label("or give the web address")).to_have_value(badge["urls"]["page"])
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".verdict-text")).to_have_text("Valid")
    shoot(page, "verdict-valid-by-url")


def test_a_badge_without_an_uploaded_image_shows_its_artwork(
    page: Page, badge: dict[str, Any]
) -> None:
    page.goto(badge["urls"]["page"] + "?lang=fi")
    image = page.locator("img.badge-image")
    expect(image).to_have_attribute("src", re.compile(r"/artwork\.png\?lang=fi&v=[0-9a-f]+"))
    assert image.evaluate("img => img.complete && img.naturalWidth") == 512
    expect(page.locator(".facts")).to_contain_text("Maija Meikäläinen")
    expect(page.get_by_role("link", name="https://portfolio.example.fi/maija/mentorointi"))
    shoot(page, "credential-page-fi")
