"""``/api/v1/applications``: badge applications for reviewers (scope ``review``).

List and read the organisation's applications (drafts, not yet confirmed by e-mail,
only with ``?status=draft``), download evidence files, and decide: approve at a level
(issues the badge), request changes (a message) or reject (a reason). Another
organisation's application is ``not-found``. Applications are made on the public page
``/apply/{achievement_id}`` (a form, with e-mail confirmation), not through this API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from issuer.api.deps import ContextDep, Cursor, Limit, SessionDep, current_principal
from issuer.auth import Principal
from issuer.errors import Forbidden, InvalidRequest, NotFound
from issuer.models.applications import (
    ApplicationPublic,
    ApplicationStatus,
    ApproveIn,
    EventPublic,
    EvidencePublic,
    RejectIn,
    RequestChangesIn,
)
from issuer.models.common import Page
from issuer.services import ServiceContext, evidence
from issuer.services import applications as service
from issuer.services.evidence import download_headers
from issuer.store.tables import Application

router = APIRouter(prefix="/api/v1/applications", tags=["applications"])


def require_review(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.has("review"):
        raise Forbidden("this token lacks the 'review' scope")
    return principal


ReviewToken = Annotated[Principal, Depends(require_review)]


def present(session: Session, ctx: ServiceContext, application: Application) -> ApplicationPublic:
    items = [
        EvidencePublic(
            id=item.id,
            kind=item.kind,  # type: ignore[arg-type]
            text=item.text,
            url=item.url,
            file_name=item.file_name,
            media_type=item.media_type,
            size=item.size,
            sha256=item.sha256,
            download_url=f"/api/v1/applications/{application.id}/evidence/{item.id}"
            if item.kind == "file"
            else None,
            public_url=evidence.evidence_url(ctx, item) if item.kind == "file" else None,
            created_at=item.created_at,
        )
        for item in evidence.evidence_of(session, application.id)
    ]
    history = [
        EventPublic(
            at=event.at,
            action=event.action,
            status=event.status,  # type: ignore[arg-type]
            actor_type=event.actor_type,  # type: ignore[arg-type]
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            level=event.level,
            message=event.message,
        )
        for event in service.events_of(session, application.id)
    ]
    return ApplicationPublic(
        id=application.id,
        achievement_id=application.achievement_id,
        achievement_version=application.achievement_version,
        status=application.status,  # type: ignore[arg-type]
        name=application.name,
        language=application.language,
        claimed_level=application.claimed_level or None,
        approved_level=application.approved_level,
        narrative=application.narrative,
        reviewer_id=application.reviewer_id,
        reviewer_name=application.reviewer_name,
        decision_message=application.decision_message,
        award_id=application.award_id,
        created_at=application.created_at,
        updated_at=application.updated_at,
        submitted_at=application.submitted_at,
        decided_at=application.decided_at,
        evidence=items,
        history=history,
    )


@router.get("", summary="List applications (newest last; drafts only with status=draft)")
def list_applications(
    principal: ReviewToken,
    session: SessionDep,
    ctx: ContextDep,
    status: ApplicationStatus | None = None,
    achievement_id: str | None = None,
    email: Annotated[str | None, Query(max_length=320, description="The applicant's")] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[ApplicationPublic]:
    email_hash = None
    if email:
        try:
            email_hash = ctx.box.recipient_hash(email)
        except ValueError as exc:
            raise InvalidRequest.field(("query", "email"), str(exc)) from exc
    rows, next_cursor = service.list_applications(
        session,
        principal.org,
        status=status,
        achievement_id=achievement_id,
        email_hash=email_hash,
        cursor=cursor,
        limit=limit,
    )
    return Page(items=[present(session, ctx, row) for row in rows], next_cursor=next_cursor)


@router.get("/{application_id}", summary="An application with its evidence and history")
def get_application(
    application_id: str, principal: ReviewToken, session: SessionDep, ctx: ContextDep
) -> ApplicationPublic:
    return present(session, ctx, service.get_application(session, principal.org, application_id))


@router.get(
    "/{application_id}/evidence/{evidence_id}",
    summary="An evidence file (always as an attachment)",
    response_class=Response,
)
def evidence_file(
    application_id: str, evidence_id: str, principal: ReviewToken, session: SessionDep
) -> Response:
    service.get_application(session, principal.org, application_id)
    item = evidence.evidence_item(session, application_id, evidence_id)
    if item.kind != "file" or item.data is None:
        raise NotFound("evidence file", evidence_id)
    headers = download_headers(item.file_name or "evidence", item.media_type or "")
    return Response(item.data, headers=headers)


@router.post(
    "/{application_id}/approve",
    summary="Approve at a level: issues the badge (`award_id`)",
)
def approve(
    application_id: str,
    body: ApproveIn,
    principal: ReviewToken,
    session: SessionDep,
    ctx: ContextDep,
) -> ApplicationPublic:
    application = service.decide(
        session, ctx, principal, application_id, "approve", level=body.level, message=body.message
    )
    return present(session, ctx, application)


@router.post("/{application_id}/request-changes", summary="Ask the applicant for more")
def request_changes(
    application_id: str,
    body: RequestChangesIn,
    principal: ReviewToken,
    session: SessionDep,
    ctx: ContextDep,
) -> ApplicationPublic:
    application = service.decide(
        session, ctx, principal, application_id, "request_changes", message=body.message
    )
    return present(session, ctx, application)


@router.post("/{application_id}/reject", summary="Reject with a reason")
def reject(
    application_id: str,
    body: RejectIn,
    principal: ReviewToken,
    session: SessionDep,
    ctx: ContextDep,
) -> ApplicationPublic:
    application = service.decide(
        session, ctx, principal, application_id, "reject", message=body.reason
    )
    return present(session, ctx, application)
