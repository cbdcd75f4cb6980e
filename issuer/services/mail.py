"""E-mail through a durable outbox: queue now, in the caller's transaction; deliver later.

Awarding or any other action never waits for SMTP: :func:`enqueue_mail` adds a
rendered message to ``mail_outbox`` in the caller's session (committed, or rolled
back, with whatever the message reports), and the mail worker
(:mod:`issuer.services.mail_worker`) delivers it. :func:`render_mail` renders a
message's plain text and HTML from ``templates/mail/<name>.txt`` and ``.html``;
:func:`build_message` makes the RFC 5322 message the worker sends.
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from issuer.store.base import new_id, utcnow
from issuer.store.tables import MailMessage

MAX_SUBJECT = 300
QUEUED = "merkki_mail_queued"
"""``session.info`` flag: this transaction queued mail (``MailWorker`` wakes on commit)."""
CHECKOUT = Path(__file__).resolve().parent.parent.parent


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
    session.info[QUEUED] = True  # the mail worker is woken when this commits
    return message


# ---------------------------------------------------------------------- rendering


@cache
def mail_templates() -> Environment:
    """The mail templates: HTML autoescaped, plain text not (``&`` stays ``&``)."""
    folders = [CHECKOUT / "templates", Path(str(resources.files("issuer") / "templates"))]
    return Environment(
        loader=FileSystemLoader([folder for folder in folders if folder.is_dir()]),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_mail(name: str, data: dict[str, Any]) -> tuple[str, str]:
    """``(text, html)`` of ``templates/mail/<name>.txt`` and ``.html`` with ``data``."""
    environment = mail_templates()
    text = environment.get_template(f"mail/{name}.txt").render(data)
    html = environment.get_template(f"mail/{name}.html").render(data)
    return text, html


# ---------------------------------------------------------------------- the message


def sender_domain(sender: str) -> str:
    """The domain of the ``From`` address (for ``Message-ID``), ``localhost`` without one."""
    address = parseaddr(sender)[1]
    domain = address.rpartition("@")[2]
    return domain.strip().lower() or "localhost"


def build_message(row: MailMessage, sender: str, now: datetime) -> EmailMessage:
    """The message for ``row``: ``multipart/alternative`` (text, then HTML) when it has
    HTML, with ``Date``, a ``Message-ID`` made from the row's id (a resend is the same
    message) and non-ASCII headers encoded (RFC 2047) by the ``email`` package."""
    message = EmailMessage()
    name, address = getaddresses([sender])[0]
    local, _, domain = address.rpartition("@")
    message["From"] = Address(display_name=name, username=local, domain=domain)
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{row.id}@{sender_domain(sender)}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body, cte="quoted-printable")
    if row.html_body:
        message.add_alternative(row.html_body, subtype="html", cte="quoted-printable")
    return message
