"""``/admin/bulk…``: award one achievement to everyone in a CSV file, for owners and issuers.

1. ``GET /admin/bulk``: choose the achievement, upload the file (a CSV template is at
   ``/admin/bulk/template.csv``); the recent jobs below.
2. ``POST /admin/bulk`` keeps the file (:class:`~issuer.services.bulk_preview.UploadStore`,
   named by its SHA-256) and redirects to ``GET /admin/bulk/preview?achievement=&file=``:
   every row's check with its line number, nothing issued.
3. ``POST /admin/bulk/confirm`` names the kept file (achievement and SHA-256 only, never
   its rows) and queues the job (:func:`issuer.services.bulk.create_job` validates it
   once more) → ``/admin/bulk/{job_id}``: a ``<progress>`` bar that
   ``/static/admin-bulk.js`` updates from ``progress.json`` (without script the page
   reloads itself while the job runs), then the summary and ``report.csv``.

Every form is CSRF-checked; every lookup is by the signed-in user's organisation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from issuer import i18n
from issuer.api.deps import ContextDep, SessionDep
from issuer.api.pages import static_url
from issuer.csvimport import MAX_BYTES, MAX_ROWS
from issuer.errors import Conflict, CsvRejected, NotFound
from issuer.services import bulk
from issuer.services import bulk_preview as previews
from issuer.services.bulk import rubric_levels
from issuer.store import repo
from issuer.store.tables import Achievement, BulkJob
from issuer.web.deps import CheckedForm, form_text, render_admin, require_role
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)

BulkUser = Annotated[WebUser, Depends(require_role("owner", "issuer"))]
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
REFRESH_SECONDS = 2
"""How often the job page reloads itself while running when no script runs."""


def _store(request: Request) -> previews.UploadStore:
    return previews.UploadStore(request.app.state.settings.data_dir / "bulk-uploads")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} B"


def _name(source: dict[str, Any], lang: str, fallback: str) -> str:
    return i18n.pick_text(source.get("name"), lang) or fallback


def _achievements(session: Session, user: WebUser) -> list[dict[str, str]]:
    """The organisation's achievements that can be awarded, by name."""
    stmt = select(Achievement).where(
        Achievement.org_id == user.org_id, Achievement.archived.is_(False)
    )
    found = list(session.scalars(stmt))
    versions = repo.current_versions(session, found)
    items = [
        {"id": a.id, "name": _name(versions[a.id].source, user.lang, a.id)}
        for a in found
        if a.id in versions
    ]
    return sorted(items, key=lambda item: item["name"].casefold())


def _achievement_name(session: Session, user: WebUser, achievement_id: str) -> str:
    achievement = repo.achievement(session, user.org_id, achievement_id)
    version = repo.version(session, achievement.id, achievement.current_version)
    return _name(version.source, user.lang, achievement.id)


def _time(value: datetime | None, lang: str) -> str:
    if value is None:
        return ""
    return f"{i18n.format_date(value, lang)} {value.strftime('%H:%M')} UTC"


def _form_page(
    request: Request,
    session: Session,
    user: WebUser,
    *,
    selected: str = "",
    errors: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    jobs = previews.recent_jobs(session, user.org_id)
    names: dict[str, str] = {}
    for job in jobs:
        if job.achievement_id not in names:
            try:
                names[job.achievement_id] = _achievement_name(session, user, job.achievement_id)
            except NotFound:  # pragma: no cover - achievements are never deleted
                names[job.achievement_id] = job.achievement_id
    lang = user.lang
    data = {
        "page_title": i18n.text(lang, "bulk_title"),
        "achievements": _achievements(session, user),
        "selected": selected,
        "errors": errors or [],
        "file_hint": i18n.text(lang, "bulk_file_hint", size=_size(MAX_BYTES), rows=MAX_ROWS),
        "max_bytes": MAX_BYTES,
        "template_url": "/admin/bulk/template.csv"
        + (f"?{urlencode({'achievement': selected})}" if selected else ""),
        "jobs": [
            {
                "id": job.id,
                "url": f"/admin/bulk/{job.id}",
                "achievement": names[job.achievement_id],
                "created": _time(job.created_at, lang),
                "by": job.created_by_name,
                "status": job.status,
                "status_text": i18n.text(lang, f"bulk_status_{job.status}"),
                "done": job.done,
                "total": job.total,
            }
            for job in jobs
        ],
        "bulk_css_url": static_url("admin-bulk.css"),
    }
    return render_admin(request, user, "admin/bulk.html", data, status=status)


@router.get("/admin/bulk", response_class=HTMLResponse)
def bulk_form(
    request: Request,
    user: BulkUser,
    session: SessionDep,
    achievement: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    return _form_page(request, session, user, selected=achievement)


@router.get("/admin/bulk/template.csv")
def bulk_template(
    user: BulkUser,
    session: SessionDep,
    achievement: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    levels: list[str] = []
    if achievement:
        found = repo.achievement(session, user.org_id, achievement)
        levels = list(rubric_levels(repo.version(session, found.id, found.current_version).source))
    body = previews.template_csv(levels).encode("utf-8")
    headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="merkki-bulk.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.post("/admin/bulk", response_class=HTMLResponse)
async def bulk_upload(
    request: Request, user: BulkUser, form: CheckedForm, session: SessionDep
) -> Response:
    lang = user.lang
    achievement_id = form_text(form, "achievement", 64)
    upload = form.get("file")
    errors: list[str] = []
    if not achievement_id:
        errors.append(i18n.text(lang, "bulk_error_no_achievement"))
    else:
        try:
            repo.achievement(session, user.org_id, achievement_id)
        except NotFound:
            errors.append(i18n.text(lang, "bulk_error_no_achievement"))
            achievement_id = ""
    data = b""
    if isinstance(upload, UploadFile):
        data = await upload.read(MAX_BYTES + 1)
    if not isinstance(upload, UploadFile) or (not data and not upload.filename):
        errors.append(i18n.text(lang, "bulk_error_no_file"))
    elif len(data) > MAX_BYTES:
        errors.append(i18n.text(lang, "bulk_error_too_large", size=_size(MAX_BYTES)))
        return _form_page(
            request, session, user, selected=achievement_id, errors=errors, status=413
        )
    if errors:
        return _form_page(
            request, session, user, selected=achievement_id, errors=errors, status=422
        )
    sha256 = _store(request).save(user.org_id, achievement_id, data)
    query = urlencode({"achievement": achievement_id, "file": sha256})
    return RedirectResponse(f"/admin/bulk/preview?{query}", status_code=303)


def _problem_text(problem: previews.Problem, lang: str) -> str:
    """The problem in ``lang``: the parser's detailed sentence in English, the code's
    translation otherwise."""
    if lang == "en":
        return problem.reason
    key = f"bulk_err_{problem.code}"
    if key not in i18n.TEXTS[lang]:
        key = "bulk_err_other"
    return i18n.text(lang, key, line=problem.line or "", column=problem.column or "")


def _expired(request: Request, session: Session, user: WebUser, achievement: str) -> HTMLResponse:
    errors = [i18n.text(user.lang, "bulk_error_expired")]
    return _form_page(request, session, user, selected=achievement, errors=errors, status=410)


def _preview_page(
    request: Request,
    session: Session,
    user: WebUser,
    achievement_id: str,
    sha256: str,
    data: bytes,
    *,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = user.lang
    found = previews.preview(session, user.org_id, achievement_id, data)
    name = _achievement_name(session, user, achievement_id)
    existing = bulk.job_by_file(session, user.org_id, achievement_id, sha256)
    rows = [
        {
            "line": row.line,
            "recipient": row.recipient,
            "name": row.name,
            "ok": row.ok,
            "problems": [
                {
                    "column": problem.column,
                    "text": _problem_text(problem, lang),
                }
                for problem in row.problems
            ],
        }
        for row in found.rows
    ]
    data_out = {
        "page_title": i18n.text(lang, "bulk_preview_title"),
        "achievement_id": achievement_id,
        "achievement_name": name,
        "file_sha256": sha256,
        "file_text": i18n.text(
            lang, "bulk_preview_file", sha=sha256[:12], size=_size(found.size), name=name
        ),
        "counts_text": i18n.text(
            lang, "bulk_preview_counts", valid=found.valid, invalid=found.invalid
        ),
        "ok": found.ok,
        "file_problems": [_problem_text(problem, lang) for problem in found.file_problems],
        "rows": rows,
        "hidden_valid": found.hidden_valid,
        "confirm_text": i18n.text(lang, "bulk_confirm", count=found.valid),
        "existing_job": f"/admin/bulk/{existing.id}" if existing is not None else None,
        "notice": notice,
        "upload_url": "/admin/bulk?" + urlencode({"achievement": achievement_id}),
        "bulk_css_url": static_url("admin-bulk.css"),
    }
    return render_admin(request, user, "admin/bulk_preview.html", data_out, status=status)


@router.get("/admin/bulk/preview", response_class=HTMLResponse)
def bulk_preview(
    request: Request,
    user: BulkUser,
    session: SessionDep,
    achievement: Annotated[str, Query(max_length=64)],
    file: Annotated[str, Query(max_length=64)],
) -> Response:
    repo.achievement(session, user.org_id, achievement)  # 404 for another organisation's
    data = _store(request).load(user.org_id, achievement, file)
    if data is None:
        existing = bulk.job_by_file(session, user.org_id, achievement, file)
        if existing is not None:  # confirmed already: the file was let go
            return RedirectResponse(f"/admin/bulk/{existing.id}", status_code=303)
        return _expired(request, session, user, achievement)
    return _preview_page(request, session, user, achievement, file, data)


@router.post("/admin/bulk/confirm", response_class=HTMLResponse)
def bulk_confirm(
    request: Request, user: BulkUser, form: CheckedForm, session: SessionDep
) -> Response:
    achievement_id = form_text(form, "achievement", 64)
    sha256 = form_text(form, "file", 64)
    repo.achievement(session, user.org_id, achievement_id)
    store = _store(request)
    data = store.load(user.org_id, achievement_id, sha256)
    if data is None:
        existing = bulk.job_by_file(session, user.org_id, achievement_id, sha256)
        if existing is not None:  # confirmed twice (a double click, the back button)
            return RedirectResponse(f"/admin/bulk/{existing.id}", status_code=303)
        return _expired(request, session, user, achievement_id)
    try:
        job, created = bulk.create_job(session, user.principal(), achievement_id, data)
    except CsvRejected:  # the achievement changed since the preview: show it again
        session.rollback()
        return _preview_page(request, session, user, achievement_id, sha256, data, status=422)
    except Conflict:
        session.rollback()
        notice = i18n.text(user.lang, "bulk_error_archived")
        return _preview_page(
            request, session, user, achievement_id, sha256, data, notice=notice, status=409
        )
    worker = getattr(request.app.state, "worker", None)
    if created and worker is not None:
        worker.wake()
    store.delete(user.org_id, achievement_id, sha256)
    return RedirectResponse(f"/admin/bulk/{job.id}", status_code=303)


def _job(session: Session, user: WebUser, job_id: str) -> BulkJob:
    return bulk.get_job(session, user.org_id, job_id)


@router.get("/admin/bulk/{job_id}/progress.json")
def bulk_progress(job_id: str, user: BulkUser, session: SessionDep) -> JSONResponse:
    job = _job(session, user, job_id)
    body = previews.progress(job)
    body["text"] = i18n.text(user.lang, "bulk_progress_text", done=job.done, total=job.total)
    body["status_text"] = i18n.text(user.lang, f"bulk_status_{job.status}")
    return JSONResponse(body, headers=NO_STORE)


@router.get("/admin/bulk/{job_id}/report.csv")
def bulk_report(job_id: str, user: BulkUser, session: SessionDep, ctx: ContextDep) -> Response:
    job = _job(session, user, job_id)
    body = previews.report_csv(previews.report_rows(session, ctx, job)).encode("utf-8")
    filename = f"merkki-bulk-{job.id[:8]}-report.csv"
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/admin/bulk/{job_id}", response_class=HTMLResponse)
def bulk_job(request: Request, job_id: str, user: BulkUser, session: SessionDep) -> HTMLResponse:
    job = _job(session, user, job_id)
    lang = user.lang
    numbers = previews.progress(job)
    failure = next((e.get("reason") for e in job.errors if not e.get("line")), None)
    row_errors = [e for e in job.errors if e.get("line")]
    data = {
        "page_title": i18n.text(lang, "bulk_job_title"),
        "job": job,
        "numbers": numbers,
        "finished": numbers["finished"],
        "refresh": REFRESH_SECONDS,
        "achievement_text": i18n.text(
            lang, "bulk_job_of", name=_achievement_name(session, user, job.achievement_id)
        ),
        "status_text": i18n.text(lang, f"bulk_status_{job.status}"),
        "progress_text": i18n.text(lang, "bulk_progress_text", done=job.done, total=job.total),
        "created": _time(job.created_at, lang),
        "failure": failure,
        "row_errors": row_errors[:200],
        "progress_url": f"/admin/bulk/{job.id}/progress.json",
        "report_url": f"/admin/bulk/{job.id}/report.csv",
        "awards_url": "/admin/awards?" + urlencode({"achievement": job.achievement_id}),
        "bulk_css_url": static_url("admin-bulk.css"),
        "bulk_js_url": static_url("admin-bulk.js"),
    }
    return render_admin(request, user, "admin/bulk_job.html", data)
