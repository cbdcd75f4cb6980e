"""``/api/v1/achievements``: what the organisation awards, in versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from issuer.api import present
from issuer.api.deps import ContextDep, Cursor, Limit, ManageToken, ReadToken, SessionDep
from issuer.models.achievements import AchievementCreate, AchievementPublic, AchievementUpdate
from issuer.models.common import Page
from issuer.services import achievements as service

router = APIRouter(prefix="/api/v1/achievements", tags=["achievements"])


@router.post("", status_code=201, summary="Create an achievement (version 1)")
def create_achievement(
    body: AchievementCreate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
) -> AchievementPublic:
    achievement, version = service.create_achievement(session, principal, principal.org, body)
    response.headers["Location"] = f"/api/v1/achievements/{achievement.id}"
    return present.achievement(ctx, achievement, version)


@router.get("", summary="List or search achievements")
def list_achievements(
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    q: Annotated[str | None, Query(max_length=200, description="Text in a name")] = None,
    archived: Annotated[bool | None, Query(description="Only archived (true) or not")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[AchievementPublic]:
    rows, next_cursor = service.list_achievements(
        session, principal.org, q=q, archived=archived, cursor=cursor, limit=limit
    )
    items = [present.achievement(ctx, row, version) for row, version in rows]
    return Page[AchievementPublic](items=items, next_cursor=next_cursor)


@router.get("/{achievement_id}", summary="Get an achievement (its current version)")
def get_achievement(
    achievement_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> AchievementPublic:
    achievement, version = service.get_achievement(session, principal.org, achievement_id)
    return present.achievement(ctx, achievement, version)


@router.patch(
    "/{achievement_id}",
    summary="Edit (new version) or archive an achievement",
    description="Changed content makes a new version; awards keep the version they were "
    "issued with. `archived: true` archives (no new awards), `false` restores.",
)
def update_achievement(
    achievement_id: str,
    body: AchievementUpdate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
) -> AchievementPublic:
    achievement, version = service.update_achievement(
        session, principal, principal.org, achievement_id, body
    )
    return present.achievement(ctx, achievement, version)
