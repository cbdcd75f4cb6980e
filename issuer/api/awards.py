"""``/api/v1/awards``: award an achievement to one person; the signed credential."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from issuer.api import present
from issuer.api.deps import AwardToken, ContextDep, Cursor, Limit, ReadToken, SessionDep
from issuer.models.awards import AwardCreate, AwardPublic, AwardRenew, AwardStatus
from issuer.models.common import Page
from issuer.services import awards as service
from issuer.services import renewal as renewal_service
from issuer.store import repo

router = APIRouter(prefix="/api/v1/awards", tags=["awards"])


@router.post(
    "",
    status_code=201,
    summary="Award an achievement: issue a signed Open Badges 3.0 credential",
    description="Answers 201 with the award; repeating a request with the same "
    "`idempotency_key` answers 200 with the first award (409 if the request differs). "
    "`urls.png` and `urls.svg` answer 404 until badge baking is available.",
    responses={200: {"description": "An idempotent replay: the award made before"}},
)
def create_award(
    body: AwardCreate,
    principal: AwardToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
) -> AwardPublic:
    award, created = service.issue_award(session, ctx, principal, body)
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/api/v1/awards/{award.id}"
    return present.award(ctx, award)


@router.get("", summary="List awards")
def list_awards(
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    achievement_id: str | None = None,
    recipient: Annotated[
        str | None, Query(max_length=2000, description="E-mail address, DID or URL")
    ] = None,
    status: AwardStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AwardPublic]:
    rows, next_cursor = service.list_awards(
        session,
        ctx,
        principal.org,
        achievement_id=achievement_id,
        recipient=recipient,
        status=status,
        cursor=cursor,
        limit=limit,
    )
    return Page[AwardPublic](
        items=[present.award(ctx, row) for row in rows], next_cursor=next_cursor
    )


@router.get("/{award_id}", summary="Get an award")
def get_award(
    award_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> AwardPublic:
    return present.award(ctx, repo.award(session, principal.org, award_id))


@router.post(
    "/{award_id}/renew",
    status_code=201,
    summary="Renew: a new credential with a new validity, linked to this award",
    description="Same recipient, achievement (its current version) and level; valid from "
    "now until `valid_until` (default: the achievement's default validity). The new award "
    "has `renewed_from`, this one `renewed_by`. 409 if this award is not active or was "
    "renewed already.",
)
def renew_award(
    award_id: str,
    principal: AwardToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
    body: AwardRenew | None = None,
) -> AwardPublic:
    award = renewal_service.renew_award(
        session, ctx, principal, award_id, body.valid_until if body else None
    )
    response.headers["Location"] = f"/api/v1/awards/{award.id}"
    return present.award(ctx, award)
