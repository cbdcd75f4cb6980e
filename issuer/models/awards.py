"""Awards: one achievement to one recipient, as a signed credential."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, model_validator

from issuer.models.common import Language, NonEmpty, ProofFormat, Strict
from issuer.models.issuers import Url

AwardStatus = Literal["active", "revoked", "suspended"]


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
    png: str = Field(description="Baked PNG (OB 3.0; `?ob=2` for OB 2.0)")
    svg: str = Field(description="Baked SVG (OB 3.0; `?ob=2` for OB 2.0)")
    ob2: str = Field(description="The hosted Open Badges 2.0 assertion")
    ob2_jws: str | None = Field(
        None, description="The signed OB 2.0 assertion (JWS), when the issuer signs them"
    )

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
    renewed_from: str | None = Field(None, description="The award this one renewed")
    renewed_by: str | None = Field(None, description="The award that renewed this one")
    reissued_from: str | None = Field(
        None, description="The award this one replaced after a key compromise"
    )
    reissued_by: str | None = Field(
        None, description="The award that replaced this one after a key compromise"
    )
    revoked_at: datetime | None = None
    revocation_reason: str | None = None
    suspended_at: datetime | None = None
    suspension_reason: str | None = None


class AwardRenew(Strict):
    valid_until: datetime | None = Field(
        None, description="Default: the achievement's default validity from now (or none)"
    )
