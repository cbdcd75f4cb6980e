"""W3C Bitstring Status Lists: allocating entries, and the signed list credentials.

Every issuer has status lists for the purposes ``revocation`` and ``suspension``, each
of :data:`LIST_SIZE` entries (the W3C minimum, 131,072: herd privacy). A new credential
gets one entry per purpose (:func:`allocate_entries`): an index drawn uniformly at
random among the free slots of the issuer's open list, never reused. Allocation is
safe under concurrency on SQLite and PostgreSQL: ``status_entries`` is unique on
``(list_id, list_index)`` and a slot is claimed by ``INSERT … ON CONFLICT DO NOTHING``
(a taken slot inserts nothing and another is drawn; nothing aborts the transaction).
A full list is closed and a new one opened, again by ``INSERT … ON CONFLICT DO
NOTHING`` against the partial unique index of open lists, so two racing awards share
the one new list.

A bit is set when its entry's ``is_set`` is; the list's ``version`` counts changes.
The list credential (``BitstringStatusListCredential``, GZIP + multibase base64url
``encodedList``, §2.1/§4.1 of the W3C spec) is signed with the issuer's current key when
it is stale (:func:`published`): a bit changed since it was signed, or the key is no
longer current. Like awards, Ed25519 keys sign it with an eddsa-rdfc-2022 proof; P-256
and RSA keys make a VC-JWT of it.
"""

from __future__ import annotations

import gzip
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from sqlalchemy import Insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from badges.encoding import multibase_encode
from badges.issue import sign_credential, sign_credential_jwt
from badges.model import VC_V2_CONTEXT
from badges.types import JSONObject
from issuer.errors import NotFound
from issuer.services import ServiceContext
from issuer.services import issuers as issuer_service
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Issuer, StatusEntry, StatusList

Purpose = Literal["revocation", "suspension"]
PURPOSES: Final[tuple[Purpose, ...]] = ("revocation", "suspension")
CREDENTIAL_PURPOSES: Final[tuple[Purpose, ...]] = ("revocation",)
"""The entries a credential names. OB 3.0 allows one ``credentialStatus`` (its JSON
Schema, which Merkki's verifier enforces when declared, has an object, not an array), so
only the revocation entry goes in; the suspension entry is allocated and its list kept
all the same, so that naming both (VC 2.0 allows an array) is a change of this tuple."""
LIST_SIZE: Final = 131_072
"""Entries per list: the W3C minimum (§4.1), so a list does not reveal who is on it."""
_RANDOM_TRIES: Final = 48
"""Random draws before the free slots are listed exactly (only near a full list)."""
_LIST_TRIES: Final = 8


@dataclass(frozen=True, slots=True)
class Allocation:
    """One allocated entry: the list, the index and the purpose."""

    list_id: str
    index: int
    purpose: Purpose


# --------------------------------------------------------------------------- urls


def list_url(ctx: ServiceContext, list_id: str) -> str:
    """The list credential's public URL (and its ``id``)."""
    return ctx.url(f"status/{list_id}")


def entry_json(ctx: ServiceContext, allocation: Allocation) -> JSONObject:
    """A ``BitstringStatusListEntry``; ``id`` is ``<list URL>#<index>`` (OB 3.0 needs one)."""
    url = list_url(ctx, allocation.list_id)
    return {
        "id": f"{url}#{allocation.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": allocation.purpose,
        "statusListIndex": str(allocation.index),
        "statusListCredential": url,
    }


def credential_status(ctx: ServiceContext, allocations: Sequence[Allocation]) -> Any:
    """The credential's ``credentialStatus``: the entries of :data:`CREDENTIAL_PURPOSES`,
    one as an object (several would be an array, which OB 3.0's schema refuses)."""
    entries = [entry_json(ctx, a) for a in allocations if a.purpose in CREDENTIAL_PURPOSES]
    if not entries:
        return None
    return entries[0] if len(entries) == 1 else entries


# --------------------------------------------------------------------------- allocation


def _insert(session: Session) -> Any:
    """``INSERT`` of the session's dialect, which has ``on_conflict_do_nothing``."""
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _open_list(session: Session, issuer: Issuer, purpose: Purpose) -> StatusList:
    """The issuer's open list for ``purpose``; opens one when there is none."""
    stmt = select(StatusList).where(
        StatusList.issuer_id == issuer.id,
        StatusList.purpose == purpose,
        StatusList.is_full.is_(False),
    )
    found = session.scalar(stmt)
    if found is not None:
        return found
    now = utcnow()
    insert: Insert = _insert(session)(StatusList.__table__).values(
        id=new_id(),
        org_id=issuer.org_id,
        issuer_id=issuer.id,
        purpose=purpose,
        size=LIST_SIZE,
        is_full=False,
        version=0,
        created_at=now,
    )
    session.execute(
        insert.on_conflict_do_nothing(  # type: ignore[attr-defined]
            index_elements=["issuer_id", "purpose"], index_where=text("NOT is_full")
        )
    )
    return session.execute(stmt.execution_options(populate_existing=True)).scalar_one()


def _claim(session: Session, status_list: StatusList, award_id: str, index: int) -> bool:
    insert: Insert = _insert(session)(StatusEntry.__table__).values(
        list_id=status_list.id,
        list_index=index,
        award_id=award_id,
        purpose=status_list.purpose,
        is_set=False,
    )
    stmt = insert.on_conflict_do_nothing(  # type: ignore[attr-defined]
        index_elements=["list_id", "list_index"]
    ).returning(StatusEntry.__table__.c.id)
    return session.execute(stmt).first() is not None  # no row: the slot was taken


def _free_slots(session: Session, status_list: StatusList) -> list[int]:
    used = set(
        session.scalars(select(StatusEntry.list_index).where(StatusEntry.list_id == status_list.id))
    )
    return [i for i in range(status_list.size) if i not in used]


def _allocate_in(session: Session, status_list: StatusList, award_id: str) -> int | None:
    """A uniformly random free index of the list, claimed; ``None`` when the list is full.

    Drawing at random over the whole list and retrying taken slots is uniform over the
    free ones; only when many draws hit taken slots are the free slots listed.
    """
    for _ in range(_RANDOM_TRIES):
        index = secrets.randbelow(status_list.size)
        if _claim(session, status_list, award_id, index):
            return index
    while free := _free_slots(session, status_list):
        index = free[secrets.randbelow(len(free))]
        if _claim(session, status_list, award_id, index):
            return index
    return None


def allocate(session: Session, issuer: Issuer, award_id: str, purpose: Purpose) -> Allocation:
    """Allocate one entry of ``purpose`` for ``award_id`` (in the caller's transaction)."""
    for _ in range(_LIST_TRIES):
        status_list = _open_list(session, issuer, purpose)
        index = _allocate_in(session, status_list, award_id)
        if index is not None:
            return Allocation(status_list.id, index, purpose)
        session.execute(
            update(StatusList)
            .where(StatusList.id == status_list.id)
            .values(is_full=True)
            .execution_options(synchronize_session=False)
        )
    raise RuntimeError(f"no free status list slot for issuer {issuer.id} ({purpose})")


def allocate_entries(
    session: Session, issuer: Issuer, award_id: str, purposes: Iterable[Purpose] = PURPOSES
) -> list[Allocation]:
    """One entry per purpose for a new credential; committed with the award (the award
    row must be added in the same transaction: the foreign key is checked at commit)."""
    return [allocate(session, issuer, award_id, purpose) for purpose in purposes]


# --------------------------------------------------------------------------- bits


def set_bit(session: Session, award_id: str, purpose: Purpose, value: bool) -> str | None:
    """Set (or clear) the award's bit for ``purpose``; the list's id if a bit changed.

    Awards issued before status lists have no entry: ``None``, nothing to change.
    """
    entry = session.scalar(
        select(StatusEntry).where(StatusEntry.award_id == award_id, StatusEntry.purpose == purpose)
    )
    if entry is None or entry.is_set == value:
        return None
    changed = session.execute(
        update(StatusEntry)
        .where(StatusEntry.id == entry.id, StatusEntry.is_set.is_(not value))
        .values(is_set=value, changed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0) != 1:
        return None
    session.execute(
        update(StatusList)
        .where(StatusList.id == entry.list_id)
        .values(version=StatusList.version + 1)
        .execution_options(synchronize_session=False)
    )
    return entry.list_id


def entries_of(session: Session, award_id: str) -> list[StatusEntry]:
    return list(
        session.scalars(
            select(StatusEntry).where(StatusEntry.award_id == award_id).order_by(StatusEntry.id)
        )
    )


def bitstring(size: int, set_indexes: Iterable[int]) -> bytes:
    """The list's bits; index 0 is the most significant bit of the first byte (§4.1)."""
    bits = bytearray(size // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode_list(bits: bytes) -> str:
    """``encodedList``: multibase base64url (``u``, no padding) of the GZIP-compressed bits."""
    return multibase_encode(gzip.compress(bits, compresslevel=9, mtime=0), "u")


# --------------------------------------------------------------------------- the list credential


def _list_credential(
    ctx: ServiceContext, session: Session, status_list: StatusList, issuer_did: str
) -> JSONObject:
    set_indexes = session.scalars(
        select(StatusEntry.list_index).where(
            StatusEntry.list_id == status_list.id, StatusEntry.is_set.is_(True)
        )
    )
    url = list_url(ctx, status_list.id)
    now = utcnow()
    return {
        "@context": [VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": now.isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": status_list.purpose,
            "encodedList": encode_list(bitstring(status_list.size, set_indexes)),
        },
    }


def _stale(session: Session, status_list: StatusList) -> bool:
    if status_list.signed_version != status_list.version or status_list.signed_at is None:
        return True
    return repo.current_key(session, status_list.issuer_id).id != status_list.signing_key_id


def published(session: Session, ctx: ServiceContext, list_id: str) -> StatusList:
    """The list (any organisation's: it is public), signed again first if it is stale."""
    status_list = session.get(StatusList, list_id, populate_existing=True)
    if status_list is None:
        raise NotFound("status list", list_id)
    if not _stale(session, status_list):
        return status_list
    version = status_list.version  # read before the bits: a later change re-signs again
    issuer = repo.public_issuer(session, status_list.issuer_id)
    key = repo.current_key(session, issuer.id)
    keys = repo.keys_of(session, issuer.id)
    unsigned = _list_credential(ctx, session, status_list, issuer_service.did_of(ctx, issuer, keys))
    pair = issuer_service.key_pair(ctx, key)
    method = issuer_service.verification_method(ctx, issuer, key)
    now = utcnow()
    ldp = key.key_type == "Ed25519"
    status_list.credential = sign_credential(unsigned, pair, method, created=now) if ldp else None
    status_list.jwt = None if ldp else sign_credential_jwt(unsigned, pair, method)
    status_list.signed_version = version
    status_list.signing_key_id = key.id
    status_list.signed_at = now
    session.commit()
    return status_list


def lists_of(session: Session, org_id: str, issuer_id: str) -> list[StatusList]:
    """An issuer's lists (404 for another organisation's issuer)."""
    repo.issuer(session, org_id, issuer_id)
    stmt = select(StatusList).where(StatusList.issuer_id == issuer_id).order_by(StatusList.id)
    return list(session.scalars(stmt))


def allocated_count(session: Session, list_id: str) -> int:
    from sqlalchemy import func

    stmt = select(func.count()).select_from(StatusEntry).where(StatusEntry.list_id == list_id)
    return int(session.scalar(stmt) or 0)
