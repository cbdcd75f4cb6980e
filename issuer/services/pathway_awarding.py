"""Automatic pathway awarding: a pathway achievement awarded when its requirements are held.

A recipient (one ``recipient_ref``: the keyed hash of an e-mail address, or a DID/URL)
*holds* an achievement when the organisation has an active, unexpired award of it to
them; revoked, suspended and expired awards do not count, nor do other organisations'
badges.

:func:`after_award` runs inside the transaction of every new award (``issue_award`` and
the bulk worker): when that award completes a pathway, the pathway's award is issued in
the same transaction, exactly once per pathway and recipient (its idempotency key is
derived from both, and ``awards`` is unique on it), with ``evidence`` linking the
component credentials. The plain e-mail address is needed to hash it into the new
credential, and it exists only at award time: pathways are awarded when their last
requirement arrives, not later. A pathway award can complete another pathway in turn.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from badges.errors import BadgesError
from badges.identity import normalize_email
from badges.model import Recipient
from badges.model.i18n import languages_of
from issuer.auth import Principal
from issuer.crypto import DecryptionError
from issuer.errors import ServiceError
from issuer.services import ServiceContext, audit, credential_build, earner
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
from issuer.services.pathway_definitions import requirements
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Achievement, Award, PathwayRequirement
from issuer.store.tables import Pathway as PathwayRow

log = logging.getLogger("merkki.pathways")

MAX_CHAIN = 5
"""How many pathway awards one award may set off in a row (pathways of pathways)."""


def held(session: Session, org_id: str, recipient_ref: str) -> dict[str, Award]:
    """Achievement id → the recipient's counting award of it (active, not expired)."""
    now = utcnow()
    rows = session.scalars(
        select(Award)
        .where(
            Award.org_id == org_id,
            Award.recipient_ref == recipient_ref,
            Award.status == "active",
            or_(Award.valid_until.is_(None), Award.valid_until > now),
        )
        .order_by(Award.created_at, Award.id)
    )
    found: dict[str, Award] = {}
    for award in rows:
        found.setdefault(award.achievement_id, award)
    return found


def _complete(
    needed: list[str], choices: list[str], count: int, have: dict[str, Award]
) -> list[Award] | None:
    """The awards that complete the pathway, or ``None`` when it is not complete."""
    if not all(a in have for a in needed):
        return None
    chosen = [have[a] for a in choices if a in have]
    if len(chosen) < count:
        return None
    return [have[a] for a in needed] + chosen[:count]


def idempotency_key(pathway_id: str, recipient_ref: str) -> str:
    """The pathway award's key: one award per pathway and recipient, ever."""
    digest = hashlib.sha256(recipient_ref.encode("utf-8")).hexdigest()[:40]
    return f"pathway:{pathway_id}:{digest}"


def _name_identifier(credential: dict[str, Any]) -> list[dict[str, Any]]:
    subject = credential.get("credentialSubject") or {}
    return [
        item
        for item in subject.get("identifier") or []
        if isinstance(item, dict) and item.get("identityType") == "name"
    ]


def _issue(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    pathway: PathwayRow,
    components: list[Award],
    trigger: Award,
    recipient: str,
) -> Award | None:
    achievement = session.get(Achievement, pathway.achievement_id)
    if achievement is None or achievement.archived:
        return None
    version = repo.version(session, achievement.id, achievement.current_version)
    issuer = repo.issuer(session, pathway.org_id, achievement.issuer_id)
    key = repo.current_key(session, issuer.id)
    langs: list[str] = list(languages_of(version.source))
    lang = next((x for x in (trigger.language, issuer.default_language) if x in langs), langs[0])
    signer = credential_build.Signer.of(ctx, issuer, key)
    fmt = issuer.format if signer.ldp else "jwt"
    person = (
        Recipient(email=recipient) if trigger.recipient_type == "email" else Recipient(id=recipient)
    )
    now = utcnow()
    award_id = new_id()
    achievement_json = localize(version.source, lang, ctx.url(f"achievements/{achievement.id}"))
    evidence = []
    for component in components:
        subject = component.credential.get("credentialSubject") or {}
        name = (subject.get("achievement") or {}).get("name")
        item: dict[str, Any] = {"id": ctx.url(f"credentials/{component.id}"), "type": ["Evidence"]}
        if isinstance(name, str) and name:
            item["name"] = name
        evidence.append(item)
    names = _name_identifier(trigger.credential)
    credential = credential_build.build(
        ctx,
        award_id=award_id,
        profile=issuer_service.profile(ctx, issuer, [key], lang),
        achievement=achievement_json,
        recipient=person,
        valid_from=now,
        evidence=evidence,
        name=names[0] if names else None,
    )
    # status entries last (in award_values), once nothing can fail: a failed pathway
    # award leaves no rows
    award = Award(
        **credential_build.award_values(
            session,
            ctx,
            signer,
            credential,
            award_id=award_id,
            achievement_id=achievement.id,
            version_id=version.id,
            version=version.version,
            recipient_type=trigger.recipient_type,
            recipient_ref=trigger.recipient_ref,
            language=lang,
            fmt=fmt,
            valid_from=now,
            valid_until=None,
            created_by=actor.actor_id,
            now=now,
        ),
        idempotency_key=idempotency_key(pathway.id, trigger.recipient_ref),
        request_hash=None,
    )
    session.add(award)
    session.flush()
    audit.record(
        session,
        actor,
        "pathway.award",
        "award",
        award.id,
        org_id=pathway.org_id,
        pathway_id=pathway.id,
        achievement_id=achievement.id,
        trigger=trigger.id,
        components=[c.id for c in components],
    )
    return award


def after_award(
    session: Session,
    ctx: ServiceContext,
    award: Award,
    recipient_email_or_id: str,
    principal: Principal,
    *,
    _depth: int = 0,
) -> list[Award]:
    """Award every pathway ``award`` completes for its recipient, in the caller's
    transaction (no commit); the new pathway awards (usually none).

    ``recipient_email_or_id`` is the recipient as given at award time: the e-mail
    address (its hash goes into the new credential) or the DID/URL. The pathway rows
    are locked (``FOR UPDATE`` on PostgreSQL) so two awards completing the same pathway
    at the same time are counted one after the other.
    """
    if award.status != "active" or _depth >= MAX_CHAIN:
        return []
    recipient = recipient_email_or_id
    if award.recipient_type == "email":
        recipient = normalize_email(recipient_email_or_id)
    pathway_ids = select(PathwayRequirement.pathway_id).where(
        PathwayRequirement.achievement_id == award.achievement_id
    )
    with session.no_autoflush:  # most awards complete nothing: no early INSERT for them
        pathways: Sequence[PathwayRow] = session.scalars(
            select(PathwayRow)
            .where(PathwayRow.org_id == award.org_id, PathwayRow.id.in_(pathway_ids))
            .order_by(PathwayRow.id)
            .with_for_update()
        ).all()
    if not pathways:
        return []
    have = held(session, award.org_id, award.recipient_ref)
    have.setdefault(award.achievement_id, award)
    issued: list[Award] = []
    for pathway in pathways:
        if pathway.achievement_id in have:
            continue  # holds it already (awarded by hand, or earlier)
        key = idempotency_key(pathway.id, award.recipient_ref)
        if repo.award_by_idempotency_key(session, award.org_id, key) is not None:
            continue  # awarded once already (and since revoked or expired): never again
        needed, choices = requirements(session, pathway.id)
        components = _complete(needed, choices, pathway.any_count, have)
        if components is None:
            continue
        try:
            new = _issue(session, ctx, principal, pathway, components, award, recipient)
        except (ServiceError, BadgesError, DecryptionError, ValueError) as exc:
            # the award that triggered it stands; the pathway waits for the next award
            log.warning("pathway_award_failed pathway=%s error=%s", pathway.id, exc)
            continue
        if new is not None:
            if award.recipient_type == "email":
                earner.queue_award_mail(session, ctx, new, recipient)
            issued.append(new)
            have[new.achievement_id] = new
    for new in list(issued):
        issued += after_award(session, ctx, new, recipient, principal, _depth=_depth + 1)
    return issued
