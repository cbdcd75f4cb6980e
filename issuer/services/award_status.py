"""Revoking, suspending and reinstating awards (their status list bits and the audit log).

``active`` → ``suspended`` → ``active`` (reinstate) and ``active``/``suspended`` →
``revoked``, which is final. Each change is a conditional ``UPDATE`` of the award's
status, so concurrent requests change it once; repeating a request changes nothing
and answers the award as it is (idempotent). After the commit the changed lists are
signed again (:func:`issuer.services.status_lists.published`), so the public list
already shows the change.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from issuer.auth import Principal
from issuer.errors import Conflict, CsvProblem, CsvRejected, InvalidRequest, PayloadTooLarge
from issuer.models.status import MAX_BULK_IDS, BulkRevokeItem, BulkRevokeResult
from issuer.services import ServiceContext, audit, status_lists
from issuer.store import repo
from issuer.store.base import utcnow
from issuer.store.tables import Award

MAX_CSV_BYTES = 1024 * 1024
_ID_HEADERS = frozenset({"id", "award_id", "award"})


def _transition(session: Session, award: Award, allowed: Iterable[str], **values: Any) -> bool:
    """Change the award's row only if its status is one of ``allowed``; True if it did."""
    result = session.execute(
        update(Award)
        .where(Award.id == award.id, Award.status.in_(list(allowed)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _publish(session: Session, ctx: ServiceContext, list_ids: Iterable[str | None]) -> None:
    for list_id in sorted({i for i in list_ids if i is not None}):
        status_lists.published(session, ctx, list_id)


def _revoke(session: Session, actor: Principal, award: Award, reason: str) -> str | None:
    """Revoke in the session (no commit): the changed list's id, or ``None`` if unchanged."""
    now = utcnow()
    values = {"status": "revoked", "revoked_at": now, "revocation_reason": reason}
    if not _transition(session, award, ("active", "suspended", "superseded"), **values):
        return None
    list_id = status_lists.set_bit(session, award.id, "revocation", True)
    audit.record(session, actor, "award.revoke", "award", award.id, reason=reason)
    return list_id or ""


def revoke(
    session: Session, ctx: ServiceContext, actor: Principal, award_id: str, reason: str
) -> Award:
    """Revoke an award for good (a repeat changes nothing)."""
    award = repo.award(session, actor.org, award_id)
    changed = _revoke(session, actor, award, reason)
    session.commit()
    if changed is not None:
        _publish(session, ctx, [changed or None])
    return _fresh(session, actor, award_id)


def suspend(
    session: Session, ctx: ServiceContext, actor: Principal, award_id: str, reason: str
) -> Award:
    """Suspend an active award (a repeat changes nothing; a revoked award: 409)."""
    award = repo.award(session, actor.org, award_id)
    now = utcnow()
    values = {"status": "suspended", "suspended_at": now, "suspension_reason": reason}
    if not _transition(session, award, ("active",), **values):
        return _unchanged(session, actor, award_id, "suspended", "suspend")
    list_id = status_lists.set_bit(session, award.id, "suspension", True)
    audit.record(session, actor, "award.suspend", "award", award.id, reason=reason)
    session.commit()
    _publish(session, ctx, [list_id])
    return _fresh(session, actor, award_id)


def reinstate(
    session: Session, ctx: ServiceContext, actor: Principal, award_id: str, reason: str | None
) -> Award:
    """Lift a suspension (an active award: unchanged; a revoked award: 409)."""
    award = repo.award(session, actor.org, award_id)
    values = {"status": "active", "suspended_at": None, "suspension_reason": None}
    if not _transition(session, award, ("suspended",), **values):
        return _unchanged(session, actor, award_id, "active", "reinstate")
    list_id = status_lists.set_bit(session, award.id, "suspension", False)
    details = {"reason": reason} if reason else {}
    audit.record(session, actor, "award.reinstate", "award", award.id, **details)
    session.commit()
    _publish(session, ctx, [list_id])
    return _fresh(session, actor, award_id)


def _fresh(session: Session, actor: Principal, award_id: str) -> Award:
    award = session.scalar(
        select(Award)
        .where(Award.id == award_id, Award.org_id == actor.org)
        .execution_options(populate_existing=True)
    )
    assert award is not None  # noqa: S101 - it was found in this request
    return award


def _unchanged(
    session: Session, actor: Principal, award_id: str, wanted: str, action: str
) -> Award:
    session.rollback()
    award = _fresh(session, actor, award_id)
    if award.status == wanted:
        return award
    raise Conflict(f"award {award_id!r} is {award.status}; it cannot be {action}d")


def revoke_many(
    session: Session, ctx: ServiceContext, actor: Principal, ids: Sequence[str], reason: str
) -> BulkRevokeResult:
    """Revoke every award of ``ids`` in one transaction; any unknown id: nothing changes."""
    wanted = list(dict.fromkeys(ids))
    if len(wanted) > MAX_BULK_IDS:
        raise InvalidRequest.field(("body", "ids"), f"at most {MAX_BULK_IDS} ids at once")
    found: dict[str, Award] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        stmt = select(Award).where(Award.org_id == actor.org, Award.id.in_(chunk))
        found.update({award.id: award for award in session.scalars(stmt)})
    missing = [(i, award_id) for i, award_id in enumerate(wanted) if award_id not in found]
    if missing:
        raise InvalidRequest(
            f"{len(missing)} of {len(wanted)} ids are not awards of this organisation; "
            "nothing was revoked",
            [
                InvalidRequest.field(("body", "ids", i), f"no award {award_id!r}").errors[0]
                for i, award_id in missing
            ],
        )
    items: list[BulkRevokeItem] = []
    changed_lists: list[str | None] = []
    for award_id in wanted:
        changed = _revoke(session, actor, found[award_id], reason)
        changed_lists.append(changed or None)
        items.append(BulkRevokeItem(id=award_id, status="revoked", changed=changed is not None))
    session.commit()
    _publish(session, ctx, changed_lists)
    revoked = sum(1 for item in items if item.changed)
    return BulkRevokeResult(revoked=revoked, unchanged=len(items) - revoked, items=items)


def ids_from_csv(data: bytes) -> list[str]:
    """Award ids from a CSV file: the first column (or one named ``id``/``award_id``);
    a header row is optional. UTF-8 with or without BOM."""
    if len(data) > MAX_CSV_BYTES:
        raise PayloadTooLarge(f"the CSV file is larger than {MAX_CSV_BYTES} bytes")
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CsvRejected(
            "the file is not UTF-8 text", [CsvProblem(None, None, "encoding", str(exc))]
        ) from exc
    rows = [
        (line, row)
        for line, row in enumerate(csv.reader(io.StringIO(text), _dialect(text)), start=1)
        if any(cell.strip() for cell in row)
    ]
    column = 0
    if rows and any(cell.strip().lower() in _ID_HEADERS for cell in rows[0][1]):
        header = [cell.strip().lower() for cell in rows[0][1]]
        column = next(i for i, name in enumerate(header) if name in _ID_HEADERS)
        rows = rows[1:]
    ids: list[str] = []
    problems: list[CsvProblem] = []
    for line, row in rows:
        value = row[column].strip() if column < len(row) else ""
        if not value or len(value) > 64:
            problems.append(CsvProblem(line, "id", "bad_id", "not an award id"))
        else:
            ids.append(value)
    if problems:
        raise CsvRejected("the file has rows without an award id; nothing was revoked", problems)
    if not ids:
        raise CsvRejected(
            "the file lists no award ids", [CsvProblem(None, None, "empty", "no rows")]
        )
    return ids


def _dialect(text: str) -> type[csv.Dialect]:
    first = text.splitlines()[0] if text else ""
    delimiter = next((d for d in ("\t", ";", ",") if d in first), ",")

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    return Dialect


def recorded_status(engine: Engine, ctx: ServiceContext) -> Callable[[str], str | None]:
    """For the verifier: the recorded status of one of this service's credentials by its
    ``id`` URL (``None`` for any other URL); one indexed read, no ORM session."""
    prefix = ctx.url("credentials/")

    def lookup(credential_id: str) -> str | None:
        award_id = credential_id.removeprefix(prefix)
        if award_id == credential_id or not 0 < len(award_id) <= 36 or "/" in award_id:
            return None
        with engine.connect() as connection:
            status: str | None = connection.execute(
                select(Award.status).where(Award.id == award_id)
            ).scalar()
        return status

    return lookup
