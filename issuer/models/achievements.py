"""Achievements: what can be awarded, in versions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from issuer.models.common import Language, NonEmpty, Strict, Text
from issuer.models.issuers import Image, Url

Tags = list[NonEmpty] | Annotated[dict[Language, list[NonEmpty]], Field(min_length=1)]
OBObject = dict[str, Any]

_OB_NOTE = "OB 3.0 JSON (camelCase); any text may be {fi, sv, en}; ids may be #fragments"


class AchievementFields(Strict):
    """The editable content; each change makes a new version."""

    name: Text | None = None
    description: Text | None = None
    criteria: Text | None = Field(None, description="criteria.narrative (Markdown)")
    criteria_url: Url | None = None
    achievement_type: NonEmpty | None = Field(None, description='OB achievementType, e.g. "Badge"')
    image: Image | None = None
    tags: Tags | None = None
    alignments: list[OBObject] | None = Field(None, description=f"Alignment objects; {_OB_NOTE}")
    result_description: list[OBObject] | None = Field(
        None, description=f"ResultDescription objects (rubric levels); {_OB_NOTE}"
    )
    evidence_required: bool | None = None
    default_validity_days: Annotated[int, Field(gt=0, le=36500)] | None = None
    language: Language | None = Field(
        None, description="The language of plain-string texts (default: the issuer's)"
    )


class AchievementCreate(AchievementFields):
    issuer_id: NonEmpty | None = Field(None, description="Default: the organisation's first")
    name: Text
    description: Text
    criteria: Text
    achievement_type: NonEmpty = "Badge"
    evidence_required: bool = False


class AchievementUpdate(AchievementFields):
    archived: bool | None = Field(None, description="Archive (true) or restore (false)")


class AchievementUrls(BaseModel):
    public: str


class AchievementPublic(BaseModel):
    id: str
    issuer_id: str
    version: int
    archived: bool
    languages: list[Language]
    name: Text
    description: Text
    criteria: Text | None
    criteria_url: str | None
    achievement_type: str | None
    image: str | None
    tags: list[str] | dict[str, list[str]]
    alignments: list[OBObject]
    result_description: list[OBObject]
    evidence_required: bool
    default_validity_days: int | None
    catalog_key: str | None
    urls: AchievementUrls
    created_at: datetime
    updated_at: datetime
