"""Open Badges 2.0: every award as an OB 2.0 Assertion, hosted and (per issuer) signed.

Public documents (``issuer.api.ob2``), all in the award's language (OB 2.0 has no
language maps):

* Assertion ``/ob2/assertions/{award_id}``: ``verification.type`` ``HostedBadge``. A
  revoked or suspended award answers ``410 Gone`` with ``{id, revoked: true,
  revocationReason}`` (OB 2.0 "Revoking Hosted Assertions"; OB 2.0 has no suspension, so
  a suspended award is revoked there until it is reinstated).
* Signed Assertion ``/ob2/assertions/{award_id}.jws`` when the issuer has ``ob2_signed``:
  the same Assertion with ``verification: {type: SignedBadge, creator: <key URL>}`` as a
  compact RS256 JWS (``badges.ob2.sign``), signed on request with the issuer's current
  OB 2.0 key (deterministic, so the same bytes every time).
* BadgeClass ``/ob2/badges/{achievement_id}?version=N&lang=xx``: the achievement version
  and language the award was issued with.
* Issuer Profile ``/ob2/issuers/{issuer_id}`` with ``publicKey`` (every OB 2.0 key) and
  ``revocationList`` (``/ob2/issuers/{issuer_id}/revocations``), and each
  CryptographicKey at ``/ob2/issuers/{issuer_id}/keys/{key_id}``.

Recipient: OB 2.0 and OB 3.0 hash identities the same way (``"sha256$" +
hex(sha256(identity + salt))``, ``badges.identity``), so an e-mail recipient's OB 2.0
``IdentityObject`` is the OB 3.0 credential's ``emailAddress`` identifier, salt and
hash unchanged: nothing new is stored. A DID or URL recipient is ``type: url``, hashed
with the award's id as salt (the IMS validator accepts only hashed identities).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from badges.identity import hash_identity
from badges.keys import KeyPair, KeyType
from badges.model.i18n import languages_of
from badges.ob2.sign import public_key_pem, sign_assertion
from badges.types import JSONObject
from issuer.errors import NotFound
from issuer.services import ServiceContext
from issuer.services.achievements import localize
from issuer.services.texts import pick
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award, Issuer, Ob2Key

OB2_CONTEXT: Final = "https://w3id.org/openbadges/v2"
WITHDRAWN: Final = ("revoked", "suspended")
"""Award statuses that OB 2.0 reports as revoked."""
SUSPENDED_REASON: Final = "suspended by the issuer"
REVOKED_REASON: Final = "revoked by the issuer"


# --------------------------------------------------------------------------- URLs


def assertion_url(ctx: ServiceContext, award_id: str) -> str:
    return ctx.url(f"ob2/assertions/{award_id}")


def jws_url(ctx: ServiceContext, award_id: str) -> str:
    return ctx.url(f"ob2/assertions/{award_id}.jws")


def badge_url(ctx: ServiceContext, achievement_id: str, version: int, lang: str) -> str:
    return ctx.url(f"ob2/badges/{achievement_id}?version={version}&lang={lang}")


def issuer_url(ctx: ServiceContext, issuer_id: str) -> str:
    return ctx.url(f"ob2/issuers/{issuer_id}")


def key_url(ctx: ServiceContext, issuer_id: str, key_id: str) -> str:
    return ctx.url(f"ob2/issuers/{issuer_id}/keys/{key_id}")


def revocations_url(ctx: ServiceContext, issuer_id: str) -> str:
    return ctx.url(f"ob2/issuers/{issuer_id}/revocations")


def artwork_url(ctx: ServiceContext, achievement_id: str) -> str:
    return ctx.url(f"achievements/{achievement_id}/artwork.png")


def _datetime(value: datetime) -> str:
    when = value if value.tzinfo else value.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- keys


def keys_of(session: Session, issuer_id: str) -> Sequence[Ob2Key]:
    return session.scalars(
        select(Ob2Key).where(Ob2Key.issuer_id == issuer_id).order_by(Ob2Key.id)
    ).all()


def current_key(session: Session, ctx: ServiceContext, issuer: Issuer) -> Ob2Key:
    """The issuer's current OB 2.0 RSA key, made on first use (a unique index keeps it one)."""
    stmt = select(Ob2Key).where(Ob2Key.issuer_id == issuer.id, Ob2Key.status == "current")
    key = session.scalar(stmt)
    if key is not None:
        return key
    pair = KeyPair.generate(KeyType.RSA)
    key_id = new_id()
    pem = pair.crypto.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = Ob2Key(
        id=key_id,
        issuer_id=issuer.id,
        status="current",
        public_key_pem=public_key_pem(pair),
        private_key=ctx.box.encrypt(pem, key_id),
        created_at=utcnow(),
    )
    session.add(key)
    try:
        session.commit()
    except IntegrityError:  # another request made it first
        session.rollback()
        found = session.scalar(stmt)
        if found is None:  # pragma: no cover - the constraint that failed was another
            raise
        return found
    return key


def _private_pem(ctx: ServiceContext, key: Ob2Key) -> bytes:
    return ctx.box.decrypt(key.private_key, key.id)


# --------------------------------------------------------------------------- documents


def _recipient(award: Award) -> JSONObject:
    credential: dict[str, Any] = award.credential
    subject = credential.get("credentialSubject") or {}
    if award.recipient_type == "email":
        for item in subject.get("identifier") or []:
            if item.get("identityType") == "emailAddress" and item.get("hashed"):
                found: JSONObject = {"type": "email", "hashed": True}
                if item.get("salt"):
                    found["salt"] = item["salt"]
                found["identity"] = item["identityHash"]
                return found
        raise NotFound("OB 2.0 recipient (no e-mail hash in the credential) of award", award.id)
    value = str(subject.get("id") or award.recipient_ref)
    return {
        "type": "url",
        "hashed": True,
        "salt": award.id,
        "identity": hash_identity(value, award.id),
    }


def withdrawn_reason(award: Award) -> str | None:
    """Why OB 2.0 reports ``award`` revoked (``None``: it is not)."""
    if award.status not in WITHDRAWN:
        return None
    if award.status == "suspended":
        return award.suspension_reason or SUSPENDED_REASON
    return award.revocation_reason or REVOKED_REASON


def assertion(ctx: ServiceContext, award: Award, creator: str | None = None) -> JSONObject:
    """The full OB 2.0 Assertion of ``award``; signed (``SignedBadge``) when ``creator``."""
    credential: dict[str, Any] = award.credential
    subject = credential.get("credentialSubject") or {}
    verification: JSONObject = (
        {"type": "SignedBadge", "creator": creator} if creator else {"type": "HostedBadge"}
    )
    data: JSONObject = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_url(ctx, award.id),
        "recipient": _recipient(award),
        "badge": badge_url(ctx, award.achievement_id, award.achievement_version, award.language),
        "verification": verification,
        "issuedOn": _datetime(award.valid_from),
    }
    if award.valid_until is not None:
        data["expires"] = _datetime(award.valid_until)
    evidence = [
        {"id": item["id"], "type": "Evidence"}
        for item in credential.get("evidence") or []
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    if evidence:
        data["evidence"] = evidence
    if isinstance(subject.get("narrative"), str):
        data["narrative"] = subject["narrative"]
    return data


def revoked_assertion(ctx: ServiceContext, award: Award) -> JSONObject:
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_url(ctx, award.id),
        "revoked": True,
        "revocationReason": withdrawn_reason(award),
    }


def hosted(ctx: ServiceContext, session: Session, award_id: str) -> tuple[int, JSONObject]:
    """``(HTTP status, body)`` of the hosted Assertion: 200, or 410 when revoked."""
    award = repo.public_award(session, award_id)
    if award.status in WITHDRAWN:
        return 410, revoked_assertion(ctx, award)
    return 200, assertion(ctx, award)


def signed(ctx: ServiceContext, session: Session, award_id: str) -> str:
    """The signed Assertion (compact JWS); 404 unless the issuer signs OB 2.0."""
    award = repo.public_award(session, award_id)
    issuer = repo.public_issuer(session, award.issuer_id)
    if not issuer.ob2_signed:
        raise NotFound("signed OB 2.0 assertion (the issuer does not sign them) of award", award_id)
    key = current_key(session, ctx, issuer)
    data = assertion(ctx, award, key_url(ctx, issuer.id, key.id))
    return sign_assertion(data, _private_pem(ctx, key))


def is_signed(award: Award) -> bool:
    """Whether the award's issuer serves signed OB 2.0 assertions (for its ``urls``)."""
    session = object_session(award)
    issuer = session.get(Issuer, award.issuer_id) if session is not None else None
    return bool(issuer is not None and issuer.ob2_signed)


def _criteria(achievement: JSONObject) -> JSONObject:
    given = achievement.get("criteria") or {}
    criteria: JSONObject = {}
    if isinstance(given.get("id"), str) and given["id"].startswith(("http://", "https://")):
        criteria["id"] = given["id"]
    if isinstance(given.get("narrative"), str):
        criteria["narrative"] = given["narrative"]
    return criteria


_ALIGNMENT_FIELDS: Final = (
    "targetName",
    "targetUrl",
    "targetDescription",
    "targetFramework",
    "targetCode",
)


def badge_class(
    ctx: ServiceContext,
    session: Session,
    achievement_id: str,
    version_number: int | None,
    lang: str | None,
) -> JSONObject:
    """The BadgeClass of one achievement version in one language (default: current, the
    issuer's language)."""
    row = repo.public_achievement(session, achievement_id)
    number = version_number or row.current_version
    version = repo.version(session, row.id, number)
    issuer = repo.public_issuer(session, row.issuer_id)
    langs = _languages(version.source)
    if lang is None:
        lang = issuer.default_language if issuer.default_language in langs else langs[0]
    elif lang not in langs:
        raise NotFound(f"{lang} version of achievement", achievement_id)
    achievement = localize(version.source, lang, ctx.url(f"achievements/{row.id}"))
    image = achievement.get("image")
    image_id = image.get("id") if isinstance(image, dict) else image
    data: JSONObject = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": badge_url(ctx, row.id, number, lang),
        "name": achievement["name"],
        "description": achievement.get("description") or achievement["name"],
        "image": image_id if isinstance(image_id, str) else artwork_url(ctx, row.id),
        "criteria": _criteria(achievement),
        "issuer": issuer_url(ctx, issuer.id),
    }
    alignments = [
        {name: item[name] for name in _ALIGNMENT_FIELDS if isinstance(item.get(name), str)}
        for item in achievement.get("alignment") or []
        if isinstance(item, dict)
    ]
    if alignments:
        data["alignment"] = alignments
    if achievement.get("tag"):
        data["tags"] = list(achievement["tag"])
    return data


def _languages(source: dict[str, Any]) -> list[str]:
    return list(languages_of(source))


def _profile_image(image: str | None) -> str | None:
    if not image:
        return None
    if image.startswith(("http://", "https://", "data:image/png;", "data:image/svg+xml;")):
        return image
    return None  # OB 2.0 images are PNG or SVG only


def issuer_profile(ctx: ServiceContext, session: Session, issuer_id: str) -> JSONObject:
    """The issuer Profile (``Issuer``) in the issuer's default language."""
    issuer = repo.public_issuer(session, issuer_id)
    lang = issuer.default_language
    data: JSONObject = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": issuer_url(ctx, issuer.id),
        "name": pick(issuer.name, lang),
        "url": issuer.url or ctx.base_url,
    }
    if issuer.email:
        data["email"] = issuer.email
    if issuer.description is not None:
        data["description"] = pick(issuer.description, lang)
    image = _profile_image(issuer.image)
    if image:
        data["image"] = image
    keys = keys_of(session, issuer.id)
    if issuer.ob2_signed and not keys:
        keys = [current_key(session, ctx, issuer)]
    if keys:
        data["publicKey"] = [key_url(ctx, issuer.id, key.id) for key in keys]
    data["revocationList"] = revocations_url(ctx, issuer.id)
    return data


def crypto_key(ctx: ServiceContext, session: Session, issuer_id: str, key_id: str) -> JSONObject:
    issuer = repo.public_issuer(session, issuer_id)
    key = session.get(Ob2Key, key_id)
    if key is None or key.issuer_id != issuer.id:
        raise NotFound("OB 2.0 key", f"{issuer_id}/keys/{key_id}")
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": key_url(ctx, issuer.id, key.id),
        "owner": issuer_url(ctx, issuer.id),
        "publicKeyPem": key.public_key_pem,
    }


def revocation_list(ctx: ServiceContext, session: Session, issuer_id: str) -> JSONObject:
    """The issuer's RevocationList: every revoked (or suspended) award, with its reason."""
    issuer = repo.public_issuer(session, issuer_id)
    stmt = (
        select(Award)
        .where(Award.issuer_id == issuer.id, Award.status.in_(WITHDRAWN))
        .order_by(Award.id)
    )
    revoked = [
        {"id": assertion_url(ctx, award.id), "revocationReason": withdrawn_reason(award)}
        for award in session.scalars(stmt)
    ]
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": revocations_url(ctx, issuer.id),
        "issuer": issuer_url(ctx, issuer.id),
        "revokedAssertions": revoked,
    }
