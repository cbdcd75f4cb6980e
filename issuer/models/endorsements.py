"""Endorsements: request and response models of ``/api/v1/endorsements``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from issuer.models.common import Language, NonEmpty, Strict

TargetType = Literal["award", "achievement", "issuer"]
Relation = Literal["peer", "mentor", "mentee", "partner"]
RELATIONS: tuple[Relation, ...] = ("peer", "mentor", "mentee", "partner")
MAX_COMMENT = 1000

Comment = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT)
]


class EndorsementCreate(Strict):
    """An endorsement by one of your issuer profiles (token scope ``endorse``)."""

    issuer_id: NonEmpty = Field(description="Your issuer profile that endorses and signs")
    target_type: TargetType = Field(description="What is endorsed")
    target_id: NonEmpty = Field(
        description="The award, achievement or issuer id (any organisation's)"
    )
    comment: Comment = Field(description="`endorsementComment`: at most 1000 characters")
    relation: Relation | None = Field(None, description="peer, mentor, mentee or partner")
    language: Language | None = Field(
        None, description="Language of the credential's texts (default: the target's)"
    )


class EndorserPublic(BaseModel):
    type: Literal["issuer", "person"]
    id: str = Field(description="The endorser's DID: the credential's issuer")
    name: str
    issuer_id: str | None = Field(None, description="For issuer profiles")
    profile_url: str


class EndorsementPublic(BaseModel):
    id: str
    url: str = Field(description="Public: JSON-LD or HTML by Accept")
    target_type: TargetType
    target_id: str
    subject_id: str = Field(description="`credentialSubject.id`: what is endorsed")
    endorser: EndorserPublic
    relation: Relation | None
    comment: str
    language: str
    hidden: bool
    created_at: datetime
    credential: dict[str, Any]
