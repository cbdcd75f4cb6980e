"""``/admin/achievements``: the badge list with search and the editor (texts in fi/sv/en,
type, rubric levels, awarding settings, image) with a live preview.

Saving goes through ``issuer.services.achievements`` (a new version) and, for an
uploaded image, ``issuer.services.images``; errors are shown next to their fields and
nothing is saved. Only owners (``manage``) see and send the forms.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from badges.errors import InvalidImage
from badges.images import MAX_IMAGE_BYTES, sanitize_image, sniff_media_type
from badges.model.i18n import languages_of
from issuer import i18n
from issuer.api.admin_forms import (
    Errors,
    ManagingUser,
    field_errors,
    not_found,
    page,
    see_other,
    text,
)
from issuer.api.deps import ContextDep, SessionDep
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.models.achievements import AchievementCreate, AchievementUpdate
from issuer.services import achievements as service
from issuer.services import images as image_service
from issuer.store.tables import Achievement, AchievementVersion
from issuer.web.deps import CheckedForm, CurrentUser
from issuer.web.session import WebUser

router = APIRouter(tags=["admin"], include_in_schema=False)

PAGE_SIZE: Final = 25
TEXT_FIELDS: Final = ("name", "description", "criteria")
TYPES: Final = (
    "Badge",
    "Certificate",
    "CertificateOfCompletion",
    "Competency",
    "Course",
    "LearningProgram",
    "MicroCredential",
    "Award",
    "Membership",
)
EXTRA_LEVEL_ROWS: Final = 2
MAX_LEVELS: Final = 20
LEVEL_KEY: Final = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
RUBRIC: Final = "RubricCriterionLevel"


# ---------------------------------------------------------------------- the list


@router.get("/admin/achievements")
def list_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    q: str = "",
    show: str = "active",
    cursor: str | None = None,
) -> HTMLResponse:
    archived = {"active": False, "archived": True}.get(show)
    try:
        rows, next_cursor = service.list_achievements(
            session,
            user.org_id,
            q=q[:200] or None,
            archived=archived,
            cursor=cursor,
            limit=PAGE_SIZE,
        )
    except InvalidRequest:  # a cursor from elsewhere: start over
        rows, next_cursor = [], None
    items = [_summary(row, version, user.lang) for row, version in rows]
    query = {"q": q, "show": show}
    data = {
        "items": items,
        "q": q,
        "show": show if show in ("active", "archived", "all") else "active",
        "next_cursor": next_cursor,
        "query": query,
        "paged": cursor is not None,
    }
    return page(request, user, "admin/achievements.html", data)


def _summary(row: Achievement, version: AchievementVersion, lang: str) -> dict[str, Any]:
    source = version.source
    return {
        "id": row.id,
        "name": i18n.pick_text(source.get("name"), lang) or row.id,
        "version": version.version,
        "languages": ", ".join(languages_of(source)),
        "archived": row.archived,
        "image": _image_url(row.id, source),
        "updated": i18n.format_date(row.updated_at, lang),
    }


def _image_url(achievement_id: str, source: dict[str, Any]) -> str:
    image = source.get("image")
    url = image.get("id") if isinstance(image, dict) else image
    if isinstance(url, str) and url.startswith(("https://", "http://", "data:image/")):
        return url
    return f"/achievements/{achievement_id}/artwork.svg"


# ---------------------------------------------------------------------- the editor


def _form_values(
    source: dict[str, Any] | None, version: AchievementVersion | None
) -> dict[str, Any]:
    """The editor's field values of a saved version (or empty ones)."""
    values: dict[str, Any] = {}
    source = source or {}
    criteria = source.get("criteria") or {}
    texts = {
        "name": source.get("name"),
        "description": source.get("description"),
        "criteria": criteria.get("narrative"),
    }
    plain = source.get("inLanguage")
    for field, value in texts.items():
        for lang in i18n.LANGS:
            if isinstance(value, dict):
                values[f"{field}_{lang}"] = value.get(lang, "")
            else:
                values[f"{field}_{lang}"] = value if value and lang == plain else ""
    values["achievement_type"] = source.get("achievementType") or "Badge"
    values["evidence_required"] = bool(version and version.evidence_required)
    days = version.default_validity_days if version else None
    values["default_validity_days"] = "" if days is None else str(days)
    levels = []
    for item in _rubric_levels(source):
        key = str(item.get("id", "")).rpartition("#")[2].removeprefix("level-")
        name = item.get("name")
        row = {"key": key}
        for lang in i18n.LANGS:
            row[lang] = name.get(lang, "") if isinstance(name, dict) else (name or "")
        levels.append(row)
    values["levels"] = levels
    return values


def _rubric(source: dict[str, Any]) -> dict[str, Any] | None:
    for description in source.get("resultDescription") or []:
        if isinstance(description, dict) and description.get("resultType") == RUBRIC:
            return description
    return None


def _rubric_levels(source: dict[str, Any]) -> list[dict[str, Any]]:
    rubric = _rubric(source)
    levels = rubric.get("rubricCriterionLevel") if rubric else None
    return [item for item in levels or [] if isinstance(item, dict)]


def _submitted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        for lang in i18n.LANGS:
            limit = 200 if field == "name" else 20000
            values[f"{field}_{lang}"] = text(form, f"{field}_{lang}", limit)
    values["achievement_type"] = text(form, "achievement_type", 100) or "Badge"
    values["evidence_required"] = bool(text(form, "evidence_required"))
    values["default_validity_days"] = text(form, "default_validity_days", 10)
    levels = []
    for i in range(MAX_LEVELS + EXTRA_LEVEL_ROWS):
        row = {"key": text(form, f"level_{i}_key", 40).lower()}
        for lang in i18n.LANGS:
            row[lang] = text(form, f"level_{i}_{lang}", 200)
        if any(row.values()):
            levels.append(row)
    values["levels"] = levels[:MAX_LEVELS]
    return values


def _check(values: dict[str, Any], lang: str) -> tuple[list[str], Errors]:
    """The languages the texts are written in, and errors of incomplete ones."""
    errors: Errors = {}
    used = [code for code in i18n.LANGS if any(values[f"{field}_{code}"] for field in TEXT_FIELDS)]
    if not used:
        errors["name_fi"] = i18n.text(lang, "adm_err_one_language")
    for code in used:
        for field in TEXT_FIELDS:
            if not values[f"{field}_{code}"]:
                errors[f"{field}_{code}"] = i18n.text(lang, "adm_err_incomplete_language")
    seen: set[str] = set()
    for i, row in enumerate(values["levels"]):
        if not LEVEL_KEY.match(row["key"]) or row["key"] in seen:
            errors[f"level_{i}_key"] = i18n.text(lang, "adm_err_level_key")
        seen.add(row["key"])
        for code in used:
            if not row[code]:
                errors.setdefault(f"level_{i}_{code}", i18n.text(lang, "adm_err_level_name"))
    days = values["default_validity_days"]
    if days and (not days.isdigit() or not 0 < int(days) <= 36500):
        errors["default_validity_days"] = i18n.text(lang, "adm_err_number")
    return used, errors


def _result_descriptions(
    source: dict[str, Any], levels: Sequence[dict[str, str]], used: Sequence[str]
) -> list[dict[str, Any]]:
    """The source's result descriptions with its rubric's levels as the form has them
    (other properties of kept levels - descriptions, numbers - stay as they were)."""
    others = [
        copy.deepcopy(item)
        for item in source.get("resultDescription") or []
        if isinstance(item, dict) and item.get("resultType") != RUBRIC
    ]
    if not levels:
        return others
    old = {str(item.get("id")): item for item in _rubric_levels(source)}
    new_levels = []
    for row in levels:
        level_id = f"#level-{row['key']}"
        item = copy.deepcopy(old.get(level_id, {"id": level_id, "type": [RUBRIC]}))
        item["name"] = {code: row[code] for code in used}
        new_levels.append(item)
    rubric = copy.deepcopy(_rubric(source)) or {
        "id": "#level",
        "type": ["ResultDescription"],
        "name": {code: i18n.text(code, "adm_level") for code in used},
        "resultType": RUBRIC,
    }
    rubric["rubricCriterionLevel"] = new_levels
    if rubric.get("requiredLevel") not in {item["id"] for item in new_levels}:
        rubric.pop("requiredLevel", None)
    return [rubric, *others]


def _fields(values: dict[str, Any], used: Sequence[str], source: dict[str, Any]) -> dict[str, Any]:
    days = values["default_validity_days"]
    return {
        **{field: {code: values[f"{field}_{code}"] for code in used} for field in TEXT_FIELDS},
        "achievement_type": values["achievement_type"],
        "result_description": _result_descriptions(source, values["levels"], used),
        "evidence_required": values["evidence_required"],
        "default_validity_days": int(days) if days else None,
    }


def _error_field(loc: Sequence[str | int]) -> str | None:
    if not loc:
        return None
    head = str(loc[0])
    if head in TEXT_FIELDS:
        lang = next((str(p) for p in loc[1:] if str(p) in i18n.LANGS), "fi")
        return f"{head}_{lang}"
    if head == "result_description":
        index = next((p for p in loc[3:] if isinstance(p, int)), 0)
        return f"level_{index}_key"
    if head in ("achievement_type", "default_validity_days", "evidence_required", "image"):
        return head
    return None


def _editor(
    request: Request,
    user: WebUser,
    *,
    achievement: Achievement | None,
    version: AchievementVersion | None,
    values: dict[str, Any],
    errors: Errors,
    status: int = 200,
) -> HTMLResponse:
    types = list(TYPES)
    if values["achievement_type"] not in types:
        types.append(values["achievement_type"])
    type_options = [(name, i18n.TEXTS[user.lang].get(f"adm_type_{name}", name)) for name in types]
    levels = list(values["levels"])
    levels += [{"key": "", **dict.fromkeys(i18n.LANGS, "")}] * EXTRA_LEVEL_ROWS
    source = version.source if version else {}
    asked = request.query_params.get("preview")
    preview_lang = (
        asked
        if asked in i18n.LANGS
        else next(
            (code for code in (user.lang, *i18n.LANGS) if values.get(f"name_{code}")), user.lang
        )
    )
    saved = request.query_params.get("saved", "")
    data = {
        "achievement": achievement,
        "version": version,
        "values": values,
        "levels": levels,
        "errors": errors,
        "type_options": type_options,
        "image_url": _image_url(achievement.id, source) if achievement else None,
        "preview_lang": preview_lang,
        "max_image_bytes": MAX_IMAGE_BYTES,
        "title": (i18n.pick_text(source.get("name"), user.lang) if achievement else None),
        "langs": [(code, i18n.LANGUAGE_NAMES[code]) for code in i18n.LANGS],
        "saved": int(saved) if saved.isdigit() and len(saved) < 6 else None,
    }
    return page(request, user, "admin/achievement_edit.html", data, status=status)


@router.get("/admin/achievements/new")
def new_page(request: Request, user: ManagingUser) -> HTMLResponse:
    values = _form_values(None, None)
    return _editor(request, user, achievement=None, version=None, values=values, errors={})


@router.get("/admin/achievements/{achievement_id}")
def edit_page(
    achievement_id: str, request: Request, user: CurrentUser, session: SessionDep
) -> HTMLResponse:
    try:
        achievement, version = service.get_achievement(session, user.org_id, achievement_id)
    except NotFound:
        return not_found(request, user)
    values = _form_values(version.source, version)
    return _editor(
        request, user, achievement=achievement, version=version, values=values, errors={}
    )


async def _image(form: FormData, lang: str) -> tuple[Any, Errors]:
    """The uploaded image, checked (``None`` when no file was chosen)."""
    upload = form.get("image")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None, {}
    data = await upload.read(MAX_IMAGE_BYTES + 1)
    if not data:
        return None, {}
    if len(data) > MAX_IMAGE_BYTES:
        return None, {"image": i18n.text(lang, "adm_image_hint")}
    media_type = sniff_media_type(data)
    if media_type is None:
        return None, {"image": i18n.text(lang, "adm_image_hint")}
    try:
        return sanitize_image(data, media_type, max_bytes=MAX_IMAGE_BYTES), {}
    except InvalidImage as exc:
        return None, {"image": f"{i18n.text(lang, 'adm_image_hint')} ({exc})"}


async def _submission(form: FormData, lang: str) -> tuple[dict[str, Any], list[str], Any, Errors]:
    """The editor form's values, the languages used, the checked image (or ``None``) and
    the errors; the form's uploaded file is closed."""
    values = _submitted_values(form)
    used, errors = _check(values, lang)
    try:
        image, image_errors = await _image(form, lang)
    finally:
        await form.close()  # the upload's temporary file
    errors.update(image_errors)
    return values, used, image, errors


@router.post("/admin/achievements/new")
async def create(
    request: Request,
    user: ManagingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    values, used, image, errors = await _submission(form, user.lang)
    if not errors:
        try:
            body = AchievementCreate.model_validate(
                {"language": used[0], **_fields(values, used, {})}
            )
            achievement, _ = service.create_achievement(
                session, user.principal(), user.org_id, body
            )
            if image is not None:
                image_service.set_image(
                    ctx, session, user.principal(), user.org_id, achievement.id, image
                )
            return see_other(f"/admin/achievements/{achievement.id}", "adm_created")
        except (ValidationError, InvalidRequest) as exc:
            session.rollback()
            errors = field_errors(exc, user.lang, _error_field, fallback="name_fi")
        except Conflict as exc:
            session.rollback()
            errors = {"name_fi": str(exc)}
    return _editor(
        request, user, achievement=None, version=None, values=values, errors=errors, status=422
    )


@router.post("/admin/achievements/{achievement_id}")
async def update(
    achievement_id: str,
    request: Request,
    user: ManagingUser,
    form: CheckedForm,
    session: SessionDep,
    ctx: ContextDep,
) -> Response:
    try:
        achievement, version = service.get_achievement(session, user.org_id, achievement_id)
    except NotFound:
        return not_found(request, user)
    action = text(form, "action", 20)
    if action in ("archive", "restore"):
        await form.close()
        body = AchievementUpdate.model_validate({"archived": action == "archive"})
        service.update_achievement(session, user.principal(), user.org_id, achievement.id, body)
        done = "adm_archive_done" if action == "archive" else "adm_restore_done"
        return see_other(f"/admin/achievements/{achievement.id}", done)
    values, used, image, errors = await _submission(form, user.lang)
    if not errors:
        try:
            update_body = AchievementUpdate.model_validate(_fields(values, used, version.source))
            _, saved = service.update_achievement(
                session, user.principal(), user.org_id, achievement.id, update_body
            )
            if image is not None:
                _, saved = image_service.set_image(
                    ctx, session, user.principal(), user.org_id, achievement.id, image
                )
            target = f"/admin/achievements/{achievement.id}"
            if saved.version == version.version:
                return see_other(target, "adm_unchanged")
            return see_other(f"{target}?saved={saved.version}")
        except (ValidationError, InvalidRequest) as exc:
            session.rollback()
            errors = field_errors(exc, user.lang, _error_field, fallback="name_fi")
    return _editor(
        request,
        user,
        achievement=achievement,
        version=version,
        values=values,
        errors=errors,
        status=422,
    )
