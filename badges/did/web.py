"""did:web (W3C CCG did:web method): DID ↔ URL mapping and DID documents."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import unquote, urlsplit

from badges.did.common import (
    _DID_RE,
    _HOST_RE,
    _SEGMENT_RE,
    _WEB_SCHEMES,
    DID_CONTEXT,
    JWK_CONTEXT,
    MULTIKEY_CONTEXT,
)
from badges.errors import InvalidDid
from badges.keys import KeyType, PublicKey
from badges.model.dates import format_datetime
from badges.types import JSONObject


def _check_scheme(scheme: str) -> None:
    if scheme not in _WEB_SCHEMES:
        raise InvalidDid(f"did:web scheme: expected 'https' or 'http', got {scheme!r}")


def _parse_did_web(did: str) -> tuple[str, list[str]]:
    """Split a did:web into its decoded host (with port) and path segments."""
    if not isinstance(did, str) or not did.startswith("did:web:"):
        raise InvalidDid(f"did:web: expected a DID starting 'did:web:', got {did!r}")
    if _DID_RE.fullmatch(did) is None:
        raise InvalidDid(f"did:web: expected host[:path segments] (no fragment/query), got {did!r}")
    host_part, *segments = did.removeprefix("did:web:").split(":")
    host = unquote(host_part)
    match = _HOST_RE.fullmatch(host)
    if match is None or len(match["host"]) > 253:
        raise InvalidDid(
            f"did:web host: expected a domain name with optional %3A port, got {host!r}"
        )
    port = match["port"]
    if port is not None and not 0 < int(port) < 65536:
        raise InvalidDid(f"did:web port: expected 1-65535, got {port}")
    for segment in segments:
        if not _SEGMENT_RE.fullmatch(segment) or unquote(segment) in (".", ".."):
            raise InvalidDid(f"did:web path segment: expected a non-empty name, got {segment!r}")
        if "/" in unquote(segment):
            raise InvalidDid(f"did:web path segment: must not encode '/', got {segment!r}")
    return host, segments


def did_web_url(did: str, scheme: str = "https") -> str:
    """Map a did:web to its DID document URL (did:web §3.2).

    ``did:web:example.com`` → ``https://example.com/.well-known/did.json``;
    ``did:web:example.com:issuers:1`` → ``https://example.com/issuers/1/did.json``;
    ``did:web:localhost%3A8000`` → ``https://localhost:8000/.well-known/did.json``.
    ``scheme="http"`` is for local development and tests only.
    """
    _check_scheme(scheme)
    host, segments = _parse_did_web(did)
    path = "/".join(segments) + "/did.json" if segments else ".well-known/did.json"
    return f"{scheme}://{host}/{path}"


def did_web_from_url(base_url: str, path: str = "") -> str:
    """Build the did:web for a site and optional path (inverse of :func:`did_web_url`).

    ``did_web_from_url("https://localhost:8000", "issuers/1")`` →
    ``did:web:localhost%3A8000:issuers:1``. A trailing ``/did.json`` or
    ``/.well-known/did.json`` on ``base_url`` is dropped.
    """
    try:
        parts = urlsplit(base_url)
    except (ValueError, TypeError) as exc:
        raise InvalidDid(f"did:web base URL: cannot parse {base_url!r} ({exc})") from exc
    _check_scheme(parts.scheme)
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InvalidDid(
            f"did:web base URL: expected scheme://host[:port][/path], got {base_url!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise InvalidDid(f"did:web base URL: invalid port in {base_url!r}") from None
    host = parts.hostname or ""
    names = [name for name in f"{parts.path}/{path}".split("/") if name]
    if names[-1:] == ["did.json"]:
        names.pop()
        if names == [".well-known"]:
            names.pop()
    encoded = [_encode_segment(unquote(name)) for name in names]
    host_id = host if port is None else f"{host}%3A{port}"
    did = ":".join(["did:web", host_id, *encoded])
    _parse_did_web(did)  # validates host, port and segments
    return did


def _encode_segment(name: str) -> str:
    """Percent-encode a path segment so it only uses DID ``idchar`` characters."""
    out: list[str] = []
    for char in name:
        if char.isascii() and (char.isalnum() or char in "._-"):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def build_did_web_document(
    did: str,
    keys: Sequence[tuple[str, PublicKey]],
    *,
    assertion: Sequence[str] | None = None,
    revoked: Mapping[str, datetime] | None = None,
) -> JSONObject:
    """Build the did.json for a did:web (DID Core §5, Controlled Identifiers §2.2).

    Each ``(fragment, key)`` becomes a verification method ``did#fragment``
    controlled by ``did``: ``Multikey`` for Ed25519/P-256, ``JsonWebKey``
    (``publicKeyJwk``) for RSA. The methods named in ``assertion`` (all of
    them by default, so retired keys still verify old credentials) are listed
    under ``assertionMethod`` and ``authentication``. ``revoked`` maps the
    fragments of compromised keys to when they were compromised: each such
    method gets the security-vocabulary ``revoked`` date-time (defined by the
    Multikey and JsonWebKey contexts) and verifiers refuse proofs made from then on.
    """
    _parse_did_web(did)
    if not keys:
        raise InvalidDid("did:web document: expected at least one key, got none")
    methods: list[JSONObject] = []
    fragments: list[str] = []
    for fragment, key in keys:
        if not isinstance(fragment, str) or not _SEGMENT_RE.fullmatch(fragment):
            raise InvalidDid(f"did:web key fragment: expected [A-Za-z0-9._-]+, got {fragment!r}")
        if fragment in fragments:
            raise InvalidDid(f"did:web key fragment: duplicate {fragment!r}")
        if not isinstance(key, PublicKey):
            raise InvalidDid(f"did:web key {fragment!r}: expected a PublicKey, got {key!r}")
        fragments.append(fragment)
        methods.append(_verification_method_json(did, fragment, key))
    for fragment, when in (revoked or {}).items():
        if fragment not in fragments:
            raise InvalidDid(f"did:web revoked: unknown key fragment {fragment!r}")
        if not isinstance(when, datetime) or when.tzinfo is None:
            raise InvalidDid(f"did:web revoked {fragment!r}: expected an aware datetime")
        methods[fragments.index(fragment)]["revoked"] = format_datetime(when)
    listed = list(fragments) if assertion is None else list(assertion)
    unknown = [name for name in listed if name not in fragments]
    if unknown:
        raise InvalidDid(f"did:web assertion: unknown key fragments {unknown!r}")
    contexts = [DID_CONTEXT, MULTIKEY_CONTEXT]
    if any(key.type is KeyType.RSA for _, key in keys):
        contexts.append(JWK_CONTEXT)
    listed_ids = [f"{did}#{name}" for name in dict.fromkeys(listed)]
    return {
        "@context": contexts,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": listed_ids,
        "authentication": list(listed_ids),
    }


def _verification_method_json(controller: str, fragment: str, key: PublicKey) -> JSONObject:
    method: JSONObject = {"id": f"{controller}#{fragment}", "controller": controller}
    if key.type is KeyType.RSA:
        method["type"] = "JsonWebKey"
        method["publicKeyJwk"] = key.to_jwk()
    else:
        method["type"] = "Multikey"
        method["publicKeyMultibase"] = key.to_multibase()
    return method
