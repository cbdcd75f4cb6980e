"""``badges.baking``: OB 3.0 and OB 2.0 badges baked into PNG and SVG images and read back."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring
from hypothesis import given, settings
from hypothesis import strategies as st

from badges import BakedPayload, BakingError, bake, unbake
from badges.baking import (
    MAX_PAYLOAD_BYTES,
    OB2_NAMESPACE,
    OB3_NAMESPACE,
    BakedKind,
    bake_png,
    bake_svg,
)
from badges.errors import InvalidImage
from badges.images import iter_png_chunks, png_text_keyword, sanitize_png, sanitize_svg
from tests.badges.test_images import BADGE_SVG, SIGNATURE, chunk, ihdr, png, text_chunk

CREDS = Path("/work/shared/interop/creds")
SPEC_BAKING = Path("/work/shared/spec/vectors/ob_v2p0_baking")
SVG_NS = "http://www.w3.org/2000/svg"
JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5Ono2TWsifQ.c2lnbmF0dXJl"
CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Vertaismentori – Kamratmentor",
    "description": "CDATA ends with ]]> and must survive; <tags> & ampersands too",
}
ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://example.org/assertions/123",
}
SVG = BADGE_SVG.encode()


def baked_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (c.type, c.data)
        for c in iter_png_chunks(data)
        if png_text_keyword(c) in (b"openbadges", b"openbadgecredential")
    ]


def itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return chunk(b"iTXt", keyword + b"\x00" + flag + b"en\x00\x00" + text)


def bomb(size: int) -> bytes:
    squeeze = zlib.compressobj(9)
    step = 1024 * 1024
    parts = [squeeze.compress(b" " * step) for _ in range(size // step)]
    return b"".join(parts) + squeeze.flush()


# --------------------------------------------------------------------------- PNG baking


@pytest.mark.parametrize(
    ("kind", "keyword"), [("ob3", b"openbadgecredential"), ("ob2", b"openbadges")]
)
def test_png_gets_one_uncompressed_itxt_after_ihdr(kind: BakedKind, keyword: bytes) -> None:
    image = png()
    baked = bake_png(image, CREDENTIAL, kind=kind)
    chunks = list(iter_png_chunks(baked))
    assert [c.type for c in chunks[:3]] == [b"IHDR", b"iTXt", b"IDAT"]
    text = json.dumps(CREDENTIAL, ensure_ascii=False, separators=(",", ":")).encode()
    assert chunks[1].data == keyword + b"\x00\x00\x00\x00\x00" + text
    assert unbake(baked) == BakedPayload(kind, "image/png", text.decode())
    # the image itself is untouched: strip the badge and the original comes back
    assert sanitize_png(baked).data == image


def test_png_rebaking_replaces_the_badge() -> None:
    first = bake_png(png(), CREDENTIAL)
    second = bake_png(first, JWT)
    assert baked_chunks(second) == [
        (b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + JWT.encode())
    ]
    third = bake(second, "https://example.org/assertions/123", kind="ob2")
    assert [t for t, _ in baked_chunks(third)] == [b"iTXt"]
    assert unbake(third) == BakedPayload("ob2", "image/png", "https://example.org/assertions/123")
    # someone else's legacy and compressed chunks go too
    foreign = png(
        extra=text_chunk(b"tEXt", b"openbadges", b"x") + text_chunk(b"zTXt", b"OpenBadges")
    )
    assert len(baked_chunks(bake(foreign, JWT))) == 1


def test_png_keeps_other_text_chunks() -> None:
    comment = text_chunk(b"tEXt", b"Comment", b"kept")
    baked = bake_png(png(extra=comment), JWT)
    assert comment in baked
    assert unbake(baked).text == JWT


def test_baking_refuses_a_broken_png() -> None:
    with pytest.raises(InvalidImage, match="CRC"):
        bake_png(SIGNATURE + chunk(b"IHDR", bytes(13), crc=1) + chunk(b"IEND", b""), JWT)
    with pytest.raises(InvalidImage, match="neither"):
        bake(b"GIF89a....", JWT)


# --------------------------------------------------------------------------- SVG baking


def test_svg_jwt_goes_in_verify_and_json_in_cdata() -> None:
    baked = bake_svg(SVG, JWT)
    text = baked.decode()
    assert f'xmlns:openbadges="{OB3_NAMESPACE}"' in text
    assert f'<openbadges:credential verify="{JWT}"/>' in text
    root = fromstring(baked)
    assert root[0].tag == f"{{{OB3_NAMESPACE}}}credential"
    assert root[0].get("verify") == JWT
    assert not root[0].text
    assert unbake(baked) == BakedPayload("ob3", "image/svg+xml", JWT)

    baked = bake_svg(SVG, CREDENTIAL)
    assert "<openbadges:credential><![CDATA[{" in baked.decode()
    root = fromstring(baked)
    assert root[0].get("verify") is None
    assert json.loads(root[0].text or "") == CREDENTIAL
    assert json.loads(unbake(baked).text) == CREDENTIAL
    # the rest of the picture is as sanitize_svg writes it
    rest = [(e.tag, e.attrib) for e in fromstring(sanitize_svg(SVG).data).iter()]
    assert [(e.tag, e.attrib) for e in root.iter() if e is not root[0]] == rest


def test_svg_ob2_assertion() -> None:
    baked = bake_svg(SVG, ASSERTION, kind="ob2")
    root = fromstring(baked)
    assert f'xmlns:openbadges="{OB2_NAMESPACE}"' in baked.decode()
    assert root[0].tag == f"{{{OB2_NAMESPACE}}}assertion"
    assert root[0].get("verify") == ASSERTION["id"]  # the hosted URL beside the JSON body
    assert unbake(baked) == BakedPayload(
        "ob2", "image/svg+xml", json.dumps(ASSERTION, separators=(",", ":"))
    )
    signed = bake_svg(baked, JWT, kind="ob2")
    assert f'<openbadges:assertion verify="{JWT}"/>' in signed.decode()
    assert signed.count(b"openbadges:assertion") == 1
    assert unbake(signed).text == JWT


def test_svg_rebaking_replaces_the_badge_of_either_version() -> None:
    twice = bake_svg(bake_svg(SVG, CREDENTIAL), ASSERTION, kind="ob2")
    assert b"openbadges:credential" not in twice
    assert OB3_NAMESPACE.encode() not in twice
    assert unbake(twice).kind == "ob2"
    again = bake_svg(twice, JWT)
    assert OB2_NAMESPACE.encode() not in again
    assert unbake(again) == BakedPayload("ob3", "image/svg+xml", JWT)


def test_baked_svg_is_refused_as_an_upload_by_design() -> None:
    with pytest.raises(InvalidImage, match="baked Open Badge"):
        sanitize_svg(bake_svg(SVG, JWT))


def test_baking_refuses_an_unsafe_svg() -> None:
    unsafe = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(InvalidImage, match="script"):
        bake(unsafe, JWT)


def test_cdata_terminators_in_a_json_string() -> None:
    payload = {"a": "]]>", "b": "]]]]>>", "c": "]]><![CDATA[", "d": "x]]"}
    baked = bake_svg(SVG, payload)
    assert json.loads(unbake(baked).text) == payload


def test_characters_xml_cannot_carry_are_escaped_in_json() -> None:
    payload = {"nul": "\x00", "bell": "\x07", "surrogate": "\ud800", "ffff": "\uffff"}
    for baked in (bake_svg(SVG, payload), bake_png(png(), payload)):
        found = unbake(baked).text
        assert "\\u0000" in found
        assert json.loads(found) == payload


# --------------------------------------------------------------------------- payloads


@pytest.mark.parametrize(
    ("payload", "kind", "reason"),
    [
        ("hello", "ob3", "JSON object or a compact JWT"),
        ("hello", "ob2", "a compact JWS or a URL"),
        ("https://example.org/a.json", "ob3", "not a URL"),
        ("{not json", "ob3", "not valid JSON"),
        ("[1, 2]", "ob3", "JSON object"),
        ("a.b", "ob2", "JWS"),
        ("", "ob3", "compact JWT"),
        ({"n": float("nan")}, "ob3", "cannot be written as JSON"),
        ({"s": {1, 2}}, "ob3", "cannot be written as JSON"),
        ({"big": "x" * MAX_PAYLOAD_BYTES}, "ob3", "larger than"),
        (JWT, "ob4", "kind must be"),
    ],
)
def test_bad_payloads_are_refused(payload: Any, kind: Any, reason: str) -> None:
    for image in (png(), SVG):
        with pytest.raises(BakingError, match=reason):
            bake(image, payload, kind=kind)


def test_string_payloads_are_used_as_they_are() -> None:
    pretty = json.dumps(CREDENTIAL, indent=2) + "\n"
    for image in (png(), SVG):
        assert unbake(bake(image, pretty)).text == pretty.strip()
        assert unbake(bake(image, f"  {JWT}\n")).text == JWT


jsons = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(
    payload=st.dictionaries(st.text(), jsons, max_size=5),
    kind=st.sampled_from(["ob3", "ob2"]),
    as_svg=st.booleans(),
)
def test_bake_unbake_round_trip(payload: dict[str, Any], kind: BakedKind, as_svg: bool) -> None:
    image = SVG if as_svg else png(4, 3)
    found = unbake(bake(image, payload, kind=kind))
    assert found.kind == kind
    assert found.media_type == ("image/svg+xml" if as_svg else "image/png")
    assert json.loads(found.text) == payload


@settings(max_examples=40, deadline=None)
@given(
    segments=st.lists(st.text("ABCxyz0189-_", min_size=1, max_size=40), min_size=3, max_size=3),
    kind=st.sampled_from(["ob3", "ob2"]),
    as_svg=st.booleans(),
)
def test_jws_round_trip(segments: list[str], kind: BakedKind, as_svg: bool) -> None:
    jws = ".".join(segments)
    found = unbake(bake(SVG if as_svg else png(2, 2), jws, kind=kind))
    assert (found.kind, found.text) == (kind, jws)


# --------------------------------------------------------------------------- unbaking


def test_the_first_payload_wins() -> None:
    two = png(
        extra=text_chunk(b"tEXt", b"openbadges", b"https://a.example/1")
        + itxt(b"openbadgecredential", b"x.y.z")
    )
    assert unbake(two) == BakedPayload("ob2", "image/png", "https://a.example/1")
    svg = (
        f'<svg xmlns="{SVG_NS}" xmlns:c="{OB3_NAMESPACE}" xmlns:a="{OB2_NAMESPACE}">'
        '<c:credential verify="1.2.3"/><a:assertion verify="4.5.6"/></svg>'
    ).encode()
    assert unbake(svg) == BakedPayload("ob3", "image/svg+xml", "1.2.3")


def test_extraction_stops_at_the_payload() -> None:
    # "The rest of the stream can be safely discarded."
    baked = bake_png(png(), JWT)
    end = baked.index(b"IDAT") - 4
    assert unbake(baked[:end]).text == JWT
    assert unbake(baked[:end] + b"junk").text == JWT


def test_svg_json_body_wins_over_verify_and_text_without_cdata() -> None:
    svg = (
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_NAMESPACE}">'
        '<openbadges:credential verify="a.b.c">\n  {"id": "x&amp;y"}\n'
        "</openbadges:credential></svg>"
    ).encode()
    assert unbake(svg).text == '{"id": "x&y"}'


def test_legacy_and_compressed_chunks() -> None:
    legacy = png(extra=text_chunk(b"tEXt", b"openbadges", b"http://example.org/a.json"))
    assert unbake(legacy) == BakedPayload("ob2", "image/png", "http://example.org/a.json")
    small = png(extra=itxt(b"openbadgecredential", zlib.compress(JWT.encode()), compressed=True))
    assert unbake(small).text == JWT
    ztxt = png(extra=text_chunk(b"zTXt", b"openbadges", b'{"a": "\xc3\xa4"}'))
    assert unbake(ztxt).text == '{"a": "ä"}'


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"GIF89a" + bytes(40), "not a PNG or SVG"),
        (png(), "carries no baked badge"),
        (SVG, "carries no baked badge"),
        (png(extra=itxt(b"openbadgecredential", bomb(16 * 1024 * 1024), compressed=True)), "bomb"),
        (png(extra=chunk(b"zTXt", b"openbadges\x00\x00" + bomb(8 * 1024 * 1024))), "bomb"),
        (png(extra=itxt(b"openbadges", b"x" * (MAX_PAYLOAD_BYTES + 1))), "larger than"),
        (png(extra=itxt(b"openbadges", b"not zlib", compressed=True)), "cannot be decompressed"),
        (
            png(extra=itxt(b"openbadges", zlib.compress(b"x" * 100)[:-6], compressed=True)),
            "incomplete",
        ),
        (png(extra=chunk(b"zTXt", b"openbadges\x00\x05xx")), "compression method"),
        (png(extra=chunk(b"iTXt", b"openbadges\x00\x02\x00\x00\x00x")), "compression flag"),
        (png(extra=chunk(b"iTXt", b"openbadges\x00\x00\x00x")), "language"),
        (png(extra=itxt(b"openbadges", b"\xff\xfe")), "not UTF-8"),
        (png(extra=itxt(b"openbadges", b"  \n")), "empty"),
        (SIGNATURE + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "IHDR"),
        (png()[:-20], "truncated"),
        (SIGNATURE + ihdr(1, 1) + chunk(b"iTXt", b"openbadges\x00", crc=7), "bad CRC"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
            "entities",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><g></svg>', "well-formed"),
        (b"<html><body/></html>", "root element"),
        (
            f'<svg xmlns="{SVG_NS}" xmlns:o="{OB3_NAMESPACE}">'
            '<o:credential verify=" "/></svg>'.encode(),
            "is empty",
        ),
    ],
)
def test_unbaking_refusals(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidImage, match=reason):
        unbake(data)


def test_no_payload_is_a_baking_error() -> None:
    with pytest.raises(BakingError):
        unbake(png())


def test_size_limit() -> None:
    baked = bake_png(png(), JWT)
    assert unbake(baked, max_bytes=len(baked)).text == JWT
    with pytest.raises(InvalidImage, match="larger than"):
        unbake(baked, max_bytes=len(baked) - 1)
    with pytest.raises(InvalidImage, match="larger than"):
        unbake(bake_svg(SVG, JWT), max_bytes=100)


def test_deeply_nested_svg_does_not_exhaust_the_stack() -> None:
    depth = 200_000
    data = f"<svg xmlns='{SVG_NS}'>".encode() + b"<g>" * depth + b"</g>" * depth + b"</svg>"
    with pytest.raises(BakingError, match="no baked badge"):
        unbake(data)


def test_svg_with_a_doctype_but_no_declarations_can_be_read() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        f'<svg xmlns="{SVG_NS}" xmlns:openbadges="{OB3_NAMESPACE}">'
        f'<openbadges:credential verify="{JWT}"/></svg>'
    ).encode()
    assert unbake(svg).text == JWT


# --------------------------------------------------------------------------- real images


def jwt_claims(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims


def corpus(path: Path) -> bytes:
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path.read_bytes()


def test_1edtech_baked_png_with_json() -> None:
    found = unbake(corpus(CREDS / "1edtech-baked-json.png"))
    assert (found.kind, found.media_type) == ("ob3", "image/png")
    credential = json.loads(found.text)
    assert "OpenBadgeCredential" in credential["type"]
    assert credential["proof"]


def test_1edtech_baked_svg_with_jwt() -> None:
    found = unbake(corpus(CREDS / "1edtech-baked-jwt.svg"))
    assert (found.kind, found.media_type) == ("ob3", "image/svg+xml")
    assert found.text.count(".") == 2
    claims = jwt_claims(found.text)
    assert "OpenBadgeCredential" in claims.get("vc", claims)["type"]


def test_ob2_baked_png() -> None:
    found = unbake(corpus(CREDS / "ob2-baked-simple.png"))
    assert (found.kind, found.media_type) == ("ob2", "image/png")
    assert json.loads(found.text)["type"] == "Assertion"


def test_spec_ob2_baking_samples() -> None:
    heart = unbake(corpus(SPEC_BAKING / "baked_heart.png"))
    assert (heart.kind, json.loads(heart.text)["uid"]) == ("ob2", "123")
    example = unbake(corpus(SPEC_BAKING / "baked_example.svg"))
    assert (example.kind, json.loads(example.text)["uid"]) == ("ob2", "abcdef12345")
    for name in ("public_domain_heart.png", "unbaked_example.svg"):
        with pytest.raises(BakingError):
            unbake(corpus(SPEC_BAKING / name))
    # baking the unbaked samples gives what their baked twins carry
    plain = corpus(SPEC_BAKING / "public_domain_heart.png")
    assert unbake(bake(plain, heart.text, kind="ob2")) == heart
    svg = corpus(SPEC_BAKING / "unbaked_example.svg")
    rebaked = unbake(bake(svg, example.text, kind="ob2"))
    assert json.loads(rebaked.text) == json.loads(example.text)


def test_rebaking_a_real_badge_keeps_one_payload() -> None:
    image = corpus(CREDS / "1edtech-baked-json.png")
    baked = bake(image, JWT)
    assert len(baked_chunks(baked)) == 1
    assert unbake(baked).text == JWT
