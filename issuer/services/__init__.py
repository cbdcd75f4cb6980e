"""Orchestration: the routes stay thin and call these functions.

Each mutating function validates, changes rows, appends to the audit log and
commits, in one transaction; any exception leaves the database unchanged.
:class:`ServiceContext` carries what every call needs besides the session: the
public base URL and the secrets derived from ``MERKKI_SECRET_KEY``.
"""

from __future__ import annotations

from dataclasses import dataclass

from issuer.crypto import SecretBox
from issuer.settings import Settings


@dataclass(frozen=True)
class ServiceContext:
    base_url: str
    box: SecretBox

    @classmethod
    def from_settings(cls, settings: Settings) -> ServiceContext:
        return cls(base_url=settings.public_url, box=SecretBox(settings.secret))

    def url(self, path: str) -> str:
        """An absolute public URL: ``ctx.url("credentials/x")``."""
        return f"{self.base_url}/{path.lstrip('/')}"
