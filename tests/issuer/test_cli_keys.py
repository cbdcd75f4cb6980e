"""``merkki key list|rotate|compromise|reissue`` against the configured database, in-process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.auth import SCOPES, Principal
from issuer.cli import main
from issuer.models.awards import AwardCreate
from issuer.services import ServiceContext
from issuer.services import awards as award_service
from issuer.settings import Settings
from issuer.store.db import make_engine, make_sessionmaker
from issuer.store.tables import Achievement, AuditEvent, Award, Issuer, SigningKey


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("MERKKI_"):
            monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("MERKKI_DATABASE_URL", url)
    monkeypatch.setenv("MERKKI_SECRET_KEY", "cli-test-secret-0123456789-0123456789")
    return url


@pytest.fixture
def session(database: str) -> Iterator[Session]:
    engine = make_engine(database)
    try:
        with make_sessionmaker(engine)() as opened:
            yield opened
    finally:
        engine.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def _demo(capsys: pytest.CaptureFixture[str], session: Session) -> tuple[Issuer, SigningKey]:
    status, _, err = run(capsys, "org", "create", "cli-keys")  # migrates, seeds the demo
    assert status == 0, err
    issuer = session.scalars(select(Issuer)).first()
    assert issuer is not None
    key = session.scalar(select(SigningKey).where(SigningKey.issuer_id == issuer.id))
    assert key is not None
    return issuer, key


def _award(session: Session, issuer: Issuer) -> Award:
    achievement = session.scalar(select(Achievement).where(Achievement.issuer_id == issuer.id))
    assert achievement is not None
    actor = Principal("test", "test", issuer.org_id, frozenset(SCOPES))
    context = ServiceContext.from_settings(Settings())
    body = AwardCreate.model_validate(
        {"achievement_id": achievement.id, "recipient": {"email": "maija@example.fi"}}
    )
    award, created = award_service.issue_award(session, context, actor, body)
    assert created
    return award


def test_rotate_compromise_reissue(capsys: pytest.CaptureFixture[str], session: Session) -> None:
    issuer, first = _demo(capsys, session)
    status, out, err = run(capsys, "key", "list", "--issuer", issuer.id)
    assert status == 0, err
    assert out.split()[:3] == [first.id, "Ed25519", "current"]

    signed = _award(session, issuer)
    assert signed.signing_key_id == first.id

    status, out, err = run(capsys, "key", "rotate", "--issuer", issuer.id)
    assert status == 0, err
    second_id = out.split()[0]
    assert out.split()[1:3] == ["Ed25519", "current"]
    session.expire_all()
    assert session.get(SigningKey, first.id).status == "retired"  # type: ignore[union-attr]

    since = (signed.created_at - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, out, err = run(
        capsys,
        "key",
        "compromise",
        "--issuer",
        issuer.id,
        "--key",
        first.id,
        "--since",
        since,
        "--reason",
        "varastettu",
    )
    assert status == 0, err
    assert f"compromised since {since}" in out
    assert "1 active award(s)" in err
    assert f"merkki key reissue --issuer {issuer.id} --key {first.id}" in err

    status, out, err = run(capsys, "key", "reissue", "--issuer", issuer.id, "--key", first.id)
    assert status == 0, err
    assert out.strip() == "re-issued 1 award(s); 0 left"
    session.expire_all()
    old = session.get(Award, signed.id)
    assert old is not None
    assert old.status == "revoked"
    assert old.revocation_reason == "key compromise"
    new = session.get(Award, old.reissued_by or "")
    assert new is not None
    assert new.signing_key_id == second_id
    assert new.reissued_from == old.id
    assert new.credential["proof"]["verificationMethod"].endswith(f"#{second_id}")

    actions = [
        event.action
        for event in session.scalars(select(AuditEvent).where(AuditEvent.actor_id == "cli"))
    ]
    assert {"key.create", "key.retire", "key.compromise", "award.reissue", "key.reissue"} <= set(
        actions
    )

    status, out, _ = run(capsys, "key", "list", "--issuer", issuer.id)
    assert [line.split()[2] for line in out.splitlines()] == ["compromised", "current"]


def test_errors_exit_2(capsys: pytest.CaptureFixture[str], session: Session) -> None:
    issuer, first = _demo(capsys, session)
    status, _, err = run(capsys, "key", "rotate", "--issuer", "nope")
    assert status == 2
    assert "issuer 'nope' not found" in err
    status, _, err = run(
        capsys, "key", "compromise", "--issuer", issuer.id, "--key", first.id, "--since", "eilen"
    )
    assert status == 2
    assert "--since" in err
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    status, _, err = run(
        capsys, "key", "compromise", "--issuer", issuer.id, "--key", first.id, "--since", future
    )
    assert status == 2
    assert "future" in err
    status, _, err = run(capsys, "key", "reissue", "--issuer", issuer.id, "--key", first.id)
    assert status == 2
    assert "not compromised" in err
    session.expire_all()
    assert session.get(SigningKey, first.id).status == "current"  # type: ignore[union-attr]
