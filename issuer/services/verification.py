"""Verifying a submitted badge: what ``POST /api/v1/verify``, the VC-API and ``/verify`` share.

A :class:`Submission` holds exactly one input (a credential as an object or text, a URL
to fetch, or uploaded bytes) and an optional recipient. :class:`Verifier` (one per
application) turns it into ``badges.verify`` arguments: URLs are fetched here with the
:class:`~issuer.fetch.SafeFetcher` (so size and content-type rules are the service's),
keys, DID documents and status lists are fetched through the same fetcher with a short
document cache. Results are never cached.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import badges
from badges.did import DidResolver
from badges.errors import FetchError
from badges.report import CheckResult, Outcome, VerificationReport, Warning
from badges.status_list import BitstringStatusListResolver
from badges.types import HttpFetcher, JSONObject
from issuer.errors import FieldError, InvalidRequest, PayloadTooLarge
from issuer.fetch import (
    CREDENTIAL_TYPES,
    VERIFY_INPUT_TYPES,
    DocumentCache,
    SafeFetcher,
)
from issuer.settings import Settings

MAX_SUBMISSION_BYTES = 5 * 1024 * 1024
"""Largest credential text or upload verified (the API refuses larger bodies earlier)."""


@dataclass(frozen=True)
class Submission:
    """One thing to verify; exactly one of ``credential``, ``url`` and ``file``."""

    credential: JSONObject | str | None = None
    """An object, or text: JSON, a compact JWT or JWS."""
    url: str | None = None
    """Fetch this: a credential, a hosted OB 2.0 assertion or a baked image."""
    file: bytes | None = None
    """An upload: PNG, SVG, JSON or JWT bytes."""
    recipient: str | None = None
    """An e-mail address (or DID/URL) to compare with the credential's subject."""

    def validate(self, max_bytes: int = MAX_SUBMISSION_BYTES) -> None:
        """Raise :class:`InvalidRequest` unless exactly one usable input is given."""
        given = [
            name
            for name, value in (
                ("credential", self.credential),
                ("url", self.url),
                ("file", self.file),
            )
            if value is not None
        ]
        if not given:
            raise InvalidRequest(
                "give one of credential, url or file",
                [_field("credential", "one of credential, url or file is required")],
            )
        if len(given) > 1:
            raise InvalidRequest(
                f"give only one of credential, url or file, got {', '.join(given)}",
                [_field(name, "only one input may be given") for name in given],
            )
        if isinstance(self.credential, str):
            if not self.credential.strip():
                raise InvalidRequest.field(("body", "credential"), "empty credential")
            if len(self.credential.encode("utf-8")) > max_bytes:
                raise PayloadTooLarge(f"the credential is larger than {max_bytes} bytes")
        elif self.credential is not None and not isinstance(self.credential, dict):
            raise InvalidRequest.field(
                ("body", "credential"), "expected a JSON object or a JWT string"
            )
        if self.file is not None:
            if not self.file:
                raise InvalidRequest.field(("body", "file"), "the file is empty")
            if len(self.file) > max_bytes:
                raise PayloadTooLarge(f"the file is larger than {max_bytes} bytes")
        if self.url is not None:
            parts = urlsplit(self.url.strip())
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise InvalidRequest.field(("body", "url"), "expected an http(s) URL")
        if self.recipient is not None and not (0 < len(self.recipient) <= 320):
            raise InvalidRequest.field(("body", "recipient"), "expected an e-mail address")


def _field(name: str, message: str) -> FieldError:
    return FieldError(("body", name), message)


class _StatusLists(BitstringStatusListResolver):
    """Keeps each verified status list credential as long as its fetched document is in
    the document cache, so a list is not verified again for every badge that points to
    it. The badge's own bit is read anew every time."""

    def __init__(self, fetch: HttpFetcher, *, verifier: Verifier, **kwargs: Any) -> None:
        super().__init__(fetch, **kwargs)
        self._verifier = verifier

    def _verified_list(self, url: str, kind: Any) -> JSONObject:
        verifier = self._verifier
        key = f"{kind.credential} {url}"
        with verifier._lists_lock:
            hit = verifier._lists.get(key)
        if hit is not None and hit[0] > verifier.cache.now():
            return hit[1]
        subject = super()._verified_list(url, kind)
        expires = verifier.cache.expires(url)
        if expires is not None:
            with verifier._lists_lock:
                if len(verifier._lists) >= MAX_VERIFIED_LISTS:
                    verifier._lists.clear()
                verifier._lists[key] = (expires, subject)
        return subject


MAX_VERIFIED_LISTS = 256
"""Verified status lists kept at most (then the memo starts afresh)."""
OWN_DOCUMENT_TTL = 10.0
"""Longest seconds a document of the service's own host (its DID documents and status
lists) is reused: a revocation here shows in its own verifier within this time."""


@dataclass
class Verifier:
    """Verifies submissions with the service's fetcher and document cache; thread-safe.

    Build one per application (``Verifier.from_settings(settings)``) so the document
    cache is shared; ``clock`` fixes "now" (tests), ``min_status_entries`` is the status
    list herd-privacy minimum (W3C: 131,072).
    """

    fetcher: SafeFetcher
    cache: DocumentCache = field(default_factory=DocumentCache)
    min_status_entries: int = 131_072
    clock: Callable[[], datetime] | None = None
    own_status: Callable[[str], str | None] | None = None
    """The issuer's own record for a credential id of this service (``suspended``,
    ``revoked``, or ``None``): Merkki credentials name only their revocation list (the OB 3.0
    schema allows one ``credentialStatus``), so a suspension is known from this record."""
    _lists: dict[str, tuple[float, JSONObject]] = field(default_factory=dict, repr=False)
    _lists_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        fetcher: SafeFetcher | None = None,
        min_status_entries: int = 131_072,
        clock: Callable[[], datetime] | None = None,
        own_status: Callable[[str], str | None] | None = None,
    ) -> Verifier:
        """The application's verifier: the settings' fetch limits and allowed hosts, and
        the service's own host allowed (it verifies its own badges)."""
        return cls(
            fetcher=fetcher or SafeFetcher.from_settings(settings),
            cache=DocumentCache(ttl=settings.fetch_cache_ttl),
            min_status_entries=min_status_entries,
            clock=clock,
            own_status=own_status,
        )

    # ------------------------------------------------------------------ documents

    def fetch_document(self, url: str) -> bytes:
        """Keys, DID documents, status lists, issuer profiles: cached for a short time."""
        cached = self.cache.get(url)
        if cached is not None:
            return cached
        resource = self.fetcher.fetch(url, accept=CREDENTIAL_TYPES)
        lifetime = resource.max_age
        if self._own(url):  # our own revocations show within OWN_DOCUMENT_TTL seconds
            lifetime = min(OWN_DOCUMENT_TTL, OWN_DOCUMENT_TTL if lifetime is None else lifetime)
        self.cache.put(url, resource.body, lifetime)
        return resource.body

    def _own(self, url: str) -> bool:
        own = self.fetcher.own_url
        if not own:
            return False
        host = urlsplit(own).netloc.lower()
        try:
            return urlsplit(url).netloc.lower() == host
        except ValueError:
            return False

    def forget(self, url: str | None = None) -> None:
        """Drop a cached document (e.g. a status list just changed), or all of them."""
        if url is None:
            self.cache.clear()
        else:
            self.cache.discard(url)
        with self._lists_lock:
            if url is None:
                self._lists.clear()
            else:
                for key in [k for k in self._lists if k.endswith(f" {url}")]:
                    del self._lists[key]

    # ------------------------------------------------------------------ verify

    def verify(self, submission: Submission) -> VerificationReport:
        """The report for ``submission``; raises ``InvalidRequest``/``PayloadTooLarge`` when
        the submission itself is unusable (no input, several inputs, too big)."""
        submission.validate()
        subject: JSONObject | str | bytes
        if submission.url is not None:
            # The submitted URL may be a baked image: up to the upload limit, not the
            # (smaller) limit for documents.
            fetcher = replace(
                self.fetcher, max_bytes=max(self.fetcher.max_bytes, MAX_SUBMISSION_BYTES)
            )
            try:
                resource = fetcher.fetch(submission.url.strip(), accept=VERIFY_INPUT_TYPES)
            except FetchError as exc:
                return _unreachable(str(exc))
            subject = resource.body
        elif submission.file is not None:
            subject = submission.file
        else:
            assert submission.credential is not None  # noqa: S101 - validated above
            subject = submission.credential
        fetch: HttpFetcher = self.fetch_document
        resolver = DidResolver(fetch)
        status: BitstringStatusListResolver
        if self.clock is None:
            status = _StatusLists(
                fetch, verifier=self, resolver=resolver, min_entries=self.min_status_entries
            )
        else:  # a fixed clock (tests): the list's validity period is judged at that time
            status = BitstringStatusListResolver(
                fetch,
                resolver=resolver,
                min_entries=self.min_status_entries,
                now=self.clock(),
            )
        report = badges.verify(
            subject,
            now=self.clock() if self.clock else None,
            resolver=resolver,
            status_resolver=status,
            recipient=submission.recipient or None,
            fetch=fetch,
        )
        return self._with_own_record(report)

    def _with_own_record(self, report: VerificationReport) -> VerificationReport:
        """A passed status check of this service's own credential, overruled by the
        issuer's record when that says suspended (or revoked, for a credential issued
        before status lists)."""
        credential_id = (report.credential or {}).get("id")
        if self.own_status is None or not isinstance(credential_id, str):
            return report
        if not any(c.id == "status" and c.outcome is Outcome.PASSED for c in report.checks):
            return report
        recorded = self.own_status(credential_id)
        if recorded not in ("suspended", "revoked"):
            return report
        checks = tuple(
            CheckResult("status", Outcome.FAILED, recorded) if c.id == "status" else c
            for c in report.checks
        )
        return replace(
            report, checks=checks, warnings=(*report.warnings, Warning("status_from_issuer"))
        )


def _unreachable(reason: str) -> VerificationReport:
    """The report when the submitted URL itself cannot be fetched: indeterminate."""
    return VerificationReport(
        checks=(CheckResult("parse", Outcome.ERROR, "document_unreachable", {"detail": reason}),)
    )


__all__ = ["Submission", "Verifier"]
