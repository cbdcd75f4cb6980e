"""``merkki user create|list|password``, run in-process on a fresh SQLite database."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from issuer.cli import main
from issuer.services import users
from issuer.store.db import make_engine, make_sessionmaker
from issuer.store.tables import Membership, User


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("MERKKI_"):
            monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("MERKKI_DATABASE_URL", url)
    monkeypatch.setenv("MERKKI_SECRET_KEY", "cli-test-secret-0123456789-0123456789")
    users.set_hash_cost(time_cost=1, memory_kib=8 * 1024, parallelism=1)
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def stored(url: str, email: str) -> tuple[User, list[Membership]]:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            user = session.scalar(select(User).where(User.email == email))
            assert user is not None
            members = list(session.scalars(select(Membership).where(Membership.user_id == user.id)))
            session.expunge_all()
            return user, members
    finally:
        engine.dispose()


def test_user_create_list_and_password(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        "user", "create", "--org", "demo", "--email", " Omistaja@Example.FI ",
        "--role", "owner", "--password", "a long first password", "--name", "Olli Omistaja",
    )  # fmt: skip
    assert status == 0
    assert out.startswith("omistaja@example.fi ")
    user, members = stored(database, "omistaja@example.fi")
    assert user.name == "Olli Omistaja"
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert users.verify_password(user.password_hash, "a long first password")
    assert [member.role for member in members] == ["owner"]

    status, _, err = run(
        capsys, "user", "create", "--org", "demo", "--email", "b@example.fi", "--role", "viewer",
        "--password", "short",
    )  # fmt: skip
    assert status == 2
    assert "at least 12 characters" in err

    status, _, err = run(
        capsys, "user", "create", "--org", "nope", "--email", "c@example.fi", "--role", "viewer",
        "--password", "a long enough password",
    )  # fmt: skip
    assert status == 2
    assert "nope" in err

    status, out, _ = run(capsys, "user", "list", "--org", "demo")
    assert status == 0
    assert "omistaja@example.fi" in out
    assert "owner" in out

    status, _, err = run(
        capsys,
        "user",
        "password",
        "--email",
        "omistaja@example.fi",
        "--password",
        "a new password!",
    )
    assert status == 0
    user, _ = stored(database, "omistaja@example.fi")
    assert users.verify_password(user.password_hash, "a new password!")


def test_user_create_prompts_twice(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["typed password 123", "typed password 123"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    status, _, _ = run(
        capsys, "user", "create", "--org", "demo", "--email", "p@example.fi", "--role", "issuer"
    )
    assert status == 0
    user, members = stored(database, "p@example.fi")
    assert users.verify_password(user.password_hash, "typed password 123")
    assert [member.role for member in members] == ["issuer"]

    differ = iter(["typed password 123", "typed password 124"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt: next(differ))
    status, _, err = run(
        capsys, "user", "create", "--org", "demo", "--email", "q@example.fi", "--role", "issuer"
    )
    assert status == 2
    assert "differ" in err
