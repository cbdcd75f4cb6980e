"""Pathway progress: how far a recipient is on each pathway of an organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.services.pathway_awarding import held
from issuer.services.pathway_definitions import list_pathways, requirements
from issuer.store import repo
from issuer.store.tables import Achievement, AchievementVersion


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
