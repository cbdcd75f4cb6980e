"""``/api/v1/pathways``: pathway definitions and progress; ``/pathways/{id}``: the public page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.model.i18n import languages_of
from issuer import i18n
from issuer.api.deps import ContextDep, ManageToken, ReadToken, SessionDep
from issuer.api.pages import page_language, render_page
from issuer.models.common import Page
from issuer.models.pathways import (
    PathwayCreate,
    PathwayPublic,
    PathwayUpdate,
    PathwayUrls,
    ProgressPublic,
    RequirementPublic,
    StepPublic,
)
from issuer.services import ServiceContext
from issuer.services import pathways as service
from issuer.services.awards import recipient_ref
from issuer.store import repo
from issuer.store.tables import Achievement, AchievementVersion
from issuer.store.tables import Pathway as PathwayRow

router = APIRouter(tags=["pathways"])


def _versions(session: Session, ids: list[str]) -> dict[str, AchievementVersion]:
    rows = session.scalars(select(Achievement).where(Achievement.id.in_(ids))).all()
    return repo.current_versions(session, list(rows))


def _present(session: Session, ctx: ServiceContext, row: PathwayRow) -> PathwayPublic:
    needed, choices = service.requirements(session, row.id)
    versions = _versions(session, [row.achievement_id, *needed, *choices])
    achievement = session.get(Achievement, row.achievement_id)

    def name(achievement_id: str) -> Any:
        version = versions.get(achievement_id)
        return version.source.get("name") if version else None

    return PathwayPublic(
        id=row.id,
        achievement_id=row.achievement_id,
        name=name(row.achievement_id),
        requires_all=[RequirementPublic(achievement_id=a, name=name(a)) for a in needed],
        requires_any=[RequirementPublic(achievement_id=a, name=name(a)) for a in choices],
        any_count=row.any_count,
        catalog_key=achievement.catalog_key if achievement else None,
        urls=PathwayUrls(
            public=ctx.url(f"pathways/{row.id}"),
            achievement=ctx.url(f"achievements/{row.achievement_id}"),
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


@router.post("/api/v1/pathways", status_code=201, summary="Define a pathway")
def create_pathway(
    body: PathwayCreate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
) -> PathwayPublic:
    row = service.create_pathway(session, principal, principal.org, body)
    response.headers["Location"] = f"/api/v1/pathways/{row.id}"
    return _present(session, ctx, row)


@router.get("/api/v1/pathways", summary="The organisation's pathways")
def list_pathways(
    principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> Page[PathwayPublic]:
    rows = service.list_pathways(session, principal.org)
    return Page[PathwayPublic](items=[_present(session, ctx, r) for r in rows], next_cursor=None)


@router.get(
    "/api/v1/pathways/progress",
    summary="A recipient's progress on every pathway",
    description="`recipient`: an e-mail address, DID or URL, as awards were made to.",
)
def progress(
    principal: ReadToken,
    session: SessionDep,
    ctx: ContextDep,
    recipient: Annotated[str, Query(min_length=3, max_length=512)],
) -> list[ProgressPublic]:
    found = service.progress_for(session, principal.org, recipient_ref(ctx, recipient))
    return [
        ProgressPublic(
            pathway_id=p.pathway_id,
            achievement_id=p.achievement_id,
            name=p.name,
            requires_all=[StepPublic(**_step(s)) for s in p.requires_all],
            requires_any=[StepPublic(**_step(s)) for s in p.requires_any],
            any_count=p.any_count,
            done=p.done,
            total=p.total,
            complete=p.complete,
            award_id=p.award_id,
        )
        for p in found
    ]


def _step(step: service.RequirementProgress) -> dict[str, Any]:
    return {
        "achievement_id": step.achievement_id,
        "name": step.name,
        "held": step.held,
        "award_id": step.award_id,
    }


@router.get("/api/v1/pathways/{pathway_id}", summary="Get a pathway")
def get_pathway(
    pathway_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> PathwayPublic:
    return _present(session, ctx, service.pathway_of(session, principal.org, pathway_id))


@router.patch("/api/v1/pathways/{pathway_id}", summary="Change a pathway's requirements")
def update_pathway(
    pathway_id: str,
    body: PathwayUpdate,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
) -> PathwayPublic:
    row = service.update_pathway(session, principal, principal.org, pathway_id, body)
    return _present(session, ctx, row)


@router.delete(
    "/api/v1/pathways/{pathway_id}",
    status_code=204,
    summary="Remove a pathway (its awards stay valid)",
)
def delete_pathway(pathway_id: str, principal: ManageToken, session: SessionDep) -> Response:
    service.delete_pathway(session, principal, principal.org, pathway_id)
    return Response(status_code=204)


# ---------------------------------------------------------------------- the public page


def _localized(value: object, lang: str) -> str | None:
    return i18n.pick_text(value, lang)


@router.get("/pathways/{pathway_id}", include_in_schema=False)
def pathway_page(
    pathway_id: str, request: Request, session: SessionDep, ctx: ContextDep
) -> HTMLResponse:
    row = service.pathway_of(session, None, pathway_id)
    needed, choices = service.requirements(session, row.id)
    versions = _versions(session, [row.achievement_id, *needed, *choices])
    own = versions[row.achievement_id].source
    langs = list(languages_of(own))
    lang = page_language(request, langs[0] if langs else i18n.DEFAULT_LANG)
    content_lang = lang if lang in langs else (langs[0] if langs else lang)

    def item(achievement_id: str) -> dict[str, Any]:
        source = versions[achievement_id].source
        return {
            "id": achievement_id,
            "name": _localized(source.get("name"), content_lang),
            "description": _localized(source.get("description"), content_lang),
            "url": ctx.url(f"achievements/{achievement_id}?lang={content_lang}"),
        }

    data = {
        "content_lang": content_lang,
        "pathway": {
            "id": row.id,
            "name": _localized(own.get("name"), content_lang),
            "description": _localized(own.get("description"), content_lang),
            "criteria": _localized((own.get("criteria") or {}).get("narrative"), content_lang),
            "requires_all": [item(a) for a in needed],
            "requires_any": [item(a) for a in choices],
            "any_count": row.any_count,
            "any_text": i18n.text(lang, "pathways_any_of", count=row.any_count),
            "achievement_url": ctx.url(f"achievements/{row.achievement_id}?lang={content_lang}"),
        },
    }
    return render_page(request, "pathways/pathway.html", data, lang)
