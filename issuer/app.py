"""The application factory: ``create_app(settings) -> FastAPI``.

No module-level app or engine: each call builds its own, so tests run any number of
services side by side. On start (lifespan) the migrations are applied and, on the
first start, the demo organisation is seeded; on stop the engine is disposed.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from issuer import web
from issuer.api import (
    achievements,
    admin_achievements,
    admin_applications,
    admin_audit,
    admin_awards,
    admin_bulk,
    admin_issuers,
    admin_pages,
    admin_tokens,
    admin_users,
    applications,
    apply_pages,
    audit,
    auth_pages,
    awards,
    baked,
    bulk,
    catalog,
    credentials,
    documents,
    earner,
    endorse_pages,
    endorsements,
    errors,
    health,
    images,
    issuers,
    keys,
    ob2,
    pages,
    pathways,
    status_lists,
    verify,
    verify_pages,
)
from issuer.ratelimit import RateLimiter, parse_rate
from issuer.services import ServiceContext
from issuer.services.award_status import recorded_status
from issuer.services.bulk_worker import JobWorker
from issuer.services.mail_worker import MailWorker, SmtpConfig
from issuer.services.seed import seed_demo
from issuer.services.verification import Verifier
from issuer.settings import Settings
from issuer.store.db import make_engine, make_sessionmaker, upgrade
from issuer.templating import make_templates

log = logging.getLogger("merkki")

DESCRIPTION = """Merkki issues signed Open Badges 3.0 credentials.

Authenticate with `Authorization: Bearer mk_…` (`merkki token create`). Errors are
RFC 9457 `application/problem+json` with a `type` of `https://merkki.fi/problems/<code>`.
Lists answer `{"items": [...], "next_cursor": ...}`: pass `next_cursor` as `cursor`.
"""


class RequestIdMiddleware:
    """Tags each request with an ``X-Request-ID`` (the client's or a new one) and logs it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if 0 < len(given) <= 64 and given.isprintable() else uuid.uuid4().hex
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request method=%s path=%s status=%d ms=%.1f request_id=%s",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
                request_id,
            )


def app_from_environment() -> FastAPI:
    """``create_app`` with the ``MERKKI_*`` environment: the factory each worker process
    of ``merkki serve --workers N`` imports."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    return create_app(Settings())


def create_app(settings: Settings) -> FastAPI:
    """A ready-to-serve application for ``settings``."""
    engine = make_engine(settings.sqlalchemy_url)
    context = ServiceContext.from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(engine)
        if settings.seed_demo:
            with app.state.sessions() as session:
                seed_demo(session, context)
        worker = None
        if settings.workers:
            worker = JobWorker(app.state.sessions, context, threads=settings.workers)
            worker.start()
        app.state.worker = worker
        smtp = SmtpConfig.from_settings(settings)
        mailer = MailWorker(app.state.sessions, smtp) if smtp is not None else None
        if mailer is not None:
            mailer.start()
        app.state.mail_worker = mailer
        log.info("service_started base_url=%s env=%s", settings.public_url, settings.env)
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            if mailer is not None:
                mailer.stop()
            engine.dispose()

    app = FastAPI(
        title="Merkki",
        summary="Open Badges 3.0 issuer",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.context = context
    app.state.templates = make_templates(settings)
    app.state.verifier = Verifier.from_settings(
        settings, own_status=recorded_status(engine, context)
    )
    app.state.rate_limiter = RateLimiter(parse_rate(settings.verify_rate))
    errors.install(app)
    web.install(app)
    app.state.worker = None
    app.state.mail_worker = None
    routers = (
        auth_pages,
        admin_tokens,
        admin_users,
        admin_audit,
        admin_pages,
        admin_achievements,
        admin_awards,
        admin_issuers,
        admin_applications,
        applications,
        apply_pages,
        issuers,
        keys,
        achievements,
        images,
        bulk,
        admin_bulk,
        awards,
        endorsements,
        endorse_pages,
        catalog,
        pathways,
        status_lists,
        audit,
        verify,
        verify_pages,
        earner,
        pages,
        ob2,
        baked,  # before credentials: its /credentials/{id} takes any {id}.png
        credentials,
        documents,
        health,
    )
    for module in routers:
        app.include_router(module.router)
    app.add_middleware(RequestIdMiddleware)
    return app
