"""The response headers of the public HTML pages: a strict Content Security Policy and friends.

The pages run no script at all and load styles only from the service's own
``/static/`` files, so the policy can forbid everything else: no inline script or
style, no framing (clickjacking), forms posting only to the service, no ``<base>``.
Badge images may come from the issuer's own host (``https:``) or be embedded
(``data:``). ``Referrer-Policy: no-referrer`` keeps a pasted or looked-up badge's
address from leaking to the sites the page links to.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

PAGE_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
"""Sent with every HTML page."""

STATIC_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Cross-Origin-Resource-Policy": "same-origin",
}
"""Sent with ``/static/`` files (their URLs carry a content hash, so they never change)."""

IMAGE_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "public, max-age=86400",
}
"""Sent with generated images (QR codes): an SVG opened on its own runs no script."""

ADMIN_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
"""The signed-in pages' policy: scripts and fetches only from the service's own files."""

HSTS = "max-age=31536000; includeSubDomains"


def admin_headers(*, https: bool) -> dict[str, str]:
    """Headers of the signed-in and sign-in pages: never cached, never framed; HSTS on https."""
    headers = {
        **PAGE_HEADERS,
        "Content-Security-Policy": ADMIN_CONTENT_SECURITY_POLICY,
        "Cache-Control": "no-store",
        "Vary": "Cookie",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers
