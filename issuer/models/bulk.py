"""Bulk award jobs: one CSV file of recipients, issued in the background."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

JobStatus = Literal["queued", "running", "done", "failed"]


class JobError(BaseModel):
    """A row the worker could not issue (``line`` ``None``: the whole job failed)."""

    line: int | None
    code: str
    reason: str


class JobAwards(BaseModel):
    issued: int = Field(description="Awards this job created")
    skipped: int = Field(description="Rows already awarded before (same row, same achievement)")
    list: str = Field(description="Where the achievement's awards are listed")


class BulkJobPublic(BaseModel):
    id: str
    status: JobStatus
    done: int = Field(description="Rows handled so far (issued, skipped or failed)")
    total: int
    errors: list[JobError]
    achievement_id: str
    file_sha256: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    awards: JobAwards
