"""Issuer profiles and their signing keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from issuer.models.common import Language, NonEmpty, ProofFormat, Strict, Text

KeyTypeName = Literal["ed25519", "p256", "rsa"]
KeyStatus = Literal["current", "retired", "compromised"]
Url = Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=320)]
Image = Annotated[
    str,
    Field(
        pattern=r"^(https?://\S+|data:image/(png|svg\+xml|jpeg|webp);base64,[A-Za-z0-9+/=]+)$",
        max_length=1_500_000,
        description="An http(s) URL or a data: URI (PNG, SVG, JPEG or WebP, base64)",
    ),
]


class IssuerCreate(Strict):
    name: Text
    description: Text | None = None
    url: Url | None = None
    email: Email | None = None
    image: Image | None = None
    did_method: Literal["web", "key"] = Field(
        "web",
        description="did:web on this service's host (keys can rotate) or did:key (one key)",
    )
    key_type: KeyTypeName = "ed25519"
    format: ProofFormat = Field("ldp", description="The default format of this issuer's awards")
    default_language: Language | None = Field(
        None, description="Language of awards that name none (default: the name's first, or fi)"
    )
    ob2_signed: bool = Field(
        False, description="Also serve signed (RS256 JWS) Open Badges 2.0 assertions"
    )


class IssuerUpdate(Strict):
    name: Text | None = None
    description: Text | None = None
    url: Url | None = None
    email: Email | None = None
    image: Image | None = None
    format: ProofFormat | None = None
    default_language: Language | None = None
    ob2_signed: bool | None = None


class KeyCreate(Strict):
    type: KeyTypeName = "ed25519"


class KeyPublic(BaseModel):
    id: str
    type: str
    status: KeyStatus
    verification_method: str
    public_jwk: dict[str, Any]
    created_at: datetime
    retired_at: datetime | None
    compromised_since: datetime | None = Field(
        None, description="Proofs this key made at or after this time are refused"
    )
    compromise_reason: str | None = None


class IssuerUrls(BaseModel):
    profile: str
    did_document: str | None
    ob2_profile: str = Field(description="The Open Badges 2.0 issuer Profile")


class IssuerPublic(BaseModel):
    id: str
    did: str
    did_method: Literal["web", "key"]
    name: Text
    description: Text | None
    url: str | None
    email: str | None
    image: str | None
    format: ProofFormat
    default_language: Language
    ob2_signed: bool
    keys: list[KeyPublic]
    urls: IssuerUrls
    created_at: datetime
    updated_at: datetime


class IssuerRef(BaseModel):
    """How other resources name an issuer."""

    id: NonEmpty
