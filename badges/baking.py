"""Baked badges: an Open Badge carried inside its PNG or SVG image.

OB 3.0 "Baked Badge" (Open Badges 3.0 §Document Formats, ``docformat.md``):

- PNG: one ``iTXt`` chunk, keyword ``openbadgecredential``, no compression; its text is
  the credential JSON or the compact VC-JWT.
- SVG: ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` on ``<svg>`` and, directly
  after it, one ``<openbadges:credential>``: the VC-JWT in a ``verify`` attribute, or the
  JSON in a CDATA body.

OB 2.0 (Open Badges Baking Specification 1.0):

- PNG: one ``iTXt`` chunk, keyword ``openbadges``, no compression; its text is the signed
  assertion (JWS) or the assertion JSON. Legacy 1.x images carry a URL in ``tEXt``.
- SVG: ``xmlns:openbadges="http://openbadges.org"`` and one
  ``<openbadges:assertion verify="JWS or URL">``; the assertion JSON may go in CDATA.

Baking checks the image first (:mod:`badges.images`: the baked result is a sanitised
image) and replaces any badge already baked into it. Unbaking answers the first baked
payload found, as the specifications' "Extracting" sections say, and refuses anything
over :data:`MAX_BAKED_IMAGE_BYTES` or a payload over :data:`MAX_PAYLOAD_BYTES` (also
after decompression), DTD entities and external references.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET  # serialising only: parsing is defusedxml
import zlib
from dataclasses import dataclass
from typing import Final, Literal
from xml.sax.saxutils import escape

from badges.errors import BakingError, InvalidImage
from badges.images import (
    PNG_MEDIA_TYPE,
    PNG_SIGNATURE,
    SVG_MEDIA_TYPE,
    SVG_NS,
    PngChunk,
    checked_svg_root,
    iter_png_chunks,
    parse_svg,
    png_text_keyword,
    sanitize_png,
    sniff_media_type,
)
from badges.types import JSONObject

__all__ = [
    "MAX_BAKED_IMAGE_BYTES",
    "MAX_PAYLOAD_BYTES",
    "OB2_NAMESPACE",
    "OB3_NAMESPACE",
    "BakedKind",
    "BakedPayload",
    "BakingError",
    "bake",
    "bake_png",
    "bake_svg",
    "unbake",
]

BakedKind = Literal["ob3", "ob2"]

MAX_BAKED_IMAGE_BYTES: Final = 10 * 1024 * 1024
MAX_PAYLOAD_BYTES: Final = 2 * 1024 * 1024
OB3_NAMESPACE: Final = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE: Final = "http://openbadges.org"

_PNG_KEYWORDS: Final[dict[BakedKind, bytes]] = {
    "ob3": b"openbadgecredential",
    "ob2": b"openbadges",
}
_KIND_OF_KEYWORD: Final[dict[bytes, BakedKind]] = {v: k for k, v in _PNG_KEYWORDS.items()}
_SVG_ELEMENTS: Final[dict[BakedKind, tuple[str, str]]] = {
    "ob3": (OB3_NAMESPACE, "credential"),
    "ob2": (OB2_NAMESPACE, "assertion"),
}
_KIND_OF_TAG: Final[dict[str, BakedKind]] = {
    f"{{{ns}}}{local}": kind for kind, (ns, local) in _SVG_ELEMENTS.items()
}
_JWS: Final = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_URL: Final = re.compile(r"https?://[^\s<>\"'\\]+")
# Characters XML 1.0 does not allow, and lone surrogates (not encodable in UTF-8).
_NOT_PORTABLE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_QUOTE: Final = {'"': "&quot;"}  # for xml.sax.saxutils.escape in a "…" attribute
_IHDR_END: Final = len(PNG_SIGNATURE) + 25  # a checked PNG starts with a 13-byte IHDR


@dataclass(frozen=True, slots=True)
class BakedPayload:
    """What an image carries: ``kind`` ob3 (``openbadgecredential`` /
    ``openbadges:credential``) or ob2 (``openbadges`` / ``openbadges:assertion``), and
    ``text`` as found (JSON text, a compact JWT/JWS or, OB 2.0 only, a URL), trimmed."""

    kind: BakedKind
    media_type: str
    text: str


# --------------------------------------------------------------------------- payloads

PayloadForm = Literal["json", "jws", "url"]


def _payload(payload: JSONObject | str, kind: BakedKind) -> tuple[str, PayloadForm]:
    """The text to bake and its form. A dict becomes compact UTF-8 JSON; a str is used as
    it is (trimmed): a JSON object, a compact JWS/JWT or (OB 2.0) an http(s) URL."""
    if kind not in _PNG_KEYWORDS:
        raise BakingError(f"kind must be 'ob3' or 'ob2', got {kind!r}")
    if isinstance(payload, dict):
        try:
            text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise BakingError(f"the payload cannot be written as JSON: {exc}") from exc
        form: PayloadForm = "json"
    elif isinstance(payload, str):
        text = payload.strip()
        form = _form(text, kind)
    else:
        raise BakingError(f"the payload must be a dict or a str, got {type(payload).__name__}")
    if form == "json":
        # Only inside JSON strings, where \uXXXX means the same character.
        text = _NOT_PORTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if len(text.encode()) > MAX_PAYLOAD_BYTES:
        raise BakingError(f"the payload is larger than {MAX_PAYLOAD_BYTES} bytes")
    return text, form


def _form(text: str, kind: BakedKind) -> PayloadForm:
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise BakingError(f"the payload starts with '{{' but is not valid JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise BakingError("the payload must be one JSON object")
        return "json"
    if _JWS.fullmatch(text):
        return "jws"
    if _URL.fullmatch(text):
        if kind == "ob3":
            raise BakingError("an OB 3.0 image carries a credential (JSON or VC-JWT), not a URL")
        return "url"
    what = "a JSON object or a compact JWT" if kind == "ob3" else "JSON, a compact JWS or a URL"
    raise BakingError(f"the payload must be {what}, got {text[:40]!r}")


# --------------------------------------------------------------------------- baking


def bake_png(png: bytes, payload: JSONObject | str, *, kind: BakedKind = "ob3") -> bytes:
    """Bake ``payload`` into a PNG as one uncompressed ``iTXt`` chunk right after ``IHDR``
    (keyword ``openbadgecredential``, or ``openbadges`` for OB 2.0); any baked badge already
    in the image is removed first (OB 3.0 §PNG Baking; Baking Specification §PNGs)."""
    text, _ = _payload(payload, kind)
    clean = sanitize_png(png, max_bytes=MAX_BAKED_IMAGE_BYTES).data
    # keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword
    body = _PNG_KEYWORDS[kind] + b"\x00\x00\x00\x00\x00" + text.encode()
    chunk = len(body).to_bytes(4, "big") + b"iTXt" + body
    chunk += zlib.crc32(b"iTXt" + body).to_bytes(4, "big")
    return clean[:_IHDR_END] + chunk + clean[_IHDR_END:]


def bake_svg(svg: bytes, payload: JSONObject | str, *, kind: BakedKind = "ob3") -> bytes:
    """Bake ``payload`` into an SVG: ``xmlns:openbadges`` on ``<svg>`` and, as its first
    child, ``<openbadges:credential>`` (OB 3.0) or ``<openbadges:assertion>`` (OB 2.0).
    A JWT/JWS or URL goes in ``verify``; JSON goes in a CDATA body (OB 2.0: ``verify`` is
    then the assertion's ``id`` when it is a URL). An existing baked badge is replaced."""
    payload_text, form = _payload(payload, kind)
    root = checked_svg_root(svg, max_bytes=MAX_BAKED_IMAGE_BYTES, drop_baked=True)
    namespace, local = _SVG_ELEMENTS[kind]
    # ElementTree cannot write CDATA or choose the prefix for a namespace, so a placeholder
    # (named after the input, which therefore cannot contain it) is swapped for the element.
    marker = "merkki-bake-" + hashlib.sha256(svg).hexdigest()[:24]
    placeholder = ET.Element(f"{{{SVG_NS}}}{marker}")
    placeholder.tail = root.text
    root.text = "\n"
    root.insert(0, placeholder)
    root.set(marker, "")
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)

    verify = payload_text if form != "json" else _ob2_verify(payload_text, kind)
    attribute = "" if verify is None else f' verify="{escape(verify, _QUOTE)}"'
    if form == "json":
        cdata = payload_text.replace("]]>", "]]]]><![CDATA[>")
        element = f"<openbadges:{local}{attribute}><![CDATA[{cdata}]]></openbadges:{local}>"
    else:
        element = f"<openbadges:{local}{attribute}/>"
    tag, attr = f"<{marker} />".encode(), f'{marker}=""'.encode()
    if out.count(tag) != 1 or out.count(attr) != 1 or b"xmlns:openbadges=" in out[: out.find(tag)]:
        raise BakingError("the SVG cannot be baked: its serialisation is not the expected one")
    declaration = f'xmlns:openbadges="{namespace}"'.encode()
    return out.replace(attr, declaration).replace(tag, element.encode())


def _ob2_verify(json_text: str, kind: BakedKind) -> str | None:
    """OB 2.0 ``verify`` beside a JSON body: the hosted assertion's URL (its ``id``)."""
    if kind != "ob2":
        return None
    assertion_id = json.loads(json_text).get("id")
    if isinstance(assertion_id, str) and _URL.fullmatch(assertion_id):
        return assertion_id
    return None


def bake(image: bytes, payload: JSONObject | str, *, kind: BakedKind = "ob3") -> bytes:
    """Bake ``payload`` into a PNG or SVG image, told apart by its first bytes."""
    media_type = sniff_media_type(image)
    if media_type == PNG_MEDIA_TYPE:
        return bake_png(image, payload, kind=kind)
    if media_type == SVG_MEDIA_TYPE:
        return bake_svg(image, payload, kind=kind)
    raise InvalidImage("only PNG and SVG images can be baked: this is neither")


# --------------------------------------------------------------------------- unbaking


def unbake(image: bytes, *, max_bytes: int = MAX_BAKED_IMAGE_BYTES) -> BakedPayload:
    """The first badge baked into a PNG or SVG image (OB 3.0 or 2.0, including the legacy
    ``tEXt`` form); raises :class:`~badges.errors.InvalidImage` for an image that cannot be
    read safely and :class:`~badges.errors.BakingError` when it carries no badge."""
    if len(image) > max_bytes:
        raise InvalidImage(f"the image is larger than {max_bytes} bytes")
    media_type = sniff_media_type(image)
    if media_type == PNG_MEDIA_TYPE:
        return _unbake_png(image)
    if media_type == SVG_MEDIA_TYPE:
        return _unbake_svg(image, max_bytes)
    raise InvalidImage("not a PNG or SVG image: only those can carry a baked badge")


def _unbake_png(data: bytes) -> BakedPayload:
    """Baking Specification §PNGs "Extracting"; OB 3.0 §PNG Extracting."""
    for index, chunk in enumerate(iter_png_chunks(data)):
        if index == 0 and chunk.type != b"IHDR":
            raise InvalidImage("not a valid PNG: the first chunk must be IHDR")
        kind = _KIND_OF_KEYWORD.get(png_text_keyword(chunk) or b"")
        if kind is not None:
            return BakedPayload(kind, PNG_MEDIA_TYPE, _checked_text(_chunk_text(chunk)))
    raise BakingError(
        "the PNG carries no baked badge (no iTXt chunk 'openbadgecredential' or 'openbadges')"
    )


def _chunk_text(chunk: PngChunk) -> str:
    name = chunk.type.decode()
    _, _, rest = chunk.data.partition(b"\x00")
    if chunk.type == b"tEXt":
        return rest.decode("latin-1")
    if chunk.type == b"zTXt":
        if rest[:1] != b"\x00":
            raise InvalidImage("corrupt PNG: a zTXt chunk with an unknown compression method")
        return _utf8(_inflate(rest[1:]), name)
    if len(rest) < 2 or rest[0] not in (0, 1) or rest[1] != 0:
        raise InvalidImage("corrupt PNG: an iTXt chunk with a bad compression flag or method")
    fields = rest[2:].split(b"\x00", 2)  # language tag, translated keyword, text
    if len(fields) != 3:
        raise InvalidImage("corrupt PNG: an iTXt chunk without its language and keyword fields")
    text = _inflate(fields[2]) if rest[0] == 1 else fields[2]
    return _utf8(text, name)


def _inflate(compressed: bytes) -> bytes:
    """Inflate a compressed text chunk, never to more than the payload limit."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(compressed, MAX_PAYLOAD_BYTES + 1)
    except zlib.error as exc:
        raise InvalidImage(
            f"corrupt PNG: a baked text chunk cannot be decompressed ({exc})"
        ) from exc
    if len(out) > MAX_PAYLOAD_BYTES:
        raise InvalidImage(
            f"the baked payload decompresses to more than {MAX_PAYLOAD_BYTES} bytes (a bomb?)"
        )
    if not inflater.eof:
        raise InvalidImage("corrupt PNG: a baked text chunk's compressed stream is incomplete")
    return out


def _utf8(data: bytes, chunk: str) -> str:
    try:
        return data.decode()
    except UnicodeDecodeError as exc:
        raise InvalidImage(f"corrupt PNG: the baked {chunk} text is not UTF-8") from exc


def _unbake_svg(data: bytes, max_bytes: int) -> BakedPayload:
    """Baking Specification §SVGs "Extracting"; OB 3.0 §SVG Extracting: the first element,
    its body when it has one, else its ``verify`` attribute."""
    root = parse_svg(data, max_bytes=max_bytes, allow_doctype=True)
    for element in root.iter():
        kind = _KIND_OF_TAG.get(element.tag) if isinstance(element.tag, str) else None
        if kind is None:
            continue
        body = "".join(element.itertext()).strip()
        text = body or (element.get("verify") or "").strip()
        if not text:
            raise BakingError(f"the SVG's <openbadges:{_SVG_ELEMENTS[kind][1]}> is empty")
        return BakedPayload(kind, SVG_MEDIA_TYPE, _checked_text(text))
    raise BakingError(
        "the SVG carries no baked badge (no <openbadges:credential> or <openbadges:assertion>)"
    )


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise BakingError("the baked payload is empty")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PAYLOAD_BYTES:
        raise InvalidImage(f"the baked payload is larger than {MAX_PAYLOAD_BYTES} bytes")
    return text
