"""The mail worker: delivers the outbox (``mail_outbox``) over SMTP, with retries.

Stateless like the bulk worker: everything lives in the database, so any number of
processes may deliver from one database. A worker claims due messages (``queued`` and
``next_attempt_at <= now``, or ``sending`` whose lease has run out because its worker
died) with a conditional ``UPDATE`` that alone arbitrates (PostgreSQL first picks
candidates with ``FOR UPDATE SKIP LOCKED``): the row becomes ``sending``, its
``attempts`` grows by one and ``next_attempt_at`` becomes the end of the lease. Then
it sends, and records the outcome only if the row is still the one it claimed
(``status = 'sending'`` and the same ``attempts``):

* sent → ``sent`` with ``sent_at``;
* a temporary failure (no connection, a timeout, a 4xx answer) → ``queued`` again with
  ``next_attempt_at = now + 30 s · 2^(attempts-1)`` (capped at 6 hours) and
  ``last_error``; after :data:`MAX_ATTEMPTS` attempts → ``failed``;
* a permanent refusal (a 5xx answer to the recipient or the message) → ``failed``.

Delivery is at least once: a worker that dies after the server accepted a message and
before recording it leaves the row to be sent again when its lease expires (the same
``Message-ID``, so mail clients show it once). Without ``MERKKI_SMTP_HOST`` nothing is
sent and messages wait in the outbox.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, event, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from issuer.services.mail import QUEUED, build_message
from issuer.settings import Settings
from issuer.store.base import utcnow
from issuer.store.tables import MailMessage

log = logging.getLogger("merkki.mail")

MAX_ATTEMPTS = 8
BACKOFF_BASE = 30.0
BACKOFF_CAP = 6 * 3600.0
LEASE_SECONDS = 300.0
BATCH = 20
MAX_ERROR = 500


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 30 s, 1 min, 2 min, …"""
    seconds = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, BACKOFF_CAP))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    username: str
    password: str
    security: str
    sender: str
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The mail server to use, ``None`` when none is configured."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            security=settings.smtp_security,
            sender=settings.smtp_from,
            timeout=settings.smtp_timeout,
        )

    def connect(self) -> smtplib.SMTP:
        """An open, authenticated connection."""
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.security == "tls":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            client.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if self.username:
                client.login(self.username, self.password)
        except BaseException:
            client.close()
            raise
        return client


class PermanentFailure(Exception):
    """The server refused the message for good (5xx)."""


# ---------------------------------------------------------------------- claiming


def _due(now: datetime) -> ColumnElement[bool]:
    lost = and_(MailMessage.status == "sending", MailMessage.next_attempt_at <= now)
    return or_(and_(MailMessage.status == "queued", MailMessage.next_attempt_at <= now), lost)


def claim_due(session: Session, now: datetime, limit: int = BATCH) -> list[MailMessage]:
    """Claim up to ``limit`` due messages for this worker (``sending``, attempts + 1,
    leased until ``now + LEASE_SECONDS``) and commit; returns them, detached."""
    candidates = list(
        session.scalars(
            select(MailMessage.id)
            .where(_due(now))
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    claimed: list[str] = []
    for message_id in candidates:
        result = session.execute(
            update(MailMessage)
            .where(MailMessage.id == message_id, _due(now))
            .values(
                status="sending",
                attempts=MailMessage.attempts + 1,
                next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(message_id)
    session.commit()
    if not claimed:
        return []
    rows = list(session.scalars(select(MailMessage).where(MailMessage.id.in_(claimed))))
    session.expunge_all()
    return sorted(rows, key=lambda row: (row.next_attempt_at, row.id))


def _finish(session: Session, row: MailMessage, **values: object) -> bool:
    """Record an outcome if ``row`` is still as this worker claimed it."""
    result = session.execute(
        update(MailMessage)
        .where(
            MailMessage.id == row.id,
            MailMessage.status == "sending",
            MailMessage.attempts == row.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def _failed(session: Session, row: MailMessage, error: str, now: datetime, final: bool) -> None:
    error = error[:MAX_ERROR]
    if final or row.attempts >= MAX_ATTEMPTS:
        _finish(session, row, status="failed", last_error=error)
        log.warning("mail_failed id=%s attempts=%d error=%s", row.id, row.attempts, error)
        return
    retry = now + backoff(row.attempts)
    _finish(session, row, status="queued", last_error=error, next_attempt_at=retry)
    log.info("mail_retry id=%s attempts=%d at=%s error=%s", row.id, row.attempts, retry, error)


# ---------------------------------------------------------------------- sending


def _send(client: smtplib.SMTP, config: SmtpConfig, row: MailMessage, now: datetime) -> None:
    message = build_message(row, config.sender, now)
    try:
        refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc
        raise
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
        if exc.smtp_code >= 500:
            raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        raise
    if refused:  # pragma: no cover - one recipient per message: refusing it raises above
        raise PermanentFailure(f"recipient refused: {refused}")


def deliver_due(
    sessions: sessionmaker[Session],
    config: SmtpConfig | None,
    *,
    now: Callable[[], datetime] = utcnow,
    limit: int | None = None,
) -> int:
    """Deliver due messages until none is left (or ``limit`` were tried); the number
    sent. Safe to run in any number of threads and processes at once."""
    if config is None:
        return 0
    sent = tried = 0
    while limit is None or tried < limit:
        with sessions() as session:
            batch = claim_due(session, now(), BATCH if limit is None else min(BATCH, limit - tried))
        if not batch:
            return sent
        tried += len(batch)
        sent += _deliver_batch(sessions, config, batch, now)
    return sent


def _deliver_batch(
    sessions: sessionmaker[Session],
    config: SmtpConfig,
    batch: list[MailMessage],
    now: Callable[[], datetime],
) -> int:
    sent = 0
    client: smtplib.SMTP | None = None
    with sessions() as session:
        try:
            for index, row in enumerate(batch):
                try:
                    if client is None:
                        client = config.connect()
                    _send(client, config, row, now())
                except PermanentFailure as exc:
                    _failed(session, row, str(exc), now(), final=True)
                except OSError as exc:  # smtplib.SMTPException is an OSError too
                    error = f"{type(exc).__name__}: {exc}"
                    answered = isinstance(
                        exc, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
                    )
                    if client is None or not answered:
                        # no server or a lost connection: the rest of the batch waits too
                        for waiting in batch[index:]:
                            _failed(session, waiting, error, now(), final=False)
                        return sent
                    _failed(session, row, error, now(), final=False)
                else:
                    if _finish(session, row, status="sent", sent_at=now(), last_error=None):
                        sent += 1
                        log.info("mail_sent id=%s kind=%s", row.id, row.kind)
        finally:
            if client is not None:
                try:
                    client.quit()
                except (OSError, smtplib.SMTPException):
                    client.close()
    return sent


class MailWorker:
    """A thread of this process that delivers the outbox every ``poll_seconds`` (and at
    once after :meth:`wake`)."""

    def __init__(
        self, sessions: sessionmaker[Session], config: SmtpConfig, *, poll_seconds: float = 2.0
    ) -> None:
        self.sessions, self.config, self.poll_seconds = sessions, config, poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="merkki-mail", daemon=True)

    def start(self) -> None:
        event.listen(self.sessions, "after_commit", self._after_commit)
        event.listen(self.sessions, "after_rollback", self._after_rollback)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        event.remove(self.sessions, "after_commit", self._after_commit)
        event.remove(self.sessions, "after_rollback", self._after_rollback)
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=timeout)

    def _after_commit(self, session: Session) -> None:
        """Mail queued in this process is sent at once, not at the next poll."""
        if session.info.pop(QUEUED, False):
            self._wake.set()

    def _after_rollback(self, session: Session) -> None:
        session.info.pop(QUEUED, None)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_due(self.sessions, self.config)
            except Exception:  # keep the thread alive; claimed rows return after their lease
                log.exception("mail_worker_error")
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
