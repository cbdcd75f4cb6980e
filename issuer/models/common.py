"""Types shared by the API models: languages, multilingual texts, pages."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Language = Literal["fi", "sv", "en"]
"""The languages credentials are issued in."""

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Texts = Annotated[dict[Language, NonEmpty], Field(min_length=1)]
Text = NonEmpty | Texts
"""A text in several languages (``{"fi": …, "sv": …, "en": …}``) or one plain string."""

ProofFormat = Literal["ldp", "jwt"]
"""``ldp``: an embedded eddsa-rdfc-2022 Data Integrity proof; ``jwt``: a VC-JWT too."""

MAX_LIMIT = 200


class Strict(BaseModel):
    """Request bodies: unknown fields are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` as ``cursor`` for the next (``null``: done)."""

    items: list[T]
    next_cursor: str | None
