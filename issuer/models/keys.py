"""Key rotation, key compromise and re-issuing what a compromised key signed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from issuer.models.common import Strict
from issuer.models.issuers import KeyPublic, KeyTypeName


class KeyRotate(Strict):
    type: KeyTypeName | None = Field(None, description="Default: the type of the current key")


class KeyCompromise(Strict):
    since: datetime = Field(
        description="From when the key is not trusted (UTC if no zone; whole seconds, "
        "rounded down): its proofs made at or after this time stop verifying"
    )
    reason: Annotated[str, Field(min_length=1, max_length=2000)] | None = None


class KeyCompromised(BaseModel):
    key: KeyPublic
    rotated_to: KeyPublic | None = Field(
        description="The new current key, when the compromised key was the current one"
    )
    affected_awards: int = Field(
        description="Active awards the key signed at or after `since`: re-issue them with "
        "POST /api/v1/issuers/{id}/reissue"
    )


class ReissueRequest(Strict):
    key_id: Annotated[str, Field(min_length=1, max_length=64)]
    limit: Annotated[int, Field(ge=1, le=1000)] = Field(
        1000, description="At most this many awards in this call; repeat while `remaining` > 0"
    )


class ReissuedAward(BaseModel):
    old: str
    new: str


class ReissueResult(BaseModel):
    key_id: str
    reissued: int
    remaining: int
    awards: list[ReissuedAward]
