"""The OB 2.0 checks on who issued the badge: read it, fetch what it links to, bind keys.

OB 2.0 "Verification": "HostedBadge Verification" (the hosted copy is the source
of truth and must lie within the issuer's scope) and "SignedBadge Verification"
steps 1–6 (the JWS payload, data validation, keys linked from the issuer
Profile, the signature).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from badges.checks.state import MAX_DEPTH, depth_ok, error, failed, passed
from badges.errors import InvalidInput, InvalidKey, ProofError, ResolutionError
from badges.ob2.documents import (
    assertion_problems,
    badge_class_problems,
    is_http_url,
    is_url_text,
    key_problems,
    origin,
    profile_problems,
    ref_id,
    refs,
    verification_of,
    verification_type,
)
from badges.ob2.jws import check_alg, decode_jws, looks_like_jws, public_key_from_pem, verify_jws
from badges.ob2.links import MAX_DOCUMENT_BYTES, Gone, IdMismatch, parse_json_object
from badges.ob2.state import Ob2State
from badges.ob2.validity import note_revocation_reason
from badges.report import CheckResult, Warning
from badges.types import JSONObject


def _first(problems: list[str]) -> str:
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return problems[0] + more


def _read_url(state: Ob2State, url: str) -> str | CheckResult:
    try:
        body = state.links.body(url)
    except Gone:
        return failed("parse", "revoked")
    except ResolutionError as exc:
        return error("parse", "document_unreachable", detail=str(exc))
    except InvalidInput as exc:
        return failed("parse", "not_json", detail=str(exc))
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return failed("parse", "not_json", detail=f"{url} is not UTF-8 text")


def check_parse(state: Ob2State) -> CheckResult:
    """Read a dict, JSON text, a compact JWS (SignedBadge step 1–2) or a hosted URL."""
    raw = state.raw
    if isinstance(raw, bytes | bytearray):
        if len(raw) > MAX_DOCUMENT_BYTES:
            return failed("parse", "too_large", limit=MAX_DOCUMENT_BYTES)
        try:
            raw = bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return failed("parse", "not_json", detail="not UTF-8 text")
    if isinstance(raw, str) and is_url_text(raw):
        read = _read_url(state, raw.strip())
        if isinstance(read, CheckResult):
            return read
        raw = read
    if isinstance(raw, str):
        if looks_like_jws(raw):
            try:
                state.jws = decode_jws(raw)
            except ProofError as exc:
                return failed("parse", "malformed_jwt", detail=str(exc))
            raw = state.jws.payload
        else:
            try:
                raw = parse_json_object(raw, "the input")
            except InvalidInput as exc:
                return failed("parse", "not_json", detail=str(exc))
    if not isinstance(raw, dict):
        return failed("parse", "not_object")
    if not depth_ok(raw):
        return failed("parse", "too_deep", limit=MAX_DEPTH)
    state.assertion = raw
    state.mode = "signed" if state.jws else verification_type(state.assertion)
    kind = "JWS" if state.jws else "JSON"
    return passed("parse", "ok_parse", format=f"Open Badges 2.0 {kind}")


def check_hosted(state: Ob2State) -> CheckResult:
    """HostedBadge: fetch the Assertion at its ``id`` and use that copy from now on.

    "the input data should only be trusted to identify the URI of the hosted
    verification file [...] the retrieved data should be used as the Assertion
    value"; a 410 Gone answer or ``"revoked": true`` means revoked.
    """
    presented = state.assertion
    url = presented.get("id")
    if not is_http_url(url):
        return failed("hosted", "ob2_hosted_id", id=url)
    assert isinstance(url, str)  # noqa: S101 - is_http_url checked it
    legacy_url = verification_of(presented).get("url")
    if legacy_url is not None and legacy_url != url:
        return failed(
            "hosted", "ob2_hosted_mismatch", url=url, detail=f"verification.url is {legacy_url}"
        )
    try:
        hosted = state.links.document(url, "hosted Assertion")
    except Gone:
        return failed("hosted", "revoked")
    except ResolutionError as exc:
        return error("hosted", "document_unreachable", detail=str(exc))
    except IdMismatch as exc:
        return failed("hosted", "ob2_hosted_mismatch", url=url, detail=str(exc))
    except InvalidInput as exc:
        return failed("hosted", "ob2_bad_document", detail=str(exc))
    if hosted.get("revoked") is True:
        note_revocation_reason(state, hosted.get("revocationReason"))
        return failed("hosted", "revoked")
    if hosted != presented:
        state.warnings.append(Warning("ob2_hosted_differs", {"url": url}))
    state.assertion = hosted
    if verification_type(hosted) != "hosted":
        return failed("hosted", "ob2_invalid", detail="the hosted copy is not a HostedBadge")
    return passed("hosted", "ok_hosted", url=url)


def check_assertion(state: Ob2State) -> CheckResult:
    """Data Validation of the Assertion, its BadgeClass and the issuer Profile."""
    problems = assertion_problems(state.assertion)
    if state.jws is not None and verification_type(state.assertion) != "signed":
        problems.append("a JWS-signed Assertion must declare SignedBadge verification")
    if problems:
        return failed("assertion", "ob2_invalid", detail=_first(problems))
    try:
        state.badge = state.links.resolve(state.assertion.get("badge"), "BadgeClass")
        problems = badge_class_problems(state.badge)
        if problems:
            return failed("assertion", "ob2_invalid", detail=_first(problems))
        state.issuer = _authoritative_profile(state, state.badge.get("issuer"))
    except ResolutionError as exc:
        return error("assertion", "document_unreachable", detail=str(exc))
    except InvalidInput as exc:
        return failed("assertion", "ob2_bad_document", detail=str(exc))
    problems, missing = profile_problems(state.issuer)
    if problems:
        return failed("assertion", "ob2_invalid", detail=_first(problems))
    for name in missing:
        state.warnings.append(Warning("ob2_property_missing", {"name": name}))
    return passed("assertion", "ok_ob2_documents")


def _authoritative_profile(state: Ob2State, value: object) -> JSONObject:
    """The issuer Profile as its issuer publishes it.

    The Profile is the trust anchor (its ``publicKey`` and ``verification`` scope
    decide which keys and hosts speak for the issuer), so an embedded copy with
    an HTTP(S) ``id`` is replaced by the document at that ``id``: otherwise a badge
    could embed a Profile that lists the forger's key under a real issuer's id.
    """
    profile = state.links.resolve(value, "issuer Profile")
    if isinstance(value, dict) and is_http_url(value.get("id")):
        published = state.links.document(str(value["id"]), "issuer Profile")
        if published != profile:
            state.warnings.append(Warning("ob2_profile_replaced", {"url": value["id"]}))
        return published
    return profile


def _scope_rules(profile: JSONObject) -> tuple[list[str], list[str]]:
    rules = profile.get("verification", profile.get("verify"))
    rules = rules if isinstance(rules, dict) else {}
    starts = [s for s in refs(rules.get("startsWith")) if isinstance(s, str) and s]
    hosts = [h.lower() for h in refs(rules.get("allowedOrigins")) if isinstance(h, str) and h]
    return starts, hosts


def check_hosted_scope(state: Ob2State) -> CheckResult:
    """HostedBadge: "The Assertion ``id`` must be within the permitted scope [...] declared
    in issuer Profile", by default the origin of the Profile ``id``; else its
    VerificationObject ``startsWith`` and ``allowedOrigins``."""
    profile = state.issuer or {}
    issuer = state.issuer_id()
    assertion_id = str(state.assertion.get("id"))
    starts, hosts = _scope_rules(profile)
    if starts and not any(assertion_id.startswith(prefix) for prefix in starts):
        return failed("issuer", "ob2_out_of_scope", id=assertion_id, issuer=issuer)
    if hosts and (urlsplit(assertion_id).hostname or "").lower() not in hosts:
        return failed("issuer", "ob2_out_of_scope", id=assertion_id, issuer=issuer)
    if (
        not starts
        and not hosts
        and (not is_http_url(issuer) or origin(issuer) != origin(assertion_id))
    ):
        return failed("issuer", "ob2_out_of_scope", id=assertion_id, issuer=issuer)
    return passed("issuer", "ok_hosted_scope", id=assertion_id, issuer=issuer)


def _listed_keys(profile: JSONObject) -> dict[str, object]:
    listed: dict[str, object] = {}
    for entry in refs(profile.get("publicKey")):
        key_id = ref_id(entry)
        if key_id is not None:
            listed[key_id] = entry
    return listed


def check_signed_issuer(state: Ob2State) -> CheckResult:
    """SignedBadge step 4–5: "Do not trust a key that is not properly linked from the
    issuer Profile"; the key's ``owner`` must be that Profile (CryptographicKey)."""
    profile = state.issuer or {}
    issuer = state.issuer_id()
    listed = _listed_keys(profile)
    creator = ref_id(verification_of(state.assertion).get("creator"))
    if creator is not None and creator not in listed:
        return failed("issuer", "ob2_key_not_listed", key=creator, issuer=issuer)
    wanted = [creator] if creator is not None else list(listed)
    if not wanted:
        return failed("issuer", "ob2_no_keys", issuer=issuer)
    for key_id in wanted:
        entry = listed[key_id]
        try:
            if isinstance(entry, dict) and "publicKeyPem" in entry:
                document = entry
            else:
                document = state.links.document(key_id, "CryptographicKey")
        except ResolutionError as exc:
            return error("issuer", "key_unresolvable", key=key_id, detail=str(exc))
        except InvalidInput as exc:
            return failed("issuer", "ob2_bad_key", key=key_id, detail=str(exc))
        problems = key_problems(document)
        if problems:
            return failed("issuer", "ob2_bad_key", key=key_id, detail=_first(problems))
        if document.get("owner") != issuer:
            return failed("issuer", "key_not_bound", key=key_id, issuer=issuer)
        try:
            state.keys.append((key_id, public_key_from_pem(str(document["publicKeyPem"]))))
        except InvalidKey as exc:
            return failed("issuer", "ob2_bad_key", key=key_id, detail=str(exc))
    return passed("issuer", "ok_issuer", key=", ".join(k for k, _ in state.keys), issuer=issuer)


def check_signature(state: Ob2State) -> CheckResult:
    """SignedBadge step 6: "If the verification fails, assertion MUST be treated as invalid"."""
    jws = state.jws
    if jws is None:
        return failed("proof", "no_proof")
    try:
        check_alg(jws)
    except ProofError as exc:
        return failed("proof", "unsupported_algorithm", detail=str(exc))
    last = ProofError("no key", "invalid_signature")
    for _, key in state.keys:
        try:
            verify_jws(jws, key)
        except ProofError as exc:
            last = exc
            continue
        return passed("proof", "ok_proof", suite=f"JWS {jws.alg}")
    return failed("proof", last.code, detail=str(last))
