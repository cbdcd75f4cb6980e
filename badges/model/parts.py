"""The OB 3.0 classes that contain no credentials or profiles ("Data Models", §B).

Field names are the spec's (camelCase). Required/optional follows the OB 3.0
JSON Schema, so that a model built here validates; ``type`` arrays default to
the class name.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field

from badges.model.base import OBModel, TypeList


class Image(OBModel):
    """``{id: URI or data: URI, type: "Image", caption?}``; the schema allows no other keys."""

    model_config = ConfigDict(extra="forbid")

    id: str
    type: str = "Image"
    caption: str | None = None


class Criteria(OBModel):
    """How to earn the achievement: ``id`` (a criteria page) and/or ``narrative`` (Markdown)."""

    id: str | None = None
    narrative: str | None = None


class Alignment(OBModel):
    """A link to a skill, competence or framework item the achievement aligns to."""

    type: TypeList = Field(default_factory=lambda: ["Alignment"])
    targetName: str
    targetUrl: str
    targetDescription: str | None = None
    targetCode: str | None = None
    targetFramework: str | None = None
    targetType: str | None = None


class RubricCriterionLevel(OBModel):
    """One level of a rubric criterion, e.g. foundation / practitioner / expert."""

    id: str
    type: TypeList = Field(default_factory=lambda: ["RubricCriterionLevel"])
    name: str
    description: str | None = None
    level: str | None = None
    points: str | None = None
    alignment: list[Alignment] | None = None


class ResultDescription(OBModel):
    """A possible result of the achievement (a grade, a rubric, a status…)."""

    id: str
    type: TypeList = Field(default_factory=lambda: ["ResultDescription"])
    name: str
    resultType: str
    allowedValue: list[str] | None = None
    requiredLevel: str | None = None
    requiredValue: str | None = None
    valueMin: str | None = None
    valueMax: str | None = None
    rubricCriterionLevel: list[RubricCriterionLevel] | None = None
    alignment: list[Alignment] | None = None


class Result(OBModel):
    """The recipient's result: ``resultDescription`` and ``achievedLevel`` are ids in the
    achievement's ``resultDescription[]``."""

    type: TypeList = Field(default_factory=lambda: ["Result"])
    resultDescription: str | None = None
    value: str | None = None
    achievedLevel: str | None = None
    status: str | None = None
    alignment: list[Alignment] | None = None


class IdentityObject(OBModel):
    """A recipient identifier; ``identityHash`` is ``sha256$…`` when ``hashed``."""

    model_config = ConfigDict(extra="forbid")

    type: str = "IdentityObject"
    hashed: bool
    identityHash: str
    identityType: str
    salt: str | None = None


class IdentifierEntry(OBModel):
    """An ``otherIdentifier`` entry (closed class in the schema)."""

    model_config = ConfigDict(extra="forbid")

    type: str = "IdentifierEntry"
    identifier: str
    identifierType: str


class Evidence(OBModel):
    """Evidence of the achievement (on the credential, not on the subject)."""

    id: str | None = None
    type: TypeList = Field(default_factory=lambda: ["Evidence"])
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    genre: str | None = None
    audience: str | None = None


class Address(OBModel):
    type: TypeList = Field(default_factory=lambda: ["Address"])
    streetAddress: str | None = None
    postOfficeBoxNumber: str | None = None
    postalCode: str | None = None
    addressLocality: str | None = None
    addressRegion: str | None = None
    addressCountry: str | None = None
    addressCountryCode: str | None = None
    geo: dict[str, Any] | None = None


class Related(OBModel):
    """Another version of the same achievement, e.g. a translation (``inLanguage``)."""

    id: str
    type: TypeList = Field(default_factory=lambda: ["Related"])
    inLanguage: str | None = None
    version: str | None = None


class CredentialStatus(OBModel):
    """``credentialStatus``; for W3C Bitstring Status List (``BitstringStatusListEntry``)
    ``statusPurpose``, ``statusListIndex`` (a base-10 string) and ``statusListCredential``.
    The OB 3.0 schema requires ``id`` (the W3C spec does not)."""

    id: str | None = None
    type: str
    statusPurpose: str | None = None
    statusListIndex: str | None = None
    statusListCredential: str | None = None
    statusSize: int | None = None


class CredentialSchema(OBModel):
    """``{id: schema URL, type: "1EdTechJsonSchemaValidator2019"}``."""

    id: str
    type: str


class EndorsementSubject(OBModel):
    """What an endorsement is about: ``id`` of an Achievement, Profile or credential."""

    id: str
    type: TypeList = Field(default_factory=lambda: ["EndorsementSubject"])
    endorsementComment: str | None = None
