"""Verification of Open Badges: what was given, and the pipeline of checks for it.

``verify`` takes any form a badge travels in and sends it to the right pipeline:

- an OB 3.0 credential (dict, JSON text, compact VC-JWT): the checks below, in the
  order of OB 3.0 "OpenBadgeCredential Verification" (§9.1) and VC Data Integrity
  §4.3: parse → context → schema → issuer (key binding) → proof → valid_from →
  valid_until → status → recipient;
- an OB 2.0 Assertion (dict or JSON with the OB 2.0 ``@context`` or ``"type":
  "Assertion"``, or a compact JWS whose payload is one): :func:`badges.ob2.verify_ob2`;
- a PNG or SVG image: the badge baked into it (:func:`badges.baking.unbake`), then as above;
- an ``http(s)`` URL: fetched with ``fetch``, then as above (OB 2.0 hosted URLs too).

``verify`` never raises for bad input; it reports every check with a stable id and code.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from badges.baking import BakedPayload, unbake
from badges.checks import (
    CheckFn,
    VerifyState,
    check_context,
    check_issuer,
    check_parse,
    check_proof,
    check_recipient,
    check_schema,
    check_status,
    check_valid_from,
    check_valid_until,
)
from badges.checks.endorsements import check_endorsements, embedded_endorsements
from badges.checks.state import MAX_INPUT_BYTES, error, failed
from badges.did import DidResolver
from badges.encoding import b64url_decode
from badges.errors import BadgesError
from badges.images import PNG_MEDIA_TYPE, sniff_media_type
from badges.ob2 import is_ob2_assertion, looks_like_jws, verify_ob2
from badges.ob2.documents import is_url_text
from badges.ob2.links import is_gone
from badges.report import (
    CheckResult,
    EndorsementResult,
    Outcome,
    VerificationReport,
    Warning,
)
from badges.status import StatusResolver
from badges.types import DocumentLoader, HttpFetcher, JSONObject

CHECKS: tuple[tuple[str, CheckFn, tuple[str, ...]], ...] = (
    ("parse", check_parse, ()),
    ("context", check_context, ("parse",)),
    ("schema", check_schema, ("parse",)),
    ("issuer", check_issuer, ("parse",)),
    ("proof", check_proof, ("issuer",)),
    ("valid_from", check_valid_from, ("proof",)),
    ("valid_until", check_valid_until, ("proof",)),
    ("status", check_status, ("proof",)),
    ("recipient", check_recipient, ("proof",)),
)
"""(check id, check, ids of the checks that must pass first), in order."""

_OB2_MARKERS = ("openbadges/v2", "openbadgespec.org/v2", "Assertion")
"""Text that every OB 2.0 Assertion contains: only then is it parsed to look closer."""
_MAX_MEMO = 32

Verifier = Callable[[JSONObject | str | bytes], VerificationReport]


def verify(
    credential: JSONObject | str | bytes,
    *,
    now: datetime | None = None,
    skew: timedelta = timedelta(minutes=5),
    resolver: DidResolver | None = None,
    fetch: HttpFetcher | None = None,
    loader: DocumentLoader | None = None,
    status_resolver: StatusResolver | None = None,
    recipient: str | None = None,
    accept_header_jwk: bool = False,
) -> VerificationReport:
    """Verify a badge given as a dict, JSON text, a compact JWT/JWS, image bytes or a URL.

    ``now`` fixes the clock, ``skew`` tolerates clock differences, ``resolver``
    (or a ``fetch`` to build one) dereferences keys, ``loader`` serves JSON-LD
    contexts (pinned ones by default), ``status_resolver`` reads status lists
    and ``recipient`` (an e-mail, DID or URL) is compared with the subject.
    A VC-JWT header ``jwk`` is checked against the keys the issuer publishes: one
    the issuer lists is bound, one that contradicts them is ``key_not_bound``, and
    one next to an issuer that publishes no key for its algorithm is accepted with
    the warning ``jwk_not_bound``. ``accept_header_jwk=True`` matters only when the
    issuer's document cannot be read: the header key is then trusted (with that
    warning) instead of failing as ``key_not_bound``. ``fetch`` also
    retrieves a URL given as input and everything an OB 2.0 badge links to
    (hosted Assertion, BadgeClass, issuer Profile, key, revocation list).
    A baked image's report has ``baked`` set to the image's media type.
    """
    when = (now or datetime.now(UTC)).astimezone(UTC)

    def ob3(raw: JSONObject | str | bytes) -> VerificationReport:
        return _verify_ob3(
            raw,
            now=when,
            skew=skew,
            resolver=resolver or DidResolver(fetch),
            loader=loader,
            status_resolver=status_resolver,
            recipient=recipient,
            accept_header_jwk=accept_header_jwk,
        )

    def ob2_via(via: HttpFetcher | None) -> Verifier:
        def ob2(raw: JSONObject | str | bytes) -> VerificationReport:
            return verify_ob2(raw, fetch=via, now=when, skew=skew, recipient=recipient)

        return ob2

    if isinstance(credential, str) and is_url_text(credential):
        return _verify_url(credential.strip(), fetch, ob3, ob2_via)
    return _dispatch(credential, ob3, ob2_via(fetch))


def _dispatch(
    raw: JSONObject | str | bytes,
    ob3: Verifier,
    ob2: Verifier,
) -> VerificationReport:
    """Images are unbaked, OB 2.0 goes to ``ob2``; anything else is OB 3.0, unchanged."""
    if isinstance(raw, bytes | bytearray):
        data = bytes(raw)
        media_type = sniff_media_type(data)
        if media_type is not None:
            return _verify_baked(data, ob3, ob2)
        if len(data) <= MAX_INPUT_BYTES:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return ob3(raw)
            if _is_ob2_text(text):
                return ob2(text)
        return ob3(raw)
    if isinstance(raw, str):
        return ob2(raw) if _is_ob2_text(raw) else ob3(raw)
    return ob2(raw) if is_ob2_assertion(raw) else ob3(raw)


def _is_ob2_text(text: str) -> bool:
    """JSON text or a compact JWS (payload) that is an OB 2.0 Assertion."""
    if len(text) > MAX_INPUT_BYTES:
        return False
    if looks_like_jws(text):
        parts = text.strip().split(".")
        try:
            payload = b64url_decode(parts[1])
        except BadgesError:
            return False
        if not any(marker.encode() in payload for marker in _OB2_MARKERS):
            return False
        body: str | bytes = payload
    elif not any(marker in text for marker in _OB2_MARKERS):
        return False
    else:
        body = text
    try:
        return is_ob2_assertion(json.loads(body))
    except (ValueError, RecursionError):
        return False


def _verify_baked(data: bytes, ob3: Verifier, ob2: Verifier) -> VerificationReport:
    """A baked PNG/SVG: OB 3.0 "Baked Badge" or OB 2.0 Baking Specification."""
    try:
        baked: BakedPayload = unbake(data)
    except BadgesError as exc:
        return VerificationReport(checks=(failed("parse", "baked_invalid", detail=str(exc)),))
    # OB 2.0 images carry the JWS, the Assertion JSON or the hosted Assertion's URL.
    report = ob3(baked.text) if baked.kind == "ob3" else ob2(baked.text)
    label = "PNG" if baked.media_type == PNG_MEDIA_TYPE else "SVG"
    return dataclasses.replace(
        report,
        baked=baked.media_type,
        warnings=(Warning("baked_image", {"format": label}), *report.warnings),
    )


class _Memo:
    """The input URL's fetcher for one verification: a document is fetched once."""

    def __init__(self, fetch: HttpFetcher) -> None:
        self._fetch = fetch
        self._bodies: dict[str, bytes] = {}

    def __call__(self, url: str) -> bytes:
        body = self._bodies.get(url)
        if body is None:
            body = self._fetch(url)
            if len(self._bodies) < _MAX_MEMO:
                self._bodies[url] = body
        return body


def _verify_url(
    url: str,
    fetch: HttpFetcher | None,
    ob3: Verifier,
    ob2_via: Callable[[HttpFetcher | None], Verifier],
) -> VerificationReport:
    """Fetch the URL; its body is verified as given (OB 2.0 hosted: the URL is the id)."""
    if fetch is None:
        detail = f"{url}: no fetcher is configured"
        return VerificationReport(checks=(error("parse", "document_unreachable", detail=detail),))
    memo = _Memo(fetch)
    ob2 = ob2_via(memo)
    try:
        body = memo(url)
    except Exception as exc:  # the fetcher is foreign code; report any failure uniformly
        # OB 2.0 HostedBadge: "410 Gone [...] should be treated as revoked".
        return ob2(url) if is_gone(exc) else _unreachable(url, exc)
    return _dispatch(body, ob3, ob2)


def _unreachable(url: str, exc: Exception) -> VerificationReport:
    detail = f"{url} could not be fetched: {exc}"
    return VerificationReport(checks=(error("parse", "document_unreachable", detail=detail),))


def _verify_ob3(
    credential: JSONObject | str | bytes,
    *,
    now: datetime,
    skew: timedelta,
    resolver: DidResolver,
    loader: DocumentLoader | None,
    status_resolver: StatusResolver | None,
    recipient: str | None,
    accept_header_jwk: bool,
    endorsements: bool = True,
) -> VerificationReport:
    """The OB 3.0 pipeline on a dict, JSON text or compact JWT; then, with
    ``endorsements``, each embedded EndorsementCredential on its own (one level deep)."""
    state = VerifyState(
        raw=credential,
        now=now,
        skew=skew,
        resolver=resolver,
        loader=loader,
        status_resolver=status_resolver,
        recipient=recipient,
        accept_header_jwk=accept_header_jwk,
    )
    results: dict[str, CheckResult] = {}
    for check_id, run, requires in CHECKS:
        if any(results[dep].outcome is not Outcome.PASSED for dep in requires):
            results[check_id] = CheckResult(check_id, Outcome.SKIPPED, "skipped_after_failure")
            continue
        try:
            results[check_id] = run(state)
        except Exception as exc:  # a bug must not turn into a crash for the caller
            results[check_id] = error(check_id, "internal_error", detail=type(exc).__name__)
    embedded = embedded_endorsements(state.credential) if endorsements and state.credential else []
    endorsement_results: tuple[EndorsementResult, ...] = ()
    if embedded:

        def verify_one(raw: object) -> VerificationReport:
            if not isinstance(raw, dict | str):
                return VerificationReport(checks=(failed("parse", "not_object"),))
            return _verify_ob3(
                raw,
                now=now,
                skew=skew,
                resolver=resolver,
                loader=loader,
                status_resolver=status_resolver,
                recipient=None,
                accept_header_jwk=accept_header_jwk,
                endorsements=False,
            )

        try:
            results["endorsement"], endorsement_results = check_endorsements(
                state, embedded, verify_one
            )
        except Exception as exc:  # as above
            results["endorsement"] = error(
                "endorsement", "internal_error", detail=type(exc).__name__
            )
    return VerificationReport(
        checks=tuple(results.values()),
        warnings=tuple(state.warnings),
        credential=state.credential or None,
        format=state.format,
        endorsements=endorsement_results,
    )
