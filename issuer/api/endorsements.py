"""``/api/v1/endorsements``: endorse as an issuer profile, list, hide and show endorsements.

Creating needs the token scope ``endorse``; the endorser is one of the token's issuers,
the target any organisation's award, achievement or issuer (partner organisations endorse
each other). Lists of an award's or achievement's endorsements are for that object's
organisation (``read``), which also moderates (``manage``): a hidden endorsement stays
signed and valid at its public URL but is not listed, shown on pages or embedded.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from issuer.api.deps import ContextDep, Cursor, Limit, ManageToken, ReadToken, SessionDep
from issuer.api.deps import current_principal as _current_principal
from issuer.auth import Principal
from issuer.errors import Forbidden
from issuer.models.common import Page
from issuer.models.endorsements import EndorsementCreate, EndorsementPublic, EndorserPublic
from issuer.services import ServiceContext
from issuer.services import endorsements as service
from issuer.services import endorsers as endorser_service
from issuer.store import repo
from issuer.store.tables import Endorsement

router = APIRouter(tags=["endorsements"])


def _endorse_scope(principal: Annotated[Principal, Depends(_current_principal)]) -> Principal:
    if not principal.has("endorse"):
        raise Forbidden("this token lacks the 'endorse' scope")
    return principal


EndorseToken = Annotated[Principal, Depends(_endorse_scope)]
IncludeHidden = Annotated[
    bool, Query(description="Also list hidden endorsements (moderation view)")
]


def present(ctx: ServiceContext, row: Endorsement) -> EndorsementPublic:
    issuer = row.credential.get("issuer")
    issuer_did = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = row.credential.get("credentialSubject") or {}
    return EndorsementPublic(
        id=row.id,
        url=ctx.url(f"endorsements/{row.id}"),
        target_type=row.target_type,  # type: ignore[arg-type]
        target_id=row.target_id,
        subject_id=str(subject.get("id")),
        endorser=EndorserPublic(
            type="issuer" if row.endorser_type == "issuer" else "person",
            id=str(issuer_did or (endorser_service.did_of(ctx, row.endorser_id or ""))),
            name=row.endorser_name,
            issuer_id=row.endorser_issuer_id,
            profile_url=service.endorser_profile_url(ctx, row),
        ),
        relation=row.relation,  # type: ignore[arg-type]
        comment=row.comment,
        language=row.language,
        hidden=row.hidden,
        created_at=row.created_at,
        credential=row.credential,
    )


@router.post(
    "/api/v1/endorsements",
    status_code=201,
    summary="Endorse an award, achievement or issuer as one of your issuer profiles",
    description="Signs an Open Badges 3.0 `EndorsementCredential` with the issuer's current "
    "Ed25519 key (token scope `endorse`). The target may belong to any organisation; an "
    "issuer cannot endorse itself or its own badges (409), nor an inactive target (409).",
)
def create_endorsement(
    body: EndorsementCreate,
    principal: EndorseToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
) -> EndorsementPublic:
    row = service.endorse_as_issuer(session, ctx, principal, body)
    response.headers["Location"] = f"/api/v1/endorsements/{row.id}"
    return present(ctx, row)


@router.get("/api/v1/endorsements/{endorsement_id}", summary="Get an endorsement")
def get_endorsement(
    endorsement_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> EndorsementPublic:
    return present(ctx, service.for_org(session, principal.org, endorsement_id))


def _target_page(
    ctx: ServiceContext,
    session: Session,
    target_type: Literal["award", "achievement"],
    target_id: str,
    include_hidden: bool,
    cursor: str | None,
    limit: int,
) -> Page[EndorsementPublic]:
    rows, next_cursor = service.list_for_target(
        session,
        target_type,
        [target_id],
        include_hidden=include_hidden,
        cursor=cursor,
        limit=limit,
    )
    return Page[EndorsementPublic](
        items=[present(ctx, row) for row in rows], next_cursor=next_cursor
    )


@router.get(
    "/api/v1/awards/{award_id}/endorsements",
    summary="Endorsements of one award (not those embedded from its achievement)",
)
def award_endorsements(
    award_id: str,
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    include_hidden: IncludeHidden = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[EndorsementPublic]:
    award = repo.award(session, principal.org, award_id)
    return _target_page(ctx, session, "award", award.id, include_hidden, cursor, limit)


@router.get("/api/v1/achievements/{achievement_id}/endorsements", summary="An achievement's")
def achievement_endorsements(
    achievement_id: str,
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    include_hidden: IncludeHidden = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[EndorsementPublic]:
    achievement = repo.achievement(session, principal.org, achievement_id)
    return _target_page(ctx, session, "achievement", achievement.id, include_hidden, cursor, limit)


@router.post(
    "/api/v1/endorsements/{endorsement_id}/hide",
    summary="Hide an endorsement of your organisation's award, achievement or issuer",
    description="It stays signed and valid at its URL, but is no longer listed, shown on the "
    "badge page or embedded in new badges. `DELETE` does the same.",
)
def hide_endorsement(
    endorsement_id: str, principal: ManageToken, session: SessionDep, ctx: ContextDep
) -> EndorsementPublic:
    return present(ctx, service.set_hidden(session, principal, endorsement_id, True))


@router.delete("/api/v1/endorsements/{endorsement_id}", status_code=204, summary="Hide")
def delete_endorsement(
    endorsement_id: str, principal: ManageToken, session: SessionDep
) -> Response:
    service.set_hidden(session, principal, endorsement_id, True)
    return Response(status_code=204)


@router.post("/api/v1/endorsements/{endorsement_id}/show", summary="Show a hidden endorsement")
def show_endorsement(
    endorsement_id: str, principal: ManageToken, session: SessionDep, ctx: ContextDep
) -> EndorsementPublic:
    return present(ctx, service.set_hidden(session, principal, endorsement_id, False))
