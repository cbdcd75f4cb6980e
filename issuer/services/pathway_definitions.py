"""Pathway definitions: their requirements, validation and create/read/update/delete.

A pathway of an organisation names its achievement and requirements: every achievement
of ``all`` and at least ``any_count`` of ``any``. Definitions are checked against the
organisation's achievements and must not make pathways require each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from issuer.auth import Principal
from issuer.catalog import graph_cycle
from issuer.errors import Conflict, FieldError, InvalidRequest, NotFound
from issuer.models.pathways import PathwayCreate, PathwayUpdate
from issuer.services import audit
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Achievement, PathwayRequirement
from issuer.store.tables import Pathway as PathwayRow


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
    if cycle := graph_cycle(graph):
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
