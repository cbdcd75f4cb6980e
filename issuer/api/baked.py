"""Baked badge images: ``GET /credentials/{id}.png`` and ``.svg`` (``?ob=2`` for OB 2.0),
and the generated artwork ``GET /achievements/{id}/artwork.png`` and ``.svg``
(``?lang=``, ``?v=``, ``?level=``: see ``issuer.services.artwork_source``).

Registered before ``issuer.api.credentials``, whose ``/credentials/{award_id}`` would
otherwise take ``{id}.png``. See ``issuer.services.baking`` for what is baked. A baked
image never changes for an award (its status lives in status lists and the revocation
list, not in the image), so it is cached for a day and revalidated by ``ETag``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from badges.images import PNG_MEDIA_TYPE, SVG_MEDIA_TYPE
from issuer.api.deps import ContextDep, SessionDep
from issuer.services import artwork, artwork_source
from issuer.services.baking import MEDIA_TYPES, BakedImage, ImageKind, baked

router = APIRouter(tags=["public documents"])

CACHE = "public, max-age=86400"
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
Ob = Annotated[
    int,
    Query(ge=2, le=3, description="3: the OB 3.0 credential (default); 2: the OB 2.0 assertion"),
]
_IMAGES: dict[int | str, dict[str, Any]] = {
    200: {"content": {PNG_MEDIA_TYPE: {}, SVG_MEDIA_TYPE: {}}},
    304: {"description": "Not modified (`If-None-Match`)"},
    404: {"description": "No such credential"},
}


def _headers(media_type: str, etag: str) -> dict[str, str]:
    headers = {
        "Cache-Control": CACHE,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Access-Control-Allow-Origin": "*",
    }
    if media_type == SVG_MEDIA_TYPE:
        headers["Content-Security-Policy"] = SVG_CSP
    return headers


def _send(image: BakedImage, if_none_match: str | None) -> Response:
    headers = _headers(image.media_type, image.etag)
    headers["Content-Disposition"] = f'inline; filename="{image.file_name}"'
    if if_none_match and image.etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(image.data, media_type=image.media_type, headers=headers)


def _add_baked_route(kind: ImageKind, article: str) -> None:
    """Register ``GET /credentials/{award_id}.KIND`` (one route per kind, so that any
    other suffix still falls through to ``/credentials/{award_id}``)."""

    def handler(
        award_id: str,
        session: SessionDep,
        ctx: ContextDep,
        ob: Ob = 3,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        return _send(baked(ctx, session, award_id, kind, ob), if_none_match)

    router.add_api_route(
        f"/credentials/{{award_id}}.{kind}",
        handler,
        methods=["GET"],
        name=f"baked_{kind}",
        summary=f"The badge as {article} {kind.upper()} with the credential baked in",
        response_class=Response,
        responses=_IMAGES,
        tags=["credentials"],
    )


_add_baked_route("png", "a")
_add_baked_route("svg", "an")


@router.get(
    "/achievements/{achievement_id}/artwork.{kind}",
    summary="The generated artwork of an achievement (used when it has no uploaded image)",
    response_class=Response,
    responses={
        200: {"content": {PNG_MEDIA_TYPE: {}, SVG_MEDIA_TYPE: {}}},
        304: {"description": "Not modified (`If-None-Match`)"},
        404: {"description": "No such achievement or version"},
    },
)
def default_artwork(
    achievement_id: str,
    kind: Literal["png", "svg"],
    session: SessionDep,
    lang: Annotated[str | None, Query(pattern="^(fi|sv|en)$", description="fi, sv or en")] = None,
    v: Annotated[
        str | None,
        Query(pattern="^[0-9a-f]{16}$", description="the achievement version's digest"),
    ] = None,
    level: Annotated[
        str | None, Query(max_length=200, description="a rubric level: foundation, …")
    ] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    art = artwork_source.achievement_artwork(
        session, achievement_id, lang=lang, digest=v, level=level
    )
    data = artwork.png(art) if kind == "png" else artwork.svg(art)
    name = f"artwork-{achievement_id[:8]}-{art.lang}.{kind}"
    return _send(BakedImage(data, MEDIA_TYPES[kind], name), if_none_match)
