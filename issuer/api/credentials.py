"""``/credentials``: the public credential documents, and W3C VC-API issuing.

``GET /credentials/{id}`` negotiates: an HTML page for browsers, the JSON-LD credential
for ``application/ld+json``, ``application/vc+ld+json``, ``application/vc`` or
``application/json`` (the default for ``*/*``), the compact VC-JWT for
``application/vc+jwt``. ``.json`` and ``.jwt`` name one form each.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response

from issuer.api.deps import AwardToken, ContextDep, SessionDep
from issuer.api.earner import may_see_hidden_page
from issuer.api.negotiation import negotiate
from issuer.api.pages import render_credential
from issuer.errors import NotFound
from issuer.models.vcapi import IssueRequest, IssueResponse
from issuer.services import vcapi
from issuer.store import repo
from issuer.store.tables import Award

router = APIRouter(prefix="/credentials", tags=["credentials"])

JSON_TYPES = ("application/ld+json", "application/vc+ld+json", "application/vc", "application/json")
JWT_TYPE = "application/vc+jwt"
PUBLIC = {"Access-Control-Allow-Origin": "*"}
_CREDENTIAL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The credential",
        "content": {
            **{media: {} for media in JSON_TYPES},
            JWT_TYPE: {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    404: {"description": "No such credential (or no such form of it)"},
    406: {"description": "No acceptable representation"},
}


def _json(award: Award, media_type: str = "application/json") -> Response:
    if not award.ldp:
        raise NotFound("JSON-LD form (this credential is a VC-JWT only) of credential", award.id)
    body = json.dumps(award.credential, ensure_ascii=False, indent=2)
    return Response(body, media_type=media_type, headers=PUBLIC)


def _jwt(award: Award) -> Response:
    if award.jwt is None:
        raise NotFound("VC-JWT form of credential", award.id)
    return Response(award.jwt, media_type=JWT_TYPE, headers=PUBLIC)


@router.post(
    "/issue",
    status_code=201,
    summary="W3C VC-API: sign a credential as one of your issuers",
    description="The credential's `issuer` must be the DID of one of your organisation's "
    "issuers; it is checked against the OB 3.0 schema and signed with eddsa-rdfc-2022. "
    "Errors answer 400. Nothing is stored except an audit entry.",
)
def issue_credential(
    body: IssueRequest, principal: AwardToken, session: SessionDep, ctx: ContextDep
) -> IssueResponse:
    signed = vcapi.issue(session, ctx, principal, body.credential, body.options)
    return IssueResponse(verifiableCredential=signed)


@router.get("/{award_id}.json", summary="The credential (JSON-LD, embedded proof)")
def credential_json(award_id: str, session: SessionDep) -> Response:
    return _json(repo.public_award(session, award_id))


@router.get("/{award_id}.jwt", summary="The credential as a VC-JWT")
def credential_jwt(award_id: str, session: SessionDep) -> Response:
    return _jwt(repo.public_award(session, award_id))


@router.get(
    "/{award_id}",
    summary="The credential: HTML page, JSON-LD or VC-JWT by Accept",
    responses=_CREDENTIAL_RESPONSES,
    response_class=Response,
)
def credential(
    award_id: str,
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    award = repo.public_award(session, award_id)
    offers = [*(JSON_TYPES if award.ldp else ()), "text/html"]
    if award.jwt is not None:
        offers.insert(0 if not award.ldp else len(offers), JWT_TYPE)
    chosen = negotiate(accept, offers)
    vary = {"Vary": "Accept"}
    if chosen is None:
        raise HTTPException(406, f"this credential is available as {', '.join(offers)}", vary)
    if chosen == "text/html":
        if not award.public_page and not may_see_hidden_page(request, session, award):
            raise NotFound("credential", award.id)  # hidden by its earner (``/my``)
        return render_credential(request, ctx, award)
    response = _jwt(award) if chosen == JWT_TYPE else _json(award, chosen)
    response.headers.update(vary)
    return response
