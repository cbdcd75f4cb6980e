"""Badge applications in the API: what a reviewer sees and the decisions they make."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from issuer.models.common import NonEmpty, Strict

ApplicationStatus = Literal["draft", "submitted", "changes_requested", "approved", "rejected"]
Message = Annotated[str, Field(min_length=1, max_length=5000)]


class EvidencePublic(BaseModel):
    id: str
    kind: Literal["text", "url", "file"]
    text: str | None = None
    url: str | None = None
    file_name: str | None = None
    media_type: str | None = Field(None, description="Sniffed from the content")
    size: int | None = None
    sha256: str | None = Field(None, description="Of the file's bytes, hex")
    download_url: str | None = Field(None, description="The file (`review` scope)")
    public_url: str | None = Field(
        None, description="The file's URL in the credential (public once approved)"
    )
    created_at: datetime


class EventPublic(BaseModel):
    at: datetime
    action: str = Field(description="created, submitted, resubmitted, request_changes, …")
    status: ApplicationStatus = Field(description="The status after the event")
    actor_type: Literal["applicant", "reviewer"]
    actor_id: str | None
    actor_name: str | None
    level: str | None
    message: str | None


class ApplicationPublic(BaseModel):
    id: str
    achievement_id: str
    achievement_version: int
    status: ApplicationStatus
    name: str
    language: str
    claimed_level: str | None = Field(description="A rubric level key (practitioner)")
    approved_level: str | None
    narrative: str
    reviewer_id: str | None
    reviewer_name: str | None
    decision_message: str | None = Field(description="What more is asked, or the reason")
    award_id: str | None = Field(description="The badge issued on approval")
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    evidence: list[EvidencePublic]
    history: list[EventPublic]


class ApproveIn(Strict):
    level: NonEmpty | None = Field(
        None, description="The rubric level to award (key, e.g. practitioner); default: claimed"
    )
    message: Message | None = None


class RequestChangesIn(Strict):
    message: Message = Field(description="What is missing (sent to the applicant)")


class RejectIn(Strict):
    reason: Message = Field(description="Why (sent to the applicant)")
