"""The applicant's links, identity, history and mails of an application (part of
:mod:`issuer.services.applications`, which re-exports the public names): the status
page's capability token, the confirmation link, the applicant's decrypted address, the
``application_events`` rows and the queued status mails."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from issuer import i18n
from issuer.auth import Principal
from issuer.errors import NotFound
from issuer.services import ServiceContext
from issuer.services.application_achievement import achievement_json
from issuer.services.mail import enqueue_mail, render_mail
from issuer.store import repo
from issuer.store.tables import Achievement, Application, ApplicationEvent

STATUS_LABEL: Final = b"merkki/application-status-link/v1"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def status_token(ctx: ServiceContext, application_id: str) -> str:
    """The capability token of the application's status page."""
    key = hmac.new(ctx.box.secret, STATUS_LABEL, hashlib.sha256).digest()
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


def applicant_principal(application: Application) -> Principal:
    return Principal(
        f"applicant:{application.id}", application.name, application.org_id, frozenset()
    )


# ---------------------------------------------------------------------- history and mail


def record_event(
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


def queue_mail(
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
