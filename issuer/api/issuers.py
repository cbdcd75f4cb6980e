"""``/api/v1/issuers``: issuer profiles and their signing keys."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from issuer.api import present
from issuer.api.deps import ContextDep, Cursor, Limit, ManageToken, ReadToken, SessionDep
from issuer.models.common import Page
from issuer.models.issuers import IssuerCreate, IssuerPublic, IssuerUpdate, KeyCreate, KeyPublic
from issuer.services import issuers as service
from issuer.store import repo
from issuer.store.tables import Issuer

router = APIRouter(prefix="/api/v1/issuers", tags=["issuers"])


@router.post("", status_code=201, summary="Create an issuer with its first key")
def create_issuer(
    body: IssuerCreate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
) -> IssuerPublic:
    issuer = service.create_issuer(session, ctx, principal, principal.org, body)
    response.headers["Location"] = f"/api/v1/issuers/{issuer.id}"
    return present.issuer(ctx, issuer, repo.keys_of(session, issuer.id))


@router.get("", summary="List the organisation's issuers")
def list_issuers(
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[IssuerPublic]:
    stmt = select(Issuer).where(Issuer.org_id == principal.org)
    rows, next_cursor = repo.page(session, stmt, Issuer.id, cursor, limit)
    keys = repo.keys_by_issuer(session, [row.id for row in rows])
    items = [present.issuer(ctx, row, keys[row.id]) for row in rows]
    return Page[IssuerPublic](items=items, next_cursor=next_cursor)


@router.get("/{issuer_id}", summary="Get an issuer")
def get_issuer(
    issuer_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> IssuerPublic:
    issuer = repo.issuer(session, principal.org, issuer_id)
    return present.issuer(ctx, issuer, repo.keys_of(session, issuer.id))


@router.patch("/{issuer_id}", summary="Edit an issuer's profile or default format")
def update_issuer(
    issuer_id: str,
    body: IssuerUpdate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
) -> IssuerPublic:
    issuer = service.update_issuer(session, principal, principal.org, issuer_id, body)
    return present.issuer(ctx, issuer, repo.keys_of(session, issuer.id))


@router.post(
    "/{issuer_id}/keys",
    status_code=201,
    summary="Add a signing key and make it current",
    description="The current key becomes retired: it stays in the DID document, so "
    "credentials it signed keep verifying. did:key issuers cannot rotate (409).",
)
def add_key(
    issuer_id: str,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    body: KeyCreate | None = None,
) -> KeyPublic:
    key_type = body.type if body is not None else "ed25519"
    key = service.add_key(session, ctx, principal, principal.org, issuer_id, key_type)
    issuer = repo.issuer(session, principal.org, issuer_id)
    public = present.issuer(ctx, issuer, repo.keys_of(session, issuer.id))
    return next(item for item in public.keys if item.id == key.id)
