"""Light endorser identities: a person who endorses from the public page, confirmed by e-mail.

Design (README "Endorsements"): the credential's ``issuer`` is whoever signs it. A person
without an issuer profile gets an identity Merkki hosts for them: the DID
``did:web:<host>:endorsers:<id>`` (did:web §3.2: its document is served at
``/endorsers/<id>/did.json``) with one Ed25519 key that only this identity uses. The
service keeps the private key (AES-GCM, like issuers' keys) and signs with it only after
the person opened the single-use link mailed to their address. The Profile names the
person and carries, instead of the address, its OB identity hash (``sha256$`` of the
normalised address salted with the endorser id; ``identifierType: emailAddress``): whoever
knows the address can check it, nobody can read it back. One identity per organisation and
address (``email_ref``, the service's keyed hash), so a person's endorsements share a DID.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.did import build_did_web_document, did_web_from_url
from badges.identity import hash_identity, normalize_email
from badges.keys import KeyPair, PublicKey
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.types import JSONObject
from issuer import i18n
from issuer.errors import NotFound
from issuer.services import ServiceContext
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Endorser

KEY_FRAGMENT = "key-1"


def email_hash(email: str, endorser_id: str) -> str:
    """The public OB identity hash of an address for the identity ``endorser_id``."""
    return hash_identity(normalize_email(email), endorser_id)


def did_of(ctx: ServiceContext, endorser_id: str) -> str:
    return did_web_from_url(ctx.base_url, f"endorsers/{endorser_id}")


def verification_method(ctx: ServiceContext, endorser_id: str) -> str:
    return f"{did_of(ctx, endorser_id)}#{KEY_FRAGMENT}"


def key_pair(ctx: ServiceContext, endorser: Endorser) -> KeyPair:
    """The identity's private key (raises ``issuer.crypto.DecryptionError``)."""
    return KeyPair.from_jwk(json.loads(ctx.box.decrypt(endorser.private_key, endorser.id)))


def find(session: Session, org_id: str, email_ref: str) -> Endorser | None:
    return session.scalar(
        select(Endorser).where(Endorser.org_id == org_id, Endorser.email_ref == email_ref)
    )


def new_endorser(
    ctx: ServiceContext,
    *,
    endorser_id: str | None,
    org_id: str,
    name: str,
    email_ref: str,
    public_hash: str,
) -> Endorser:
    """A new identity with a fresh Ed25519 key (not yet added to a session)."""
    pair = KeyPair.generate()
    ident = endorser_id or new_id()
    private = json.dumps(pair.to_jwk(private=True)).encode("utf-8")
    now = utcnow()
    return Endorser(
        id=ident,
        org_id=org_id,
        name=name,
        email_ref=email_ref,
        email_hash=public_hash,
        public_jwk=pair.public.to_jwk(),
        private_key=ctx.box.encrypt(private, ident),
        created_at=now,
        updated_at=now,
    )


def profile(ctx: ServiceContext, endorser: Endorser, lang: str) -> JSONObject:
    """The OB 3.0 Profile of the person (the ``issuer`` of their endorsements)."""
    return {
        "id": did_of(ctx, endorser.id),
        "type": ["Profile"],
        "name": endorser.name,
        "url": ctx.url(f"endorsers/{endorser.id}"),
        "description": i18n.text(lang, "endorse_person_profile"),
        "otherIdentifier": [
            {
                "type": "IdentifierEntry",
                "identifier": endorser.email_hash,
                "identifierType": "emailAddress",
            }
        ],
    }


def public(session: Session, endorser_id: str) -> Endorser:
    row = session.get(Endorser, endorser_id)
    if row is None:
        raise NotFound("endorser", endorser_id)
    return row


def profile_document(ctx: ServiceContext, endorser: Endorser, lang: str) -> JSONObject:
    """``GET /endorsers/{id}``: the Profile as a JSON-LD document."""
    return {"@context": [VC_V2_CONTEXT, OB_CONTEXT], **profile(ctx, endorser, lang)}


def did_document(ctx: ServiceContext, endorser: Endorser) -> JSONObject:
    """``GET /endorsers/{id}/did.json``: the one key, for ``assertionMethod``."""
    key = PublicKey.from_jwk(endorser.public_jwk)
    return build_did_web_document(did_of(ctx, endorser.id), [(KEY_FRAGMENT, key)])
