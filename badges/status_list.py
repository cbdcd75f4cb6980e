"""W3C Bitstring Status List v1.0 (and its VC 1.1 predecessor StatusList2021) for the verifier.

``BitstringStatusListResolver`` is a ``StatusResolver``: for one
``BitstringStatusListEntry`` / ``StatusList2021Entry`` it fetches the status list
credential through the injected fetcher, verifies that credential with the same
pipeline as any other (proof, key binding, validity period) and reads the bit
(Bitstring Status List §3.2 "Validate Algorithm"). An unsigned, tampered or
expired list is never trusted. Other entry types (``1EdTechRevocationList``, ...)
are not handled: the resolver returns ``None`` and the verifier reports the
entry as not checked.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from badges.did import MAX_DOCUMENT_BYTES, DidResolver, parse_document
from badges.encoding import b64url_decode, multibase_decode
from badges.errors import FetchError, InvalidEncoding, InvalidStatusList, ResolutionError
from badges.report import Verdict
from badges.status import StatusResult
from badges.types import DocumentLoader, HttpFetcher, JSONObject

MIN_LIST_BITS = 131_072
"""Bitstring Status List §4.1: at least 16 KB, so a list does not reveal who is on it."""
MAX_LIST_BYTES = 16 * 1024 * 1024
"""Largest expanded list accepted (a GZIP bomb is refused, not inflated)."""


@dataclass(frozen=True, slots=True)
class _ListType:
    entry: str
    credential: str
    subject: str


_TYPES = {
    t.entry: t
    for t in (
        _ListType(
            "BitstringStatusListEntry", "BitstringStatusListCredential", "BitstringStatusList"
        ),
        _ListType("StatusList2021Entry", "StatusList2021Credential", "StatusList2021"),
    )
}


def _types(value: object) -> list[Any]:
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def decode_list(
    encoded: object, *, limit: int = MAX_LIST_BYTES, min_bits: int = MIN_LIST_BITS
) -> bytes:
    """Decode ``encodedList``: multibase base64url (``u``) of a GZIP stream (§4.1).

    StatusList2021 lists may omit the multibase prefix. Raises ``InvalidStatusList``
    for bad encoding, a stream that expands beyond ``limit`` or a list shorter than
    ``min_bits`` (131,072 unless an ecosystem sets another bound: §3.2 step 1).
    """
    if not isinstance(encoded, str) or not encoded:
        raise InvalidStatusList('"encodedList" must be a non-empty string')
    try:
        compressed = (
            multibase_decode(encoded, allowed="u")
            if encoded.startswith("u")
            else b64url_decode(encoded)
        )
    except InvalidEncoding as exc:
        raise InvalidStatusList(f'"encodedList" is not base64url: {exc}') from exc
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        expanded = inflater.decompress(compressed, limit + 1)
    except zlib.error as exc:
        raise InvalidStatusList(f'"encodedList" is not GZIP data: {exc}') from exc
    if len(expanded) > limit or inflater.unconsumed_tail:
        raise InvalidStatusList(f"the status list expands beyond {limit} bytes")
    if not inflater.eof:
        raise InvalidStatusList('"encodedList" is a truncated GZIP stream')
    if len(expanded) * 8 < min_bits:
        raise InvalidStatusList(
            f"the status list has {len(expanded) * 8} bits, fewer than {min_bits} "
            "(STATUS_LIST_LENGTH_ERROR)"
        )
    return expanded


def bit_at(bits: bytes, index: int) -> bool:
    """The bit at ``index``; index 0 is the most significant bit of the first byte (§4.1)."""
    if index < 0 or index >= len(bits) * 8:
        raise InvalidStatusList(f"statusListIndex {index} is outside the list ({len(bits) * 8})")
    return bool(bits[index // 8] >> (7 - index % 8) & 1)


def _index(entry: Mapping[str, Any]) -> int:
    raw = entry.get("statusListIndex")
    if not isinstance(raw, str) or not raw.isdigit() or not raw.isascii():
        raise InvalidStatusList(f'"statusListIndex" must be a base-10 integer string, got {raw!r}')
    return int(raw)


_BASE64URL = re.compile(rb"[A-Za-z0-9_-]+")


def _compact_jwt(body: bytes) -> str | None:
    """``body`` as a compact JWS (three base64url parts) if it is one, else ``None``."""
    text = bytes(body).strip()
    if len(text) > MAX_DOCUMENT_BYTES or text.count(b".") != 2 or not text.startswith(b"ey"):
        return None
    if not all(part and _BASE64URL.fullmatch(part) for part in text.split(b".")):
        return None
    return text.decode("ascii")


class BitstringStatusListResolver:
    """Resolve Bitstring Status List / StatusList2021 entries offline-safely.

    ``fetch`` fetches status list credentials (and, unless ``resolver`` is given,
    DID documents); ``loader`` serves JSON-LD contexts; ``now`` fixes the clock
    for the list's validity period. ``min_entries`` is the herd-privacy minimum
    (§3.2: "131,072 unless a different lower bound is established by a specific
    ecosystem specification"). Raises ``ResolutionError`` when the list or its
    key cannot be obtained and ``InvalidStatusList`` when the list is not valid.
    """

    def __init__(
        self,
        fetch: HttpFetcher,
        *,
        resolver: DidResolver | None = None,
        loader: DocumentLoader | None = None,
        now: datetime | None = None,
        skew: timedelta = timedelta(minutes=5),
        max_list_bytes: int = MAX_LIST_BYTES,
        min_entries: int = MIN_LIST_BITS,
    ) -> None:
        """Configure the resolver; see the class docstring."""
        self._fetch = fetch
        self._resolver = resolver or DidResolver(fetch)
        self._loader = loader
        self._now = now
        self._skew = skew
        self._limit = max_list_bytes
        self._min_bits = min_entries

    def __call__(self, entry: JSONObject) -> StatusResult | None:
        """Bitstring Status List §3.2 Validate Algorithm for one ``credentialStatus`` entry."""
        kind = _TYPES.get(entry.get("type"))  # type: ignore[arg-type]
        if kind is None:
            return None
        purpose = entry.get("statusPurpose")
        if not isinstance(purpose, str) or not purpose:
            raise InvalidStatusList('"statusPurpose" must be a non-empty string')
        size = entry.get("statusSize", 1)
        if size not in (1, "1"):
            raise InvalidStatusList(f'"statusSize" {size!r} is not supported (only 1)')
        index = _index(entry)
        url = entry.get("statusListCredential")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise InvalidStatusList(f'"statusListCredential" must be a URL, got {url!r}')
        subject = self._verified_list(url, kind)
        listed = subject.get("statusPurpose")
        if purpose not in _types(listed):
            raise InvalidStatusList(
                f"the list at {url} is for statusPurpose {listed!r}, the entry for {purpose!r}"
            )
        bits = decode_list(subject.get("encodedList"), limit=self._limit, min_bits=self._min_bits)
        return StatusResult(purpose=purpose, is_set=bit_at(bits, index))

    def _verified_list(self, url: str, kind: _ListType) -> JSONObject:
        from badges.verify import verify  # verify imports status: resolve the cycle lazily

        try:
            body = self._fetch(url)
        except Exception as exc:  # the fetcher is foreign code; report any failure uniformly
            raise FetchError(f"status list {url}: fetch failed ({exc})") from exc
        jwt = _compact_jwt(body)  # a VC-JWT-secured list (e.g. of a P-256 or RSA issuer)
        report = verify(
            jwt if jwt is not None else parse_document(body, url),
            now=self._now or datetime.now(UTC),
            skew=self._skew,
            resolver=self._resolver,
            loader=self._loader,
        )
        document = report.credential or {}
        if report.verdict is Verdict.INDETERMINATE:
            raise ResolutionError(f"status list {url}: " + "; ".join(report.errors()))
        if report.verdict is not Verdict.VALID:
            raise InvalidStatusList(f"status list {url}: " + "; ".join(report.errors()))
        if kind.credential not in _types(document.get("type")):
            raise InvalidStatusList(f'status list {url}: "type" lacks {kind.credential}')
        subject = document.get("credentialSubject")
        if not isinstance(subject, dict) or kind.subject not in _types(subject.get("type")):
            raise InvalidStatusList(
                f'status list {url}: "credentialSubject" is not a {kind.subject}'
            )
        return subject
