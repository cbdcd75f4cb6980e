"""Dereferencing verification methods: did:key, did:web and HTTPS key URLs."""

from __future__ import annotations

import copy
import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from badges.did.common import (
    _DID_RE,
    _FRAGMENT_RE,
    _WEB_SCHEMES,
    VERIFICATION_RELATIONSHIPS,
    _resolution_error,
)
from badges.did.documents import (
    parse_document,
)
from badges.did.key import (
    resolve_did_key,
)
from badges.did.web import (
    _check_scheme,
    did_web_url,
)
from badges.errors import DidResolutionError, InvalidCredential, InvalidDid, InvalidKey
from badges.keys import PublicKey, public_key_from_verification_method
from badges.model.dates import parse_datetime
from badges.types import HttpFetcher, JSONObject


@dataclass(frozen=True)
class VerificationMethod:
    """A dereferenced verification method.

    ``purposes`` lists the verification relationships (``assertionMethod``,
    ``authentication``, …) under which the controller document lists it.
    ``revoked`` is when the controller marked the key compromised (Controlled
    Identifiers v1.0 §2.2.1 / security vocabulary ``revoked``, an XSD
    dateTime): proofs made at or after it must not verify.
    """

    id: str
    type: str
    controller: str
    public_key: PublicKey
    purposes: frozenset[str]
    revoked: datetime | None = None


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
        revoked=_revoked(definition, vm_id),
    )


def _revoked(definition: Mapping[str, Any], vm_id: str) -> datetime | None:
    """The method's ``revoked`` time (an XSD dateTime with a time zone), if any.

    A ``revoked`` that is not a date-time makes the document unusable: guessing
    would either trust a compromised key or refuse a good one.
    """
    value = definition.get("revoked")
    if value is None:
        return None
    if not isinstance(value, str):
        _resolution_error(f"verification method {vm_id}: 'revoked' must be a date-time string")
    try:
        return parse_datetime(value, "revoked")
    except InvalidCredential as exc:
        _resolution_error(f"verification method {vm_id}: {exc}", exc)


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
            # Either document may carry the revocation; the earliest one counts.
            times = [t for t in (method.revoked, listed.revoked) if t is not None]
            method = dataclasses.replace(method, revoked=min(times) if times else None)
        return method

    # ---------------------------------------------------------------- a controller's keys

    def assertion_methods(self, controller: str) -> list[VerificationMethod]:
        """Every verification method ``controller`` lists under ``assertionMethod``.

        ``controller`` is a did:key, a did:web or an HTTPS controller document URL
        (an OB 3.0 issuer id). Used when a VC-JWT names no key (``kid``) and to
        check a header ``jwk`` against the keys the issuer publishes. Entries that
        cannot be dereferenced are left out; a document that cannot be loaded
        raises :class:`DidResolutionError`.
        """
        if controller.startswith("did:"):
            document: Mapping[str, Any] = self.resolve(controller)
        else:
            document = self._load_controller(controller, controller)
        methods: list[VerificationMethod] = []
        for entry in _entries(document, "assertionMethod"):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if not isinstance(ref, str):
                continue
            vm_id = _absolute(ref, controller)
            try:
                if controller.startswith("did:key:"):
                    method = _did_key_method(controller, vm_id)
                elif controller.startswith("did:"):
                    definition = _single_definition(document, vm_id)
                    if definition is None:
                        continue
                    method = _build_method(
                        definition, vm_id, controller, _purposes(document, vm_id)
                    )
                else:
                    method = self.dereference(vm_id)
            except (DidResolutionError, InvalidDid):
                continue
            if method.controller == controller:
                methods.append(method)
        return methods

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
