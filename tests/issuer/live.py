"""A real Merkki service on a free localhost port, for tests that speak HTTP to it.

``LiveService.start(database_url, tmp)`` runs ``create_app(settings)`` under uvicorn in
a thread (the socket is bound first, so the base URL, and with it every DID and id, is
known before the app is built). Helpers make tokens and organisations directly in the
database, the way ``merkki token create`` does.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session

from badges.did import DidResolver
from badges.report import VerificationReport
from badges.verify import verify
from issuer.app import create_app
from issuer.auth import CLI, parse_scopes
from issuer.fetch import SafeFetcher
from issuer.services import tokens as token_service
from issuer.settings import Settings

TEST_SECRET = "test-secret-for-merkki-service-tests-0123456789"
ALL_SCOPES = "award,read,manage,revoke"


@dataclass
class LiveService:
    settings: Settings
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread
    http: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    @property
    def base_url(self) -> str:
        return self.settings.public_url

    @classmethod
    def start(cls, database_url: str, data_dir: Path, **settings: Any) -> LiveService:
        # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted connections only for
        # sockets whose proto is TCP (0 would leave Nagle on: +40 ms per kept-alive request).
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = Settings(
            env="development",
            data_dir=data_dir,
            host="127.0.0.1",
            port=port,
            database_url=database_url,
            secret_key=TEST_SECRET,
            **settings,
        )
        app = create_app(config)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Merkki test service did not start (see the log above)")
            time.sleep(0.02)
        return cls(config, app, server, thread)

    def stop(self) -> None:
        self.http.close()
        self.server.should_exit = True
        self.thread.join(timeout=30)

    # ---------------------------------------------------------------- database helpers

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.app.state.sessions() as session:
            yield session

    def token(self, scopes: str = ALL_SCOPES, org: str = "demo", name: str = "test") -> str:
        with self.session() as session:
            _, text = token_service.create_token(session, CLI, org, parse_scopes(scopes), name)
        return text

    def organization(self, slug: str) -> str:
        with self.session() as session:
            return token_service.create_organization(session, CLI, slug, slug).id

    def client(
        self, token: str | None = None, scopes: str = ALL_SCOPES, org: str = "demo"
    ) -> httpx.Client:
        """An HTTP client that sends a bearer token (a new one unless given)."""
        token = token or self.token(scopes, org)
        return httpx.Client(
            base_url=self.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
        )

    # ---------------------------------------------------------------- verification

    def resolver(self) -> DidResolver:
        """Resolves did:web DIDs of this service through the running service (plain HTTP)."""
        host = f"127.0.0.1:{self.settings.port}"
        return DidResolver(SafeFetcher(allowed_hosts=frozenset({host})), web_scheme="http")

    def verify(self, credential: dict[str, Any] | str, **kwargs: Any) -> VerificationReport:
        return verify(credential, resolver=self.resolver(), **kwargs)
