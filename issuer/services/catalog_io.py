"""Catalog import and export: an organisation's catalog achievements and pathways as a
JSON or YAML file (:mod:`issuer.catalog.files`).

Import matches achievements by ``catalog_key``: a new key creates an achievement, a key
whose content (the OB source, ``evidence_required``, ``default_validity_days``) changed
gets a new version, an unchanged one nothing. Family, evidence expectations and the
order of the file are kept beside (``catalog_entries``) and change no version.
Pathways are matched by their achievement. Export writes every achievement that has a
``catalog_key`` (current versions, in the file's order) and the pathways between them,
so export → import → export gives the same bytes and import → export → import makes no
new version. Achievements made through the API without a catalog key are not exported.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.auth import Principal
from issuer.catalog import Catalog, CatalogAchievement, CatalogError, Pathway
from issuer.catalog.files import Format, catalog_text, read_catalog
from issuer.errors import FieldError, InvalidRequest
from issuer.models.pathways import CatalogImportResult
from issuer.services import audit
from issuer.services import pathways as pathway_service
from issuer.services.achievements import add_achievement, add_version, issuer_for
from issuer.store import repo
from issuer.store.base import utcnow
from issuer.store.tables import Achievement, AchievementVersion, CatalogEntry, Issuer

DEFAULT_FAMILY = "general"
"""The family exported for a catalog achievement that has no catalog entry row."""


def rejected(exc: CatalogError) -> InvalidRequest:
    """The API's 422 for a catalog file: one field error per problem, with its line."""
    errors = [
        FieldError(
            ("body", *problem.path),
            (f"line {problem.line}: " if problem.line else "")
            + (f"({problem.key}) " if problem.key else "")
            + problem.message,
        )
        for problem in exc.problems
    ]
    first = str(exc).splitlines()[0] if str(exc) else "the catalog is not valid"
    return InvalidRequest(f"the catalog file is not valid: {first}", errors)


def _catalog_rows(session: Session, org_id: str) -> dict[str, Achievement]:
    rows = session.scalars(
        select(Achievement).where(
            Achievement.org_id == org_id, Achievement.catalog_key.is_not(None)
        )
    )
    return {row.catalog_key: row for row in rows if row.catalog_key}


def _save_entry(
    session: Session, org_id: str, achievement_id: str, entry: CatalogAchievement, position: int
) -> None:
    row = session.get(CatalogEntry, achievement_id)
    if row is None:
        row = CatalogEntry(achievement_id=achievement_id, org_id=org_id)
        session.add(row)
    values = (entry.family, entry.evidence_expectations, position)
    if (row.family, row.evidence_expectations, row.position) != values:
        row.family, row.evidence_expectations, row.position = values
        row.updated_at = utcnow()


def _achievements(
    session: Session, actor: Principal, org_id: str, catalog: Catalog, issuer_id: str | None
) -> tuple[dict[str, str], CatalogImportResult]:
    existing = _catalog_rows(session, org_id)
    result = CatalogImportResult(
        created=[], updated=[], unchanged=[], pathways_created=[], pathways_updated=[]
    )
    ids: dict[str, str] = {}
    issuer: Issuer | None = None
    for position, entry in enumerate(catalog.achievements):
        content = (entry.source, entry.evidence_required, entry.default_validity_days)
        row = existing.get(entry.key)
        if row is None:
            issuer = issuer or issuer_for(session, org_id, issuer_id)
            row, _ = add_achievement(
                session,
                actor,
                org_id=org_id,
                issuer_id=issuer.id,
                source=entry.source,
                evidence_required=entry.evidence_required,
                default_validity_days=entry.default_validity_days,
                catalog_key=entry.key,
            )
            result.created.append(entry.key)
        else:
            current = repo.version(session, row.id, row.current_version)
            if content == (
                current.source,
                current.evidence_required,
                current.default_validity_days,
            ):
                result.unchanged.append(entry.key)
            else:
                version = add_version(session, row, current, *content)
                audit.record(
                    session,
                    actor,
                    "achievement.update",
                    "achievement",
                    row.id,
                    org_id=org_id,
                    version=version.version,
                    via="catalog",
                )
                result.updated.append(entry.key)
        ids[entry.key] = row.id
        _save_entry(session, org_id, row.id, entry, position)
    return ids, result


def _pathways(
    session: Session,
    org_id: str,
    pathways: Sequence[Pathway],
    ids: dict[str, str],
    result: CatalogImportResult,
) -> None:
    session.flush()
    for position, item in enumerate(pathways):
        definition = pathway_service.Definition(
            ids[item.achievement],
            [ids[key] for key in item.requires_all],
            [ids[key] for key in item.requires_any],
            item.any_count,
        )
        row = pathway_service.by_achievement(session, org_id, definition.achievement_id)
        pathway_service.check_definition(session, org_id, definition, row.id if row else None)
        if row is None:
            pathway_service.add_pathway(session, org_id, definition, position)
            result.pathways_created.append(item.achievement)
            continue
        needed, choices = pathway_service.requirements(session, row.id)
        if (needed, choices, row.any_count) != (
            definition.requires_all,
            definition.requires_any,
            definition.any_count,
        ):
            pathway_service.save_definition(session, row, definition)
            result.pathways_updated.append(item.achievement)
        if row.position != position:
            row.position = position
        session.flush()


def import_catalog(
    session: Session,
    actor: Principal,
    org_id: str,
    catalog: Catalog,
    *,
    issuer_id: str | None = None,
    commit: bool = True,
) -> CatalogImportResult:
    """Create or update the catalog's achievements and pathways in ``org_id``; all or
    nothing. New achievements go to ``issuer_id`` (default: the organisation's first)."""
    ids, result = _achievements(session, actor, org_id, catalog, issuer_id)
    try:
        _pathways(session, org_id, catalog.pathways, ids, result)
    except InvalidRequest:
        session.rollback()
        raise
    audit.record(
        session,
        actor,
        "catalog.import",
        "organization",
        org_id,
        org_id=org_id,
        created=len(result.created),
        updated=len(result.updated),
        unchanged=len(result.unchanged),
        pathways_created=len(result.pathways_created),
        pathways_updated=len(result.pathways_updated),
    )
    if commit:
        session.commit()
    return result


def import_text(
    session: Session,
    actor: Principal,
    org_id: str,
    text: str,
    fmt: Format,
    name: str = "catalog",
    *,
    issuer_id: str | None = None,
) -> CatalogImportResult:
    """Parse a catalog file's text and import it (:class:`CatalogError` if it is bad)."""
    return import_catalog(
        session, actor, org_id, read_catalog(text, fmt, name), issuer_id=issuer_id
    )


def export_catalog(session: Session, org_id: str) -> Catalog:
    """The organisation's catalog achievements (current versions) and pathways."""
    rows = list(_catalog_rows(session, org_id).values())
    versions: dict[str, AchievementVersion] = repo.current_versions(session, rows)
    entries = {
        row.achievement_id: row
        for row in session.scalars(select(CatalogEntry).where(CatalogEntry.org_id == org_id))
    }

    def order(row: Achievement) -> tuple[int, str]:
        entry = entries.get(row.id)
        return (entry.position if entry else 1 << 30, row.catalog_key or "")

    achievements = []
    for row in sorted(rows, key=order):
        version, entry = versions[row.id], entries.get(row.id)
        achievements.append(
            CatalogAchievement(
                row.catalog_key or "",
                entry.family if entry else DEFAULT_FAMILY,
                version.source,
                version.evidence_required,
                entry.evidence_expectations if entry else {},
                version.default_validity_days,
            )
        )
    keys = {row.id: row.catalog_key or "" for row in rows}
    pathways = []
    for pathway in pathway_service.list_pathways(session, org_id):
        needed, choices = pathway_service.requirements(session, pathway.id)
        if all(a in keys for a in [pathway.achievement_id, *needed, *choices]):
            pathways.append(
                Pathway(
                    keys[pathway.achievement_id],
                    [keys[a] for a in needed],
                    [keys[a] for a in choices],
                    pathway.any_count,
                )
            )
    return Catalog(achievements, pathways)


def export_text(session: Session, org_id: str, fmt: Format) -> str:
    return catalog_text(export_catalog(session, org_id), fmt)
