"""Issuers, their signing keys, DIDs and DID documents.

An issuer's identity is ``did:web:<host%3Aport>:issuers:<id>`` (its document is served
at ``/issuers/<id>/did.json``, did:web §3.2) or the ``did:key`` of its only key. The
did:web is derived from ``MERKKI_BASE_URL`` each time, never stored, so every id the
service mints names the same host. The DID document lists every key: current, retired
(past credentials keep verifying) and compromised ones with the time from which their
proofs are refused (``revoked``; see ``issuer.services.keys``, which also holds the
key functions this module re-exports).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from badges.did import (
    build_did_web_document,
    did_key,
    did_key_verification_method_id,
    did_web_from_url,
)
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import InvalidRequest, NotFound
from issuer.models.issuers import IssuerCreate, IssuerUpdate
from issuer.services import ServiceContext, audit
from issuer.services.keys import KEY_TYPES as KEY_TYPES  # re-exported: key functions moved
from issuer.services.keys import check_format, key_type_name, public_key, revoked_stamp, rotate_key
from issuer.services.keys import key_pair as key_pair
from issuer.services.keys import new_signing_key as new_signing_key
from issuer.services.texts import first_language, pick
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Issuer, SigningKey


def did_of(ctx: ServiceContext, issuer: Issuer, keys: Sequence[SigningKey]) -> str:
    if issuer.did_method == "key":
        return did_key(public_key(keys[0]))
    return did_web_from_url(ctx.base_url, f"issuers/{issuer.id}")


def verification_method(ctx: ServiceContext, issuer: Issuer, key: SigningKey) -> str:
    """The absolute verification method id of ``key`` (``did…#<key id>``)."""
    if issuer.did_method == "key":
        return did_key_verification_method_id(public_key(key))
    return f"{did_of(ctx, issuer, [key])}#{key.id}"


def did_document(ctx: ServiceContext, session: Session, issuer: Issuer) -> JSONObject:
    """The did:web document: every key (did:key issuers: 404).

    A compromised key stays listed (and under ``assertionMethod``), so credentials it
    signed before the compromise keep verifying, with ``revoked`` (Controlled
    Identifiers §2.2.1: an XSD dateTime; defined for ``Multikey`` by the multikey/v1
    context and for ``JsonWebKey`` by jwk/v1, both in the document's ``@context``):
    verifiers refuse its proofs created at or after that time.
    """
    if issuer.did_method != "web":
        raise NotFound("did:web document of issuer", issuer.id)
    keys = list(repo.keys_of(session, issuer.id))
    if not keys:
        raise NotFound("did:web document of issuer", issuer.id)
    document = build_did_web_document(
        did_of(ctx, issuer, keys), [(key.id, public_key(key)) for key in keys]
    )
    revoked = {
        f"{document['id']}#{key.id}": revoked_stamp(key.compromised_since)
        for key in keys
        if key.status == "compromised" and key.compromised_since is not None
    }
    for method in document["verificationMethod"]:
        if method["id"] in revoked:
            method["revoked"] = revoked[method["id"]]
    return document


def profile(
    ctx: ServiceContext, issuer: Issuer, keys: Sequence[SigningKey], lang: str
) -> JSONObject:
    """The OB 3.0 Profile of ``issuer`` in ``lang`` (missing texts: the default language)."""
    langs = (lang, issuer.default_language)
    data: JSONObject = {
        "id": did_of(ctx, issuer, keys),
        "type": ["Profile"],
        "name": pick(issuer.name, *langs),
    }
    if issuer.description is not None:
        data["description"] = pick(issuer.description, *langs)
    if issuer.url:
        data["url"] = issuer.url
    if issuer.email:
        data["email"] = issuer.email
    if issuer.image:
        data["image"] = {"id": issuer.image, "type": "Image"}
    return data


def profile_document(
    ctx: ServiceContext, session: Session, issuer: Issuer, lang: str | None
) -> JSONObject:
    """The Profile as a JSON-LD document (``GET /issuers/{id}``)."""
    keys = repo.keys_of(session, issuer.id)
    body = profile(ctx, issuer, keys, lang or issuer.default_language)
    return {"@context": [VC_V2_CONTEXT, OB_CONTEXT], **body}


def create_issuer(
    session: Session, ctx: ServiceContext, actor: Principal, org_id: str, body: IssuerCreate
) -> Issuer:
    if body.did_method == "key" and body.key_type == "rsa":
        raise InvalidRequest.field(("body", "key_type"), "did:key needs an Ed25519 or P-256 key")
    check_format(body.format, body.key_type, "format")
    now = utcnow()
    issuer = Issuer(
        id=new_id(),
        org_id=org_id,
        name=body.name,
        description=body.description,
        url=body.url,
        email=body.email,
        image=body.image,
        did_method=body.did_method,
        format=body.format,
        default_language=body.default_language or first_language(body.name) or "fi",
        ob2_signed=body.ob2_signed,
        created_at=now,
        updated_at=now,
    )
    key = new_signing_key(ctx, issuer.id, body.key_type)
    session.add(issuer)
    session.flush()
    session.add(key)
    audit.record(session, actor, "issuer.create", "issuer", issuer.id, org_id=org_id)
    audit.record(
        session,
        actor,
        "key.create",
        "signing_key",
        key.id,
        org_id=org_id,
        issuer_id=issuer.id,
        key_type=key.key_type,
    )
    session.commit()
    return issuer


def update_issuer(
    session: Session, actor: Principal, org_id: str, issuer_id: str, body: IssuerUpdate
) -> Issuer:
    issuer = repo.issuer(session, org_id, issuer_id)
    changes: dict[str, Any] = body.model_dump(exclude_unset=True)
    for required in ("name", "format", "default_language", "ob2_signed"):
        if required in changes and changes[required] is None:
            raise InvalidRequest.field(("body", required), "cannot be null")
    if "format" in changes:
        check_format(
            changes["format"], key_type_name(repo.current_key(session, issuer.id)), "format"
        )
    changed = [name for name, value in changes.items() if getattr(issuer, name) != value]
    if not changed:
        return issuer
    for name in changed:
        setattr(issuer, name, changes[name])
    issuer.updated_at = utcnow()
    audit.record(session, actor, "issuer.update", "issuer", issuer.id, fields=sorted(changed))
    session.commit()
    return issuer


def add_key(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    org_id: str,
    issuer_id: str,
    key_type: str,
) -> SigningKey:
    """Add a key and make it current; the current one becomes retired (still in did.json)."""
    return rotate_key(session, ctx, actor, org_id, issuer_id, key_type)
