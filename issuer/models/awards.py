"""Awards: one achievement to one recipient, as a signed credential."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from issuer.models.common import Language, NonEmpty, ProofFormat, Strict
from issuer.models.issuers import Url

AwardStatus = Literal["active", "revoked"]


class RecipientIn(Strict):
    """Exactly one of ``email``, ``did`` or ``url``."""

    email: Annotated[str, Field(max_length=320)] | None = None
    did: Annotated[str, Field(pattern=r"^did:[a-z0-9]+:\S+$", max_length=2000)] | None = None
    url: Url | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RecipientIn:
        given = [name for name in ("email", "did", "url") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of email, did or url")
        return self


class AwardCreate(Strict):
    achievement_id: NonEmpty
    recipient: RecipientIn
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="The recipient's name, shown in the credential as plain text"
    )
    narrative: Annotated[str, Field(min_length=1, max_length=20000)] | None = None
    evidence_urls: Annotated[list[Url], Field(max_length=50)] = Field(default_factory=list)
    level: NonEmpty | None = Field(
        None, description="A rubric level: its key (practitioner), fragment or full id"
    )
    valid_until: datetime | None = Field(None, description="Default: the achievement's validity")
    language: Language | None = None
    format: ProofFormat | None = Field(None, description="Default: the issuer's format")
    idempotency_key: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        None, description="Repeating a request with the same key returns the first award"
    )


class AwardUrls(BaseModel):
    page: str
    json_: str | None = Field(alias="json")
    jwt: str | None
    png: str = Field(description="Baked PNG (not available yet: 404)")
    svg: str = Field(description="Baked SVG (not available yet: 404)")

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class AwardPublic(BaseModel):
    id: str
    achievement_id: str
    achievement_version: int
    issuer_id: str
    status: AwardStatus
    format: ProofFormat
    language: Language
    recipient_type: Literal["email", "did", "url"]
    valid_from: datetime
    valid_until: datetime | None
    created_at: datetime
    credential: dict[str, Any]
    jwt: str | None
    urls: AwardUrls
