"""Revocation, suspension and status lists: request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from issuer.models.common import Strict

MAX_BULK_IDS = 10_000
Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class StatusChange(Strict):
    """Why an award is revoked or suspended (shown in the API and the audit log)."""

    reason: Reason


class Reinstate(Strict):
    reason: Reason | None = None


class BulkRevoke(Strict):
    ids: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=64)]],
        Field(min_length=1, max_length=MAX_BULK_IDS),
    ]
    reason: Reason


class BulkRevokeItem(BaseModel):
    id: str
    status: Literal["revoked"]
    changed: bool = Field(description="false: the award was revoked before")


class BulkRevokeResult(BaseModel):
    revoked: int = Field(description="Awards revoked by this request")
    unchanged: int = Field(description="Awards that were revoked before")
    items: list[BulkRevokeItem]


class StatusEntryPublic(BaseModel):
    """One ``BitstringStatusListEntry`` of an award."""

    purpose: Literal["revocation", "suspension"]
    status_list: str = Field(description="The list credential's URL")
    index: int
    is_set: bool
    in_credential: bool = Field(description="Named in the credential's credentialStatus")


class StatusListPublic(BaseModel):
    id: str
    issuer_id: str
    purpose: Literal["revocation", "suspension"]
    size: int
    allocated: int
    full: bool
    version: int
    url: str
    created_at: datetime
    signed_at: datetime | None
