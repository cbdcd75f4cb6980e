"""One award's OB 3.0 credential, built and secured the same way wherever an award is made
(``issue_award``, the bulk worker, pathway awards, renewal and re-issue).

:func:`build` makes the unsigned credential for a recipient; :func:`award_values` then
embeds the endorsements, claims the status list entries (last, once nothing can fail:
the caller adds the award row in the same transaction), signs it and returns the
``awards`` row values. See ``issuer.services.awards`` for the stored forms (the
eddsa-rdfc-2022 proof with Ed25519 keys, the VC-JWT with ``format: jwt``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair
from badges.model import Recipient, build_credential
from badges.types import JSONObject
from issuer.errors import InvalidRequest
from issuer.services import ServiceContext, status_lists
from issuer.services import endorsements as endorsement_service
from issuer.services import issuers as issuer_service
from issuer.store.tables import Issuer, SigningKey

Endorsements = Mapping[str, Sequence[JSONObject]]
"""``endorsements.embedded_for``: ``{"achievement": [...], "issuer": [...]}``."""


@dataclass(frozen=True, slots=True)
class Signer:
    """An issuer's signing key, decrypted, with its verification method."""

    issuer: Issuer
    key: SigningKey
    pair: KeyPair
    method: str

    @classmethod
    def of(cls, ctx: ServiceContext, issuer: Issuer, key: SigningKey) -> Signer:
        """Raises :class:`issuer.crypto.DecryptionError` if the key cannot be decrypted."""
        pair = issuer_service.key_pair(ctx, key)
        return cls(issuer, key, pair, issuer_service.verification_method(ctx, issuer, key))

    @property
    def ldp(self) -> bool:
        """Only Ed25519 keys make eddsa-rdfc-2022 proofs."""
        return self.key.key_type == "Ed25519"


def result_for(achievement: JSONObject, level: str) -> JSONObject:
    """The ``Result`` for a rubric level named by full id, fragment or key."""
    offered: list[str] = []
    for description in achievement.get("resultDescription") or []:
        for item in description.get("rubricCriterionLevel") or []:
            level_id = str(item.get("id", ""))
            fragment = level_id.rpartition("#")[2]
            offered.append(fragment.removeprefix("level-"))
            if level in (level_id, fragment) or fragment == f"level-{level}":
                return {
                    "type": ["Result"],
                    "resultDescription": description["id"],
                    "achievedLevel": level_id,
                }
    choices = ", ".join(offered) or "none: the achievement has no rubric levels"
    raise InvalidRequest.field(
        ("body", "level"), f"no rubric level {level!r}; choose one of: {choices}"
    )


def name_identifier(name: str) -> JSONObject:
    """The recipient's name as OB 3.0 ``IdentityObject`` (``identityType: name``, plain)."""
    return {"type": "IdentityObject", "hashed": False, "identityHash": name, "identityType": "name"}


def build(
    ctx: ServiceContext,
    *,
    award_id: str,
    profile: JSONObject,
    achievement: JSONObject,
    recipient: Recipient,
    valid_from: datetime,
    valid_until: datetime | None = None,
    level: str | None = None,
    evidence: list[JSONObject] | None = None,
    narrative: str | None = None,
    name: JSONObject | None = None,
) -> JSONObject:
    """The unsigned credential ``credentials/{award_id}`` (no status, no endorsements yet).

    ``achievement``: localised; ``level``: a rubric level (:func:`result_for`);
    ``name``: an ``IdentityObject`` for the recipient's name (:func:`name_identifier`)."""
    credential = build_credential(
        issuer=profile,
        achievement=achievement,
        recipient=recipient,
        valid_from=valid_from,
        valid_until=valid_until,
        credential_id=ctx.url(f"credentials/{award_id}"),
        result=[result_for(achievement, level)] if level else None,
        evidence=evidence or None,
        narrative=narrative,
    )
    if name is not None:
        subject: dict[str, Any] = credential["credentialSubject"]
        subject["identifier"] = [*subject.get("identifier", []), name]
    return credential


def _embed(credential: JSONObject, found: Endorsements) -> None:
    """As ``endorsements.embed``, with endorsements read once (the bulk worker's rows)."""
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    if found["achievement"] and isinstance(achievement, dict):
        achievement["endorsement"] = copy.deepcopy(list(found["achievement"]))
    issuer = credential.get("issuer")
    if found["issuer"] and isinstance(issuer, dict):
        issuer["endorsement"] = copy.deepcopy(list(found["issuer"]))


def award_values(
    session: Session,
    ctx: ServiceContext,
    signer: Signer,
    credential: JSONObject,
    *,
    award_id: str,
    achievement_id: str,
    version_id: str,
    version: int,
    recipient_type: str,
    recipient_ref: str,
    language: str,
    fmt: str,
    valid_from: datetime,
    valid_until: datetime | None,
    created_by: str,
    now: datetime,
    endorsements: Endorsements | None = None,
) -> dict[str, Any]:
    """The ``awards`` row (without ``idempotency_key``/``request_hash``) for ``credential``,
    secured: the achievement's and issuer's endorsements embedded (``endorsements``, or
    read now), its status list entries claimed in ``session`` (the caller adds the row
    in the same transaction), an eddsa-rdfc-2022 proof if the key is Ed25519 and a
    VC-JWT if ``fmt`` is ``jwt``. Changes ``credential``."""
    issuer = signer.issuer
    if endorsements is None:
        endorsement_service.embed(session, credential, achievement_id, issuer.id)
    else:
        _embed(credential, endorsements)
    # claimed last, once nothing can fail: an unused claim would break the commit
    allocations = status_lists.allocate_entries(session, issuer, award_id)
    status = status_lists.credential_status(ctx, allocations)
    if status is not None:
        credential["credentialStatus"] = status
    ldp = signer.ldp
    return {
        "id": award_id,
        "org_id": issuer.org_id,
        "issuer_id": issuer.id,
        "achievement_id": achievement_id,
        "achievement_version_id": version_id,
        "achievement_version": version,
        "signing_key_id": signer.key.id,
        "recipient_type": recipient_type,
        "recipient_ref": recipient_ref,
        "language": language,
        "format": fmt,
        "status": "active",
        "credential": sign_credential(credential, signer.pair, signer.method, created=now)
        if ldp
        else copy.deepcopy(credential),
        "ldp": ldp,
        "jwt": sign_credential_jwt(credential, signer.pair, signer.method)
        if fmt == "jwt"
        else None,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "created_by": created_by,
        "created_at": now,
    }
