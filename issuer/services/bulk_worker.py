"""The bulk award worker: claims queued jobs from the database and issues their rows.

Stateless: everything lives in the database, so any number of processes may run
workers against one PostgreSQL database. A worker claims a job (``SELECT … FOR UPDATE
SKIP LOCKED`` on PostgreSQL, then a conditional ``UPDATE``, which alone arbitrates on
SQLite) and holds it for ``lease`` seconds, renewed after every batch. A job whose
worker died (its lease expired) is claimed again and resumed. Each batch is one
transaction: the awards are inserted in bulk, the rows get their award ids and the
job its progress together, and only while the worker still owns the job. A row whose
award idempotency key already has an award (an earlier job, a crashed batch that did
commit) is linked to that award, not issued again; two workers racing on one key hit
the ``awards`` unique constraint and retry the batch.

Per job the issuer's private key is decrypted once, and the localised achievement and
issuer profile are built once per language. One audit event when a job starts (or is
resumed) and one when it ends, with counts: never one per award.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from badges.errors import BadgesError
from badges.identity import normalize_email
from issuer.auth import Principal
from issuer.crypto import DecryptionError
from issuer.errors import ServiceError
from issuer.services import ServiceContext, audit, earner, pathways
from issuer.services.bulk_plan import JobPlan
from issuer.store.base import utcnow
from issuer.store.tables import Award, BulkJob, BulkJobRow

log = logging.getLogger("merkki.bulk")

BATCH_SIZE = 200
LEASE_SECONDS = 60.0
MAX_RETRIES = 5


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _uploader(job: BulkJob) -> Principal:
    """Audit events of a job name whoever uploaded its file."""
    return Principal(job.created_by, job.created_by_name, job.org_id, frozenset())


def _claimable(now: datetime) -> Any:
    expired = and_(BulkJob.status == "running", BulkJob.lease_until <= now)
    return or_(BulkJob.status == "queued", expired)


def claim_job(session: Session, worker: str, lease: timedelta) -> BulkJob | None:
    """Take the oldest queued job, or a running one whose lease expired; commit."""
    now = utcnow()
    stmt = (
        select(BulkJob)
        .where(_claimable(now))
        .order_by(BulkJob.created_at, BulkJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job = session.scalar(stmt)
    if job is None:
        session.rollback()
        return None
    resumed = job.status == "running"
    claimed = session.execute(
        update(BulkJob)
        .where(BulkJob.id == job.id, _claimable(now))
        .values(
            status="running",
            worker=worker,
            lease_until=now + lease,
            started_at=job.started_at or now,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # another worker was first
        session.rollback()
        return None
    action = "bulk.resume" if resumed else "bulk.start"
    audit.record(
        session,
        _uploader(job),
        action,
        "bulk_job",
        job.id,
        total=job.total,
        done=job.done,
        worker=worker,
    )
    session.commit()
    session.refresh(job)
    return job


def _owned(session: Session, job_id: str, worker: str) -> BulkJob | None:
    """The job, locked, if this worker still holds it."""
    stmt = select(BulkJob).where(BulkJob.id == job_id).with_for_update()
    job = session.execute(stmt.execution_options(populate_existing=True)).scalar_one()
    return job if job.status == "running" and job.worker == worker else None


def _end(session: Session, job: BulkJob, status: str, error: str | None = None) -> None:
    job.status = status
    job.finished_at = utcnow()
    job.lease_until = None
    if error is not None:
        job.errors = [*job.errors, {"line": None, "code": "job_failed", "reason": error}]
    failed = sum(1 for e in job.errors if e.get("line"))
    audit.record(
        session,
        _uploader(job),
        "bulk.finish" if status == "done" else "bulk.fail",
        "bulk_job",
        job.id,
        achievement_id=job.achievement_id,
        total=job.total,
        done=job.done,
        issued=job.issued,
        skipped=job.done - job.issued - failed,
        failed=failed,
        worker=job.worker,
    )
    session.commit()
    log.info("bulk_job_%s id=%s issued=%d total=%d", status, job.id, job.issued, job.total)


def _release(sessions: sessionmaker[Session], job_id: str, worker: str) -> None:
    """On shutdown: let the lease expire now, so the next worker resumes at once."""
    with sessions() as session:
        session.execute(
            update(BulkJob)
            .where(BulkJob.id == job_id, BulkJob.worker == worker, BulkJob.status == "running")
            .values(lease_until=utcnow())
            .execution_options(synchronize_session=False)
        )
        session.commit()


def _batch(session: Session, plan: JobPlan, job_id: str, worker: str, size: int) -> int | None:
    """Issue up to ``size`` rows in one transaction: rows handled, 0 when none were left,
    ``None`` when the job is no longer this worker's."""
    rows = session.scalars(
        select(BulkJobRow)
        .where(BulkJobRow.job_id == job_id, BulkJobRow.award_id.is_(None))
        .where(BulkJobRow.error.is_(None))
        .order_by(BulkJobRow.line)
        .limit(size)
    ).all()
    if not rows:
        return 0
    keys = [row.idempotency_key for row in rows]
    existing: dict[str, str] = {
        key: award_id
        for key, award_id in session.execute(
            select(Award.idempotency_key, Award.id).where(
                Award.org_id == plan.org_id, Award.idempotency_key.in_(keys)
            )
        )
        if key is not None
    }
    now = utcnow()
    awards: list[dict[str, Any]] = []
    linked: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    mails: list[tuple[dict[str, Any], str]] = []
    recipients: list[tuple[dict[str, Any], str]] = []
    for row in rows:
        award_id, error = existing.get(row.idempotency_key), None
        if award_id is None:
            try:
                values = plan.award_values(session, row, now)
            except (ServiceError, BadgesError, ValueError) as exc:
                error = str(exc) or type(exc).__name__
                errors.append({"line": row.line, "code": "issue_failed", "reason": error})
            else:
                awards.append(values)
                award_id = values["id"]
                recipients.append((values, row.recipient))
                if row.recipient_type == "email":
                    mails.append((values, row.recipient))
        linked.append({"id": row.id, "award_id": award_id, "error": error})
    if awards:
        session.execute(insert(Award), awards)
    for values, email in mails:  # each earner hears of the award in the same transaction
        earner.queue_award_mail(session, plan.ctx, Award(**values), normalize_email(email))
    for values, recipient in recipients:  # pathways the awards complete, same transaction
        pathways.after_award(session, plan.ctx, Award(**values), recipient, _uploader(plan.job))
    session.execute(update(BulkJobRow), linked)
    job = _owned(session, job_id, worker)
    if job is None:
        session.rollback()
        return None
    job.done += len(rows)
    job.issued += len(awards)
    job.lease_until = now + plan.lease
    if errors:
        job.errors = [*job.errors, *errors]
    session.commit()
    return len(rows)


def process_job(
    sessions: sessionmaker[Session],
    ctx: ServiceContext,
    job_id: str,
    worker: str,
    *,
    batch_size: int = BATCH_SIZE,
    lease: timedelta = timedelta(seconds=LEASE_SECONDS),
    max_rows: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Issue a claimed job's rows in batches until it is done (or ``max_rows`` rows were
    handled, or ``should_stop()``: the job is then left to its lease). Rows handled."""
    with sessions() as session:
        job = session.get(BulkJob, job_id)
        if job is None:  # pragma: no cover - claimed jobs are never deleted
            return 0
        try:
            plan = JobPlan.load(session, ctx, job, lease)
        except (ServiceError, BadgesError, DecryptionError, ValueError) as exc:
            session.rollback()
            owned = _owned(session, job_id, worker)
            if owned is not None:
                _end(session, owned, "failed", str(exc) or type(exc).__name__)
            return 0
    handled, retries = 0, 0
    while max_rows is None or handled < max_rows:
        if should_stop():
            _release(sessions, job_id, worker)
            return handled
        size = batch_size if max_rows is None else min(batch_size, max_rows - handled)
        with sessions() as session:
            try:
                count = _batch(session, plan, job_id, worker, size)
            except IntegrityError:  # another worker issued one of these keys just now
                session.rollback()
                retries += 1
                if retries > MAX_RETRIES:
                    raise
                continue
            if count is None:
                log.warning("bulk_job_lost id=%s worker=%s", job_id, worker)
                return handled
            if count == 0:
                owned = _owned(session, job_id, worker)
                if owned is not None:
                    _end(session, owned, "done")
                return handled
        handled += count
    return handled


def run_pending_jobs(
    sessions: sessionmaker[Session],
    ctx: ServiceContext,
    *,
    worker: str | None = None,
    batch_size: int = BATCH_SIZE,
    lease_seconds: float = LEASE_SECONDS,
    max_rows: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:
    """Claim and issue jobs until none is left (or ``max_rows`` rows were handled: the
    job in hand then stays ``running`` under this worker's lease, as if it crashed).
    Returns the number of rows handled. Safe to call from any number of processes."""
    worker = worker or worker_name()
    lease = timedelta(seconds=lease_seconds)
    handled = 0
    while (max_rows is None or handled < max_rows) and not should_stop():
        with sessions() as session:
            job = claim_job(session, worker, lease)
        if job is None:
            return handled
        left = None if max_rows is None else max_rows - handled
        handled += process_job(
            sessions,
            ctx,
            job.id,
            worker,
            batch_size=batch_size,
            lease=lease,
            max_rows=left,
            should_stop=should_stop,
        )
    return handled


class JobWorker:
    """Worker threads of this process (signing is CPU work: threads, not the event loop).

    Each polls for jobs every ``poll_seconds`` and at once after :meth:`wake`.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        ctx: ServiceContext,
        *,
        threads: int = 1,
        poll_seconds: float = 1.0,
    ) -> None:
        self.sessions, self.ctx, self.poll_seconds = sessions, ctx, poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, name=f"merkki-bulk-{n}", daemon=True)
            for n in range(threads)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=timeout)

    def _run(self) -> None:
        worker = worker_name()
        while not self._stop.is_set():
            try:
                run_pending_jobs(
                    self.sessions, self.ctx, worker=worker, should_stop=self._stop.is_set
                )
            except Exception:  # keep the thread alive; the job resumes after its lease
                log.exception("bulk_worker_error worker=%s", worker)
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
