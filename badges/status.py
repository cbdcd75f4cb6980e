"""Credential status: the pluggable resolver interface used by the verifier.

A resolver takes one ``credentialStatus`` entry (e.g. a W3C
``BitstringStatusListEntry``) and says whether its bit is set. It raises
``ResolutionError`` when the list cannot be obtained and another ``BadgesError``
when the list is invalid. It returns ``None`` for an entry type it does not
handle; the verifier then reports that entry as not checked, with a warning.
The W3C Bitstring Status List resolver is ``badges.status_list``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from badges.types import JSONObject


@dataclass(frozen=True, slots=True)
class StatusResult:
    purpose: str
    """The entry's ``statusPurpose``: "revocation", "suspension", ..."""
    is_set: bool
    """True when the credential is revoked / suspended for that purpose."""


StatusResolver = Callable[[JSONObject], StatusResult | None]
