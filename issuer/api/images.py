"""Achievement images: ``PUT /api/v1/achievements/{id}/image`` and the public
``GET /achievements/{id}/image/{sha256}.{png|svg}``.

The upload is the raw body (``image/png`` or ``image/svg+xml``) or the field ``file`` of
a multipart form. A ``Content-Length`` over the limit is refused before anything is
read, and reading stops as soon as the limit is passed (chunked bodies too): 413
``payload-too-large``. Any other type is 415; an image ``badges.images`` refuses is 422
``invalid-image``. Images are served with long, immutable caching (their URL names
their SHA-256), ``nosniff`` and, for SVG, a CSP under which no script runs.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from badges.images import (
    MAX_IMAGE_BYTES,
    PNG_MEDIA_TYPE,
    SVG_MEDIA_TYPE,
    CheckedImage,
    sanitize_image,
    sniff_media_type,
)
from issuer.api import present
from issuer.api.bodies import media_type, read_capped
from issuer.api.deps import ContextDep, ManageToken, SessionDep
from issuer.errors import InvalidRequest, PayloadTooLarge, UnsupportedMediaType
from issuer.models.achievements import AchievementPublic
from issuer.services import images as service

router = APIRouter(tags=["achievement images"])

IMAGE_TYPES: Final = frozenset({PNG_MEDIA_TYPE, SVG_MEDIA_TYPE})
MULTIPART_OVERHEAD: Final = 16 * 1024  # boundaries and part headers around the file
IMMUTABLE: Final = "public, max-age=31536000, immutable"
SVG_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"
_TOO_LARGE = f"the image is larger than {MAX_IMAGE_BYTES // 1024} KiB (1 MiB)"


async def _multipart_file(request: Request, body: bytes) -> tuple[bytes, str]:
    async def replay() -> AsyncGenerator[bytes, None]:
        yield body

    parser = MultiPartParser(request.headers, replay(), max_files=1, max_fields=5)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidRequest.field(("body",), f"not a valid multipart form: {exc}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidRequest.field(("body", "file"), "send the image in the field `file`")
        data = await upload.read(MAX_IMAGE_BYTES + 1)
        declared = media_type(upload.content_type)
    finally:
        await form.close()
    if len(data) > MAX_IMAGE_BYTES:
        raise PayloadTooLarge(_TOO_LARGE)
    if declared in IMAGE_TYPES:
        return data, declared
    if declared in ("", "application/octet-stream"):
        return data, sniff_media_type(data) or declared or "application/octet-stream"
    return data, declared


async def image_upload(request: Request) -> CheckedImage:
    """The uploaded image, checked and sanitised (see the module's docstring)."""
    declared = media_type(request.headers.get("content-type"))
    if declared == "multipart/form-data":
        body = await read_capped(request, MAX_IMAGE_BYTES + MULTIPART_OVERHEAD, _TOO_LARGE)
        data, declared = await _multipart_file(request, body)
    elif declared in IMAGE_TYPES:
        data = await read_capped(request, MAX_IMAGE_BYTES, _TOO_LARGE)
    else:
        data = b""
    if declared not in IMAGE_TYPES:
        raise UnsupportedMediaType(
            f"unsupported image type {declared or 'none'!r}: send image/png or image/svg+xml "
            "as the body, or as the field `file` of a multipart form"
        )
    return sanitize_image(data, declared, max_bytes=MAX_IMAGE_BYTES)


_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "content": {"application/problem+json": {}}}
    for status, text in (
        (413, "Larger than 1 MiB"),
        (415, "Not image/png or image/svg+xml"),
        (422, "`invalid-image`: the reason is in `detail`"),
    )
}


@router.put(
    "/api/v1/achievements/{achievement_id}/image",
    summary="Upload the achievement's image (PNG or SVG; a new version)",
    description="The body is the image (`Content-Type: image/png` or `image/svg+xml`), or "
    "the field `file` of a multipart form; at most 1 MiB. PNG: at most 4096×4096 pixels; "
    "baked Open Badges are removed. SVG: no scripts, event attributes, foreignObject, "
    "DTDs or external references. The image is served at a URL that names its SHA-256 "
    "(`urls`/`image`) and becomes the image of a new version; awards issued before keep "
    "theirs. Sending the current image again changes nothing.",
    responses=_PROBLEMS,
    tags=["achievements"],
)
def put_image(
    achievement_id: str,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    image: Annotated[CheckedImage, Depends(image_upload)],
) -> AchievementPublic:
    achievement, version = service.set_image(
        ctx, session, principal, principal.org, achievement_id, image
    )
    return present.achievement(ctx, achievement, version)


@router.get(
    "/achievements/{achievement_id}/image/{file_name}",
    summary="An uploaded achievement image (public, immutable)",
    response_class=Response,
    responses={200: {"content": {PNG_MEDIA_TYPE: {}, SVG_MEDIA_TYPE: {}}}},
    tags=["public documents"],
)
def get_image(achievement_id: str, file_name: str, session: SessionDep) -> Response:
    row = service.public_image(session, achievement_id, file_name)
    headers = {
        "Cache-Control": IMMUTABLE,
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": "*",
        "ETag": f'"{row.sha256}"',
    }
    if row.media_type == SVG_MEDIA_TYPE:
        headers["Content-Security-Policy"] = SVG_CSP
    return Response(row.data, media_type=row.media_type, headers=headers)
