"""Evidence of a badge application: texts, links and files, checked before they are stored.

A file's type is sniffed from its first bytes and never taken from the name or the
``Content-Type`` the browser sent: only PNG, JPEG, PDF and UTF-8 plain text are kept
(:data:`FILE_TYPES`), at most :data:`MAX_FILE_BYTES` each. The original name is reduced
to a safe one (:func:`safe_file_name`) whose extension matches the sniffed type; the
SHA-256 of the bytes is stored and published in the credential's ``evidence``, so
anyone can check that a downloaded file is the one the reviewer saw. Files are always
served as downloads (:func:`download_headers`), never rendered inline.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import quote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.types import JSONObject
from issuer.errors import InvalidRequest, NotFound, PayloadTooLarge, UnsupportedMediaType
from issuer.services import ServiceContext
from issuer.store.tables import Application, ApplicationEvidence

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
"""Largest evidence file (10 MiB)."""
MAX_FILES: Final = 5
"""Files per submission (first application or resubmission)."""
MAX_ITEMS: Final = 30
"""Evidence items of one application, over all its submissions."""
MAX_TEXT: Final = 10_000
MAX_URL: Final = 2_000
MAX_URLS: Final = 10
MAX_NAME: Final = 100

FILE_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "application/pdf": (".pdf",),
    "text/plain": (".txt",),
}
"""Allowed media types and their file name extensions (the first is the preferred one)."""

_SIGNATURES: Final = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)
_UNSAFE_NAME = re.compile(r"[^\w .()+,-]+")
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file that passed the checks: what is stored."""

    name: str
    media_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class EvidenceIn:
    """Checked evidence of one submission."""

    texts: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    files: list[CheckedFile] = field(default_factory=list)

    def count(self) -> int:
        return len(self.texts) + len(self.urls) + len(self.files)


def sniff(data: bytes) -> str | None:
    """The media type of ``data`` by its content, or ``None`` when it is not allowed.

    Plain text is UTF-8 (a BOM is allowed) without NUL or other control characters
    besides tab, line breaks and form feed."""
    for signature, media_type in _SIGNATURES:
        if data.startswith(signature):
            return media_type
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip() or _TEXT_CONTROLS.search(text):
        return None
    return "text/plain"


def safe_file_name(original: str, media_type: str) -> str:
    """A file name to show and download: the last path segment of ``original`` without
    control or shell-special characters, at most :data:`MAX_NAME` characters, with an
    extension of ``media_type``."""
    base = re.split(r"[/\\]", original)[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE_NAME.sub("_", base).strip(" ._")
    extensions = FILE_TYPES[media_type]
    stem, dot, extension = base.rpartition(".")
    if dot and f".{extension.lower()}" in extensions:
        stem, suffix = stem.strip(" ._"), f".{extension.lower()}"
    else:
        stem, suffix = base, extensions[0]
    stem = stem[: MAX_NAME - len(suffix)] or "evidence"
    return stem + suffix


def check_file(original_name: str, data: bytes, *, field: str = "files") -> CheckedFile:
    """``data`` as evidence, or :class:`PayloadTooLarge` / :class:`UnsupportedMediaType`."""
    if len(data) > MAX_FILE_BYTES:
        raise PayloadTooLarge(
            f"{field}: {safe_file_name(original_name, 'text/plain')!r} is larger than "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"
        )
    if not data:
        raise InvalidRequest.field(("body", field), "the file is empty")
    media_type = sniff(data)
    if media_type is None:
        raise UnsupportedMediaType(
            f"{field}: the content of {original_name[:MAX_NAME]!r} is not PNG, JPEG, PDF "
            "or UTF-8 text"
        )
    return CheckedFile(
        name=safe_file_name(original_name, media_type),
        media_type=media_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_url(value: str, *, field: str = "urls") -> str:
    """An evidence link: an absolute ``http(s)`` URL with a host, no spaces or credentials."""
    url = value.strip()
    parts = urlsplit(url)
    if (
        len(url) > MAX_URL
        or parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or "@" in parts.netloc
        or any(ch.isspace() or ord(ch) < 32 for ch in url)
    ):
        raise InvalidRequest.field(
            ("body", field), f"{url[:80]!r} is not an http(s) address (at most {MAX_URL} chars)"
        )
    return url


def check_text(value: str, *, field: str = "text") -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        raise InvalidRequest.field(("body", field), f"at most {MAX_TEXT} characters")
    return text


def download_headers(name: str, media_type: str) -> dict[str, str]:
    """Headers that make a browser save an evidence file, never render it as a page."""
    ascii_name = name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    ascii_name = ascii_name.replace('"', "_")
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return {
        "Content-Type": f"{media_type}; charset=utf-8"
        if media_type == "text/plain"
        else media_type,
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Cache-Control": "private, no-store",
    }


# ---------------------------------------------------------------------- stored evidence


def add_evidence(
    session: Session, application: Application, evidence: EvidenceIn, now: datetime
) -> None:
    """Add the items of ``evidence`` to ``application`` (in the caller's transaction)."""
    for text in evidence.texts:
        session.add(
            ApplicationEvidence(
                application_id=application.id, kind="text", text=text, created_at=now
            )
        )
    for url in evidence.urls:
        session.add(
            ApplicationEvidence(application_id=application.id, kind="url", url=url, created_at=now)
        )
    for item in evidence.files:
        session.add(
            ApplicationEvidence(
                application_id=application.id,
                kind="file",
                file_name=item.name,
                media_type=item.media_type,
                size=item.size,
                sha256=item.sha256,
                data=item.data,
                created_at=now,
            )
        )


def evidence_of(session: Session, application_id: str) -> list[ApplicationEvidence]:
    stmt = (
        select(ApplicationEvidence)
        .where(ApplicationEvidence.application_id == application_id)
        .order_by(ApplicationEvidence.created_at, ApplicationEvidence.id)
    )
    return list(session.scalars(stmt))


def evidence_item(session: Session, application_id: str, evidence_id: str) -> ApplicationEvidence:
    item = session.get(ApplicationEvidence, evidence_id)
    if item is None or item.application_id != application_id:
        raise NotFound("evidence", evidence_id)
    return item


def evidence_url(ctx: ServiceContext, item: ApplicationEvidence) -> str:
    """The stable public URL of an evidence file (served once the badge is issued)."""
    return ctx.url(f"applications/{item.application_id}/evidence/{item.id}")


def credential_evidence(
    ctx: ServiceContext, items: Sequence[ApplicationEvidence]
) -> list[JSONObject]:
    """OB 3.0 Evidence objects: links by their URL, texts as ``narrative``, files by
    their public URL with the name, the media type as ``genre`` and the SHA-256 of the
    bytes in ``description`` (so a downloaded file can be checked against the badge)."""
    result: list[JSONObject] = []
    for item in items:
        if item.kind == "url" and item.url:
            result.append({"id": item.url, "type": ["Evidence"]})
        elif item.kind == "text" and item.text:
            result.append({"type": ["Evidence"], "narrative": item.text})
        elif item.kind == "file":
            result.append(
                {
                    "id": evidence_url(ctx, item),
                    "type": ["Evidence"],
                    "name": item.file_name,
                    "description": f"SHA-256: {item.sha256}",
                    "genre": item.media_type,
                }
            )
    return result
