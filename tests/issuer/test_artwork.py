"""Generated badge artwork: every catalog badge in every language, as SVG and PNG, and
the artwork URLs of the service (language, version, level, caching, upload override).

Every PNG and a contact sheet per language are saved to ``tests/artifacts/artwork/``
(git-ignored) for people to look at.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import resvg_py

from badges.images import sanitize_png, sanitize_svg
from issuer.catalog import CatalogAchievement, load_catalog
from issuer.services import artwork
from issuer.services.artwork_families import FAMILIES
from issuer.services.artwork_font import font
from issuer.services.artwork_layout import Box, fit
from tests.badges.test_images import BADGE_SVG
from tests.conftest import REPO
from tests.issuer.factories import achievement, award, ok, problem
from tests.issuer.live import LiveService

ARTIFACTS = REPO / "tests" / "artifacts" / "artwork"
LANGUAGES = ("fi", "sv", "en")
CATALOG = load_catalog().achievements
LONG_TITLES = (
    "Ammattikorkeakoulujen työelämäyhteistyökoordinaattorikoulutuksen ohjaaja",
    "Lentokonesuihkuturbiinimoottoriapumekaanikkoaliupseerioppilas",
    "Ledarskap för hybridarbete och arbete på flera platser i kommunkoncernen",
    "A very long English badge title that goes on and on about leading hybrid work",
    "X" * 200,
)


def size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def art_of(entry: CatalogAchievement, lang: str, level: str | None = None) -> artwork.Artwork:
    return artwork.artwork_for(
        entry.source,
        seed=entry.key,
        lang=lang,
        catalog_key=entry.key,
        level=level,
        issuer_name="Esimerkkikaupunki",
    )


def contact_sheet(files: list[Path], out: Path) -> None:
    cell, cols = 256, 6
    rows = (len(files) + cols - 1) // cols
    images = "".join(
        f'<image x="{i % cols * cell}" y="{i // cols * cell}" width="{cell}" height="{cell}" '
        f'href="data:image/png;base64,{base64.b64encode(path.read_bytes()).decode()}"/>'
        for i, path in enumerate(files)
    )
    sheet = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{cols * cell}" '
        f'height="{rows * cell}"><rect width="100%" height="100%" fill="#ffffff"/>{images}</svg>'
    )
    out.write_bytes(bytes(resvg_py.svg_to_bytes(svg_string=sheet)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_badge_renders_safe_svg_and_png(lang: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for entry in CATALOG:
        art = art_of(entry, lang)
        svg = artwork.svg(art)
        checked = sanitize_svg(svg)  # no scripts, no external references: it passes
        assert checked.media_type == "image/svg+xml"
        text = svg.decode()
        assert 'role="img"' in text
        assert "<title" in text
        assert art.title.split()[0].replace("&", "&amp;") in text
        assert f'lang="{lang}"' in text
        assert "<text" not in text
        assert "font-family" not in text
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
        png = artwork.png(art)
        assert sanitize_png(png).data
        assert size(png) == (512, 512)
        path = ARTIFACTS / f"{entry.key}-{lang}.png"
        path.write_bytes(png)
        saved.append(path)
    contact_sheet(saved, ARTIFACTS / f"contact-sheet-{lang}.png")


def test_levels_change_the_metal_and_the_output_is_deterministic() -> None:
    entry = CATALOG[0]
    images = {}
    for level in (None, "foundation", "practitioner", "expert"):
        art = art_of(entry, "fi", level)
        first = artwork.png(art)
        artwork.png.cache_clear()
        assert artwork.png(art) == first  # same input, same bytes (stable ETags)
        assert artwork.svg(art) == artwork.svg(art)
        images[level] = first
        (ARTIFACTS / f"level-{level or 'none'}.png").write_bytes(first)
    assert len(set(images.values())) == 4
    expert = art_of(entry, "fi", "expert")
    assert expert.level == 2
    assert expert.level_name == "Edistynyt"
    assert expert.ribbon == "Edistynyt"
    assert art_of(entry, "fi", "no-such-level").level is None
    assert art_of(entry, "fi").ribbon == "Esimerkkikaupunki"


def test_every_title_fits_its_box() -> None:
    face = font()
    titles = [name for entry in CATALOG for name in entry.source["name"].values()]
    for title in [*titles, *LONG_TITLES]:
        for width, height in ((360, 104), (330, 104), (300, 124)):
            box = Box(256, 300, width, height, 48, 19)
            layout = fit(face, title, box)
            assert 19 <= layout.size <= 48
            assert 1 <= len(layout.lines) <= 3
            for line in layout.lines:
                # the model is exact: glyph advances at the chosen size
                assert line.width == pytest.approx(face.width(line.text, layout.size))
                assert line.width <= width + 1e-6, (title, line.text)
                assert line.x >= 256 - width / 2 - 1e-6
            top = layout.lines[0].baseline - face.cap_height * layout.size / face.units_per_em
            assert top >= 300 - height / 2 - 1e-6
            assert layout.lines[-1].baseline <= 300 + height / 2 + 1e-6


def test_long_finnish_compounds_are_hyphenated_or_shrunk() -> None:
    face = font()
    box = Box(256, 300, 330, 104, 48, 19)
    layout = fit(face, LONG_TITLES[1], box)  # one 62-letter word
    assert any(line.text.endswith("-") for line in layout.lines[:-1])
    assert "".join(line.text.removesuffix("-") for line in layout.lines) == LONG_TITLES[1]
    cut = fit(face, LONG_TITLES[4], box)  # too long for any size: cut with an ellipsis
    assert cut.lines[-1].text.endswith("…")
    art = artwork.Artwork(LONG_TITLES[0], "fi", FAMILIES["general"])
    png = artwork.png(art)
    (ARTIFACTS / "long-title.png").write_bytes(png)
    sanitize_svg(artwork.svg(art))


def test_family_colours_are_readable_under_white_text() -> None:
    for family in FAMILIES.values():
        ratio = 1.05 / (relative_luminance(family.colour) + 0.05)
        assert ratio >= 4.5, family.key
        assert relative_luminance(family.dark) < relative_luminance(family.colour)
    keys = {entry.key: art_of(entry, "fi").family for entry in CATALOG}
    assert keys["peer-mentoring-participant"].icon == "mentoring"
    assert keys["peer-mentoring-participant"] == keys["reverse-mentoring-mentor"]
    assert keys["pedagogical-leadership"].icon == "graduation"
    guessed = artwork.artwork_for({"name": {"fi": "Digiagentti"}}, seed="x", lang="fi")
    assert guessed.family.key == "digital"
    other = artwork.artwork_for({"name": "Something else"}, seed="x", lang="en")
    assert other.family.key == "general"


# --- the service -------------------------------------------------------------------


def _get(service: LiveService, url: str, **kwargs: Any) -> httpx.Response:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return service.http.get(path, **kwargs)


def test_artwork_urls_take_language_version_and_level(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    base = f"/achievements/{made['id']}/artwork"
    fi = service.http.get(f"{base}.svg", params={"lang": "fi"})
    sv = service.http.get(f"{base}.svg", params={"lang": "sv"})
    assert fi.status_code == sv.status_code == 200
    assert made["name"]["fi"].split("-")[0] in fi.text
    assert 'lang="sv"' in sv.text
    assert fi.content != sv.content
    sanitize_svg(fi.content)
    png = service.http.get(f"{base}.png", params={"lang": "en", "level": "advanced"})
    assert png.headers["content-type"] == "image/png"
    assert size(png.content) == (512, 512)
    assert png.headers["cache-control"] == "public, max-age=86400"
    assert png.headers["etag"] == '"' + hashlib.sha256(png.content).hexdigest()[:32] + '"'
    again = service.http.get(
        f"{base}.png",
        params={"lang": "en", "level": "advanced"},
        headers={"If-None-Match": png.headers["etag"]},
    )
    assert again.status_code == 304
    assert png.content != service.http.get(f"{base}.png", params={"lang": "en"}).content
    assert "Content-Security-Policy" in fi.headers

    problem(service.http.get(f"{base}.png", params={"lang": "de"}), 422, "validation-error")
    problem(service.http.get(f"{base}.png", params={"v": "0" * 16}), 404, "not-found")
    problem(service.http.get("/achievements/nope/artwork.svg"), 404, "not-found")


def test_credential_image_is_the_versioned_artwork_until_an_upload_overrides_it(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    given = award(api, made["id"], language="sv")
    credential = ok(service.http.get(given["urls"]["json"]))
    image = credential["credentialSubject"]["achievement"]["image"]
    url = urlsplit(image["id"])
    assert url.path == f"/achievements/{made['id']}/artwork.png"
    query = parse_qs(url.query)
    assert query["lang"] == ["sv"]
    assert len(query["v"][0]) == 16
    assert image["caption"] == made["name"]["sv"]
    first = _get(service, image["id"])
    assert first.status_code == 200
    assert size(first.content) == (512, 512)

    # a new version: the old credential's URL still shows the old title
    renamed = {"fi": "Uusi nimi", "sv": "Nytt namn", "en": "New name"}
    ok(api.patch(f"/api/v1/achievements/{made['id']}", json={"name": renamed}))
    old_svg = _get(service, image["id"].replace("artwork.png", "artwork.svg"))
    assert made["name"]["sv"].split("-")[0] in old_svg.text
    assert _get(service, image["id"]).content == first.content
    newer = ok(service.http.get(award(api, made["id"], language="sv")["urls"]["json"]))
    new_image = newer["credentialSubject"]["achievement"]["image"]["id"]
    assert new_image != image["id"]
    assert "Nytt namn" in _get(service, new_image.replace(".png", ".svg")).text

    # the baked image is the artwork in the award's language with its level
    leveled = award(api, made["id"], language="en", level="advanced")
    baked_svg = service.http.get(leveled["urls"]["svg"]).text
    assert "New name – Advanced" in baked_svg

    # an uploaded image wins over the artwork, in new credentials and baked images
    files = {"file": ("badge.svg", BADGE_SVG.encode(), "image/svg+xml")}
    ok(api.put(f"/api/v1/achievements/{made['id']}/image", files=files))
    uploaded = award(api, made["id"])
    doc = ok(service.http.get(uploaded["urls"]["json"]))
    assert "/image/" in doc["credentialSubject"]["achievement"]["image"]["id"]
    assert "artwork" not in doc["credentialSubject"]["achievement"]["image"]["id"]
    assert b'width="200"' in service.http.get(uploaded["urls"]["svg"]).content
