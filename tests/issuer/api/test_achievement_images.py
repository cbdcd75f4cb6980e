"""``PUT /api/v1/achievements/{id}/image`` and the public, content-addressed image URL."""

from __future__ import annotations

import hashlib

import httpx

from badges.schema import validate_credential
from tests.badges.test_images import BADGE_SVG, png, text_chunk
from tests.issuer.factories import achievement, award, ok, problem
from tests.issuer.live import LiveService

PNG = "image/png"
SVG = "image/svg+xml"


def put(api: httpx.Client, achievement_id: str, data: bytes, content_type: str) -> httpx.Response:
    return api.put(
        f"/api/v1/achievements/{achievement_id}/image",
        content=data,
        headers={"Content-Type": content_type},
    )


def test_png_upload_makes_a_version_and_is_served(service: LiveService, api: httpx.Client) -> None:
    made = achievement(api)
    baked = text_chunk(b"iTXt", b"openbadgecredential", b'{"someone": "else"}')
    updated = ok(put(api, made["id"], png(extra=baked), PNG))
    clean = png()
    digest = hashlib.sha256(clean).hexdigest()
    url = f"{service.base_url}/achievements/{made['id']}/image/{digest}.png"
    assert updated["image"] == url
    assert updated["version"] == made["version"] + 1
    assert ok(api.get(f"/api/v1/achievements/{made['id']}"))["image"] == url

    served = service.http.get(url)  # no token
    assert served.status_code == 200
    assert served.content == clean
    assert served.headers["content-type"] == PNG
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in served.headers

    again = ok(put(api, made["id"], clean, PNG))  # the same image: no new version
    assert again["version"] == updated["version"]

    public = ok(service.http.get(f"/achievements/{made['id']}", params={"lang": "en"}))
    assert public["image"] == {"id": url, "type": "Image", "caption": made["name"]["en"]}


def test_svg_upload_is_sanitised_and_served_with_csp(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    files = {"file": ("badge.svg", BADGE_SVG.encode(), SVG)}
    updated = ok(api.put(f"/api/v1/achievements/{made['id']}/image", files=files))
    assert updated["image"].endswith(".svg")
    served = service.http.get(updated["image"])
    assert served.status_code == 200
    assert served.headers["content-type"] == SVG
    assert served.headers["content-security-policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    assert served.headers["x-content-type-options"] == "nosniff"
    assert b"<!--" not in served.content
    assert b"Mentori \xe2\x80\x93 Vertaismentori" in served.content
    assert updated["image"].endswith(f"/{hashlib.sha256(served.content).hexdigest()}.svg")
    # the wrong extension or an unknown hash is not found
    problem(service.http.get(updated["image"][:-3] + "png"), 404, "not-found")
    problem(service.http.get(updated["image"][:-10] + "0" * 6 + ".svg"), 404, "not-found")


def test_multipart_octet_stream_is_sniffed(api: httpx.Client) -> None:
    made = achievement(api)
    files = {"file": ("badge", png(), "application/octet-stream")}
    updated = ok(api.put(f"/api/v1/achievements/{made['id']}/image", files=files))
    assert updated["image"].endswith(".png")


def test_awards_reference_the_image_of_their_version(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    first = ok(put(api, made["id"], png(4, 4), PNG))
    issued = award(api, made["id"], language="fi")
    image = issued["credential"]["credentialSubject"]["achievement"]["image"]
    assert image == {"id": first["image"], "type": "Image", "caption": made["name"]["fi"]}
    assert [i for i in validate_credential(issued["credential"]) if i.is_error] == []
    report = service.verify(issued["credential"])
    assert report.verdict == "valid", report.to_dict()

    second = ok(put(api, made["id"], png(8, 8), PNG))
    assert second["image"] != first["image"]
    later = award(api, made["id"])
    assert later["credential"]["credentialSubject"]["achievement"]["image"]["id"] == second["image"]
    # the first award's image URL still serves the bytes it was issued with
    assert service.http.get(first["image"]).content == png(4, 4)


def test_too_large_is_413(api: httpx.Client) -> None:
    made = achievement(api)
    big = png(extra=text_chunk(b"tEXt", b"Comment", b"x" * (1024 * 1024)))
    problem(put(api, made["id"], big, PNG), 413, "payload-too-large")

    def chunked() -> object:
        for _ in range(20):
            yield bytes(64 * 1024)

    response = api.put(
        f"/api/v1/achievements/{made['id']}/image",
        content=chunked(),  # type: ignore[arg-type]
        headers={"Content-Type": PNG},
    )
    problem(response, 413, "payload-too-large")
    files = {"file": ("big.png", big, PNG)}
    problem(
        api.put(f"/api/v1/achievements/{made['id']}/image", files=files), 413, "payload-too-large"
    )
    assert ok(api.get(f"/api/v1/achievements/{made['id']}"))["version"] == made["version"]


def test_other_types_are_415(api: httpx.Client) -> None:
    made = achievement(api)
    problem(put(api, made["id"], b"GIF89a", "image/gif"), 415, "unsupported-media-type")
    problem(put(api, made["id"], b"{}", "application/json"), 415, "unsupported-media-type")
    files = {"file": ("a.gif", b"GIF89a", "image/gif")}
    response = api.put(f"/api/v1/achievements/{made['id']}/image", files=files)
    problem(response, 415, "unsupported-media-type")


def test_invalid_images_are_422(api: httpx.Client) -> None:
    made = achievement(api)
    script = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    body = problem(put(api, made["id"], script, SVG), 422, "invalid-image")
    assert "<script>" in body["detail"]
    corrupt = bytearray(png())
    corrupt[-20] ^= 0xFF
    body = problem(put(api, made["id"], bytes(corrupt), PNG), 422, "invalid-image")
    assert "CRC" in body["detail"]
    body = problem(put(api, made["id"], BADGE_SVG.encode(), PNG), 422, "invalid-image")
    assert "signature" in body["detail"]
    files = {"wrong": ("a.png", png(), PNG)}
    response = api.put(f"/api/v1/achievements/{made['id']}/image", files=files)
    problem(response, 422, "validation-error")
    assert ok(api.get(f"/api/v1/achievements/{made['id']}"))["version"] == made["version"]


def test_scope_and_organisation(service: LiveService, api: httpx.Client) -> None:
    made = achievement(api)
    service.organization("kuvat-muu")
    with service.client(org="kuvat-muu") as other:
        problem(put(other, made["id"], png(), PNG), 404, "not-found")
    with service.client(scopes="read,award") as reader:
        problem(put(reader, made["id"], png(), PNG), 403, "forbidden")
    problem(service.http.put(f"/api/v1/achievements/{made['id']}/image"), 401, "unauthenticated")
    problem(put(api, "no-such-achievement", png(), PNG), 404, "not-found")
