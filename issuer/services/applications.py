"""Badge applications: an earner applies with evidence, a reviewer decides.

Life of an application (``applications.status``)::

    draft ──confirm e-mail──▶ submitted ──approve──▶ approved (the badge is issued)
                               │    ▲     ──reject───▶ rejected
               request changes ▼    │ resubmit
                          changes_requested ──reject──▶ rejected

Privacy: the applicant's e-mail address is needed to send status mails and to issue
the badge, so it is kept encrypted (AES-256-GCM bound to the row id, ``ctx.box``) and
as the keyed hash of ``ctx.box.recipient_hash`` (throttling, search) - never in clear.

Links: the confirmation link carries a random single-use token (only its SHA-256 is
stored; it expires after :data:`CONFIRM_TTL`). The status page link carries a
capability token derived from the service secret and the application id
(:func:`status_token`), so every status mail can repeat it without storing it.

Every step appends to ``application_events`` (the history the applicant sees) and to
the audit log, and queues a mail to the applicant (the badge mail itself comes from
the award). Approval issues the badge with ``issue_award`` in the same transaction as
the decision, with the approved level as ``result`` and the evidence in ``evidence``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from badges.model.i18n import languages_of
from issuer import i18n
from issuer.auth import Principal
from issuer.errors import Conflict, Forbidden, InvalidRequest, NotFound, RateLimited
from issuer.models.awards import AwardCreate, RecipientIn
from issuer.services import ServiceContext, audit
from issuer.services.application_achievement import (
    Level,
    achievement_json,
    application_achievement,
    check_level,
    evidence_expectations,
    level_name,
    levels_of,
    open_achievement,
)
from issuer.services.application_mail import (
    applicant_email,
    applicant_principal,
    by_status_token,
    confirm_url,
    queue_mail,
    record_event,
    status_token,
    status_url,
    token_hash,
)
from issuer.services.application_queries import events_of, get_application, list_applications
from issuer.services.awards import issue_award
from issuer.services.evidence import (
    MAX_ITEMS,
    EvidenceIn,
    add_evidence,
    credential_evidence,
    evidence_of,
)
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import (
    AchievementVersion,
    Application,
    ApplicationEvidence,
    Award,
)

__all__ = [
    "CONFIRM_TTL",
    "MAX_MESSAGE",
    "MAX_NARRATIVE",
    "PER_EMAIL_PER_HOUR",
    "STATUSES",
    "ApplicationIn",
    "Decision",
    "Level",
    "Status",
    "achievement_json",
    "applicant_email",
    "application_achievement",
    "by_status_token",
    "confirm_application",
    "confirm_url",
    "create_application",
    "decide",
    "events_of",
    "evidence_expectations",
    "get_application",
    "levels_of",
    "list_applications",
    "open_achievement",
    "resubmit",
    "status_token",
    "status_url",
]
"""The public names (those of ``application_achievement``, ``application_mail`` and
``application_queries`` re-exported)."""

Status = Literal["draft", "submitted", "changes_requested", "approved", "rejected"]
STATUSES: Final[tuple[str, ...]] = (
    "draft",
    "submitted",
    "changes_requested",
    "approved",
    "rejected",
)
Decision = Literal["approve", "request_changes", "reject"]
CONFIRM_TTL: Final = timedelta(hours=48)
PER_EMAIL_PER_HOUR: Final = 5
"""New applications from one e-mail address in an hour."""
MAX_NARRATIVE: Final = 10_000
MAX_MESSAGE: Final = 5_000


@dataclass
class ApplicationIn:
    email: str
    name: str
    language: str
    level: str
    narrative: str
    evidence: EvidenceIn


# ---------------------------------------------------------------------- applying


def create_application(
    session: Session,
    ctx: ServiceContext,
    achievement_id: str,
    data: ApplicationIn,
    *,
    now: datetime | None = None,
) -> tuple[Application, str]:
    """A draft application and its confirmation token (mailed to the applicant)."""
    now = now or utcnow()
    achievement, version = open_achievement(session, achievement_id)
    try:
        email = normalize_email(data.email)
    except InvalidInput as exc:
        raise InvalidRequest.field(("body", "email"), str(exc)) from exc
    name = data.name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidRequest.field(("body", "name"), "give your name (at most 200 characters)")
    narrative = data.narrative.strip()
    if not 1 <= len(narrative) <= MAX_NARRATIVE:
        raise InvalidRequest.field(
            ("body", "narrative"), f"describe what you did (1-{MAX_NARRATIVE} characters)"
        )
    level = check_level(levels_of(achievement_json(ctx, achievement, version, "en")), data.level)
    if data.evidence.count() > MAX_ITEMS:
        raise InvalidRequest.field(("body", "evidence"), f"at most {MAX_ITEMS} evidence items")
    if version.evidence_required and not data.evidence.count():
        raise InvalidRequest.field(("body", "evidence"), "this badge requires evidence")
    email_hash = ctx.box.recipient_hash(email)
    recent = session.scalar(
        select(func.count())
        .select_from(Application)
        .where(
            Application.email_hash == email_hash, Application.created_at > now - timedelta(hours=1)
        )
    )
    if (recent or 0) >= PER_EMAIL_PER_HOUR:
        raise RateLimited("too many applications from this e-mail address; try again later", 3600)
    token = secrets.token_urlsafe(32)
    application_id = new_id()
    application = Application(
        id=application_id,
        org_id=achievement.org_id,
        achievement_id=achievement.id,
        achievement_version=version.version,
        status="draft",
        email_encrypted=ctx.box.encrypt(email.encode("utf-8"), application_id),
        email_hash=email_hash,
        name=name,
        language=data.language if data.language in i18n.LANGS else i18n.DEFAULT_LANG,
        claimed_level=level,
        narrative=narrative,
        confirm_token_hash=token_hash(token),
        confirm_expires_at=now + CONFIRM_TTL,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    session.flush()
    add_evidence(session, application, data.evidence, now)
    record_event(session, application, "created", None, level=level or None, now=now)
    audit.record(
        session,
        applicant_principal(application),
        "application.create",
        "application",
        application.id,
        achievement_id=achievement.id,
        level=level,
        evidence=data.evidence.count(),
    )
    queue_mail(session, ctx, application, "confirm", link=confirm_url(ctx, application, token))
    session.commit()
    return application, token


def confirm_application(
    session: Session,
    ctx: ServiceContext,
    application_id: str,
    token: str,
    *,
    now: datetime | None = None,
) -> Application:
    """Submit a draft: the confirmation token is right, unused and not expired.

    :class:`Conflict` when it was already used (the application is past draft),
    :class:`Forbidden` when the token is wrong or expired, :class:`NotFound` when
    there is no such application."""
    now = now or utcnow()
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound("application", application_id)
    if application.status != "draft" or application.confirm_token_hash is None:
        raise Conflict("this confirmation link has already been used")
    if not hmac.compare_digest(application.confirm_token_hash, token_hash(token)):
        raise Forbidden("the confirmation link is not valid")
    if application.confirm_expires_at is None or application.confirm_expires_at < now:
        raise Forbidden("the confirmation link has expired; apply again")
    application.status = "submitted"
    application.confirm_token_hash = None
    application.submitted_at = application.updated_at = now
    record_event(session, application, "submitted", None, now=now)
    audit.record(
        session,
        applicant_principal(application),
        "application.submit",
        "application",
        application.id,
    )
    queue_mail(session, ctx, application, "submitted", link=status_url(ctx, application))
    session.commit()
    return application


def resubmit(
    session: Session,
    ctx: ServiceContext,
    application: Application,
    *,
    narrative: str | None,
    evidence: EvidenceIn,
    now: datetime | None = None,
) -> Application:
    """The applicant's answer to a request for changes: new evidence and/or narrative."""
    now = now or utcnow()
    if application.status != "changes_requested":
        raise Conflict(f"the application is {application.status}; it cannot be changed now")
    if narrative is not None and narrative.strip() and narrative.strip() != application.narrative:
        if len(narrative.strip()) > MAX_NARRATIVE:
            raise InvalidRequest.field(("body", "narrative"), f"at most {MAX_NARRATIVE} characters")
        application.narrative = narrative.strip()
    existing = session.scalar(
        select(func.count())
        .select_from(ApplicationEvidence)
        .where(ApplicationEvidence.application_id == application.id)
    )
    if (existing or 0) + evidence.count() > MAX_ITEMS:
        raise InvalidRequest.field(("body", "evidence"), f"at most {MAX_ITEMS} evidence items")
    add_evidence(session, application, evidence, now)
    application.status = "submitted"
    application.submitted_at = application.updated_at = now
    record_event(session, application, "resubmitted", None, message=f"+{evidence.count()}", now=now)
    audit.record(
        session,
        applicant_principal(application),
        "application.resubmit",
        "application",
        application.id,
        evidence_added=evidence.count(),
    )
    queue_mail(session, ctx, application, "resubmitted", link=status_url(ctx, application))
    session.commit()
    return application


# ---------------------------------------------------------------------- reviewing


def _require_message(message: str | None, what: str) -> str:
    text = (message or "").strip()
    if not text:
        raise InvalidRequest.field(("body", "message"), f"{what} is required")
    if len(text) > MAX_MESSAGE:
        raise InvalidRequest.field(("body", "message"), f"at most {MAX_MESSAGE} characters")
    return text


def decide(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    application_id: str,
    decision: Decision,
    *,
    level: str | None = None,
    message: str | None = None,
    now: datetime | None = None,
) -> Application:
    """A reviewer's decision. Approving issues the badge (``issue_award``) at ``level``
    (may differ from the claimed one; default: the claimed one)."""
    now = now or utcnow()
    application = get_application(session, actor.org, application_id)
    allowed = ("submitted", "changes_requested") if decision == "reject" else ("submitted",)
    if application.status not in allowed:
        raise Conflict(f"the application is {application.status}; it cannot be decided now")
    achievement = repo.achievement(session, actor.org, application.achievement_id)
    version = repo.version(session, achievement.id, achievement.current_version)
    text: str | None
    if decision == "request_changes":
        text = _require_message(message, "a message saying what is missing")
        application.status = "changes_requested"
    elif decision == "reject":
        text = _require_message(message, "a reason")
        application.status = "rejected"
        application.decided_at = now
    else:
        text = (message or "").strip()[:MAX_MESSAGE] or None
        levels = levels_of(achievement_json(ctx, achievement, version, "en"))
        chosen = check_level(levels, (level or application.claimed_level or "").strip())
        application.status = "approved"
        application.approved_level = chosen or None
        application.decided_at = now
    application.reviewer_id = actor.actor_id
    application.reviewer_name = actor.actor_name
    application.decision_message = text
    application.updated_at = now
    record_event(
        session,
        application,
        decision,
        actor,
        level=application.approved_level,
        message=text,
        now=now,
    )
    audit.record(
        session,
        actor,
        f"application.{decision}",
        "application",
        application.id,
        level=application.approved_level,
        claimed_level=application.claimed_level,
    )
    if decision != "approve":
        queue_mail(session, ctx, application, decision, link=status_url(ctx, application))
        session.commit()
        return application
    award = _issue(session, ctx, actor, application, version)
    application.award_id = award.id
    queue_mail(
        session,
        ctx,
        application,
        "approve",
        link=status_url(ctx, application),
        extra={
            "credential_url": ctx.url(f"credentials/{award.id}"),
            "level": level_name(ctx, achievement, version, application),
        },
    )
    session.commit()
    return application


def _issue(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    application: Application,
    version: AchievementVersion,
) -> Award:
    """Issue the badge; the decision above is committed with it (``issue_award`` commits)."""
    langs = list(languages_of(version.source))
    body = AwardCreate(
        achievement_id=application.achievement_id,
        recipient=RecipientIn(email=applicant_email(ctx, application)),
        name=application.name,
        narrative=application.narrative,
        level=application.approved_level,
        language=application.language if application.language in langs else None,
        valid_until=None,
        format=None,
        idempotency_key=f"application:{application.id}",
    )
    award, _ = issue_award(
        session,
        ctx,
        actor,
        body,
        evidence=credential_evidence(ctx, evidence_of(session, application.id)),
    )
    return award
