"""Status lists and the award lifecycle.

Public: ``GET /status/{list_id}``, the signed ``BitstringStatusListCredential`` (JSON-LD
with an eddsa-rdfc-2022 proof for Ed25519 issuers, a VC-JWT for ``application/vc+jwt``
or for P-256/RSA issuers), cacheable for a minute, with an ``ETag``.

API (scope ``revoke``): ``POST /api/v1/awards/{id}/revoke``, ``/suspend``,
``/reinstate`` and the bulk ``POST /api/v1/awards/revoke`` (ids as JSON or a CSV file).
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from issuer.api import present
from issuer.api.bulk import csv_upload
from issuer.api.deps import ContextDep, ReadToken, SessionDep, current_principal
from issuer.api.negotiation import negotiate
from issuer.auth import Principal
from issuer.errors import Forbidden, InvalidRequest
from issuer.models.awards import AwardPublic
from issuer.models.status import (
    BulkRevoke,
    BulkRevokeResult,
    Reason,
    Reinstate,
    StatusChange,
    StatusEntryPublic,
    StatusListPublic,
)
from issuer.services import award_status
from issuer.services import status_lists as service
from issuer.store import repo
from issuer.store.tables import StatusList

router = APIRouter(tags=["status"])

JSON_TYPES = ("application/vc+ld+json", "application/ld+json", "application/json", "application/vc")
JWT_TYPE = "application/vc+jwt"
MAX_AGE = 60
"""Seconds a status list may be cached: a revocation shows within a minute."""


def _revoke_scope(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.has("revoke"):
        raise Forbidden("this token lacks the 'revoke' scope")
    return principal


RevokeToken = Annotated[Principal, Depends(_revoke_scope)]


# --------------------------------------------------------------------------- public lists


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@router.get(
    "/status/{list_id}",
    summary="A status list credential (BitstringStatusListCredential)",
    response_class=Response,
    responses={
        200: {
            "description": "The signed list",
            "content": {**{m: {} for m in JSON_TYPES}, JWT_TYPE: {"schema": {"type": "string"}}},
        },
        304: {"description": "Not modified (`If-None-Match`)"},
        404: {"description": "No such list"},
        406: {"description": "No acceptable representation"},
    },
)
def status_list(
    list_id: str,
    session: SessionDep,
    ctx: ContextDep,
    accept: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    row = service.published(session, ctx, list_id)
    offers = [*(JSON_TYPES if row.credential is not None else ()), JWT_TYPE]
    if row.jwt is None:
        offers.remove(JWT_TYPE)
    chosen = negotiate(accept, offers)
    headers = {
        "Vary": "Accept",
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "Access-Control-Allow-Origin": "*",
    }
    if chosen is None:
        raise HTTPException(406, f"this list is available as {', '.join(offers)}", headers)
    if chosen == JWT_TYPE:
        body = (row.jwt or "").encode("ascii")
    else:
        body = json.dumps(row.credential, ensure_ascii=False, indent=2).encode("utf-8")
    headers["ETag"] = _etag(body)
    if _matches(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=chosen, headers=headers)


def _public(ctx: ContextDep, session: SessionDep, row: StatusList) -> StatusListPublic:
    return StatusListPublic(
        id=row.id,
        issuer_id=row.issuer_id,
        purpose=row.purpose,  # type: ignore[arg-type]
        size=row.size,
        allocated=service.allocated_count(session, row.id),
        full=row.is_full,
        version=row.version,
        url=service.list_url(ctx, row.id),
        created_at=row.created_at,
        signed_at=row.signed_at,
    )


@router.get("/api/v1/issuers/{issuer_id}/status-lists", summary="An issuer's status lists")
def issuer_status_lists(
    issuer_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> list[StatusListPublic]:
    rows = service.lists_of(session, principal.org, issuer_id)
    return [_public(ctx, session, row) for row in rows]


@router.get(
    "/api/v1/awards/{award_id}/status",
    summary="An award's status list entries (revocation and suspension)",
)
def award_status_entries(
    award_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> list[StatusEntryPublic]:
    award = repo.award(session, principal.org, award_id)
    return [
        StatusEntryPublic(
            purpose=entry.purpose,  # type: ignore[arg-type]
            status_list=service.list_url(ctx, entry.list_id),
            index=entry.list_index,
            is_set=entry.is_set,
            in_credential=entry.purpose in service.CREDENTIAL_PURPOSES,
        )
        for entry in service.entries_of(session, award.id)
    ]


# --------------------------------------------------------------------------- lifecycle


@router.post(
    "/api/v1/awards/revoke",
    summary="Revoke many awards: ids as JSON, or a CSV file of ids",
    description='JSON `{"ids": [...], "reason": "…"}`, or a CSV file (the body with '
    "`Content-Type: text/csv`, or the multipart field `file`) whose first column (or the "
    "column `id`) holds award ids, with `?reason=`. Every id is checked first: if any is "
    "not an award of your organisation the answer is 422 listing them and nothing is "
    "revoked. Awards revoked before are reported with `changed: false`.",
)
async def revoke_many(
    request: Request,
    principal: RevokeToken,
    session: SessionDep,
    ctx: ContextDep,
    reason: Annotated[Reason | None, Query(description="For a CSV file")] = None,
) -> BulkRevokeResult:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json":
        try:
            body = BulkRevoke.model_validate_json(await request.body())
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in errors]
            ) from exc
        ids, why = body.ids, body.reason
    else:
        if reason is None:
            raise InvalidRequest.field(("query", "reason"), "give the reason for a CSV file")
        ids, why = award_status.ids_from_csv(await csv_upload(request)), reason
    return award_status.revoke_many(session, ctx, principal, ids, why)


@router.post("/api/v1/awards/{award_id}/revoke", summary="Revoke an award (final)")
def revoke(
    award_id: str, body: StatusChange, principal: RevokeToken, session: SessionDep, ctx: ContextDep
) -> AwardPublic:
    return present.award(ctx, award_status.revoke(session, ctx, principal, award_id, body.reason))


@router.post("/api/v1/awards/{award_id}/suspend", summary="Suspend an award")
def suspend(
    award_id: str, body: StatusChange, principal: RevokeToken, session: SessionDep, ctx: ContextDep
) -> AwardPublic:
    return present.award(ctx, award_status.suspend(session, ctx, principal, award_id, body.reason))


@router.post(
    "/api/v1/awards/{award_id}/reinstate",
    summary="Lift a suspension (a revoked award cannot be reinstated: 409)",
)
def reinstate(
    award_id: str,
    principal: RevokeToken,
    session: SessionDep,
    ctx: ContextDep,
    body: Reinstate | None = None,
) -> AwardPublic:
    reason = body.reason if body is not None else None
    return present.award(ctx, award_status.reinstate(session, ctx, principal, award_id, reason))
