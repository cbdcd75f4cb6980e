"""Typed OB 3.0 objects: building credentials, lenient parsing, translations.

- ``parts`` / ``credentials``: pydantic models with the spec's field names
  (``@context`` is the alias of ``context``); ``.to_json()`` gives the JSON object.
- ``build``: :func:`build_credential` and :class:`Recipient`.
- ``credentials``: :func:`parse_credential` (VC 2.0 and VC 1.1).
- ``dates``: :func:`credential_dates` and the ``…Z`` timestamp format.
- ``i18n``: one language per credential; :func:`localized` picks it.
"""

from __future__ import annotations

from badges.model.base import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    PROFILE_SCHEMA_URL,
    SCHEMA_VALIDATOR_TYPE,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
    OBModel,
)
from badges.model.build import Recipient, build_credential
from badges.model.credentials import (
    Achievement,
    AchievementSubject,
    EndorsementCredential,
    OpenBadgeCredential,
    Profile,
    credential_types,
    parse_credential,
)
from badges.model.dates import credential_dates, format_datetime, parse_datetime
from badges.model.i18n import (
    LANGUAGES,
    Language,
    Translations,
    localized,
    localized_profile,
    resolve_translations,
)
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
    RubricCriterionLevel,
)

__all__ = [
    "ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "ENDORSEMENT_CREDENTIAL_SCHEMA_URL",
    "LANGUAGES",
    "OB_CONTEXT",
    "OB_EXTENSIONS_CONTEXT",
    "PROFILE_SCHEMA_URL",
    "SCHEMA_VALIDATOR_TYPE",
    "VC_V1_CONTEXT",
    "VC_V2_CONTEXT",
    "Achievement",
    "AchievementSubject",
    "Address",
    "Alignment",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "Language",
    "OBModel",
    "OpenBadgeCredential",
    "Profile",
    "Recipient",
    "Related",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "Translations",
    "build_credential",
    "credential_dates",
    "credential_types",
    "format_datetime",
    "localized",
    "localized_profile",
    "parse_credential",
    "parse_datetime",
    "resolve_translations",
]
