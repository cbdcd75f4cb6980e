"""The generated badge artwork in Chromium: every demo catalog badge's SVG from the live
service, in fi/sv/en, screenshotted for people to look at (``tests/artifacts/artwork/``),
and the PNG rendered without a browser compared with Chromium's rendering of the SVG."""

from __future__ import annotations

import io

import png as pypng
from playwright.sync_api import Page
from sqlalchemy import select

from issuer.store.tables import Achievement
from tests.browser.conftest import ARTIFACTS
from tests.issuer.live import LiveService

OUT = ARTIFACTS / "artwork"


def catalog_ids(service: LiveService) -> list[str]:
    with service.session() as session:
        rows = session.scalars(
            select(Achievement)
            .where(Achievement.catalog_key.is_not(None))
            .order_by(Achievement.catalog_key)
        )
        return [row.id for row in rows]


def rgb_over_white(data: bytes) -> list[list[float]]:
    """The PNG's pixels as RGB rows, composited over white."""
    width, height, rows, info = pypng.Reader(file=io.BytesIO(data)).asRGBA8()
    del width, height, info
    out = []
    for row in rows:
        line = []
        for i in range(0, len(row), 4):
            alpha = row[i + 3] / 255
            line.extend(row[i + c] * alpha + 255 * (1 - alpha) for c in range(3))
        out.append(line)
    return out


def test_catalog_artwork_in_chromium(page: Page, service: LiveService) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ids = catalog_ids(service)
    assert len(ids) >= 12
    page.goto("/healthz")  # same origin as the images
    for lang in ("fi", "sv", "en"):
        images = "".join(
            f'<img src="/achievements/{i}/artwork.svg?lang={lang}" width="256" height="256" alt="">'
            for i in ids
        )
        page.set_content(
            "<!doctype html><html><body style='margin:0;background:#fff;display:flex;"
            f"flex-wrap:wrap;width:1536px'>{images}</body></html>"
        )
        page.set_viewport_size({"width": 1536, "height": 800})
        page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        widths = page.evaluate("[...document.images].map(i => i.naturalWidth)")
        assert widths == [512] * len(ids)  # every SVG loaded and parsed by Chromium
        page.screenshot(path=str(OUT / f"chromium-svg-{lang}.png"), full_page=True)


def test_png_looks_like_chromiums_svg(page: Page, service: LiveService) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ach = catalog_ids(service)[0]
    url = f"/achievements/{ach}/artwork"
    page.goto("/healthz")
    page.set_viewport_size({"width": 512, "height": 512})
    page.set_content(
        "<!doctype html><html><body style='margin:0;background:#fff'>"
        f'<img id="a" src="{url}.svg?lang=fi&level=expert" width="512" height="512" alt="">'
        "</body></html>"
    )
    page.wait_for_function("document.images[0].complete && document.images[0].naturalWidth")
    shot = page.locator("#a").screenshot(path=str(OUT / "chromium-compare.png"))
    rendered = service.http.get(f"{url}.png", params={"lang": "fi", "level": "expert"}).content
    (OUT / "resvg-compare.png").write_bytes(rendered)
    a, b = rgb_over_white(shot), rgb_over_white(rendered)
    assert len(a) == len(b) == 512
    total = sum(
        abs(x - y)
        for row_a, row_b in zip(a, b, strict=True)
        for x, y in zip(row_a, row_b, strict=True)
    )
    mean = total / (512 * 512 * 3)
    assert mean < 4.0, f"the PNG differs from Chromium's SVG by {mean:.2f}/255 on average"
