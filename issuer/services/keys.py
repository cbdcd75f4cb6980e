"""Signing keys of issuers: creation, rotation and compromise.

Life of a key: ``current`` (signs new credentials; exactly one per issuer, a partial
unique index enforces it) → ``retired`` (rotated out: it signs nothing more but stays
in the DID document, so every credential it signed keeps verifying) or
``compromised`` (as of ``compromised_since``). A compromised key also stays in the
did:web document, with the Controlled Identifiers ``revoked`` date-time on its
verification method: verifiers refuse its proofs made at or after that time and keep
accepting the earlier ones. Compromising the current key rotates a new one in.

did:key issuers cannot rotate or publish a compromise (the DID *is* the key and its
document is derived from it, with no room for ``revoked``): both answer 409 and the
way out is a new did:web issuer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badges.keys import KeyPair, KeyType, PublicKey
from issuer.auth import Principal
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.services import ServiceContext, audit
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award, Issuer, SigningKey

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


def key_type_name(key: SigningKey) -> str:
    """``ed25519`` | ``p256`` | ``rsa`` for a stored key."""
    return {v.value: k for k, v in KEY_TYPES.items()}[key.key_type]


def check_format(fmt: str, key_type: str, where: str) -> None:
    """An issuer whose default format is ``ldp`` needs an Ed25519 key."""
    if fmt == "ldp" and key_type != "ed25519":
        raise InvalidRequest.field(
            ("body", where),
            f"format ldp (eddsa-rdfc-2022) needs an Ed25519 key, not {key_type}; "
            "use format jwt for P-256 and RSA keys",
        )


def revoked_stamp(when: datetime) -> str:
    """An XSD ``dateTime`` in UTC with ``Z`` and whole seconds (``revoked`` in did.json)."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuer_key(session: Session, issuer_id: str, key_id: str) -> SigningKey:
    key = session.scalar(
        select(SigningKey).where(SigningKey.id == key_id, SigningKey.issuer_id == issuer_id)
    )
    if key is None:
        raise NotFound("signing key", key_id)
    return key


def _rotatable(issuer: Issuer) -> None:
    if issuer.did_method == "key":
        raise Conflict(
            "a did:key issuer has exactly one key (the DID is the key) and its DID "
            "document cannot mark a key revoked; create a did:web issuer to rotate keys"
        )


def _replace_current(
    session: Session, ctx: ServiceContext, old: SigningKey, status: str, key_type: str
) -> SigningKey:
    """Take ``old`` out of service as ``status`` and add a new current key (not committed).

    The conditional UPDATE makes two concurrent rotations safe: the second finds the
    key no longer current (PostgreSQL re-reads the row after the first commits) and
    answers 409 instead of tripping the unique index on the current key.
    """
    now = utcnow()
    done = session.execute(
        update(SigningKey)
        .where(SigningKey.id == old.id, SigningKey.status == "current")
        .values(status=status, retired_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        session.rollback()
        raise Conflict("the issuer's current key changed meanwhile; try again")
    session.refresh(old)
    key = new_signing_key(ctx, old.issuer_id, key_type)
    session.add(key)
    return key


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError as exc:  # another rotation won the unique current-key index
        session.rollback()
        raise Conflict("the issuer's current key changed meanwhile; try again") from exc


def rotate_key(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    org_id: str,
    issuer_id: str,
    key_type: str | None = None,
) -> SigningKey:
    """A new current key (default: the type of the current one); the old one is retired.

    The retired key stays in the DID document: credentials it signed keep verifying.
    """
    issuer = repo.issuer(session, org_id, issuer_id)
    _rotatable(issuer)
    old = repo.current_key(session, issuer.id)
    new_type = key_type or key_type_name(old)
    check_format(issuer.format, new_type, "type")
    key = _replace_current(session, ctx, old, "retired", new_type)
    audit.record(
        session,
        actor,
        "key.create",
        "signing_key",
        key.id,
        org_id=issuer.org_id,
        issuer_id=issuer.id,
        key_type=key.key_type,
        retired=old.id,
    )
    audit.record(
        session,
        actor,
        "key.retire",
        "signing_key",
        old.id,
        org_id=issuer.org_id,
        issuer_id=issuer.id,
        replaced_by=key.id,
    )
    _commit(session)
    return key


@dataclass(frozen=True)
class Compromise:
    """What :func:`compromise_key` did."""

    key: SigningKey
    rotated_to: SigningKey | None  # the new current key, when the compromised one was current
    affected: int  # active awards the key signed at/after ``since`` (to re-issue)


def affected_awards_query(key: SigningKey) -> Select[Award]:
    """Active awards ``key`` signed at or after its ``compromised_since``, not yet re-issued."""
    return select(Award).where(
        Award.signing_key_id == key.id,
        Award.created_at >= key.compromised_since,
        Award.status == "active",
        Award.reissued_by.is_(None),
    )


def count_affected(session: Session, key: SigningKey) -> int:
    if key.compromised_since is None:
        return 0
    stmt = affected_awards_query(key).with_only_columns(func.count())
    return int(session.scalar(stmt) or 0)


def compromise_key(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    org_id: str,
    issuer_id: str,
    key_id: str,
    since: datetime,
    reason: str | None = None,
) -> Compromise:
    """Mark a key compromised as of ``since`` (whole seconds, rounded down: stricter).

    A current key is replaced by a new one of the same type. Marking an already
    compromised key again may only move ``since`` earlier (409 otherwise).
    """
    issuer = repo.issuer(session, org_id, issuer_id)
    key = issuer_key(session, issuer.id, key_id)
    _rotatable(issuer)
    when = (since if since.tzinfo else since.replace(tzinfo=UTC)).astimezone(UTC)
    when = when.replace(microsecond=0)
    now = utcnow()
    if when > now:
        raise InvalidRequest.field(("body", "since"), "must not be in the future")
    previous = key.compromised_since
    if key.status == "compromised" and previous is not None and previous <= when:
        raise Conflict(
            f"key {key.id!r} is already compromised since {revoked_stamp(previous)}; "
            "only an earlier time can be set"
        )
    rotated: SigningKey | None = None
    if key.status == "current":
        rotated = _replace_current(session, ctx, key, "compromised", key_type_name(key))
    else:
        key.status = "compromised"
        key.retired_at = key.retired_at or now
    key.compromised_since, key.compromised_at = when, now
    key.compromise_reason = reason
    session.flush()
    affected = count_affected(session, key)
    if rotated is not None:
        audit.record(
            session,
            actor,
            "key.create",
            "signing_key",
            rotated.id,
            org_id=issuer.org_id,
            issuer_id=issuer.id,
            key_type=rotated.key_type,
            compromised=key.id,
        )
    audit.record(
        session,
        actor,
        "key.compromise",
        "signing_key",
        key.id,
        org_id=issuer.org_id,
        issuer_id=issuer.id,
        since=revoked_stamp(when),
        previous_since=revoked_stamp(previous) if previous is not None else None,
        reason=reason,
        rotated_to=rotated.id if rotated is not None else None,
        affected_awards=affected,
    )
    _commit(session)
    return Compromise(key=key, rotated_to=rotated, affected=affected)
