"""A real SMTP server on a free localhost port (``aiosmtpd``), collecting what arrives.

``SmtpSink.start()`` runs an aiosmtpd ``Controller`` in its own thread; every message
the service delivers is parsed into an ``email.message.EmailMessage`` and kept in
``messages``. :meth:`SmtpSink.wait_for` waits (with a generous deadline, never as an
assertion about time) until a message to an address has arrived.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

WAIT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    envelope_from: str
    envelope_to: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(
        self,
        server: SMTP,  # noqa: ARG002
        session: Session,  # noqa: ARG002
        envelope: Envelope,
    ) -> str:
        raw = envelope.original_content or b""
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(
                Received(str(envelope.mail_from), list(envelope.rcpt_tos), message, raw)
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self._handler = _Handler()
        self._controller: Controller | None = None

    def start(self) -> SmtpSink:
        self._controller = Controller(self._handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.received)

    def to(self, address: str) -> list[Received]:
        return [item for item in self.messages if address in item.envelope_to]

    def wait_for(self, address: str, count: int = 1) -> list[Received]:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            found = self.to(address)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} arrived ({len(found)} of {count})")
            time.sleep(0.05)

    def settings(self) -> dict[str, Any]:
        """``LiveService.start`` keyword arguments that deliver to this server."""
        return {"smtp_host": "127.0.0.1", "smtp_port": self.port}


def parts(message: EmailMessage) -> tuple[str, str]:
    """``(text, html)`` bodies of a multipart/alternative message."""
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None, message.get_content_type()
    assert html is not None, message.get_content_type()
    return str(text.get_content()), str(html.get_content())
