"""Earners: magic links, earner sessions, the award e-mail and "My badges".

An earner has no account. Whoever can read mail sent to an address may see every badge
awarded to it, in every organisation: ``awards.recipient_ref`` is the keyed hash of the
normalised address (``ctx.box.recipient_hash``), the same everywhere. A **magic link**
(``/my/link/<secret>``) is single-use and expires (:data:`AWARD_LINK_TTL` in an award
e-mail, :data:`REQUEST_LINK_TTL` when asked for on ``/my``); only SHA-256 of its secret
is stored. Redeeming it opens an **earner session** (:data:`SESSION_TTL`), whose secret
is the ``merkki_earner`` cookie (again only its hash is stored); signing out ends it.

Asking for a link always gets the same answer; a link is sent only when badges exist
for the address, at most :data:`REQUESTS_PER_HOUR` an hour and one per
:data:`REQUEST_INTERVAL` per address (the routes also limit each client).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from badges.errors import InvalidInput
from badges.identity import normalize_email
from issuer import i18n
from issuer.errors import NotFound
from issuer.services import ServiceContext
from issuer.services.mail import enqueue_mail, render_mail
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award, EarnerLink, EarnerSession

AWARD_LINK_TTL = timedelta(days=14)
REQUEST_LINK_TTL = timedelta(minutes=30)
SESSION_TTL = timedelta(hours=8)
REQUESTS_PER_HOUR = 3
REQUEST_INTERVAL = timedelta(minutes=1)
MAX_BADGES = 1000
DESCRIPTION_CHARS = 280


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _secret_ok(secret: str) -> bool:
    return 20 <= len(secret) <= 100 and secret.isascii()


def recipient_ref_of(ctx: ServiceContext, email: str) -> str | None:
    """The keyed hash awards store for ``email``; ``None`` when it is not an address."""
    try:
        return ctx.box.recipient_hash(normalize_email(email))
    except (InvalidInput, ValueError):
        return None


# ---------------------------------------------------------------------- magic links


def new_link(
    session: Session,
    recipient_ref: str,
    *,
    purpose: str,
    lang: str,
    award_id: str | None = None,
    now: datetime | None = None,
) -> str:
    """Add a magic link (committed with the caller's transaction); returns its secret."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    ttl = AWARD_LINK_TTL if purpose == "award" else REQUEST_LINK_TTL
    session.add(
        EarnerLink(
            id=new_id(),
            token_hash=_digest(secret),
            recipient_ref=recipient_ref,
            purpose=purpose,
            award_id=award_id,
            lang=lang if lang in i18n.LANGS else i18n.DEFAULT_LANG,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    return secret


def link_url(ctx: ServiceContext, secret: str) -> str:
    return ctx.url(f"my/link/{secret}")


def usable_link(session: Session, secret: str, now: datetime | None = None) -> EarnerLink | None:
    """The link if it exists, is unused and has not expired (nothing changes)."""
    if not _secret_ok(secret):
        return None
    link = session.scalar(select(EarnerLink).where(EarnerLink.token_hash == _digest(secret)))
    now = now or utcnow()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


@dataclass(frozen=True)
class Opened:
    secret: str
    """The session's secret, for the cookie."""
    row: EarnerSession


def redeem_link(session: Session, secret: str, now: datetime | None = None) -> Opened | None:
    """Use the link (once: a conditional UPDATE decides between racing requests) and open
    an earner session; commit. ``None`` when the link is unknown, used or expired."""
    now = now or utcnow()
    link = usable_link(session, secret, now)
    if link is None:
        return None
    used = session.execute(
        update(EarnerLink)
        .where(EarnerLink.id == link.id, EarnerLink.used_at.is_(None), EarnerLink.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return None
    cookie = secrets.token_urlsafe(32)
    row = EarnerSession(
        id=new_id(),
        token_hash=_digest(cookie),
        recipient_ref=link.recipient_ref,
        created_at=now,
        expires_at=now + SESSION_TTL,
    )
    session.add(row)
    session.commit()
    return Opened(cookie, row)


def current_session(
    session: Session, cookie: str | None, now: datetime | None = None
) -> EarnerSession | None:
    """The open earner session of a ``merkki_earner`` cookie."""
    if not cookie or not _secret_ok(cookie):
        return None
    row = session.scalar(select(EarnerSession).where(EarnerSession.token_hash == _digest(cookie)))
    now = now or utcnow()
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    return row


def end_session(session: Session, cookie: str | None) -> None:
    row = current_session(session, cookie)
    if row is not None:
        row.ended_at = utcnow()
        session.commit()


def request_link(
    session: Session, ctx: ServiceContext, email: str, lang: str, now: datetime | None = None
) -> bool:
    """Queue a magic-link e-mail to ``email`` if it has badges and is not throttled;
    commit. Returns whether one was queued (never show this to the visitor)."""
    now = now or utcnow()
    ref = recipient_ref_of(ctx, email)
    if ref is None:
        return False
    has_badges = session.scalar(select(Award.id).where(Award.recipient_ref == ref).limit(1))
    if has_badges is None:
        return False
    recent = session.execute(
        select(func.count(), func.max(EarnerLink.created_at)).where(
            EarnerLink.recipient_ref == ref,
            EarnerLink.purpose == "request",
            EarnerLink.created_at > now - timedelta(hours=1),
        )
    ).one()
    count, latest = recent[0], recent[1]
    if count >= REQUESTS_PER_HOUR or (latest is not None and latest > now - REQUEST_INTERVAL):
        return False
    secret = new_link(session, ref, purpose="request", lang=lang, now=now)
    minutes = int(REQUEST_LINK_TTL.total_seconds() // 60)
    data = {"lang": lang, "t": i18n.TEXTS[lang], "link": link_url(ctx, secret), "minutes": minutes}
    data["expires"] = i18n.text(lang, "earner_mail_link_expires", minutes=minutes)
    text, html = render_mail("magic_link", data)
    enqueue_mail(
        session,
        to=normalize_email(email),
        subject=i18n.text(lang, "earner_mail_link_subject"),
        text=text,
        html=html,
        kind="magic_link",
    )
    session.commit()
    return True


# ---------------------------------------------------------------------- the award e-mail


def _short(text: object, limit: int = DESCRIPTION_CHARS) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def badge_summary(award: Award | dict[str, Any], lang: str) -> dict[str, Any]:
    """Name, issuer, short description and recipient name of a credential."""
    credential = award.credential if isinstance(award, Award) else award
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    names = [
        item.get("identityHash")
        for item in subject.get("identifier") or []
        if isinstance(item, dict) and item.get("identityType") == "name" and not item.get("hashed")
    ]
    return {
        "name": str(credential.get("name") or achievement.get("name") or ""),
        "issuer_name": i18n.pick_text((credential.get("issuer") or {}).get("name"), lang),
        "description": _short(achievement.get("description")),
        "recipient_name": names[0] if names else None,
    }


def queue_award_mail(session: Session, ctx: ServiceContext, award: Award, email: str) -> None:
    """Queue the "you have received a badge" e-mail for a new award (in the caller's
    transaction, with a magic link to "My badges"). ``award`` need not be flushed."""
    lang = award.language if award.language in i18n.LANGS else i18n.DEFAULT_LANG
    secret = new_link(session, award.recipient_ref, purpose="award", lang=lang, award_id=award.id)
    badge = badge_summary(award.credential, lang)
    page = ctx.url(f"credentials/{award.id}")
    data = {
        "lang": lang,
        "t": i18n.TEXTS[lang],
        "b": badge,
        "greeting": i18n.text(lang, "earner_mail_greeting", name=badge["recipient_name"])
        if badge["recipient_name"]
        else i18n.text(lang, "earner_mail_greeting_plain"),
        "intro": i18n.text(lang, "earner_mail_award_intro", issuer=badge["issuer_name"] or ""),
        "image_url": f"{page}.png",
        "page_url": page,
        "my_url": link_url(ctx, secret),
        "my_expires": i18n.text(lang, "earner_mail_my_expires", days=AWARD_LINK_TTL.days),
        "request_url": ctx.url(f"my?lang={lang}"),
    }
    text, html = render_mail("award", data)
    enqueue_mail(
        session,
        to=email,
        subject=i18n.text(lang, "earner_mail_award_subject", name=badge["name"]),
        text=text,
        html=html,
        kind="award",
        org_id=award.org_id,
    )


# ---------------------------------------------------------------------- "My badges"


def badges_of(session: Session, recipient_ref: str) -> list[Award]:
    """Every award to this recipient, in every organisation, newest first."""
    stmt = (
        select(Award)
        .where(Award.recipient_ref == recipient_ref)
        .order_by(Award.created_at.desc(), Award.id.desc())
        .limit(MAX_BADGES)
    )
    return list(session.scalars(stmt))


def own_award(session: Session, recipient_ref: str, award_id: str) -> Award:
    """The earner's award ``award_id`` (anyone else's is not found)."""
    award = session.get(Award, award_id)
    if award is None or award.recipient_ref != recipient_ref:
        raise NotFound("badge", award_id)
    return award


def set_public_page(session: Session, recipient_ref: str, award_id: str, public: bool) -> Award:
    award = own_award(session, recipient_ref, award_id)
    award.public_page = public
    session.commit()
    return award


def presentation(award: Award) -> dict[str, Any]:
    """An unsigned W3C VerifiablePresentation (VC Data Model 2.0) holding the credential:
    the signed JSON-LD credential, or the VC-JWT as an ``EnvelopedVerifiableCredential``."""
    held: dict[str, Any]
    if award.ldp:
        held = award.credential
    else:
        held = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": f"data:application/vc+jwt,{award.jwt}",
            "type": ["EnvelopedVerifiableCredential"],
        }
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [held],
    }
