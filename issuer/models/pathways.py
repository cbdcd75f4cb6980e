"""Pathways and catalog import: request and response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from issuer.models.common import Strict, Text

Ids = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=50)]


class PathwayCreate(Strict):
    achievement_id: str = Field(description="The achievement awarded when the pathway is done")
    requires_all: Ids = Field(default_factory=list, description="Achievement ids, all needed")
    requires_any: Ids = Field(default_factory=list, description="Achievement ids to choose from")
    any_count: Annotated[int, Field(ge=0, le=50)] = Field(
        0, description="How many of requires_any are needed (0 when it is empty)"
    )


class PathwayUpdate(Strict):
    requires_all: Ids | None = None
    requires_any: Ids | None = None
    any_count: Annotated[int, Field(ge=0, le=50)] | None = None


class RequirementPublic(BaseModel):
    achievement_id: str
    name: Text | None


class PathwayUrls(BaseModel):
    public: str
    achievement: str


class PathwayPublic(BaseModel):
    id: str
    achievement_id: str
    name: Text | None
    requires_all: list[RequirementPublic]
    requires_any: list[RequirementPublic]
    any_count: int
    catalog_key: str | None
    urls: PathwayUrls
    created_at: datetime
    updated_at: datetime


class StepPublic(BaseModel):
    achievement_id: str
    name: Text | None
    held: bool
    award_id: str | None


class ProgressPublic(BaseModel):
    pathway_id: str
    achievement_id: str
    name: Text | None
    requires_all: list[StepPublic]
    requires_any: list[StepPublic]
    any_count: int
    done: int
    total: int
    complete: bool
    award_id: str | None


class CatalogImportResult(BaseModel):
    """What an import did; ``unchanged`` achievements got no new version."""

    created: list[str] = Field(description="catalog keys of new achievements")
    updated: list[str] = Field(description="catalog keys that got a new version")
    unchanged: list[str]
    pathways_created: list[str] = Field(description="catalog keys of the pathways' achievements")
    pathways_updated: list[str]
