"""E-mail through a durable outbox: queue now, in the caller's transaction; deliver later.

Awarding or any other action never waits for SMTP: :func:`enqueue_mail` adds a
rendered message to ``mail_outbox`` in the caller's session (committed, or rolled
back, with whatever the message reports), and the mail worker delivers it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from issuer.store.base import new_id, utcnow
from issuer.store.tables import MailMessage

MAX_SUBJECT = 300


def enqueue_mail(
    session: Session,
    *,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    kind: str,
    org_id: str | None = None,
) -> MailMessage:
    """Queue one message to ``to``; it is sent once the caller commits."""
    if "\r" in to or "\n" in to or "\r" in subject or "\n" in subject:
        raise ValueError("a mail address or subject must not contain line breaks")
    now = utcnow()
    message = MailMessage(
        id=new_id(),
        org_id=org_id,
        kind=kind,
        to_address=to,
        subject=subject[:MAX_SUBJECT],
        text_body=text,
        html_body=html,
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message
