"""QR codes for a badge's page: SVG and PNG bytes of one URL, made in memory.

Error correction level M (15 % of the code may be damaged or covered and it still
reads), a quiet zone of four modules as ISO/IEC 18004 requires, black on white so a
phone reads it in any colour scheme. Pure functions: the same text, the same bytes.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
import qrcode.image.pure
import qrcode.image.svg

from badges.errors import InvalidInput

MAX_TEXT = 1024
"""Longer texts make codes too dense to scan from a screen; a page URL is far shorter."""
QUIET_ZONE = 4


def _code(text: str, box_size: int) -> qrcode.QRCode:
    if not text:
        raise InvalidInput("a QR code needs a text, got an empty string")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"a QR code text must be at most {MAX_TEXT} characters, got {len(text)}")
    if not 1 <= box_size <= 40:
        raise InvalidInput(f"box_size must be 1…40 pixels, got {box_size}")
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=QUIET_ZONE,
    )
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg(text: str) -> bytes:
    """An SVG document (one path on a white square, sized by its ``viewBox``)."""
    image = _code(text, 10).make_image(image_factory=qrcode.image.svg.SvgPathFillImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def qr_png(text: str, box_size: int = 8) -> bytes:
    """A 1-bit greyscale PNG, ``box_size`` pixels per module."""
    image = _code(text, box_size).make_image(image_factory=qrcode.image.pure.PyPNGImage)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()
