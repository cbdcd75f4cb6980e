"""The bulk award pages' work: a CSV file's preview, the uploaded file kept until it is
confirmed, and a finished job's result report.

Nothing here issues anything. :func:`preview` validates a file exactly as
:func:`issuer.services.bulk.create_job` will (the parser, then the achievement's levels,
languages and evidence rule) but reports every row, valid or not, with its line number.
The uploaded bytes are kept by :class:`UploadStore` under the data folder, named by the
organisation, the achievement and the file's SHA-256, so the confirm step names a file
the service already has and never trusts data posted back to it; the bytes are checked
against their name again when read. Kept files expire after :data:`UPLOAD_TTL`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuer.csvimport import RECIPIENT_COLUMNS, ErrorCode, parse_award_csv
from issuer.errors import CsvProblem
from issuer.services import ServiceContext
from issuer.services.bulk import _achievement_problems, rubric_levels
from issuer.store import repo
from issuer.store.tables import Award, BulkJob, BulkJobRow

UPLOAD_TTL: Final = 24 * 3600
"""Seconds an uploaded file waits for its confirmation."""
MAX_SHOWN_VALID: Final = 500
"""Valid rows shown in a preview (every bad row is always shown)."""

FILE_CODES: Final = frozenset(
    {
        ErrorCode.FILE_TOO_LARGE,
        ErrorCode.ENCODING,
        ErrorCode.EMPTY_FILE,
        ErrorCode.MALFORMED_CSV,
        ErrorCode.TOO_MANY_ROWS,
        ErrorCode.NO_ROWS,
        ErrorCode.TOO_MANY_ERRORS,
        ErrorCode.UNKNOWN_COLUMN,
        ErrorCode.DUPLICATE_COLUMN,
        ErrorCode.MISSING_RECIPIENT_COLUMN,
    }
)
"""Problems of the whole file or its header line: no row can be judged."""

RowStatus = Literal["issued", "skipped", "error", "pending"]


# ---------------------------------------------------------------------- the preview


@dataclass(frozen=True)
class Problem:
    """One problem: ``code`` is stable (texts are chosen by it), ``reason`` is the
    parser's English sentence with the details."""

    line: int | None
    column: str | None
    code: str
    reason: str


@dataclass
class PreviewRow:
    line: int
    recipient: str
    name: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Preview:
    achievement_id: str
    file_sha256: str
    size: int
    rows: list[PreviewRow]
    """Every bad row and up to :data:`MAX_SHOWN_VALID` valid ones, in line order."""
    file_problems: list[Problem]
    valid: int
    invalid: int

    @property
    def ok(self) -> bool:
        """The file can be confirmed: no problem at all and at least one row."""
        return not self.file_problems and not self.invalid and self.valid > 0

    @property
    def hidden_valid(self) -> int:
        return self.valid - sum(1 for row in self.rows if row.ok)


def _decoded(data: bytes) -> str | None:
    """The text as the parser reads it, or ``None`` if it cannot be read at all."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _header_name(cell: str) -> str:
    name = re.sub(r"[\s_-]+", "_", cell.strip().strip("\ufeff\u200b").casefold()).strip("_")
    return "email" if name == "e_mail" else name


def _written_cells(data: bytes, delimiter: str) -> dict[int, tuple[str, str]]:
    """Line → (recipient, name) as written, for showing bad rows (same line numbers as
    the parser: one per CSV record, empty ones included)."""
    text = _decoded(data)
    if text is None or not delimiter:
        return {}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    found: dict[int, tuple[str, str]] = {}
    columns: list[str] | None = None
    try:
        for line, cells in enumerate(reader, 1):
            if not "".join(cells).strip():
                continue
            if columns is None:
                columns = [_header_name(cell) for cell in cells]
                continue
            values = {column: cell.strip() for column, cell in zip(columns, cells, strict=False)}
            recipient = next((values[k] for k in RECIPIENT_COLUMNS if values.get(k)), "")
            found[line] = (recipient, " ".join(values.get("name", "").split()))
    except csv.Error:
        pass  # the parser reports where; the rows before it are shown
    return found


def preview(session: Session, org_id: str, achievement_id: str, data: bytes) -> Preview:
    """Every row's validation result for awarding ``achievement_id`` from ``data``."""
    achievement = repo.achievement(session, org_id, achievement_id)
    version = repo.version(session, achievement.id, achievement.current_version)
    levels = rubric_levels(version.source)
    parsed = parse_award_csv(data, levels=levels)
    problems: list[Problem] = [
        Problem(e.line, e.column, e.code.value, e.reason) for e in parsed.errors
    ]
    extra: list[CsvProblem] = _achievement_problems(parsed.rows, version, levels)
    problems += [Problem(p.line, p.column, p.code, p.reason) for p in extra]
    file_problems = [p for p in problems if p.line is None or p.code in FILE_CODES]
    by_line: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem not in file_problems and problem.line is not None:
            by_line.setdefault(problem.line, []).append(problem)
    written = _written_cells(data, parsed.delimiter)
    rows: dict[int, PreviewRow] = {}
    for line, found in by_line.items():
        recipient, name = written.get(line, ("", ""))
        rows[line] = PreviewRow(line, recipient, name, found)
    shown = 0
    valid = 0
    for row in parsed.rows:
        if row.line in rows:
            continue
        valid += 1
        if shown < MAX_SHOWN_VALID:
            shown += 1
            rows[row.line] = PreviewRow(row.line, row.recipient, row.name)
    return Preview(
        achievement_id=achievement.id,
        file_sha256=parsed.file_sha256,
        size=len(data),
        rows=sorted(rows.values(), key=lambda r: r.line),
        file_problems=file_problems,
        valid=valid,
        invalid=len(by_line),
    )


# ---------------------------------------------------------------------- kept uploads

_ID: Final = re.compile(r"[A-Za-z0-9-]{1,64}")
_SHA256: Final = re.compile(r"[0-9a-f]{64}")


class UploadStore:
    """Uploaded CSV files waiting for confirmation, as files readable by the service only:
    ``<root>/<org>/<achievement>-<sha256>.csv``."""

    def __init__(self, root: Path, ttl: float = UPLOAD_TTL) -> None:
        self.root = root
        self.ttl = ttl

    def _path(self, org_id: str, achievement_id: str, sha256: str) -> Path | None:
        if not (_ID.fullmatch(org_id) and _ID.fullmatch(achievement_id)):
            return None
        if not _SHA256.fullmatch(sha256):
            return None
        return self.root / org_id / f"{achievement_id}-{sha256}.csv"

    def save(self, org_id: str, achievement_id: str, data: bytes) -> str:
        """Keep ``data``; returns its SHA-256 (hex). Expired files are removed."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._path(org_id, achievement_id, sha256)
        if path is None:
            raise ValueError("not an organisation or achievement id")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.prune()
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
        return sha256

    def load(self, org_id: str, achievement_id: str, sha256: str) -> bytes | None:
        """The kept file, if it is there, unexpired and still has this SHA-256."""
        path = self._path(org_id, achievement_id, sha256)
        if path is None:
            return None
        try:
            if time.time() - path.stat().st_mtime > self.ttl:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == sha256 else None

    def delete(self, org_id: str, achievement_id: str, sha256: str) -> None:
        path = self._path(org_id, achievement_id, sha256)
        if path is not None:
            path.unlink(missing_ok=True)

    def prune(self) -> None:
        """Remove expired files (of every organisation)."""
        limit = time.time() - self.ttl
        for path in self.root.glob("*/*"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
            except OSError:
                continue


# ---------------------------------------------------------------------- jobs and reports


def recent_jobs(session: Session, org_id: str, limit: int = 20) -> list[BulkJob]:
    stmt = (
        select(BulkJob)
        .where(BulkJob.org_id == org_id)
        .order_by(BulkJob.created_at.desc(), BulkJob.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def counts(job: BulkJob) -> dict[str, int]:
    """issued, skipped (already awarded before), failed rows and the rest to do."""
    failed = sum(1 for error in job.errors if error.get("line"))
    return {
        "total": job.total,
        "done": job.done,
        "issued": job.issued,
        "skipped": max(job.done - job.issued - failed, 0),
        "failed": failed,
        "left": max(job.total - job.done, 0),
    }


def progress(job: BulkJob) -> dict[str, Any]:
    """What the progress page's script polls for."""
    numbers = counts(job)
    percent = 100 if job.total == 0 else round(100 * job.done / job.total)
    return {
        "id": job.id,
        "status": job.status,
        "finished": job.status in ("done", "failed"),
        "percent": percent,
        **numbers,
    }


@dataclass(frozen=True)
class ReportRow:
    line: int
    recipient: str
    status: RowStatus
    award_id: str
    badge_url: str
    reason: str


def _id_millis(value: str) -> int | None:
    """The creation time (ms) of a UUIDv7 id (:func:`issuer.store.base.new_id`)."""
    digits = value.replace("-", "")
    if len(digits) != 32 or digits[12] != "7":
        return None
    try:
        return int(digits[:12], 16)
    except ValueError:
        return None


def _awarded_before(award_id: str, awarded_at: datetime | None, job: BulkJob) -> bool:
    """The award was made before ``job`` was created (the row was skipped).

    Ids are UUIDv7 (creation time to the millisecond); ``created_at`` has whole
    seconds only, so it decides only for ids that are not UUIDv7."""
    award_ms, job_ms = _id_millis(award_id), _id_millis(job.id)
    if award_ms is not None and job_ms is not None:
        return award_ms < job_ms
    return awarded_at is not None and awarded_at < job.created_at


def report_rows(session: Session, ctx: ServiceContext, job: BulkJob) -> list[ReportRow]:
    """One row per CSV row: issued by this job, skipped (the same row was awarded
    before this job was created), error (with the reason) or pending (not yet handled)."""
    stmt = (
        select(BulkJobRow, Award.created_at)
        .outerjoin(Award, Award.id == BulkJobRow.award_id)
        .where(BulkJobRow.job_id == job.id)
        .order_by(BulkJobRow.line)
    )
    reasons = {e["line"]: str(e.get("reason", "")) for e in job.errors if e.get("line")}
    found: list[ReportRow] = []
    for row, awarded_at in session.execute(stmt):
        status: RowStatus
        if row.award_id is not None:
            skipped = _awarded_before(row.award_id, awarded_at, job)
            status = "skipped" if skipped else "issued"
            url = ctx.url(f"credentials/{row.award_id}")
        elif row.error is not None or row.line in reasons:
            status, url = "error", ""
        else:
            status, url = "pending", ""
        reason = (row.error or reasons.get(row.line, "")) if status == "error" else ""
        found.append(ReportRow(row.line, row.recipient, status, row.award_id or "", url, reason))
    return found


_FORMULA: Final = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def report_csv(rows: Iterable[ReportRow]) -> str:
    """The result report: ``line,recipient,status,award_id,badge_url,reason`` (UTF-8 with
    a byte order mark, so spreadsheet programs read it as UTF-8)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["line", "recipient", "status", "award_id", "badge_url", "reason"])
    for row in rows:
        writer.writerow(
            [
                row.line,
                _cell(row.recipient),
                row.status,
                row.award_id,
                row.badge_url,
                _cell(row.reason),
            ]
        )
    return out.getvalue()


TEMPLATE_COLUMNS: Final = (
    "email",
    "name",
    "level",
    "valid_until",
    "language",
    "narrative",
    "evidence_url",
)


def template_csv(levels: Iterable[str] = ()) -> str:
    """A CSV template with every column and two example rows."""
    level = next(iter(levels), "")
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(["maija.meikalainen@example.fi", "Maija Meikäläinen", level, "", "fi", "", ""])
    writer.writerow(["matti.virtanen@example.fi", "Matti Virtanen", "", "2030-12-31", "en", "", ""])
    return out.getvalue()
