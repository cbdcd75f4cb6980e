"""Pathways: a pathway achievement awarded automatically when its requirements are held.

A pathway of an organisation names its achievement and requirements: every achievement
of ``all`` and at least ``any_count`` of ``any``. A recipient (one ``recipient_ref``:
the keyed hash of an e-mail address, or a DID/URL) *holds* an achievement when the
organisation has an active, unexpired award of it to them; revoked, suspended and
expired awards do not count, nor do other organisations' badges.

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
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from badges.errors import BadgesError
from badges.identity import normalize_email
from badges.model import Recipient
from badges.model.i18n import languages_of
from issuer.auth import Principal
from issuer.crypto import DecryptionError
from issuer.errors import Conflict, FieldError, InvalidRequest, NotFound, ServiceError
from issuer.models.pathways import PathwayCreate, PathwayUpdate
from issuer.services import ServiceContext, audit, credential_build, earner
from issuer.services import issuers as issuer_service
from issuer.services.achievements import localize
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Achievement, AchievementVersion, Award, PathwayRequirement
from issuer.store.tables import Pathway as PathwayRow

log = logging.getLogger("merkki.pathways")

MAX_CHAIN = 5
"""How many pathway awards one award may set off in a row (pathways of pathways)."""


# ---------------------------------------------------------------------- definitions


@dataclass(frozen=True, slots=True)
class Definition:
    """A pathway's requirements: achievement ids."""

    achievement_id: str
    requires_all: list[str]
    requires_any: list[str]
    any_count: int


def requirements(session: Session, pathway_id: str) -> tuple[list[str], list[str]]:
    """``(all, any)`` achievement ids of a pathway, in order."""
    rows = session.scalars(
        select(PathwayRequirement)
        .where(PathwayRequirement.pathway_id == pathway_id)
        .order_by(PathwayRequirement.position)
    ).all()
    return (
        [row.achievement_id for row in rows if row.kind == "all"],
        [row.achievement_id for row in rows if row.kind == "any"],
    )


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    def visit(node: str, trail: list[str]) -> list[str] | None:
        if node in trail:
            return [*trail[trail.index(node) :], node]
        for child in graph.get(node, []):
            if found := visit(child, [*trail, node]):
                return found
        return None

    for start in graph:
        if found := visit(start, []):
            return found
    return None


def check_definition(
    session: Session, org_id: str, definition: Definition, pathway_id: str | None = None
) -> None:
    """Raise :class:`InvalidRequest` unless the definition is sound in ``org_id``."""
    errors: list[FieldError] = []
    needed, choices = definition.requires_all, definition.requires_any
    for name, ids in (("requires_all", needed), ("requires_any", choices)):
        if len(set(ids)) != len(ids):
            errors.append(FieldError(("body", name), "an achievement is listed twice"))
    if set(needed) & set(choices):
        errors.append(FieldError(("body", "requires_any"), "already in requires_all"))
    if not needed + choices:
        errors.append(FieldError(("body", "requires_all"), "name at least one achievement"))
    if not bool(choices) <= definition.any_count <= len(choices):
        errors.append(
            FieldError(
                ("body", "any_count"), f"expected 1..{len(choices)} (0 if requires_any is empty)"
            )
        )
    if definition.achievement_id in needed + choices:
        errors.append(FieldError(("body", "achievement_id"), "a pathway cannot require itself"))
    known = set(
        session.scalars(
            select(Achievement.id).where(
                Achievement.org_id == org_id,
                Achievement.id.in_([definition.achievement_id, *needed, *choices]),
            )
        )
    )
    for name, ids in (
        ("achievement_id", [definition.achievement_id]),
        ("requires_all", needed),
        ("requires_any", choices),
    ):
        for i, achievement_id in enumerate(ids):
            if achievement_id not in known:
                loc: tuple[str | int, ...] = (
                    ("body", name) if name == "achievement_id" else ("body", name, i)
                )
                errors.append(FieldError(loc, f"no achievement {achievement_id!r}"))
    if errors:
        raise InvalidRequest(f"the pathway is not valid: {errors[0].message}", errors)
    graph: dict[str, list[str]] = {}
    for row in session.scalars(select(PathwayRow).where(PathwayRow.org_id == org_id)):
        if row.id != pathway_id:
            needed_by, chosen_by = requirements(session, row.id)
            graph[row.achievement_id] = [*needed_by, *chosen_by]
    graph[definition.achievement_id] = [*needed, *choices]
    if cycle := _cycle(graph):
        raise InvalidRequest.field(
            ("body", "requires_all"), f"pathways would require each other: {' -> '.join(cycle)}"
        )


def save_definition(session: Session, pathway: PathwayRow, definition: Definition) -> None:
    """Replace the pathway's requirements (no commit)."""
    session.execute(delete(PathwayRequirement).where(PathwayRequirement.pathway_id == pathway.id))
    rows = [("all", a) for a in definition.requires_all] + [
        ("any", a) for a in definition.requires_any
    ]
    for position, (kind, achievement_id) in enumerate(rows):
        session.add(
            PathwayRequirement(
                pathway_id=pathway.id, achievement_id=achievement_id, kind=kind, position=position
            )
        )
    pathway.any_count = definition.any_count
    pathway.updated_at = utcnow()


def add_pathway(
    session: Session, org_id: str, definition: Definition, position: int | None = None
) -> PathwayRow:
    """A new pathway row with its requirements (checked by the caller; no commit)."""
    if position is None:
        top = session.scalar(
            select(func.max(PathwayRow.position)).where(PathwayRow.org_id == org_id)
        )
        position = (top or 0) + 1
    now = utcnow()
    pathway = PathwayRow(
        id=new_id(),
        org_id=org_id,
        achievement_id=definition.achievement_id,
        any_count=definition.any_count,
        position=position,
        created_at=now,
        updated_at=now,
    )
    session.add(pathway)
    session.flush()
    save_definition(session, pathway, definition)
    return pathway


def pathway_of(session: Session, org_id: str | None, pathway_id: str) -> PathwayRow:
    """The pathway (of ``org_id``; ``None``: of any organisation, for public pages)."""
    row = session.get(PathwayRow, pathway_id)
    if row is None or (org_id is not None and row.org_id != org_id):
        raise NotFound("pathway", pathway_id)
    return row


def by_achievement(session: Session, org_id: str, achievement_id: str) -> PathwayRow | None:
    return session.scalar(
        select(PathwayRow).where(
            PathwayRow.org_id == org_id, PathwayRow.achievement_id == achievement_id
        )
    )


def create_pathway(
    session: Session, actor: Principal, org_id: str, body: PathwayCreate
) -> PathwayRow:
    definition = Definition(
        body.achievement_id, body.requires_all, body.requires_any, body.any_count
    )
    check_definition(session, org_id, definition)
    if by_achievement(session, org_id, body.achievement_id) is not None:
        raise Conflict(f"achievement {body.achievement_id!r} is already a pathway's achievement")
    pathway = add_pathway(session, org_id, definition)
    audit.record(
        session,
        actor,
        "pathway.create",
        "pathway",
        pathway.id,
        org_id=org_id,
        achievement_id=body.achievement_id,
    )
    session.commit()
    return pathway


def update_pathway(
    session: Session, actor: Principal, org_id: str, pathway_id: str, body: PathwayUpdate
) -> PathwayRow:
    pathway = pathway_of(session, org_id, pathway_id)
    needed, choices = requirements(session, pathway.id)
    given = body.model_dump(exclude_unset=True)
    for name in given:
        if given[name] is None:
            raise InvalidRequest.field(("body", name), "cannot be null")
    choices = given.get("requires_any", choices)
    count = given.get("any_count", min(pathway.any_count, len(choices)) or int(bool(choices)))
    definition = Definition(
        pathway.achievement_id, given.get("requires_all", needed), choices, count
    )
    check_definition(session, org_id, definition, pathway.id)
    save_definition(session, pathway, definition)
    audit.record(
        session, actor, "pathway.update", "pathway", pathway.id, org_id=org_id, fields=sorted(given)
    )
    session.commit()
    return pathway


def delete_pathway(session: Session, actor: Principal, org_id: str, pathway_id: str) -> None:
    """Remove a pathway (its awards stay valid: they are credentials already issued)."""
    pathway = pathway_of(session, org_id, pathway_id)
    session.execute(delete(PathwayRequirement).where(PathwayRequirement.pathway_id == pathway.id))
    session.delete(pathway)
    audit.record(session, actor, "pathway.delete", "pathway", pathway_id, org_id=org_id)
    session.commit()


def list_pathways(session: Session, org_id: str) -> list[PathwayRow]:
    return list(
        session.scalars(
            select(PathwayRow)
            .where(PathwayRow.org_id == org_id)
            .order_by(PathwayRow.position, PathwayRow.id)
        )
    )


# ---------------------------------------------------------------------- holding badges


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


# ---------------------------------------------------------------------- progress


@dataclass(frozen=True, slots=True)
class RequirementProgress:
    achievement_id: str
    name: Any  # texts by language ({"fi": …}) or a plain string: ``i18n.pick_text``
    held: bool
    award_id: str | None


@dataclass(frozen=True, slots=True)
class PathwayProgress:
    """How far a recipient is on one pathway: ``done`` of ``total`` steps."""

    pathway_id: str
    achievement_id: str
    name: Any
    description: Any
    requires_all: list[RequirementProgress]
    requires_any: list[RequirementProgress]
    any_count: int
    done: int
    total: int
    complete: bool
    award_id: str | None  # the recipient's award of the pathway achievement, if any


def _sources(session: Session, ids: set[str]) -> dict[str, AchievementVersion]:
    rows = session.scalars(select(Achievement).where(Achievement.id.in_(ids))).all()
    return repo.current_versions(session, list(rows))


def progress_for(session: Session, org_id: str, recipient_ref: str) -> list[PathwayProgress]:
    """The recipient's progress on every pathway of the organisation, in catalog order."""
    pathways = list_pathways(session, org_id)
    if not pathways:
        return []
    have = held(session, org_id, recipient_ref)
    defs = {p.id: requirements(session, p.id) for p in pathways}
    ids = {p.achievement_id for p in pathways} | {a for d in defs.values() for a in d[0] + d[1]}
    sources = _sources(session, ids)

    def step(achievement_id: str) -> RequirementProgress:
        award = have.get(achievement_id)
        name = sources[achievement_id].source.get("name") if achievement_id in sources else None
        return RequirementProgress(
            achievement_id, name, award is not None, award.id if award else None
        )

    out = []
    for pathway in pathways:
        needed, choices = defs[pathway.id]
        steps_all, steps_any = [step(a) for a in needed], [step(a) for a in choices]
        done = sum(s.held for s in steps_all) + min(
            pathway.any_count, sum(s.held for s in steps_any)
        )
        source = sources[pathway.achievement_id].source
        own = have.get(pathway.achievement_id)
        total = len(needed) + pathway.any_count
        out.append(
            PathwayProgress(
                pathway.id,
                pathway.achievement_id,
                source.get("name"),
                source.get("description"),
                steps_all,
                steps_any,
                pathway.any_count,
                done,
                total,
                done == total,
                own.id if own else None,
            )
        )
    return out
