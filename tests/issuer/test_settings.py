"""Settings: defaults, environment, and unsafe values refused in production."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from issuer.cli import main
from issuer.settings import DEV_SECRET_KEY, Settings

STRONG = "x" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("MERKKI_"):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = Settings()
    assert settings.env == "development"
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.sqlalchemy_url == "sqlite:///var/merkki.db"
    assert settings.secret_key.get_secret_value() == DEV_SECRET_KEY
    assert DEV_SECRET_KEY not in repr(settings)


def test_base_url_follows_host_and_port_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(host="0.0.0.0", port=9000).public_url == "http://0.0.0.0:9000"  # noqa: S104
    monkeypatch.setenv("MERKKI_BASE_URL", "https://merkit.esimerkkila.fi/")
    assert Settings(port=9000).public_url == "https://merkit.esimerkkila.fi"


def test_environment_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MERKKI_DATA_DIR", str(tmp_path))
    assert Settings().sqlalchemy_url == f"sqlite:///{tmp_path}/merkki.db"
    monkeypatch.setenv("MERKKI_DATABASE_URL", "postgresql+psycopg://merkki@db/merkki")
    assert Settings().sqlalchemy_url == "postgresql+psycopg://merkki@db/merkki"


@pytest.mark.parametrize("url", ["ftp://example.fi", "example.fi", "https://x.fi/?a=1"])
def test_base_url_must_be_http(url: str) -> None:
    with pytest.raises(ValidationError, match="MERKKI_BASE_URL"):
        Settings(base_url=url)


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="development default"):
        Settings(env="production", base_url="https://merkit.example.fi")


def test_production_refuses_a_short_secret() -> None:
    with pytest.raises(ValidationError, match="at least 32 characters"):
        Settings(env="production", base_url="https://merkit.example.fi", secret_key="short")


def test_production_refuses_plain_http_for_a_public_host() -> None:
    with pytest.raises(ValidationError, match="https"):
        Settings(env="production", secret_key=STRONG, base_url="http://merkit.example.fi")


def test_production_with_a_strong_secret() -> None:
    settings = Settings(env="production", secret_key=STRONG, base_url="https://merkit.example.fi")
    assert settings.secret == STRONG.encode()
    assert Settings(env="production", secret_key=STRONG).public_url == "http://127.0.0.1:8000"


def test_serve_refuses_to_start_with_the_default_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MERKKI_ENV", "production")
    assert main(["serve", "--port", "0"]) == 2
    assert "MERKKI_SECRET_KEY is the development default" in capsys.readouterr().err
