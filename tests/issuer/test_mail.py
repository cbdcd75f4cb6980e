"""E-mail: the outbox, the SMTP worker and the award e-mail, against a real SMTP server.

A module's services deliver to an aiosmtpd server on localhost (``tests.issuer.smtp``);
the tests read what arrives: headers, both parts, encodings, and follow the links on
the live service. The worker's functions are also driven directly on a database of
their own (retries, permanent refusals, claims by competing workers).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from issuer.services.mail import build_message, enqueue_mail
from issuer.services.mail_worker import (
    MAX_ATTEMPTS,
    SmtpConfig,
    backoff,
    claim_due,
    deliver_due,
)
from issuer.store.base import utcnow
from issuer.store.db import make_engine, make_sessionmaker, upgrade
from issuer.store.tables import MailMessage
from tests.issuer.factories import achievement, award, ok, unique
from tests.issuer.live import LiveService
from tests.issuer.pg import PostgresCluster, fresh_database_url
from tests.issuer.smtp import SmtpSink, free_port, parts


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def service(
    database_url: str, sink: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    live = LiveService.start(database_url, tmp_path_factory.mktemp("data"), **sink.settings())
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def bare(
    database_url: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sessionmaker[Session]]:
    """Another fresh database of the same kind, with no service (no worker) on it."""

    def cluster() -> PostgresCluster:
        found: PostgresCluster = request.getfixturevalue("postgres_cluster")
        return found

    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    url = fresh_database_url(kind, tmp_path_factory.mktemp("bare"), cluster, name="bare")
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()


def _address() -> str:
    return f"{unique('saaja')}@example.fi"


def _rows(service: LiveService, to: str) -> list[MailMessage]:
    with service.session() as session:
        return list(session.scalars(select(MailMessage).where(MailMessage.to_address == to)))


def _subject(raw: bytes) -> str:
    match = re.search(rb"^Subject: ([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)", raw, re.MULTILINE)
    assert match is not None
    return re.sub(r"\r?\n", "", match.group(1).decode("ascii"))


# ---------------------------------------------------------------------- the award e-mail


def test_award_mail_arrives_in_finnish_with_both_parts_and_working_links(
    service: LiveService, sink: SmtpSink, api: httpx.Client
) -> None:
    made = achievement(api, name={"fi": unique("Pätevä työnohjaaja"), "sv": "Handledare"})
    to = _address()
    issued = award(
        api, made["id"], recipient={"email": to.upper()}, name="Jörö Äkäslompolo", language="fi"
    )
    [received] = sink.wait_for(to)
    message = received.message
    name = made["name"]["fi"]
    assert str(message["Subject"]) == f"Olet saanut osaamismerkin: {name}"
    assert "=?utf-8?" in _subject(received.raw).lower()  # RFC 2047: the raw header is ASCII
    assert message["To"] == to
    assert received.envelope_to == [to]
    assert received.envelope_from == "noreply@localhost"
    assert message["From"] == "Merkki <noreply@localhost>"
    assert message["Date"]
    assert message["Message-ID"].endswith("@localhost>")
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Hei Jörö Äkäslompolo," in text
    assert name in text
    assert name in html
    assert "Merkki-demo" in text  # the issuer
    assert "Kuvaus" in text  # the achievement's description
    page = f"{service.base_url}/credentials/{issued['id']}"
    assert f'src="{page}.png"' in html
    assert page in text
    assert f'href="{page}"' in html
    links = re.findall(r"https?://\S+/my/link/[A-Za-z0-9_-]+", text)
    assert len(links) == 1
    assert links[0] in html
    # the links work on the live service
    image = httpx.get(f"{page}.png")
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    shown = httpx.get(page, headers={"Accept": "text/html"})
    assert shown.status_code == 200
    assert name in shown.text
    opened = httpx.get(links[0])
    assert opened.status_code == 200
    assert 'method="post"' in opened.text
    [row] = _rows(service, to)
    assert (row.status, row.attempts, row.kind) == ("sent", 1, "award")
    assert row.sent_at is not None
    assert row.org_id is not None


@pytest.mark.parametrize(
    ("lang", "subject", "greeting"),
    [
        ("sv", "Du har fått ett kompetensmärke: {name}", "Hej,"),
        ("en", "You have received a badge: {name}", "Hello,"),
    ],
)
def test_award_mail_is_in_the_awards_language(
    api: httpx.Client, sink: SmtpSink, lang: str, subject: str, greeting: str
) -> None:
    made = achievement(api)
    to = _address()
    award(api, made["id"], recipient={"email": to}, language=lang)
    [received] = sink.wait_for(to)
    name = made["name"][lang]
    assert str(received.message["Subject"]) == subject.format(name=name)
    text, html = parts(received.message)
    assert text.startswith(greeting)
    assert f'<html lang="{lang}">' in html


def test_no_mail_for_a_did_recipient_nor_for_an_idempotent_replay(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    made = achievement(api)
    award(api, made["id"], recipient={"did": "did:example:ei-postia"})
    to = _address()
    body = {
        "achievement_id": made["id"],
        "recipient": {"email": to},
        "idempotency_key": unique("k"),
    }
    ok(api.post("/api/v1/awards", json=body), 201)
    ok(api.post("/api/v1/awards", json=body), 200)
    sink.wait_for(to)
    assert len(_rows(service, to)) == 1


def test_bulk_awards_mail_each_email_recipient_in_the_rows_language(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    made = achievement(api)
    first, second = _address(), _address()
    csv = f"email,did,name,language\n{first},,Åsa Öberg,sv\n{second},,,en\n,did:example:x,,fi\n"
    job = ok(
        api.post(
            f"/api/v1/awards/bulk?achievement_id={made['id']}",
            content=csv.encode(),
            headers={"Content-Type": "text/csv"},
        ),
        202,
    )
    [to_first] = sink.wait_for(first)
    [to_second] = sink.wait_for(second)
    assert str(to_first.message["Subject"]).startswith("Du har fått ett kompetensmärke")
    assert parts(to_first.message)[0].startswith("Hej Åsa Öberg,")
    assert str(to_second.message["Subject"]).startswith("You have received a badge")
    done = ok(api.get(f"/api/v1/jobs/{job['id']}"))
    assert done["total"] == 3


# ---------------------------------------------------------------------- outage


def test_an_smtp_outage_loses_nothing_and_delivers_once(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    port = free_port()  # nothing listens here yet: the mail server is down
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"

    def cluster() -> PostgresCluster:
        found: PostgresCluster = request.getfixturevalue("postgres_cluster")
        return found

    url = fresh_database_url(kind, tmp_path_factory.mktemp("outage"), cluster, name="outage")
    live = LiveService.start(
        url, tmp_path_factory.mktemp("outage-data"), smtp_host="127.0.0.1", smtp_port=port
    )
    server = SmtpSink(port)
    try:
        with live.client() as api:
            to = _address()
            award(api, achievement(api)["id"], recipient={"email": to})  # never waits for SMTP
            row = _wait_row(live, to, lambda row: row.attempts >= 1 and row.status == "queued")
            assert row.last_error
            assert "Connection" in row.last_error
            assert row.next_attempt_at >= row.created_at + timedelta(seconds=29)
            server.start()  # the server is back; pretend the backoff has passed
            with live.session() as session:
                session.execute(
                    update(MailMessage)
                    .where(MailMessage.id == row.id)
                    .values(next_attempt_at=utcnow())
                )
                session.commit()
            server.wait_for(to)
            sent = _wait_row(live, to, lambda row: row.status == "sent")
            assert sent.attempts == 2
            assert sent.last_error is None
            config = SmtpConfig.from_settings(live.settings)
            assert deliver_due(live.app.state.sessions, config) == 0  # nothing left to send
            assert len(server.to(to)) == 1
    finally:
        live.stop()
        server.stop()


def _wait_row(live: LiveService, to: str, done: object) -> MailMessage:
    import time

    assert callable(done)
    deadline = time.monotonic() + 30
    while True:
        rows = _rows(live, to)
        if rows and done(rows[0]):
            return rows[0]
        assert time.monotonic() < deadline, f"outbox row for {to}: {rows}"
        time.sleep(0.05)


# ---------------------------------------------------------------------- the worker itself


def _queue(sessions: sessionmaker[Session], to: str, subject: str = "Hei") -> str:
    with sessions() as session:
        row = enqueue_mail(session, to=to, subject=subject, text="Teksti", kind="test")
        session.commit()
        return row.id


def _get(sessions: sessionmaker[Session], message_id: str) -> MailMessage:
    with sessions() as session:
        row = session.get(MailMessage, message_id)
        assert row is not None
        session.expunge(row)
        return row


def test_backoff_doubles_from_30_seconds_and_is_capped() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=6)


def test_nothing_is_sent_without_a_mail_server(bare: sessionmaker[Session]) -> None:
    message_id = _queue(bare, "odottaa@example.fi")
    assert deliver_due(bare, None) == 0
    assert _get(bare, message_id).status == "queued"


def test_retries_with_backoff_then_fails_after_the_last_attempt(
    bare: sessionmaker[Session],
) -> None:
    dead = SmtpConfig("127.0.0.1", free_port(), "", "", "none", "Merkki <noreply@localhost>", 5)
    message_id = _queue(bare, "kadonnut@example.fi")
    clock = [utcnow()]
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_due(bare, dead, now=lambda: clock[0]) == 0
        row = _get(bare, message_id)
        assert row.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert row.status == "queued"
            assert row.next_attempt_at == clock[0] + backoff(attempt)
            assert deliver_due(bare, dead, now=lambda: clock[0]) == 0  # not due yet
            assert _get(bare, message_id).attempts == attempt
            clock[0] = row.next_attempt_at
    assert row.status == "failed"
    assert row.last_error


class _Refusing:
    async def handle_RCPT(
        self,
        server: SMTP,  # noqa: ARG002
        session: SmtpSession,  # noqa: ARG002
        envelope: Envelope,  # noqa: ARG002
        address: str,
        options: list[str],  # noqa: ARG002
    ) -> str:
        return "550 5.1.1 No such user" if address.startswith("ei-ole") else "451 4.3.0 Try later"


def test_a_permanent_refusal_fails_at_once_and_a_temporary_one_retries(
    bare: sessionmaker[Session],
) -> None:
    controller = Controller(_Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        config = SmtpConfig(
            "127.0.0.1", controller.port, "", "", "none", "Merkki <noreply@localhost>", 5
        )
        gone = _queue(bare, "ei-ole@example.fi")
        later = _queue(bare, "huomenna@example.fi")
        assert deliver_due(bare, config) == 0
    finally:
        controller.stop()
    refused, waiting = _get(bare, gone), _get(bare, later)
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "550" in (refused.last_error or "")
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert "451" in (waiting.last_error or "")


def test_competing_workers_never_claim_one_message_twice(bare: sessionmaker[Session]) -> None:
    ids = {_queue(bare, f"kilpa{n}@example.fi") for n in range(6)}
    now = utcnow() + timedelta(days=1)  # after everything earlier tests left queued
    with bare() as first, bare() as second:
        mine = claim_due(first, now, limit=4)
        theirs = claim_due(second, now, limit=50)
    claimed_ids = [row.id for row in mine] + [row.id for row in theirs]
    assert len(claimed_ids) == len(set(claimed_ids))
    assert ids <= set(claimed_ids)
    assert all(row.status == "sending" for row in (*mine, *theirs))
    with bare() as third:  # leased: nobody else gets them until the lease runs out
        assert claim_due(third, now) == []
        assert {row.id for row in claim_due(third, now + timedelta(hours=1))} >= ids


def test_the_message_headers_and_encodings(bare: sessionmaker[Session]) -> None:
    message_id = _queue(
        bare, "maija@example.fi", "Olet saanut osaamismerkin: Pätevä ohjaaja – taso 2"
    )
    row = _get(bare, message_id)
    row.html_body = "<p>Hyvää päivää</p>"
    message = build_message(row, "Kaupungin Merkit <merkit@kaupunki.example>", utcnow())
    raw = message.as_bytes()
    assert raw.isascii()  # every header and body part encoded
    assert str(make_header(decode_header(_subject(raw)))) == row.subject
    assert message["Message-ID"] == f"<{row.id}@kaupunki.example>"
    assert message["From"].addresses[0].addr_spec == "merkit@kaupunki.example"
    assert message["Auto-Submitted"] == "auto-generated"
    text, html = parts(message)
    assert text.strip() == "Teksti"
    assert "Hyvää päivää" in html


def test_line_breaks_in_headers_are_refused(bare: sessionmaker[Session]) -> None:
    with bare() as session, pytest.raises(ValueError, match="line breaks"):
        enqueue_mail(
            session, to="a@example.fi\r\nBcc: x@example.fi", subject="x", text="", kind="t"
        )


def test_merkki_mail_send_delivers_the_due_messages(sink: SmtpSink, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'merkki.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    to = _address()
    message_id = _queue(sessions, to)
    env = {**os.environ, "MERKKI_DATABASE_URL": url, "MERKKI_SEED_DEMO": "false"}
    env.pop("MERKKI_SMTP_HOST", None)
    refused = _merkki_mail_send(env)
    assert refused.returncode == 2
    assert "MERKKI_SMTP_HOST" in refused.stderr
    env.update({"MERKKI_SMTP_HOST": "127.0.0.1", "MERKKI_SMTP_PORT": str(sink.port)})
    done = _merkki_mail_send(env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 message(s) sent"
    assert len(sink.to(to)) == 1
    assert _get(sessions, message_id).status == "sent"
    engine.dispose()


def _merkki_mail_send(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "issuer.cli", "mail", "send"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)
