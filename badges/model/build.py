"""Building an unsigned OB 3.0 ``OpenBadgeCredential`` from its parts.

Inputs are never mutated: mappings are deep-copied and models are copied
before anything is derived from them.
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from badges.errors import InvalidCredential, InvalidInput
from badges.identity import hash_identity, new_salt, normalize_email
from badges.model.base import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    EXTENSION_TYPES,
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    SCHEMA_VALIDATOR_TYPE,
    VC_V2_CONTEXT,
    M,
    validated,
)
from badges.model.credentials import Achievement, AchievementSubject, OpenBadgeCredential, Profile
from badges.model.dates import require_aware
from badges.model.parts import (
    CredentialSchema,
    CredentialStatus,
    Evidence,
    IdentityObject,
    Image,
    Result,
)
from badges.types import JSONObject

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")

ModelInput = BaseModel | Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who receives the badge: an e-mail address and/or a DID or URL.

    The e-mail is normalised (stripped, lowercased; see ``badges.identity``) and
    only its salted SHA-256 hash goes into ``credentialSubject.identifier[]``
    (``identityType: emailAddress``, ``hashed: true``). A DID/URL becomes
    ``credentialSubject.id``.
    """

    email: str | None = None
    id: str | None = None

    def __post_init__(self) -> None:
        if self.email is None and self.id is None:
            raise InvalidCredential("recipient: give an e-mail address or a DID/URL")
        if self.email is not None:
            try:
                normalize_email(self.email)
            except InvalidInput as exc:
                raise InvalidCredential(f"recipient.email: {exc}") from exc
        if self.id is not None and not _URI.fullmatch(self.id):
            raise InvalidCredential(f"recipient.id: {self.id!r} is not a DID or URI")


def _copy_model(cls: type[M], value: ModelInput | M, where: str) -> M:
    if isinstance(value, cls):
        return value.model_copy(deep=True)
    if isinstance(value, BaseModel):
        value = value.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(value, Mapping):
        raise InvalidCredential(f"{where}: expected an object, got {type(value).__name__}")
    return validated(cls, copy.deepcopy(dict(value)), where)


def _identifier(recipient: Recipient, salt: str | None) -> list[IdentityObject] | None:
    if recipient.email is None:
        return None
    use_salt = new_salt() if salt is None else salt
    return [
        IdentityObject(
            hashed=True,
            identityHash=hash_identity(normalize_email(recipient.email), use_salt),
            identityType="emailAddress",
            salt=use_salt or None,
        )
    ]


def _check_results(achievement: Achievement, results: list[Result]) -> None:
    """Each result must point at a ResultDescription (and level) of the achievement."""
    descriptions = {rd.id: rd for rd in achievement.resultDescription or []}
    for i, result in enumerate(results):
        where = f"credentialSubject.result[{i}]"
        if result.resultDescription is None:
            continue
        rd = descriptions.get(result.resultDescription)
        if rd is None:
            raise InvalidCredential(
                f"{where}.resultDescription: {result.resultDescription!r} is not the id of a "
                "resultDescription of the achievement"
            )
        levels = {level.id for level in rd.rubricCriterionLevel or []}
        if result.achievedLevel is not None and result.achievedLevel not in levels:
            raise InvalidCredential(
                f"{where}.achievedLevel: {result.achievedLevel!r} is not a rubricCriterionLevel "
                f"of {rd.id!r}"
            )
        if rd.resultType == "Status" and result.status is None:
            raise InvalidCredential(f"{where}.status: required for a Status result")


def _status(status: Mapping[str, Any] | None) -> CredentialStatus | None:
    if status is None:
        return None
    data = copy.deepcopy(dict(status))
    if data.get("id") is None and data.get("type") == "BitstringStatusListEntry":
        # OB 3.0's schema requires credentialStatus.id; the W3C examples use list URL#index.
        data["id"] = f"{data.get('statusListCredential')}#{data.get('statusListIndex')}"
    return validated(CredentialStatus, data, "credentialStatus")


def _dates(
    valid_from: datetime, valid_until: datetime | None, awarded_date: datetime | None
) -> None:
    if not isinstance(valid_from, datetime):
        raise InvalidCredential(f"validFrom: expected a datetime, got {valid_from!r}")
    require_aware(valid_from, "validFrom")
    if awarded_date is not None:
        require_aware(awarded_date, "awardedDate")
    if valid_until is not None:
        require_aware(valid_until, "validUntil")
        if valid_until.replace(microsecond=0) <= valid_from.replace(microsecond=0):
            raise InvalidCredential(
                f"validUntil: {valid_until.isoformat()} is not after validFrom "
                f"{valid_from.isoformat()}"
            )


def build_credential(
    *,
    issuer: Profile | Mapping[str, Any],
    achievement: Achievement | Mapping[str, Any],
    recipient: Recipient,
    valid_from: datetime,
    valid_until: datetime | None = None,
    credential_id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    image: Image | Mapping[str, Any] | None = None,
    awarded_date: datetime | None = None,
    result: Sequence[Result | Mapping[str, Any]] | None = None,
    evidence: Sequence[Evidence | Mapping[str, Any]] | None = None,
    narrative: str | None = None,
    status: Mapping[str, Any] | None = None,
    salt: str | None = None,
    credential_schema: bool = True,
) -> JSONObject:
    """Return the unsigned ``OpenBadgeCredential`` as a JSON object.

    - ``credential_id``: minted as ``urn:uuid:<uuid4>`` when ``None``.
    - ``name``: defaults to the achievement's name.
    - ``salt``: for the e-mail hash; a fresh random salt when ``None``, no salt when ``""``.
    - ``status``: a ``credentialStatus`` object (e.g. a ``BitstringStatusListEntry``);
      an ``id`` of ``<statusListCredential>#<statusListIndex>`` is added if missing.
    - ``credential_schema``: add the official ``1EdTechJsonSchemaValidator2019`` entry
      for the achievementcredential schema; the extensions context that defines that
      type is then added to ``@context`` (the OB 3.0.3 context does not define it).

    Raises ``InvalidCredential`` naming the field for naive datetimes,
    ``validUntil <= validFrom``, an issuer without ``id``, results that do not refer to
    the achievement's result descriptions, or parts that do not fit the model.
    """
    _dates(valid_from, valid_until, awarded_date)
    if not isinstance(recipient, Recipient):
        raise InvalidCredential(f"recipient: expected a Recipient, got {type(recipient).__name__}")
    issuer_model = _copy_model(Profile, issuer, "issuer")
    if not issuer_model.id:
        raise InvalidCredential("issuer.id: the issuer profile needs an id (a DID or URL)")
    achievement_model = _copy_model(Achievement, achievement, "achievement")
    results = [_copy_model(Result, r, f"result[{i}]") for i, r in enumerate(result or [])]
    _check_results(achievement_model, results)
    status_model = _status(status)

    subject = AchievementSubject(
        id=recipient.id,
        identifier=_identifier(recipient, salt),
        achievement=achievement_model,
        result=results or None,
        narrative=narrative,
    )
    schemas = (
        [CredentialSchema(id=ACHIEVEMENT_CREDENTIAL_SCHEMA_URL, type=SCHEMA_VALIDATOR_TYPE)]
        if credential_schema
        else None
    )
    context: list[str | dict[str, Any]] = [VC_V2_CONTEXT, OB_CONTEXT]
    if credential_schema or (status_model is not None and status_model.type in EXTENSION_TYPES):
        context.append(OB_EXTENSIONS_CONTEXT)
    credential = OpenBadgeCredential(
        context=context,
        id=credential_id or f"urn:uuid:{uuid.uuid4()}",
        name=name or achievement_model.name,
        description=description,
        image=_copy_model(Image, image, "image") if image is not None else None,
        issuer=issuer_model,
        validFrom=valid_from,
        validUntil=valid_until,
        awardedDate=awarded_date,
        credentialSubject=subject,
        evidence=[_copy_model(Evidence, e, f"evidence[{i}]") for i, e in enumerate(evidence)]
        if evidence
        else None,
        credentialStatus=status_model,
        credentialSchema=schemas,
    )
    return credential.to_json()
