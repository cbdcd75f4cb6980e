"""Service settings, read from ``MERKKI_*`` environment variables.

``MERKKI_ENV``            ``development`` (default) or ``production``
``MERKKI_DATA_DIR``       where the embedded SQLite database lives (default ``./var``)
``MERKKI_HOST``/``_PORT`` what ``merkki serve`` listens on (default 127.0.0.1:8000)
``MERKKI_BASE_URL``       the public URL in every id and link (default ``http://{host}:{port}``)
``MERKKI_DATABASE_URL``   default ``sqlite:///{data_dir}/merkki.db``; ``postgresql+psycopg://…``
``MERKKI_SECRET_KEY``     encrypts private keys at rest and keys recipient hashes; production
                          refuses the development default and anything under 32 characters
``MERKKI_SEED_DEMO``      seed the ``demo`` organisation on first start (default true)
``MERKKI_TEMPLATES_DIR``  extra template folder searched first (optional)
``MERKKI_WORKERS``        bulk-award worker threads in this process (default 1; 0: none)
``MERKKI_HTTP_WORKERS``   ``merkki serve`` processes (default 1)
``MERKKI_FETCH_ALLOWED_HOSTS``  hosts (``host`` or ``host:port``, comma-separated) the verifier
                          may fetch from although they resolve to private addresses
``MERKKI_FETCH_TIMEOUT``/``_MAX_BYTES``/``_MAX_REDIRECTS``  outbound fetch limits
``MERKKI_FETCH_CACHE_TTL`` longest seconds a fetched document (DID document, status list) is reused
``MERKKI_VERIFY_RATE``    ``POST /api/v1/verify`` requests per client, e.g. ``120/minute``
                          (``0`` or ``off``: no limit)
``MERKKI_SMTP_HOST``/``_PORT``  the mail server (empty host: nothing is delivered, mail stays
                          queued); ``_USERNAME``/``_PASSWORD`` log in, ``_SECURITY`` is
                          ``none``, ``starttls`` or ``tls``; ``_FROM`` the sender;
                          ``_TIMEOUT`` seconds per connection and command
``MERKKI_EARNER_LINK_RATE`` magic-link requests on ``/my`` per client (default ``10/hour``)

Unsafe defaults are refused, not warned about (full-stack-fastapi-template's
``core/config.py`` pattern): a production service never starts with the secret
every checkout shares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "merkki-development-secret-do-not-use-in-production"  # noqa: S105
"""The secret every development checkout shares; refused in production."""
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    """Everything the service reads from its environment, validated once at start."""

    model_config = SettingsConfigDict(env_prefix="MERKKI_", extra="ignore", frozen=True)

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    base_url: str | None = None
    database_url: str | None = None
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    seed_demo: bool = True
    templates_dir: Path | None = None
    workers: int = Field(default=1, ge=0, le=16)
    http_workers: int = Field(default=1, ge=1, le=64)
    fetch_allowed_hosts: str = ""
    fetch_timeout: float = Field(default=10.0, gt=0, le=120)
    fetch_max_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    fetch_max_redirects: int = Field(default=3, ge=0, le=10)
    fetch_cache_ttl: float = Field(default=300.0, ge=0, le=3600)
    verify_rate: str = "120/minute"
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_from: str = "Merkki <noreply@localhost>"
    smtp_timeout: float = Field(default=30.0, gt=0, le=300)
    earner_link_rate: str = "10/hour"

    @field_validator("smtp_from")
    @classmethod
    def _check_smtp_from(cls, value: str) -> str:
        from email.utils import getaddresses

        found = getaddresses([value])
        if len(found) != 1 or "@" not in found[0][1] or any(c in value for c in "\r\n"):
            raise ValueError(f"MERKKI_SMTP_FROM must be one address, got {value!r}")
        return value

    @field_validator("verify_rate", "earner_link_rate")
    @classmethod
    def _check_verify_rate(cls, value: str) -> str:
        from issuer.ratelimit import parse_rate

        parse_rate(value)  # raises ValueError with the reason
        return value

    @field_validator("base_url")
    @classmethod
    def _check_base_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"MERKKI_BASE_URL must be an http(s) URL, got {value!r}")
        if parts.query or parts.fragment:
            raise ValueError("MERKKI_BASE_URL must not have a query or fragment")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _refuse_unsafe_secret(self) -> Self:
        if self.env != "production":
            return self
        secret = self.secret_key.get_secret_value()
        if secret == DEV_SECRET_KEY:
            raise ValueError(
                "MERKKI_SECRET_KEY is the development default; set a random secret "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "before running with MERKKI_ENV=production"
            )
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"MERKKI_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters in "
                f"production, got {len(secret)}"
            )
        if self.public_url.startswith("http://"):
            parts = urlsplit(self.public_url)
            if parts.hostname not in ("localhost", "127.0.0.1", "::1"):
                raise ValueError(
                    "MERKKI_BASE_URL must be https:// in production (did:web resolves over "
                    f"HTTPS), got {self.public_url!r}"
                )
        return self

    @property
    def public_url(self) -> str:
        """The public base URL without a trailing slash."""
        if self.base_url:
            return self.base_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL (the embedded SQLite file in ``data_dir`` by default)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'merkki.db'}"

    @property
    def secret(self) -> bytes:
        return self.secret_key.get_secret_value().encode("utf-8")
