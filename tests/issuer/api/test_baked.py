"""Baked badge images: ``GET /credentials/{id}.png`` / ``.svg`` (OB 3.0, ``?ob=2``) and the
default artwork."""

from __future__ import annotations

import json
import struct

import httpx

from badges.baking import unbake
from badges.images import sanitize_image
from tests.badges.test_images import BADGE_SVG, png
from tests.issuer.factories import achievement, award, issuer, ok, problem
from tests.issuer.live import LiveService

PNG = "image/png"
SVG = "image/svg+xml"


def ihdr_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_baked_png_and_svg_carry_the_stored_credential(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    given = award(api, made["id"], language="en")
    stored = ok(service.http.get(given["urls"]["json"]))
    for kind, media_type in (("png", PNG), ("svg", SVG)):
        response = service.http.get(given["urls"][kind])
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == media_type
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("inline; filename=")
        assert disposition.endswith(f'-{given["id"][:8]}.{kind}"')
        assert response.headers["cache-control"] == "public, max-age=86400"
        assert response.headers["x-content-type-options"] == "nosniff"
        baked = unbake(response.content)
        assert baked.kind == "ob3"
        assert baked.media_type == media_type
        assert json.loads(baked.text) == stored
        if kind == "png":  # still a valid PNG (a baked SVG is refused as an upload)
            sanitize_image(response.content, media_type)
        report = service.verify(response.content)  # badges.verify unbakes images itself
        assert report.verdict == "valid", report.to_dict("en")

        etag = response.headers["etag"]
        again = service.http.get(given["urls"][kind], headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
    svg = service.http.get(given["urls"]["svg"])
    assert "default-src 'none'" in svg.headers["content-security-policy"]


def test_jwt_only_award_bakes_the_vc_jwt(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api, key_type="p256", format="jwt", did_method="key")
    ach = achievement(api, issuer_id=made["id"])
    given = award(api, ach["id"])
    assert given["urls"]["json"] is None
    baked = unbake(service.http.get(given["urls"]["png"]).content)
    assert baked.text == given["jwt"]
    svg = service.http.get(given["urls"]["svg"]).content
    assert unbake(svg).text == given["jwt"]
    assert f'verify="{given["jwt"]}"'.encode() in svg
    assert service.verify(svg).verdict == "valid"


def test_uploaded_image_is_baked_and_other_type_falls_back_to_artwork(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    uploaded = png(40, 30)
    put = api.put(
        f"/api/v1/achievements/{made['id']}/image",
        content=uploaded,
        headers={"Content-Type": PNG},
    )
    ok(put)
    given = award(api, made["id"])
    baked_png = service.http.get(given["urls"]["png"]).content
    assert ihdr_size(baked_png) == (40, 30)  # the uploaded image
    svg = service.http.get(given["urls"]["svg"]).content  # no SVG uploaded: the artwork
    assert b"<circle" in svg
    assert unbake(svg).kind == "ob3"

    svg_badge = achievement(api)
    files = {"file": ("badge.svg", BADGE_SVG.encode(), SVG)}
    ok(api.put(f"/api/v1/achievements/{svg_badge['id']}/image", files=files))
    other = award(api, svg_badge["id"])
    assert b'width="200"' in service.http.get(other["urls"]["svg"]).content
    assert ihdr_size(service.http.get(other["urls"]["png"]).content) == (512, 512)


def test_default_artwork_and_errors(service: LiveService, api: httpx.Client) -> None:
    made = achievement(api)
    artwork = service.http.get(f"/achievements/{made['id']}/artwork.png")
    assert artwork.status_code == 200
    assert artwork.headers["content-type"] == PNG
    assert ihdr_size(artwork.content) == (512, 512)
    sanitize_image(artwork.content, PNG)
    vector = service.http.get(f"/achievements/{made['id']}/artwork.svg")
    assert vector.headers["content-type"] == SVG
    assert made["name"]["fi"].encode() in vector.content  # the <title>
    sanitize_image(vector.content, SVG)

    given = award(api, made["id"])
    problem(service.http.get(given["urls"]["png"], params={"ob": 4}), 422, "validation-error")
    problem(service.http.get("/credentials/no-such-award.png"), 404, "not-found")
    problem(service.http.get("/achievements/no-such/artwork.png"), 404, "not-found")
