"""Badge images (PNG and SVG): checked and sanitised safely, with hard limits.

Pure (no web framework, no database): :func:`sanitize_image` takes untrusted bytes and
answers a :class:`CheckedImage` whose ``data`` is safe to serve (and to bake into),
or raises :class:`~badges.errors.InvalidImage` with a reason a person can act on.

PNG (ISO/IEC 15948, PNG 3rd ed.): the signature, every chunk's length and CRC-32,
``IHDR`` first and valid, ``IEND`` last, the IDAT stream inflated *incrementally* with
a cap at the size the header's dimensions allow (a decompression bomb is refused after
at most that much output, which is never kept). Width and height ≤ 4096 and
width × height × bytes per pixel ≤ 64 MiB. Baked Open Badges (``iTXt``/``tEXt``/
``zTXt`` chunks with the keyword ``openbadges`` or ``openbadgecredential``) are stripped:
an uploaded image must not carry someone else's credential.

SVG: parsed by ``defusedxml`` (no DTD, no entities, no external references), nesting
at most 256 deep. The root must be ``svg`` in the SVG namespace. Refused: ``script``,
``foreignObject``, any XHTML element, ``on*`` event attributes, ``xml:base``, links and
``url(…)`` references other than ``#fragment`` and ``data:image/png|jpeg`` URIs,
``@import``, animations that set a link, and embedded ``openbadges`` elements. The
checked tree is serialised anew (comments and processing instructions dropped).

The PNG chunk reader (:func:`iter_png_chunks`) and the checked SVG tree
(:func:`checked_svg_root`) are shared with :mod:`badges.baking`.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET  # serialising only: parsing is defusedxml
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, Literal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from badges.errors import InvalidImage

__all__ = [
    "MAX_DECODED_BYTES",
    "MAX_DIMENSION",
    "MAX_IMAGE_BYTES",
    "MAX_SVG_DEPTH",
    "OPENBADGES_NS",
    "PNG_MEDIA_TYPE",
    "PNG_SIGNATURE",
    "SVG_MEDIA_TYPE",
    "CheckedImage",
    "InvalidImage",
    "PngChunk",
    "checked_svg_root",
    "iter_png_chunks",
    "parse_svg",
    "png_text_keyword",
    "sanitize_image",
    "sanitize_png",
    "sanitize_svg",
    "sniff_media_type",
]

PNG_MEDIA_TYPE: Final = "image/png"
SVG_MEDIA_TYPE: Final = "image/svg+xml"
MAX_IMAGE_BYTES: Final = 1024 * 1024
MAX_DIMENSION: Final = 4096
MAX_DECODED_BYTES: Final = 64 * 1024 * 1024
MAX_SVG_DEPTH: Final = 256

BAKED_KEYWORDS: Final = frozenset({b"openbadges", b"openbadgecredential"})
PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
SVG_NS: Final = "http://www.w3.org/2000/svg"
XLINK_NS: Final = "http://www.w3.org/1999/xlink"
XHTML_NS: Final = "http://www.w3.org/1999/xhtml"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
OPENBADGES_NS: Final = frozenset({"https://purl.imsglobal.org/ob/v3p0", "http://openbadges.org"})

# Else ElementTree writes ``ns0:svg`` and ``ns1:href`` (valid, but unusual for SVG).
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

MediaType = Literal["image/png", "image/svg+xml"]


@dataclass(frozen=True, slots=True)
class CheckedImage:
    """A checked, sanitised image: ``data`` is what to store and serve."""

    media_type: MediaType
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def extension(self) -> str:
        return "png" if self.media_type == PNG_MEDIA_TYPE else "svg"


def sniff_media_type(data: bytes) -> MediaType | None:
    """PNG by its signature, SVG when the bytes look like XML; else ``None``."""
    if data.startswith(PNG_SIGNATURE):
        return PNG_MEDIA_TYPE
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return SVG_MEDIA_TYPE
    return None


def sanitize_image(
    data: bytes, media_type: str, *, max_bytes: int = MAX_IMAGE_BYTES
) -> CheckedImage:
    """Check and sanitise ``data`` as ``media_type`` (``image/png`` or ``image/svg+xml``)."""
    if media_type == PNG_MEDIA_TYPE:
        return sanitize_png(data, max_bytes=max_bytes)
    if media_type == SVG_MEDIA_TYPE:
        return sanitize_svg(data, max_bytes=max_bytes)
    raise InvalidImage(f"unsupported image type {media_type!r}: send image/png or image/svg+xml")


# --------------------------------------------------------------------------- PNG

# colour type → (channels, allowed bit depths)
_COLOUR_TYPES: Final = {
    0: (1, (1, 2, 4, 8, 16)),
    2: (3, (8, 16)),
    3: (1, (1, 2, 4, 8)),
    4: (2, (8, 16)),
    6: (4, (8, 16)),
}
_CRITICAL: Final = frozenset({b"IHDR", b"PLTE", b"IDAT", b"IEND"})
_ADAM7: Final = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4))
_ADAM7_ALL: Final = (*_ADAM7, (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_STEP: Final = 64 * 1024


@dataclass(frozen=True, slots=True)
class PngChunk:
    """One PNG chunk whose length and CRC-32 were checked."""

    type: bytes
    data: bytes
    raw: bytes  # length, type, data and CRC as in the file


def iter_png_chunks(data: bytes) -> Iterator[PngChunk]:
    """The chunks of a PNG file in order, each checked (length, type, CRC-32) before it is
    yielded; after ``IEND`` nothing may follow, and a file without ``IEND`` is truncated.
    A reader that stops early (as baked-badge extraction may) never looks further."""
    if not data.startswith(PNG_SIGNATURE):
        raise InvalidImage("not a PNG file (no PNG signature)")
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        if len(data) - pos < 12:
            raise InvalidImage(f"truncated PNG: an incomplete chunk at byte {pos}")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if length > 0x7FFFFFFF or not kind.isalpha() or not kind.isascii():
            raise InvalidImage(f"corrupt PNG: a bad chunk header at byte {pos}")
        end = pos + 12 + length
        if end > len(data):
            raise InvalidImage(f"truncated PNG: chunk {kind.decode()} runs past the end")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) != crc:
            raise InvalidImage(f"corrupt PNG: chunk {kind.decode()} has a bad CRC")
        yield PngChunk(kind, body, data[pos:end])
        pos = end
        if kind == b"IEND":
            if pos != len(data):
                raise InvalidImage("not a valid PNG: data after the IEND chunk")
            return
    raise InvalidImage("truncated PNG: no IEND chunk")


def _header(chunk: PngChunk) -> tuple[int, int, int, int, int]:
    """IHDR → (width, height, bit depth, channels, interlace)."""
    if chunk.type != b"IHDR" or len(chunk.data) != 13:
        raise InvalidImage("not a valid PNG: the first chunk must be a 13-byte IHDR")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunk.data
    )
    if width == 0 or height == 0:
        raise InvalidImage("not a valid PNG: zero width or height")
    if width > MAX_DIMENSION or height > MAX_DIMENSION:
        raise InvalidImage(
            f"the image is {width}×{height} pixels: at most {MAX_DIMENSION}×{MAX_DIMENSION}"
        )
    if colour not in _COLOUR_TYPES or depth not in _COLOUR_TYPES[colour][1]:
        raise InvalidImage(f"not a valid PNG: colour type {colour} with bit depth {depth}")
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        raise InvalidImage("not a valid PNG: unknown compression, filter or interlace method")
    channels = _COLOUR_TYPES[colour][0]
    if width * height * channels * max(depth // 8, 1) > MAX_DECODED_BYTES:
        raise InvalidImage(
            f"the image would decode to more than {MAX_DECODED_BYTES // (1024 * 1024)} MiB"
        )
    return width, height, depth, channels, interlace


def _scanline_bytes(width: int, height: int, bits_per_pixel: int, interlace: int) -> int:
    """The exact size of the decompressed image data: every scanline with its filter byte."""

    def size(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)

    if interlace == 0:
        return size(width, height)
    total = 0
    for x0, y0, dx, dy in _ADAM7_ALL:
        total += size((width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy)
    return total


def _inflate_bounded(idat: list[bytes], expected: int) -> None:
    """Inflate the IDAT stream piece by piece, never more than ``expected`` + 1 bytes
    (each step's output is counted and dropped, so memory stays small too)."""
    bomb = "the PNG image data decompresses to more than its dimensions allow (a bomb?)"
    inflater = zlib.decompressobj()
    produced = 0
    try:
        for piece in idat:
            if inflater.eof:
                raise InvalidImage("corrupt PNG: data after the end of the image stream")
            pending = piece
            while True:
                out = inflater.decompress(pending, _INFLATE_STEP)
                produced += len(out)
                if produced > expected:
                    raise InvalidImage(bomb)
                pending = inflater.unconsumed_tail
                if inflater.eof:
                    if pending or inflater.unused_data:
                        raise InvalidImage("corrupt PNG: data after the end of the image stream")
                    break
                if not pending and len(out) < _INFLATE_STEP:
                    break  # all input consumed and no output left waiting
    except zlib.error as exc:
        raise InvalidImage(f"corrupt PNG: the image data cannot be decompressed ({exc})") from exc
    if not inflater.eof:
        raise InvalidImage("truncated PNG: the image data stream is incomplete")
    if produced != expected:
        raise InvalidImage(
            f"corrupt PNG: the image data has {produced} bytes, its header says {expected}"
        )


def png_text_keyword(chunk: PngChunk) -> bytes | None:
    """The keyword of a text chunk (``iTXt``, ``tEXt``, ``zTXt``), trimmed and lower-cased;
    ``None`` for any other chunk."""
    if chunk.type not in (b"iTXt", b"tEXt", b"zTXt"):
        return None
    return chunk.data.split(b"\x00", 1)[0].strip().lower()


def _is_baked(chunk: PngChunk) -> bool:
    return png_text_keyword(chunk) in BAKED_KEYWORDS


def sanitize_png(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Check a PNG file and answer it without baked Open Badges chunks."""
    if len(data) > max_bytes:
        raise InvalidImage(f"the PNG file is larger than {max_bytes} bytes")
    chunks = list(iter_png_chunks(data))
    width, height, depth, channels, interlace = _header(chunks[0])
    idat: list[bytes] = []
    seen_plte = False
    previous = b"IHDR"
    for chunk in chunks[1:]:
        if chunk.type == b"IHDR":
            raise InvalidImage("not a valid PNG: more than one IHDR chunk")
        if chunk.type == b"IEND" and chunk.data:
            raise InvalidImage("not a valid PNG: IEND must be empty")
        if chunk.type == b"PLTE":
            if seen_plte or idat or not chunk.data or len(chunk.data) % 3:
                raise InvalidImage("not a valid PNG: a misplaced or malformed PLTE chunk")
            seen_plte = True
        elif chunk.type == b"IDAT":
            if idat and previous != b"IDAT":
                raise InvalidImage("not a valid PNG: IDAT chunks must be consecutive")
            idat.append(chunk.data)
        elif chunk.type[:1].isupper() and chunk.type not in _CRITICAL:
            raise InvalidImage(f"unsupported PNG: unknown critical chunk {chunk.type.decode()}")
        previous = chunk.type
    if not idat:
        raise InvalidImage("not a valid PNG: no image data (IDAT)")
    if chunks[0].data[9] == 3 and not seen_plte:  # colour type 3: indexed
        raise InvalidImage("not a valid PNG: an indexed-colour image without a palette (PLTE)")
    _inflate_bounded(idat, _scanline_bytes(width, height, depth * channels, interlace))
    kept = [chunk.raw for chunk in chunks if not _is_baked(chunk)]
    return CheckedImage(PNG_MEDIA_TYPE, PNG_SIGNATURE + b"".join(kept), width, height)


# --------------------------------------------------------------------------- SVG

_DATA_IMAGE: Final = re.compile(r"^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*$", re.I)
_CSS_URL: Final = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_LINK_ATTRIBUTES: Final = frozenset({"href", f"{{{XLINK_NS}}}href"})
_ANIMATIONS: Final = frozenset({"set", "animate", "animateMotion", "animateTransform"})


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _local_reference(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(_DATA_IMAGE.match(value))


def _check_css(text: str, where: str) -> None:
    if "@import" in text.lower():
        raise InvalidImage(f"unsafe SVG: @import in {where}")
    for match in _CSS_URL.finditer(text):
        if not _local_reference(match.group(2)):
            raise InvalidImage(
                f"unsafe SVG: an external reference url({match.group(2)[:80]}) in {where}"
            )
    if "\\" in text and "url" in text.lower():
        raise InvalidImage(f"unsafe SVG: escaped characters near url() in {where}")


def _is_openbadges(element: ET.Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    namespace = _split(element.tag)[0]
    return namespace in OPENBADGES_NS or "openbadges" in namespace.lower()


def _check_element(element: ET.Element) -> None:
    namespace, local = _split(element.tag)
    name = local.lower()
    if _is_openbadges(element):
        raise InvalidImage("the SVG carries a baked Open Badge (openbadges: element)")
    if name == "script":
        raise InvalidImage("unsafe SVG: <script> elements are not allowed")
    if name == "foreignobject":
        raise InvalidImage("unsafe SVG: <foreignObject> elements are not allowed")
    if not namespace:  # it would be written back into the SVG (default) namespace
        raise InvalidImage(f"not a valid SVG: <{local}> is outside any namespace")
    if namespace == XHTML_NS:
        raise InvalidImage(f"unsafe SVG: HTML elements (<{local}>) are not allowed")
    for attribute, value in element.attrib.items():
        attr_ns, attr_local = _split(attribute)
        if attr_local.lower().startswith("on"):
            raise InvalidImage(f"unsafe SVG: event attribute {attr_local!r} on <{local}>")
        if attr_ns == XML_NS and attr_local == "base":
            raise InvalidImage("unsafe SVG: xml:base is not allowed")
        if attribute in _LINK_ATTRIBUTES and not _local_reference(value):
            raise InvalidImage(
                f"unsafe SVG: <{local}> links to {value[:80]!r}; only #fragments and "
                "data:image/png or data:image/jpeg URIs are allowed"
            )
        if "javascript:" in value.lower().replace(" ", ""):
            raise InvalidImage(f"unsafe SVG: a javascript: URI in {attr_local!r}")
        _check_css(value, f"the {attr_local!r} attribute of <{local}>")
    if local in _ANIMATIONS:
        target = element.get("attributeName", "").strip().lower()
        if target.endswith("href") or target.startswith("on"):
            raise InvalidImage(f"unsafe SVG: <{local}> may not animate {target!r}")
    if name == "style" and element.text:
        _check_css(element.text, "a <style> element")


def parse_svg(data: bytes, *, max_bytes: int, allow_doctype: bool = False) -> ET.Element:
    """Parse ``data`` with ``defusedxml`` (never entities or external references; a
    ``<!DOCTYPE>`` without declarations only when ``allow_doctype``): the root must be
    ``<svg>`` in the SVG namespace. Nothing else is checked."""
    if len(data) > max_bytes:
        raise InvalidImage(f"the SVG file is larger than {max_bytes} bytes")
    try:
        root = fromstring(
            data, forbid_dtd=not allow_doctype, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        what = type(exc).__name__
        raise InvalidImage(
            f"unsafe SVG: DTDs, entities and external references are not allowed ({what})"
        ) from exc
    except ET.ParseError as exc:
        raise InvalidImage(f"not a well-formed SVG (XML) document: {exc}") from exc
    if root.tag != f"{{{SVG_NS}}}svg":
        raise InvalidImage(
            f"not an SVG image: the root element is {root.tag!r}, expected <svg> in the "
            f"SVG namespace ({SVG_NS})"
        )
    return root


def checked_svg_root(
    data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES, drop_baked: bool = False
) -> ET.Element:
    """The checked tree of an SVG document (see the module docstring). A baked Open Badge
    (an element in an ``openbadges`` namespace) is refused, or removed when ``drop_baked``."""
    root = parse_svg(data, max_bytes=max_bytes)
    stack: list[tuple[ET.Element, int]] = [(root, 1)]
    while stack:  # iterative: a deeply nested document cannot exhaust the Python stack
        element, depth = stack.pop()
        if depth > MAX_SVG_DEPTH:
            raise InvalidImage(f"the SVG is nested more than {MAX_SVG_DEPTH} elements deep")
        if not isinstance(element.tag, str):
            raise InvalidImage("not a valid SVG: unexpected node")
        if drop_baked:
            for child in [child for child in element if _is_openbadges(child)]:
                element.remove(child)
        _check_element(element)
        stack.extend((child, depth + 1) for child in element)
    return root


def sanitize_svg(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Check an SVG document and answer it re-serialised from the checked tree."""
    root = checked_svg_root(data, max_bytes=max_bytes)
    out = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    if len(out) > max_bytes:
        raise InvalidImage(f"the SVG file is larger than {max_bytes} bytes")
    return CheckedImage(SVG_MEDIA_TYPE, out)
