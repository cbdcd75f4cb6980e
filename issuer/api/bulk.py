"""``POST /api/v1/awards/bulk`` (a CSV file of recipients) and ``GET /api/v1/jobs/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.datastructures import UploadFile

from issuer.api.deps import AwardToken, ReadToken, SessionDep
from issuer.csvimport import MAX_BYTES
from issuer.errors import InvalidRequest
from issuer.models.bulk import BulkJobPublic
from issuer.services import bulk as service

router = APIRouter(prefix="/api/v1", tags=["bulk awards"])


async def csv_upload(request: Request) -> bytes:
    """The raw body (``text/csv``), or the ``file`` field of a multipart form; reading
    stops after ``MAX_BYTES`` (the parser then reports the file as too large)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5) as form:  # closes the files
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                message = "send the CSV file in the field `file`"
                raise InvalidRequest.field(("body", "file"), message)
            return await upload.read(MAX_BYTES + 1)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BYTES:
            break
    return bytes(data)


@router.post(
    "/awards/bulk",
    status_code=202,
    summary="Award an achievement to everyone in a CSV file (in the background)",
    description="Send the file as the body (`Content-Type: text/csv`) or as the field "
    "`file` of a multipart form. Columns: `email`, `did` or `url` (one per row), and "
    "optionally `name`, `narrative`, `evidence_url`, `level`, `valid_until`, `language`. "
    "The whole file is validated first: any bad row answers 422 `invalid-csv` listing "
    "every bad row (`line`, `column`, `code`, `reason`) and nothing is created. A valid "
    "file answers 202 with a job to poll at `Location`; the same file again answers 200 "
    "with the same job. No row is ever awarded twice for an achievement.",
    responses={200: {"description": "This file was uploaded before: its job"}},
)
def create_bulk_job(
    request: Request,
    response: Response,
    principal: AwardToken,
    session: SessionDep,
    data: Annotated[bytes, Depends(csv_upload)],
    achievement_id: Annotated[str, Query(min_length=1, max_length=64)],
) -> BulkJobPublic:
    job, created = service.create_job(session, principal, achievement_id, data)
    worker = getattr(request.app.state, "worker", None)
    if created and worker is not None:
        worker.wake()
    response.status_code = 202 if created else 200
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return service.present(job)


@router.get("/jobs/{job_id}", summary="A bulk award job's progress")
def get_job(job_id: str, principal: ReadToken, session: SessionDep) -> BulkJobPublic:
    return service.present(service.get_job(session, principal.org, job_id))
