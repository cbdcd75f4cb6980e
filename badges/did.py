"""DIDs and verification-method dereferencing: did:key, did:web and HTTPS key URLs.

* did:key (W3C CCG "The did:key Method" v0.9): the DID is
  ``did:key:`` + the Multikey ``publicKeyMultibase``; the DID document is
  generated locally (§3.1.2 "Document Creation Algorithm").
* did:web (W3C CCG "did:web Method Specification"): the DID document is
  fetched from ``https://<host>[:port]/<path>/did.json`` or
  ``https://<host>/.well-known/did.json`` (§3.2 "Read (Resolve)").
* Verification methods are found as described by W3C Controlled Identifiers
  v1.0 §3.3 "Retrieve Verification Method": the document's ``id`` must be the
  URL it was fetched for, and the method's ``controller`` must be that
  document's ``id``. Plain HTTPS method URLs (as used by 1EdTech Open Badges
  fixtures) are supported alongside DID URLs.

No network access happens here: documents come from the injected
:data:`badges.types.HttpFetcher` or from a pre-seeded map.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NoReturn
from urllib.parse import unquote, urlsplit

from badges.errors import DidResolutionError, InvalidDid, InvalidKey
from badges.keys import KeyType, PublicKey, public_key_from_verification_method
from badges.types import HttpFetcher, JSONObject

__all__ = [
    "DID_CONTEXT",
    "JWK_CONTEXT",
    "MAX_DOCUMENT_BYTES",
    "MAX_JSON_DEPTH",
    "MULTIKEY_CONTEXT",
    "VERIFICATION_RELATIONSHIPS",
    "DidResolver",
    "VerificationMethod",
    "build_did_web_document",
    "did_key",
    "did_key_verification_method_id",
    "did_web_from_url",
    "did_web_url",
    "parse_document",
    "resolve_did_key",
]

DID_CONTEXT: Final = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT: Final = "https://w3id.org/security/multikey/v1"
JWK_CONTEXT: Final = "https://w3id.org/security/jwk/v1"

VERIFICATION_RELATIONSHIPS: Final = (
    "authentication",
    "assertionMethod",
    "keyAgreement",
    "capabilityInvocation",
    "capabilityDelegation",
)
"""Verification relationships of DID Core §5.3 / Controlled Identifiers §2.3."""

MAX_DOCUMENT_BYTES: Final = 256 * 1024
"""Largest fetched document accepted."""
MAX_JSON_DEPTH: Final = 32
"""Deepest nesting of arrays/objects accepted in a fetched document."""

# DID Core §3.1: did = "did:" method-name ":" method-specific-id
_DID_RE: Final = re.compile(
    r"did:(?P<method>[a-z0-9]+):(?P<msid>(?:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*:)*"
    r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+)"
)
_FRAGMENT_RE: Final = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})+")
_SEGMENT_RE: Final = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST_RE: Final = re.compile(rf"(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?")
_WEB_SCHEMES: Final = ("https", "http")


def _resolution_error(message: str, cause: BaseException | None = None) -> NoReturn:
    raise DidResolutionError(message) from cause


# --------------------------------------------------------------------------- did:key


def did_key(public: PublicKey) -> str:
    """Return ``did:key:<publicKeyMultibase>`` for an Ed25519 or P-256 key (did:key §3.1.1)."""
    if public.type not in (KeyType.ED25519, KeyType.P256):
        raise InvalidDid(f"did:key: expected an Ed25519 or P-256 key, got {public.type.value}")
    return "did:key:" + public.to_multibase()


def did_key_verification_method_id(public: PublicKey) -> str:
    """Return ``did:key:z…#z…``, the id of the key's verification method (did:key §3.1.2)."""
    did = did_key(public)
    return f"{did}#{public.to_multibase()}"


def _parse_did_key(did: str) -> tuple[str, PublicKey]:
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise InvalidDid(f"did:key: expected a DID starting 'did:key:', got {did!r}")
    multibase = did.removeprefix("did:key:")
    if not multibase.startswith("z") or not multibase.isalnum() or not multibase.isascii():
        raise InvalidDid(
            f"did:key: expected 'did:key:z' + base58btc key (no path/fragment), got {did!r}"
        )
    try:
        public = PublicKey.from_multibase(multibase)
    except InvalidKey as exc:
        raise InvalidDid(f"did:key: invalid key in {did!r}: {exc}") from exc
    if public.type not in (KeyType.ED25519, KeyType.P256):
        raise InvalidDid(f"did:key: expected an Ed25519 or P-256 key, got {public.type.value}")
    if public.to_multibase() != multibase:  # pragma: no cover - base58 is canonical
        raise InvalidDid(f"did:key: non-canonical key encoding in {did!r}")
    return multibase, public


def resolve_did_key(did: str) -> JSONObject:
    """Generate the DID document of a did:key (did:key §3.1.2, Multikey form).

    One ``Multikey`` verification method ``did#<multibase>`` controlled by the
    DID, listed under authentication, assertionMethod, capabilityInvocation and
    capabilityDelegation. Ed25519 and P-256 only; anything else raises
    :class:`InvalidDid`.
    """
    multibase, _public = _parse_did_key(did)
    vm_id = f"{did}#{multibase}"
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }


# --------------------------------------------------------------------------- did:web


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
) -> JSONObject:
    """Build the did.json for a did:web (DID Core §5, Controlled Identifiers §2.2).

    Each ``(fragment, key)`` becomes a verification method ``did#fragment``
    controlled by ``did``: ``Multikey`` for Ed25519/P-256, ``JsonWebKey``
    (``publicKeyJwk``) for RSA. The methods named in ``assertion`` (all of
    them by default, so retired keys still verify old credentials) are listed
    under ``assertionMethod`` and ``authentication``.
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


# --------------------------------------------------------------------------- documents


def _check_depth(value: object) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (iteratively, no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterator[object] = iter(item.values())
        elif isinstance(item, list):
            children = iter(item)
        else:
            continue
        if depth > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> JSONObject:
    result: JSONObject = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate member {key!r}")
        result[key] = value
    return result


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"non-standard JSON constant {name}")


def parse_document(body: bytes, url: str) -> JSONObject:
    """Parse a fetched JSON document with size, depth and duplicate-member limits."""
    if not isinstance(body, bytes | bytearray):
        _resolution_error(f"document {url}: fetcher returned {type(body).__name__}, not bytes")
    if len(body) > MAX_DOCUMENT_BYTES:
        _resolution_error(
            f"document {url}: expected at most {MAX_DOCUMENT_BYTES} bytes, got {len(body)}"
        )
    try:
        text = bytes(body).decode("utf-8")
        document = json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant
        )
        _check_depth(document)
    except (ValueError, RecursionError) as exc:
        _resolution_error(f"document {url}: not valid JSON ({exc})", exc)
    if not isinstance(document, dict):
        _resolution_error(f"document {url}: expected a JSON object, got {type(document).__name__}")
    return document


# --------------------------------------------------------------------------- dereferencing


@dataclass(frozen=True)
class VerificationMethod:
    """A dereferenced verification method.

    ``purposes`` lists the verification relationships (``assertionMethod``,
    ``authentication``, …) under which the controller document lists it.
    """

    id: str
    type: str
    controller: str
    public_key: PublicKey
    purposes: frozenset[str]


def _absolute(ref: str, base: str) -> str:
    """Resolve a ``#fragment`` reference against the document id."""
    return base + ref if ref.startswith("#") else ref


def _entries(document: Mapping[str, Any], member: str) -> list[Any]:
    value = document.get(member)
    if value is None:
        return []
    if isinstance(value, str | dict):
        return [value]
    if not isinstance(value, list):
        _resolution_error(
            f"document {document.get('id')!r} member {member!r}: "
            f"expected an array, got {type(value).__name__}"
        )
    return value


def _find_embedded(document: Mapping[str, Any], vm_id: str) -> list[Mapping[str, Any]]:
    """All embedded definitions of ``vm_id`` (in verificationMethod or a relationship)."""
    base = document["id"]
    found: list[Mapping[str, Any]] = []
    for member in ("verificationMethod", *VERIFICATION_RELATIONSHIPS):
        for entry in _entries(document, member):
            if isinstance(entry, dict):
                entry_id = entry.get("id")
                if not isinstance(entry_id, str):
                    _resolution_error(
                        f"document {base!r} member {member!r}: verification method without an id"
                    )
                if _absolute(entry_id, base) == vm_id:
                    found.append(entry)
            elif not isinstance(entry, str) or member == "verificationMethod":
                expected = "objects" if member == "verificationMethod" else "ids or objects"
                _resolution_error(
                    f"document {base!r} member {member!r}: expected {expected}, "
                    f"got {type(entry).__name__}"
                )
    return found


def _purposes(document: Mapping[str, Any], vm_id: str) -> frozenset[str]:
    """The relationships of ``document`` that list ``vm_id`` by reference or embedded."""
    base = document["id"]
    purposes: set[str] = set()
    for member in VERIFICATION_RELATIONSHIPS:
        for entry in _entries(document, member):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and _absolute(ref, base) == vm_id:
                purposes.add(member)
    return frozenset(purposes)


def _mentions(document: Mapping[str, Any], vm_id: str) -> bool:
    if _purposes(document, vm_id):
        return True
    base = document["id"]
    for entry in _entries(document, "verificationMethod"):
        ref = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(ref, str) and _absolute(ref, base) == vm_id:
            return True
    return False


def _document_id(document: Mapping[str, Any], where: str) -> str:
    doc_id = document.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        _resolution_error(f"document {where}: member 'id' must be a non-empty string")
    return doc_id


def _single_definition(document: Mapping[str, Any], vm_id: str) -> Mapping[str, Any] | None:
    definitions = _find_embedded(document, vm_id)
    if not definitions:
        return None
    first = definitions[0]
    if any(other != first for other in definitions[1:]):
        _resolution_error(f"verification method {vm_id}: conflicting definitions in its document")
    return first


def _build_method(
    definition: Mapping[str, Any], vm_id: str, controller_id: str, purposes: frozenset[str]
) -> VerificationMethod:
    """Check a method definition against its controller (Controlled Identifiers §3.3)."""
    controller = definition.get("controller")
    if not isinstance(controller, str):
        _resolution_error(f"verification method {vm_id}: member 'controller' must be a string")
    if _absolute(controller, controller_id) != controller_id:
        _resolution_error(
            f"verification method {vm_id}: controller {controller!r} is not the "
            f"controller document {controller_id!r}"
        )
    try:
        public_key = public_key_from_verification_method(definition)
    except InvalidKey as exc:
        _resolution_error(f"verification method {vm_id}: {exc}", exc)
    return VerificationMethod(
        id=vm_id,
        type=str(definition["type"]),  # a known type, or the call above would have failed
        controller=controller_id,
        public_key=public_key,
        purposes=purposes,
    )


@functools.lru_cache(maxsize=4096)
def _did_key_method(did: str, vm_id: str) -> VerificationMethod:
    """A did:key verification method: derived from the DID string alone, so it is cached."""
    document = resolve_did_key(did)
    definition = _single_definition(document, vm_id)
    if definition is None:
        _resolution_error(f"verification method {vm_id}: not found in the DID document")
    return _build_method(definition, vm_id, did, _purposes(document, vm_id))


class DidResolver:
    """Resolves did:key / did:web DIDs and dereferences verification methods.

    ``fetch`` is the injected HTTP fetcher (no network access otherwise);
    ``documents`` is a pre-seeded map of URL, DID or verification-method id
    to parsed JSON, consulted before ``fetch``. ``web_scheme="http"`` lets
    did:web and key URLs use plain HTTP (local development and tests).
    ``fragment_multikeys=True`` enables the 1EdTech validator convention
    where an HTTPS controller document lists ``<controller>#<publicKeyMultibase>``
    by reference only and the key is read from the fragment.
    """

    def __init__(
        self,
        fetch: HttpFetcher | None = None,
        *,
        documents: Mapping[str, JSONObject] | None = None,
        web_scheme: str = "https",
        fragment_multikeys: bool = False,
    ) -> None:
        """Configure the resolver; see the class docstring."""
        _check_scheme(web_scheme)
        self._fetch = fetch
        self._documents: Mapping[str, JSONObject] = dict(documents or {})
        self._web_scheme = web_scheme
        self._fragment_multikeys = fragment_multikeys

    # ---------------------------------------------------------------- loading

    def _load(self, url: str) -> JSONObject:
        """Return the document at ``url`` from ``documents`` or via ``fetch``."""
        seeded = self._documents.get(url)
        if seeded is not None:
            if not isinstance(seeded, dict):
                _resolution_error(f"document {url}: pre-seeded value is not a JSON object")
            return copy.deepcopy(seeded)
        if self._fetch is None:
            _resolution_error(f"document {url}: not pre-seeded and no fetcher configured")
        try:
            body = self._fetch(url)
        except Exception as exc:  # the fetcher is foreign code; report any failure uniformly
            _resolution_error(f"document {url}: fetch failed ({exc})", exc)
        return parse_document(body, url)

    def _check_url(self, url: str) -> None:
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            _resolution_error(f"verification method URL: cannot parse {url!r} ({exc})", exc)
        allowed = ("https",) if self._web_scheme == "https" else _WEB_SCHEMES
        if parts.scheme not in allowed or not parts.hostname:
            _resolution_error(
                f"verification method URL: expected {' or '.join(allowed)}://host/..., got {url!r}"
            )

    # ---------------------------------------------------------------- DIDs

    def resolve(self, did: str) -> JSONObject:
        """Return the DID document for ``did`` (did:key locally, did:web via fetch).

        did:web documents must have ``id`` equal to the DID (did:web §3.2).
        Other methods raise :class:`DidResolutionError`.
        """
        if not isinstance(did, str) or _DID_RE.fullmatch(did) is None:
            raise InvalidDid(
                f"DID: expected did:<method>:<id> without path or fragment, got {did!r}"
            )
        method = did.split(":", 2)[1]
        if method == "key":
            return resolve_did_key(did)
        if method != "web":
            _resolution_error(
                f"unsupported DID method {method!r} in {did!r}: expected did:key or did:web"
            )
        if did in self._documents:
            document = self._load(did)
        else:
            document = self._load(did_web_url(did, scheme=self._web_scheme))
        doc_id = document.get("id")
        if doc_id != did:
            _resolution_error(
                f"DID document for {did}: member 'id' is {doc_id!r}, expected the DID"
            )
        return document

    # ---------------------------------------------------------------- verification methods

    def dereference(self, vm_id: str) -> VerificationMethod:
        """Find the verification method ``vm_id`` and the relationships listing it.

        ``vm_id`` is a DID URL ``did:…#fragment`` or an HTTPS URL. For HTTPS,
        the URL without fragment is loaded; it is either the controller
        document listing the method (matched by full id) or the key document
        itself (``id`` equal to ``vm_id``), in which case the controller
        document named by its ``controller`` supplies the purposes.
        """
        if not isinstance(vm_id, str) or ("#" not in vm_id and not vm_id.startswith("http")):
            _resolution_error(
                f"verification method id: expected did:…#fragment or a URL, got {vm_id!r}"
            )
        base, _, fragment = vm_id.partition("#")
        if base.startswith("did:"):
            if not fragment or _FRAGMENT_RE.fullmatch(fragment) is None:
                _resolution_error(f"verification method id: expected a #fragment, got {vm_id!r}")
            return self._dereference_did_url(base, vm_id)
        self._check_url(vm_id)
        return self._dereference_url(base, vm_id)

    def _dereference_did_url(self, did: str, vm_id: str) -> VerificationMethod:
        if did.startswith("did:key:"):
            return _did_key_method(did, vm_id)
        document = self.resolve(did)
        definition = _single_definition(document, vm_id)
        if definition is None:
            _resolution_error(f"verification method {vm_id}: not found in the DID document")
        return _build_method(definition, vm_id, did, _purposes(document, vm_id))

    def _dereference_url(self, base: str, vm_id: str) -> VerificationMethod:
        if vm_id in self._documents:
            document, fetched_from = self._load(vm_id), vm_id
        else:
            document, fetched_from = self._load(base), base
        doc_id = _document_id(document, fetched_from)
        if doc_id == vm_id:
            return self._from_key_document(document, vm_id, fetched_from)
        if doc_id != base:
            _resolution_error(
                f"document {fetched_from}: member 'id' is {doc_id!r}, "
                f"expected {base!r} or {vm_id!r}"
            )
        return self._from_controller_document(document, vm_id)

    def _from_controller_document(
        self, document: Mapping[str, Any], vm_id: str
    ) -> VerificationMethod:
        controller_id = document["id"]
        purposes = _purposes(document, vm_id)
        definition = _single_definition(document, vm_id)
        if definition is None and purposes and self._fragment_multikeys:
            fragment = vm_id.partition("#")[2]
            definition = {
                "id": vm_id,
                "type": "Multikey",
                "controller": controller_id,
                "publicKeyMultibase": fragment,
            }
        if definition is None:
            _resolution_error(
                f"verification method {vm_id}: not defined in controller document {controller_id}"
            )
        return _build_method(definition, vm_id, controller_id, purposes)

    def _from_key_document(
        self, key_document: Mapping[str, Any], vm_id: str, fetched_from: str
    ) -> VerificationMethod:
        controller = key_document.get("controller")
        if not isinstance(controller, str) or not controller:
            _resolution_error(f"key document {vm_id}: member 'controller' must be a string")
        if controller == fetched_from:
            # The controller URL serves the key itself: no relationships to consult.
            return _build_method(key_document, vm_id, controller, _purposes(key_document, vm_id))
        controller_document = self._load_controller(controller, vm_id)
        if not _mentions(controller_document, vm_id):
            _resolution_error(
                f"verification method {vm_id}: controller document {controller} does not list it"
            )
        method = _build_method(
            key_document, vm_id, controller, _purposes(controller_document, vm_id)
        )
        embedded = _single_definition(controller_document, vm_id)
        if embedded is not None:
            listed = _build_method(embedded, vm_id, controller, method.purposes)
            if listed.public_key != method.public_key:
                _resolution_error(
                    f"verification method {vm_id}: key document and controller document disagree"
                )
        return method

    def _load_controller(self, controller: str, vm_id: str) -> JSONObject:
        if controller.startswith("did:"):
            return self.resolve(controller)
        self._check_url(controller)
        if "#" in controller:
            _resolution_error(f"key document {vm_id}: controller {controller!r} has a fragment")
        document = self._load(controller)
        if _document_id(document, controller) != controller:
            _resolution_error(
                f"controller document {controller}: member 'id' is {document.get('id')!r}, "
                "expected its URL"
            )
        return document
