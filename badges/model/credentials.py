"""Profiles, achievements and the two OB 3.0 credential classes; lenient parsing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, BeforeValidator, Field

from badges.errors import InvalidCredential
from badges.model.base import OB_CONTEXT, VC_V2_CONTEXT, OBModel, TypeList, validated
from badges.model.dates import DateTimeZ, credential_dates
from badges.model.parts import (
    Address,
    Alignment,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementSubject,
    Evidence,
    IdentifierEntry,
    IdentityObject,
    Image,
    Related,
    Result,
    ResultDescription,
)

JSONValue = Any


def _context_list(value: object) -> object:
    return [value] if isinstance(value, str | dict) else value


Context = Annotated[list[str | dict[str, JSONValue]], BeforeValidator(_context_list)]


def _context_field() -> Any:
    return Field(
        default_factory=lambda: [VC_V2_CONTEXT, OB_CONTEXT],
        validation_alias=AliasChoices("@context", "context"),
        serialization_alias="@context",
    )


class Profile(OBModel):
    """An issuer, creator or source (``Profile``). ``id`` is required by the schema; it may be
    left out while building and is then supplied by the caller (e.g. the signing DID)."""

    id: str | None = None
    type: TypeList = Field(default_factory=lambda: ["Profile"])
    name: str | None = None
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    image: Image | None = None
    address: Address | None = None
    otherIdentifier: list[IdentifierEntry] | None = None
    official: str | None = None
    parentOrg: Profile | None = None
    endorsement: list[EndorsementCredential] | None = None
    endorsementJwt: list[str] | None = None


class Achievement(OBModel):
    """What is recognised. Required: ``id``, ``name``, ``description``, ``criteria``."""

    id: str
    type: TypeList = Field(default_factory=lambda: ["Achievement"])
    name: str
    description: str
    criteria: Criteria
    image: Image | None = None
    achievementType: str | None = None
    alignment: list[Alignment] | None = None
    resultDescription: list[ResultDescription] | None = None
    tag: list[str] | None = None
    inLanguage: str | None = None
    creator: Profile | None = None
    version: str | None = None
    humanCode: str | None = None
    fieldOfStudy: str | None = None
    specialization: str | None = None
    creditsAvailable: float | None = None
    otherIdentifier: list[IdentifierEntry] | None = None
    related: list[Related] | None = None
    endorsement: list[EndorsementCredential] | None = None
    endorsementJwt: list[str] | None = None


class AchievementSubject(OBModel):
    """``credentialSubject``: the recipient (``id`` and/or ``identifier``) and the achievement."""

    id: str | None = None
    type: TypeList = Field(default_factory=lambda: ["AchievementSubject"])
    identifier: list[IdentityObject] | None = None
    achievement: Achievement
    result: list[Result] | None = None
    narrative: str | None = None
    creditsEarned: float | None = None
    activityStartDate: DateTimeZ | None = None
    activityEndDate: DateTimeZ | None = None
    licenseNumber: str | None = None
    role: str | None = None
    term: str | None = None
    source: Profile | None = None
    image: Image | None = None


class _CredentialBase(OBModel):
    """Fields shared by both credential classes, and VC 1.1-aware date accessors."""

    json_key_order: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "image",
        "issuer",
        "validFrom",
        "validUntil",
        "awardedDate",
        "credentialSubject",
        "evidence",
        "endorsement",
        "endorsementJwt",
        "credentialStatus",
        "credentialSchema",
        "refreshService",
        "termsOfUse",
        "proof",
    )

    context: Context = _context_field()
    id: str
    name: str | None = None
    description: str | None = None
    issuer: Profile | str
    validFrom: DateTimeZ | None = None
    validUntil: DateTimeZ | None = None
    awardedDate: DateTimeZ | None = None
    credentialStatus: CredentialStatus | None = None
    credentialSchema: list[CredentialSchema] | None = None
    refreshService: dict[str, JSONValue] | None = None
    termsOfUse: list[dict[str, JSONValue]] | None = None
    proof: list[dict[str, JSONValue]] | dict[str, JSONValue] | None = None

    def _dates(self) -> tuple[datetime | None, datetime | None]:
        extra = self.model_extra or {}
        return credential_dates(
            {
                "validFrom": self.validFrom,
                "validUntil": self.validUntil,
                "issuanceDate": extra.get("issuanceDate"),
                "expirationDate": extra.get("expirationDate"),
            }
        )

    @property
    def valid_from(self) -> datetime | None:
        """``validFrom``, or the VC 1.1 ``issuanceDate``."""
        return self._dates()[0]

    @property
    def valid_until(self) -> datetime | None:
        """``validUntil``, or the VC 1.1 ``expirationDate``."""
        return self._dates()[1]

    @property
    def issuer_id(self) -> str | None:
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id


class EndorsementCredential(_CredentialBase):
    """An endorsement of an achievement, profile or credential (``EndorsementCredential``)."""

    type: TypeList = Field(
        default_factory=lambda: ["VerifiableCredential", "EndorsementCredential"]
    )
    credentialSubject: EndorsementSubject


class OpenBadgeCredential(_CredentialBase):
    """An OB 3.0 ``OpenBadgeCredential`` (= ``AchievementCredential``).

    ``credentialSchema`` is ``None`` here; ``build_credential`` adds the official
    schema entry (and the extensions context that defines its type).
    """

    type: TypeList = Field(default_factory=lambda: ["VerifiableCredential", "OpenBadgeCredential"])
    image: Image | None = None
    credentialSubject: AchievementSubject
    evidence: list[Evidence] | None = None
    endorsement: list[EndorsementCredential] | None = None
    endorsementJwt: list[str] | None = None


Profile.model_rebuild()
Achievement.model_rebuild()
AchievementSubject.model_rebuild()
OpenBadgeCredential.model_rebuild()

_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


def credential_types(data: Mapping[str, Any]) -> set[str]:
    """The ``type`` values of a credential JSON object (a lone string counts as one)."""
    value = data.get("type")
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {item for item in items if isinstance(item, str)}


def parse_credential(data: Mapping[str, Any]) -> OpenBadgeCredential | EndorsementCredential:
    """Read an OB 3.0 credential (VC 2.0 or VC 1.1) leniently; extensions are kept.

    The class is chosen by ``type``. This checks the shape the models need (e.g.
    an achievement with a name), not every MUST of the spec: use
    ``badges.schema.validate_credential`` for that. Dates are checked with
    :func:`credential_dates`, so VC 1.1 ``issuanceDate``/``expirationDate`` work
    through ``.valid_from`` / ``.valid_until``. Raises ``InvalidCredential``.
    """
    if not isinstance(data, Mapping):
        raise InvalidCredential(f"a credential must be a JSON object, got {type(data).__name__}")
    types = credential_types(data)
    credential_dates(data)
    if "EndorsementCredential" in types:
        return validated(EndorsementCredential, dict(data), "credential")
    if types & _BADGE_TYPES:
        return validated(OpenBadgeCredential, dict(data), "credential")
    raise InvalidCredential(
        f"type: {sorted(types)} has neither OpenBadgeCredential, AchievementCredential "
        "nor EndorsementCredential"
    )
