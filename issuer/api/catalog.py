"""``/api/v1/catalog``: import and export the organisation's catalog as JSON or YAML."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from issuer.api.deps import ManageToken, ReadToken, SessionDep
from issuer.catalog import CatalogError
from issuer.catalog.files import MEDIA_TYPES, Format
from issuer.errors import MalformedRequest, PayloadTooLarge, UnsupportedMediaType
from issuer.models.pathways import CatalogImportResult
from issuer.services import catalog_io

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])

MAX_CATALOG_BYTES: Final = 2 * 1024 * 1024
BODY_FORMATS: Final[dict[str, Format]] = {
    "application/json": "json",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
}


@dataclass(frozen=True, slots=True)
class CatalogUpload:
    text: str
    fmt: Format


async def catalog_upload(request: Request) -> CatalogUpload:
    """The request body as a catalog file's text (read with a size cap)."""
    media_type = (request.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
    fmt = BODY_FORMATS.get(media_type)
    if fmt is None:
        raise UnsupportedMediaType(
            f"unsupported type {media_type or 'none'!r}: send the catalog as "
            "application/json or application/yaml"
        )
    too_large = f"the catalog file is larger than {MAX_CATALOG_BYTES // 1024 // 1024} MiB"
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CATALOG_BYTES:
        raise PayloadTooLarge(too_large)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_CATALOG_BYTES:
            raise PayloadTooLarge(too_large)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedRequest("the catalog file is not UTF-8 text") from exc
    return CatalogUpload(text, fmt)


@router.post(
    "/import",
    summary="Import a catalog file (JSON or YAML)",
    description="The body is a catalog file (`Content-Type: application/json` or "
    "`application/yaml`, at most 2 MiB). Achievements are matched by `key` "
    "(`catalog_key`): new ones are created, changed ones get a new version, unchanged "
    "ones nothing; pathways are matched by their achievement. All or nothing: a bad "
    "file answers 422 with every problem (its line, path and entry key) and changes "
    "nothing.",
)
def import_catalog(
    upload: Annotated[CatalogUpload, Depends(catalog_upload)],
    principal: ManageToken,
    session: SessionDep,
    issuer_id: Annotated[
        str | None, Query(description="The issuer of new achievements (default: the first)")
    ] = None,
) -> CatalogImportResult:
    try:
        return catalog_io.import_text(
            session,
            principal,
            principal.org,
            upload.text,
            upload.fmt,
            f"catalog.{upload.fmt}",
            issuer_id=issuer_id,
        )
    except CatalogError as exc:
        raise catalog_io.rejected(exc) from None


@router.get(
    "/export",
    summary="Export the catalog (JSON or YAML)",
    description="Every achievement with a catalog key (current version) and the pathways "
    "between them, in the file format `catalog/import` reads.",
    response_class=Response,
)
def export_catalog(
    principal: ReadToken,
    session: SessionDep,
    format: Annotated[Literal["json", "yaml"], Query()] = "yaml",
) -> Response:
    text = catalog_io.export_text(session, principal.org, format)
    return Response(
        text.encode("utf-8"),
        media_type=f"{MEDIA_TYPES[format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="catalog.{format}"'},
    )
