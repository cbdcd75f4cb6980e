"""``/healthz``: the service answers and its database too."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from issuer.api.deps import SessionDep

router = APIRouter(tags=["health"])
log = logging.getLogger("merkki.health")


@router.get("/healthz", summary="Liveness and database check")
def healthz(session: SessionDep) -> JSONResponse:
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health_database_failed error=%s", type(exc).__name__)
        return JSONResponse({"status": "error", "database": "error"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
