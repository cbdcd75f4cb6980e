"""Issuers, their signing keys, DIDs and DID documents.

An issuer's identity is ``did:web:<host%3Aport>:issuers:<id>`` (its document is served
at ``/issuers/<id>/did.json``, did:web §3.2) or the ``did:key`` of its only key. The
did:web is derived from ``MERKKI_BASE_URL`` each time, never stored, so every id the
service mints names the same host. The DID document lists the current and retired keys
(past credentials keep verifying) but never a compromised one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from badges.did import (
    build_did_web_document,
    did_key,
    did_key_verification_method_id,
    did_web_from_url,
)
from badges.keys import KeyPair, KeyType, PublicKey
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.models.issuers import IssuerCreate, IssuerUpdate
from issuer.services import ServiceContext, audit
from issuer.services.texts import first_language, pick
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Issuer, SigningKey

KEY_TYPES = {"ed25519": KeyType.ED25519, "p256": KeyType.P256, "rsa": KeyType.RSA}


def new_signing_key(ctx: ServiceContext, issuer_id: str, key_type: str) -> SigningKey:
    """A fresh current key; the private JWK is encrypted bound to the key's id."""
    pair = KeyPair.generate(KEY_TYPES[key_type])
    key_id = new_id()
    private = json.dumps(pair.to_jwk(private=True)).encode("utf-8")
    return SigningKey(
        id=key_id,
        issuer_id=issuer_id,
        key_type=pair.type.value,
        status="current",
        public_jwk=pair.public.to_jwk(),
        private_key=ctx.box.encrypt(private, key_id),
        created_at=utcnow(),
    )


def key_pair(ctx: ServiceContext, key: SigningKey) -> KeyPair:
    """Decrypt a stored key (raises :class:`issuer.crypto.DecryptionError`)."""
    return KeyPair.from_jwk(json.loads(ctx.box.decrypt(key.private_key, key.id)))


def public_key(key: SigningKey) -> PublicKey:
    return PublicKey.from_jwk(key.public_jwk)


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
    """The did:web document: every key that is not compromised (did:key issuers: 404)."""
    if issuer.did_method != "web":
        raise NotFound("did:web document of issuer", issuer.id)
    keys = [key for key in repo.keys_of(session, issuer.id) if key.status != "compromised"]
    if not keys:
        raise NotFound("did:web document of issuer", issuer.id)
    return build_did_web_document(
        did_of(ctx, issuer, keys), [(key.id, public_key(key)) for key in keys]
    )


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


def _check_format(fmt: str, key_type: str, where: str) -> None:
    if fmt == "ldp" and key_type != "ed25519":
        raise InvalidRequest.field(
            ("body", where),
            f"format ldp (eddsa-rdfc-2022) needs an Ed25519 key, not {key_type}; "
            "use format jwt for P-256 and RSA keys",
        )


def _key_type_name(key: SigningKey) -> str:
    return {v.value: k for k, v in KEY_TYPES.items()}[key.key_type]


def create_issuer(
    session: Session, ctx: ServiceContext, actor: Principal, org_id: str, body: IssuerCreate
) -> Issuer:
    if body.did_method == "key" and body.key_type == "rsa":
        raise InvalidRequest.field(("body", "key_type"), "did:key needs an Ed25519 or P-256 key")
    _check_format(body.format, body.key_type, "format")
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
    for required in ("name", "format", "default_language"):
        if required in changes and changes[required] is None:
            raise InvalidRequest.field(("body", required), "cannot be null")
    if "format" in changes:
        _check_format(
            changes["format"], _key_type_name(repo.current_key(session, issuer.id)), "format"
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
    issuer = repo.issuer(session, org_id, issuer_id)
    if issuer.did_method == "key":
        raise Conflict(
            "a did:key issuer has exactly one key (the DID is the key); "
            "create a did:web issuer to rotate keys"
        )
    _check_format(issuer.format, key_type, "type")
    old = repo.current_key(session, issuer.id)
    now = utcnow()
    old.status, old.retired_at = "retired", now
    session.flush()  # the old key is retired before the new current one exists
    key = new_signing_key(ctx, issuer.id, key_type)
    session.add(key)
    audit.record(
        session,
        actor,
        "key.create",
        "signing_key",
        key.id,
        issuer_id=issuer.id,
        key_type=key.key_type,
        retired=old.id,
    )
    audit.record(session, actor, "key.retire", "signing_key", old.id, issuer_id=issuer.id)
    session.commit()
    return key
