"""Helpers for the application tests: apply through the public form, read the applicant's
mails from ``mail_outbox``, follow the confirmation link, open the status page."""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from issuer.store.tables import Achievement, MailMessage
from tests.issuer.live import LiveService

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LINK = re.compile(r"(https?://\S+/applications/\S+)")


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def catalog_achievement(service: LiveService, key: str = "reverse-mentoring-mentor") -> str:
    """The id of the demo organisation's catalog achievement ``key``."""
    with service.session() as session:
        found = session.scalars(select(Achievement).where(Achievement.catalog_key == key)).first()
        assert found is not None, key
        return found.id


def form_token(client: httpx.Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    found = _CSRF.search(response.text)
    assert found, path
    return found.group(1)


def apply(
    service: LiveService,
    achievement_id: str,
    email: str,
    *,
    files: list[tuple[str, bytes, str]] | None = None,
    client: httpx.Client | None = None,
    csrf: bool = True,
    **fields: Any,
) -> httpx.Response:
    """POST the apply form as a new visitor (or ``client``); the response."""
    if client is None:
        with httpx.Client(base_url=service.base_url, timeout=30) as visitor:
            return apply(
                service, achievement_id, email, files=files, client=visitor, csrf=csrf, **fields
            )
    path = f"/apply/{achievement_id}?lang=en"
    data = {
        "email": email,
        "name": "Maija Meikäläinen",
        "language": "en",
        "level": "foundation",
        "narrative": "I mentored a senior manager in digital tools for six months.",
        "evidence_text": "Notes of our six mentoring meetings.",
        **fields,
    }
    if csrf:
        data["csrf_token"] = form_token(client, path)
    upload = [("files", item) for item in files or []]
    return client.post(path, data=data, files=upload or None)


def mails(service: LiveService, to: str, kind: str | None = None) -> list[MailMessage]:
    with service.session() as session:
        stmt = select(MailMessage).where(MailMessage.to_address == to)
        if kind is not None:
            stmt = stmt.where(MailMessage.kind == kind)
        rows = list(session.scalars(stmt.order_by(MailMessage.created_at, MailMessage.id)))
        session.expunge_all()
        return rows


def link_in(message: MailMessage) -> str:
    """The first application link in a mail's text (confirm or status page)."""
    found = _LINK.search(message.text_body)
    assert found, message.text_body
    return found.group(1)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def query(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]


def confirm(service: LiveService, email: str) -> tuple[str, str]:
    """Follow the confirmation mail of ``email``: ``(application id, status page path)``."""
    link = link_in(mails(service, email, "application_confirm")[-1])
    page = path_of(link)
    with httpx.Client(base_url=service.base_url, timeout=30) as client:
        token = form_token(client, page)
        response = client.post(
            page.split("?")[0], data={"csrf_token": token, "token": query(link, "token")}
        )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    application_id = urlsplit(link).path.split("/")[2]
    return application_id, location
