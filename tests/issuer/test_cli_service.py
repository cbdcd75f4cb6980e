"""``merkki db upgrade``, ``org create`` and ``token create/list/revoke``, run in-process."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect

from issuer.auth import authenticate
from issuer.cli import main
from issuer.errors import Unauthenticated
from issuer.store.db import make_engine, make_sessionmaker

TOKEN = re.compile(r"mk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("MERKKI_"):
            monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("MERKKI_DATABASE_URL", url)
    monkeypatch.setenv("MERKKI_SECRET_KEY", "cli-test-secret-0123456789-0123456789")
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_db_upgrade(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "db", "upgrade")
    assert status == 0
    assert out.strip() == "database at revision 0012"
    engine = make_engine(database)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert {
        "organizations",
        "issuers",
        "signing_keys",
        "achievements",
        "awards",
        "api_tokens",
        "audit_events",
        "alembic_version",
    } <= tables
    assert run(capsys, "db", "upgrade")[0] == 0  # idempotent


def test_token_create_list_revoke(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys,
        "token",
        "create",
        "--org",
        "demo",
        "--scopes",
        "award,read",
        "--name",
        "HR-järjestelmä",
    )
    assert status == 0, err
    token = out.strip()
    assert TOKEN.fullmatch(token)
    assert "shown only now" in err
    token_id = token.split("_")[1]

    engine = make_engine(database)
    try:
        with make_sessionmaker(engine)() as session:
            principal = authenticate(session, token)
            assert principal.scopes == {"award", "read"}
            assert principal.actor_name == "HR-järjestelmä"

        status, out, _ = run(capsys, "token", "list", "--org", "demo")
        assert token_id in out
        assert "active" in out
        assert token.split("_", 2)[2] not in out

        assert run(capsys, "token", "revoke", token_id)[1].strip() == f"revoked {token_id}"
        assert "revoked" in run(capsys, "token", "list", "--org", "demo")[1]
        with make_sessionmaker(engine)() as session, pytest.raises(Unauthenticated):
            authenticate(session, token)
    finally:
        engine.dispose()


def test_usage_errors_exit_2(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "token", "create", "--org", "demo", "--scopes", "award,root")
    assert status == 2
    assert "scopes must be" in err
    status, _, err = run(capsys, "token", "create", "--org", "nowhere", "--scopes", "read")
    assert status == 2
    assert "organisation 'nowhere' not found" in err
    assert run(capsys, "token", "revoke", "0000000000000000")[0] == 2


def test_org_create(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "org", "create", "esimerkkila", "--name", "Esimerkkilän kaupunki")
    assert status == 0
    assert out.startswith("esimerkkila ")
    assert run(capsys, "org", "create", "esimerkkila")[0] == 2
    assert TOKEN.fullmatch(
        run(capsys, "token", "create", "--org", "esimerkkila", "--scopes", "read")[1].strip()
    )
