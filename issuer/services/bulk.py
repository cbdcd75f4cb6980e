"""Bulk awards from a CSV file: validate the whole file, then queue it as a job.

Nothing of a file with a bad row is accepted (:class:`issuer.errors.CsvRejected` lists
every bad row). A valid file becomes one ``bulk_jobs`` row and one ``bulk_job_rows`` row
per award; :mod:`issuer.services.bulk_worker` issues them. The same file uploaded again
for the same achievement answers the job it made before, and every row carries the
award idempotency key ``csv:<achievement id>:<row key>`` (``awards`` is unique on
organisation and key), so no row content is ever awarded twice for an achievement,
whichever job or worker gets to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from badges.model.i18n import languages_of
from issuer.auth import Principal
from issuer.csvimport import AwardRow, ErrorCode, parse_award_csv
from issuer.errors import Conflict, CsvProblem, CsvRejected, NotFound
from issuer.models.bulk import BulkJobPublic, JobAwards, JobError
from issuer.services import audit
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import AchievementVersion, BulkJob, BulkJobRow

KEY_PREFIX = "csv"


def award_key(achievement_id: str, row_key: str) -> str:
    """The award idempotency key of a CSV row for an achievement (org: by the table)."""
    return f"{KEY_PREFIX}:{achievement_id}:{row_key}"


def rubric_levels(source: Mapping[str, Any]) -> dict[str, Any]:
    """The achievement's rubric levels: key (``basic`` of ``#level-basic``) → names."""
    levels: dict[str, Any] = {}
    for description in source.get("resultDescription") or []:
        for item in description.get("rubricCriterionLevel") or []:
            fragment = str(item.get("id", "")).rpartition("#")[2]
            key = fragment.removeprefix("level-")
            if key:
                name = item.get("name")
                levels[key] = name if isinstance(name, str | dict) else key
    return levels


def _achievement_problems(
    rows: list[AwardRow], version: AchievementVersion, levels: dict[str, Any]
) -> list[CsvProblem]:
    """What the parser cannot know: levels, languages and evidence of this achievement."""
    langs = set(languages_of(version.source))
    found: list[CsvProblem] = []
    for row in rows:
        if row.level and not levels:
            reason = "The achievement has no rubric levels; leave level empty."
            found.append(CsvProblem(row.line, "level", ErrorCode.UNKNOWN_LEVEL, reason))
        if row.language and row.language not in langs:
            reason = f"The achievement is in {', '.join(sorted(langs))} only."
            found.append(CsvProblem(row.line, "language", ErrorCode.INVALID_LANGUAGE, reason))
        if version.evidence_required and not row.evidence_urls:
            reason = "The achievement requires evidence: give an evidence_url."
            found.append(CsvProblem(row.line, "evidence_url", "evidence_required", reason))
    return found


def _reject(problems: list[CsvProblem]) -> CsvRejected:
    problems.sort(key=lambda e: (e.line or 0, e.column or ""))
    lines = sorted({e.line for e in problems if e.line is not None})
    shown = ", ".join(map(str, lines[:20])) + (" …" if len(lines) > 20 else "")
    where = f"line{'s' if len(lines) > 1 else ''} {shown}" if lines else "the file"
    return CsvRejected(f"the CSV file was not accepted: fix {where} and upload it again", problems)


def job_by_file(session: Session, org_id: str, achievement_id: str, sha256: str) -> BulkJob | None:
    return session.scalar(
        select(BulkJob).where(
            BulkJob.org_id == org_id,
            BulkJob.achievement_id == achievement_id,
            BulkJob.file_sha256 == sha256,
        )
    )


def create_job(
    session: Session, actor: Principal, achievement_id: str, data: bytes
) -> tuple[BulkJob, bool]:
    """Validate ``data`` and queue a job; ``(job, False)``: this file's earlier job."""
    org_id = actor.org
    achievement = repo.achievement(session, org_id, achievement_id)
    if achievement.archived:
        raise Conflict(f"achievement {achievement.id!r} is archived; restore it to award it")
    version = repo.version(session, achievement.id, achievement.current_version)
    levels = rubric_levels(version.source)
    parsed = parse_award_csv(data, levels=levels)
    errors = [CsvProblem(e.line, e.column, e.code.value, e.reason) for e in parsed.errors]
    errors = errors or _achievement_problems(parsed.rows, version, levels)
    if errors:
        raise _reject(errors)
    existing = job_by_file(session, org_id, achievement.id, parsed.file_sha256)
    if existing is not None:
        return existing, False
    now = utcnow()
    job = BulkJob(
        id=new_id(),
        org_id=org_id,
        achievement_id=achievement.id,
        file_sha256=parsed.file_sha256,
        status="queued",
        total=len(parsed.rows),
        done=0,
        issued=0,
        errors=[],
        created_by=actor.actor_id,
        created_by_name=actor.actor_name,
        created_at=now,
    )
    session.add(job)
    session.flush()
    session.execute(
        insert(BulkJobRow),
        [
            {
                "job_id": job.id,
                "line": row.line,
                "recipient_type": row.recipient_kind,
                "recipient": row.recipient,
                "name": row.name or None,
                "narrative": row.narrative or None,
                "evidence_urls": list(row.evidence_urls),
                "level": row.level or None,
                "valid_until": row.valid_until,
                "language": row.language or None,
                "idempotency_key": award_key(achievement.id, row.idempotency_key),
            }
            for row in parsed.rows
        ],
    )
    audit.record(
        session,
        actor,
        "bulk.create",
        "bulk_job",
        job.id,
        achievement_id=achievement.id,
        total=job.total,
        file_sha256=job.file_sha256,
    )
    try:
        session.commit()
    except IntegrityError:  # the same file, uploaded at the same time
        session.rollback()
        existing = job_by_file(session, org_id, achievement.id, parsed.file_sha256)
        if existing is None:  # pragma: no cover - the constraint that failed was another
            raise
        return existing, False
    return job, True


def get_job(session: Session, org_id: str, job_id: str) -> BulkJob:
    job = session.scalar(select(BulkJob).where(BulkJob.id == job_id, BulkJob.org_id == org_id))
    if job is None:
        raise NotFound("job", job_id)
    return job


def present(job: BulkJob) -> BulkJobPublic:
    return BulkJobPublic(
        id=job.id,
        status=job.status,  # type: ignore[arg-type]
        done=job.done,
        total=job.total,
        errors=[JobError.model_validate(error) for error in job.errors],
        achievement_id=job.achievement_id,
        file_sha256=job.file_sha256,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        awards=JobAwards(
            issued=job.issued,
            skipped=job.done - job.issued - len([e for e in job.errors if e.get("line")]),
            list=f"/api/v1/awards?achievement_id={job.achievement_id}",
        ),
    )
