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

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from badges.model.i18n import languages_of
from badges.types import JSONObject
from issuer import i18n
from issuer.auth import Principal
from issuer.catalog import load_catalog
from issuer.errors import Conflict, Forbidden, InvalidRequest, NotFound, RateLimited
from issuer.models.awards import AwardCreate, RecipientIn
from issuer.services import ServiceContext, audit
from issuer.services.achievements import localize
from issuer.services.awards import issue_award
from issuer.services.evidence import (
    MAX_ITEMS,
    EvidenceIn,
    add_evidence,
    credential_evidence,
    evidence_of,
)
from issuer.services.mail import enqueue_mail, render_mail
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import (
    Achievement,
    AchievementVersion,
    Application,
    ApplicationEvent,
    ApplicationEvidence,
    Award,
)

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
_STATUS_LABEL = b"merkki/application-status-link/v1"


@dataclass
class ApplicationIn:
    email: str
    name: str
    language: str
    level: str
    narrative: str
    evidence: EvidenceIn


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    description: str | None


# ---------------------------------------------------------------------- the achievement


def open_achievement(
    session: Session, achievement_id: str
) -> tuple[Achievement, AchievementVersion]:
    """A non-archived achievement anyone may apply for (else :class:`NotFound`)."""
    achievement = session.get(Achievement, achievement_id)
    if achievement is None or achievement.archived:
        raise NotFound("achievement", achievement_id)
    return achievement, repo.version(session, achievement.id, achievement.current_version)


def application_achievement(
    session: Session, application: Application
) -> tuple[Achievement, AchievementVersion]:
    """The achievement applied for (archived or not) and the version applied for."""
    achievement = repo.public_achievement(session, application.achievement_id)
    return achievement, repo.version(session, achievement.id, application.achievement_version)


def achievement_json(
    ctx: ServiceContext, achievement: Achievement, version: AchievementVersion, lang: str
) -> JSONObject:
    """The achievement in ``lang`` (or its closest language) as OB 3.0 JSON."""
    langs = list(languages_of(version.source))
    chosen = lang if lang in langs else langs[0]
    return localize(version.source, chosen, ctx.url(f"achievements/{achievement.id}"))


def levels_of(achievement: JSONObject) -> list[Level]:
    """The rubric levels of a localized achievement, keyed like ``result_for`` takes them."""
    found: list[Level] = []
    for description in achievement.get("resultDescription") or []:
        for item in description.get("rubricCriterionLevel") or []:
            fragment = str(item.get("id", "")).rpartition("#")[2]
            key = fragment.removeprefix("level-")
            name = i18n.pick_text(item.get("name"), "en") or key
            found.append(Level(key, name, i18n.pick_text(item.get("description"), "en")))
    return found


@cache
def _expectations() -> dict[str, dict[str, str]]:
    return {entry.key: dict(entry.evidence_expectations) for entry in load_catalog().achievements}


def evidence_expectations(achievement: Achievement, lang: str) -> str | None:
    """What evidence the catalog expects for ``achievement`` (catalog achievements only)."""
    texts = _expectations().get(achievement.catalog_key or "")
    return i18n.pick_text(texts, lang) if texts else None


# ---------------------------------------------------------------------- tokens


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def status_token(ctx: ServiceContext, application_id: str) -> str:
    """The capability token of the application's status page."""
    key = hmac.new(ctx.box.secret, _STATUS_LABEL, hashlib.sha256).digest()
    mac = hmac.new(key, application_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


def status_url(ctx: ServiceContext, application: Application) -> str:
    """The status page in the applicant's language (the link of every status mail)."""
    token = status_token(ctx, application.id)
    return ctx.url(f"applications/{application.id}?token={token}&lang={application.language}")


def confirm_url(ctx: ServiceContext, application: Application, token: str) -> str:
    return ctx.url(
        f"applications/{application.id}/confirm?token={token}&lang={application.language}"
    )


def by_status_token(
    session: Session, ctx: ServiceContext, application_id: str, token: str
) -> Application:
    """The application the token opens; a wrong token looks like a missing application."""
    expected = status_token(ctx, application_id)
    if not hmac.compare_digest(expected.encode("ascii"), token.encode("utf-8", "replace")):
        raise NotFound("application", application_id)
    found = session.get(Application, application_id)
    if found is None:
        raise NotFound("application", application_id)
    return found


def applicant_email(ctx: ServiceContext, application: Application) -> str:
    return ctx.box.decrypt(application.email_encrypted, application.id).decode("utf-8")


def _applicant(application: Application) -> Principal:
    return Principal(
        f"applicant:{application.id}", application.name, application.org_id, frozenset()
    )


# ---------------------------------------------------------------------- history and mail


def _event(
    session: Session,
    application: Application,
    action: str,
    actor: Principal | None,
    *,
    level: str | None = None,
    message: str | None = None,
    now: datetime,
) -> None:
    session.add(
        ApplicationEvent(
            application_id=application.id,
            at=now,
            action=action,
            status=application.status,
            actor_type="applicant" if actor is None else "reviewer",
            actor_id=None if actor is None else actor.actor_id,
            actor_name=None if actor is None else actor.actor_name,
            level=level,
            message=message,
        )
    )


def _mail(
    session: Session,
    ctx: ServiceContext,
    application: Application,
    kind: str,
    *,
    link: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Queue the mail ``application_<kind>`` in the applicant's language."""
    lang = application.language if application.language in i18n.LANGS else i18n.DEFAULT_LANG
    achievement = session.get(Achievement, application.achievement_id)
    version = repo.version(session, application.achievement_id, application.achievement_version)
    name = str(achievement_json(ctx, achievement, version, lang).get("name")) if achievement else ""
    texts = {
        key.removeprefix("app_mail_"): value
        for key, value in i18n.TEXTS[lang].items()
        if key.startswith("app_mail_")
    }
    data = {
        "lang": lang,
        "kind": kind,
        "name": application.name,
        "badge": name,
        "link": link,
        "status_text": i18n.text(lang, f"app_status_{application.status}"),
        "message": application.decision_message if kind != "confirm" else None,
        "level": None,
        "credential_url": None,
        "m": texts,
        **(extra or {}),
    }
    text, html = render_mail(
        "application_confirm" if kind == "confirm" else "application_status", data
    )
    subject = i18n.text(lang, f"app_mail_subject_{kind}", badge=name)
    enqueue_mail(
        session,
        to=applicant_email(ctx, application),
        subject=subject,
        text=text,
        html=html,
        kind=f"application_{kind}",
        org_id=application.org_id,
    )


# ---------------------------------------------------------------------- applying


def _check_level(levels: Sequence[Level], level: str) -> str:
    if not levels:
        return ""
    keys = [item.key for item in levels]
    if level not in keys:
        raise InvalidRequest.field(("body", "level"), f"choose one of: {', '.join(keys)}")
    return level


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
    level = _check_level(levels_of(achievement_json(ctx, achievement, version, "en")), data.level)
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
        confirm_token_hash=_token_hash(token),
        confirm_expires_at=now + CONFIRM_TTL,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    session.flush()
    add_evidence(session, application, data.evidence, now)
    _event(session, application, "created", None, level=level or None, now=now)
    audit.record(
        session,
        _applicant(application),
        "application.create",
        "application",
        application.id,
        achievement_id=achievement.id,
        level=level,
        evidence=data.evidence.count(),
    )
    _mail(session, ctx, application, "confirm", link=confirm_url(ctx, application, token))
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
    if not hmac.compare_digest(application.confirm_token_hash, _token_hash(token)):
        raise Forbidden("the confirmation link is not valid")
    if application.confirm_expires_at is None or application.confirm_expires_at < now:
        raise Forbidden("the confirmation link has expired; apply again")
    application.status = "submitted"
    application.confirm_token_hash = None
    application.submitted_at = application.updated_at = now
    _event(session, application, "submitted", None, now=now)
    audit.record(
        session, _applicant(application), "application.submit", "application", application.id
    )
    _mail(session, ctx, application, "submitted", link=status_url(ctx, application))
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
    _event(session, application, "resubmitted", None, message=f"+{evidence.count()}", now=now)
    audit.record(
        session,
        _applicant(application),
        "application.resubmit",
        "application",
        application.id,
        evidence_added=evidence.count(),
    )
    _mail(session, ctx, application, "resubmitted", link=status_url(ctx, application))
    session.commit()
    return application


# ---------------------------------------------------------------------- reviewing


def get_application(session: Session, org_id: str, application_id: str) -> Application:
    """An application of the organisation (another organisation's: :class:`NotFound`)."""
    found = session.scalar(
        select(Application).where(Application.id == application_id, Application.org_id == org_id)
    )
    if found is None:
        raise NotFound("application", application_id)
    return found


def list_applications(
    session: Session,
    org_id: str,
    *,
    status: str | None,
    achievement_id: str | None,
    email_hash: str | None = None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Application], str | None]:
    """Applications newest last (keyset pages); drafts are hidden unless asked for."""
    stmt = select(Application).where(Application.org_id == org_id)
    if status:
        stmt = stmt.where(Application.status == status)
    else:
        stmt = stmt.where(Application.status != "draft")
    if achievement_id:
        stmt = stmt.where(Application.achievement_id == achievement_id)
    if email_hash:
        stmt = stmt.where(Application.email_hash == email_hash)
    rows, next_cursor = repo.page(session, stmt, Application.id, cursor, limit)
    return list(rows), next_cursor


def events_of(session: Session, application_id: str) -> list[ApplicationEvent]:
    stmt = (
        select(ApplicationEvent)
        .where(ApplicationEvent.application_id == application_id)
        .order_by(ApplicationEvent.id)
    )
    return list(session.scalars(stmt))


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
        chosen = _check_level(levels, (level or application.claimed_level or "").strip())
        application.status = "approved"
        application.approved_level = chosen or None
        application.decided_at = now
    application.reviewer_id = actor.actor_id
    application.reviewer_name = actor.actor_name
    application.decision_message = text
    application.updated_at = now
    _event(
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
        _mail(session, ctx, application, decision, link=status_url(ctx, application))
        session.commit()
        return application
    award = _issue(session, ctx, actor, application, version)
    application.award_id = award.id
    _mail(
        session,
        ctx,
        application,
        "approve",
        link=status_url(ctx, application),
        extra={
            "credential_url": ctx.url(f"credentials/{award.id}"),
            "level": _level_name(ctx, achievement, version, application),
        },
    )
    session.commit()
    return application


def _level_name(
    ctx: ServiceContext,
    achievement: Achievement,
    version: AchievementVersion,
    application: Application,
) -> str | None:
    if not application.approved_level:
        return None
    lang = application.language
    for item in levels_of(achievement_json(ctx, achievement, version, lang)):
        if item.key == application.approved_level:
            return item.name
    return application.approved_level


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
