"""Building, signing and publishing one ``EndorsementCredential`` (OB 3.0).

The endorsed object (:class:`Target`: an award, an achievement or an issuer), the unsigned
credential (:func:`build_endorsement`, declaring the official JSON Schema), its
eddsa-rdfc-2022 signature, and :func:`publish`, which stores and audits it. An issuer
profile endorses through :func:`endorse_as_issuer`; a person's confirmed e-mail request
(:mod:`issuer.services.endorsement_requests`) publishes through :func:`publish` too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from badges.issue import sign_credential
from badges.keys import KeyPair
from badges.model import OB_CONTEXT, VC_V2_CONTEXT
from badges.model.base import (
    ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB_EXTENSIONS_CONTEXT,
    SCHEMA_VALIDATOR_TYPE,
)
from badges.model.dates import format_datetime
from badges.schema import validate_credential
from badges.types import JSONObject
from issuer import i18n
from issuer.auth import Principal
from issuer.errors import Conflict, FormatUnavailable, InvalidRequest
from issuer.models.endorsements import MAX_COMMENT, EndorsementCreate
from issuer.services import ServiceContext, audit
from issuer.services import issuers as issuer_service
from issuer.services.texts import pick
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Award, Endorsement

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Target:
    """What is endorsed, as the credential and the pages need it."""

    type: str  # award | achievement | issuer
    id: str
    org_id: str
    issuer_id: str  # the issuer of the award/achievement, or the issuer itself
    subject_id: str  # credentialSubject.id
    name: Any  # a string or texts by language
    language: str
    page_url: str
    active: bool

    def name_in(self, lang: str) -> str:
        return str(pick(self.name, lang))


def resolve_target(session: Session, ctx: ServiceContext, kind: str, target_id: str) -> Target:
    """The award, achievement or issuer ``target_id`` of any organisation (or NotFound)."""
    if kind == "award":
        award = repo.public_award(session, target_id)
        return Target(
            "award",
            award.id,
            award.org_id,
            award.issuer_id,
            str(award.credential.get("id") or ctx.url(f"credentials/{award.id}")),
            award.credential.get("name") or award.id,
            award.language,
            ctx.url(f"credentials/{award.id}"),
            award.status == "active",
        )
    if kind == "achievement":
        achievement = repo.public_achievement(session, target_id)
        version = repo.version(session, achievement.id, achievement.current_version)
        issuer = repo.public_issuer(session, achievement.issuer_id)
        return Target(
            "achievement",
            achievement.id,
            achievement.org_id,
            issuer.id,
            ctx.url(f"achievements/{achievement.id}"),
            version.source.get("name") or achievement.id,
            issuer.default_language,
            ctx.url(f"achievements/{achievement.id}"),
            not achievement.archived,
        )
    if kind == "issuer":
        issuer = repo.public_issuer(session, target_id)
        keys = repo.keys_of(session, issuer.id)
        return Target(
            "issuer",
            issuer.id,
            issuer.org_id,
            issuer.id,
            issuer_service.did_of(ctx, issuer, keys),
            issuer.name,
            issuer.default_language,
            ctx.url(f"issuers/{issuer.id}"),
            True,
        )
    raise InvalidRequest.field(("body", "target_type"), "award, achievement or issuer")


def find_public_target(session: Session, ctx: ServiceContext, target_id: str) -> Target:
    """``/endorse/{target}``: an award id, else an achievement id."""
    if session.get(Award, target_id) is not None:
        return resolve_target(session, ctx, "award", target_id)
    return resolve_target(session, ctx, "achievement", target_id)


def clean_comment(text: str) -> str:
    """The statement as stored and signed: trimmed, no control characters but line breaks."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned or len(cleaned) > MAX_COMMENT:
        raise InvalidRequest.field(
            ("body", "comment"), f"give a statement of 1 to {MAX_COMMENT} characters"
        )
    return cleaned


def relation_label(relation: str | None, lang: str) -> str | None:
    return i18n.text(lang, f"endorse_relation_{relation}") if relation else None


def build_endorsement(
    ctx: ServiceContext,
    *,
    endorsement_id: str,
    issuer: JSONObject,
    target: Target,
    endorser_name: str,
    relation: str | None,
    comment: str,
    lang: str,
    now: datetime,
) -> JSONObject:
    """The unsigned EndorsementCredential (declaring the official JSON Schema)."""
    target_name = target.name_in(lang)
    if relation:
        description = i18n.text(
            lang,
            "endorse_credential_description",
            name=endorser_name,
            relation=relation_label(relation, lang),
            target=target_name,
        )
    else:
        description = i18n.text(
            lang, "endorse_credential_description_plain", name=endorser_name, target=target_name
        )
    credential: JSONObject = {
        "@context": [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
        "id": ctx.url(f"endorsements/{endorsement_id}"),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": i18n.text(lang, "endorse_credential_name", target=target_name),
        "description": description,
        "issuer": issuer,
        "validFrom": format_datetime(now),
        "credentialSubject": {
            "id": target.subject_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
        "credentialSchema": [
            {"id": ENDORSEMENT_CREDENTIAL_SCHEMA_URL, "type": SCHEMA_VALIDATOR_TYPE}
        ],
    }
    problems = [issue for issue in validate_credential(credential) if issue.is_error]
    if problems:  # pragma: no cover - the parts above are fixed; a bug, not bad input
        raise RuntimeError(f"EndorsementCredential does not fit its schema: {problems[0]}")
    return credential


def _sign(credential: JSONObject, pair: KeyPair, method: str, now: datetime) -> JSONObject:
    """eddsa-rdfc-2022; ``proof`` as a one-item array, as the OB 3.0 JSON Schema wants it
    (the same RDF: VC 2.0 ``proof`` is a graph container, one proof or a set of them)."""
    signed = sign_credential(credential, pair, method, created=now)
    if isinstance(signed.get("proof"), dict):
        signed["proof"] = [signed["proof"]]
    return signed


# ---------------------------------------------------------------------- issuer profiles


def endorse_as_issuer(
    session: Session, ctx: ServiceContext, actor: Principal, body: EndorsementCreate
) -> Endorsement:
    """``POST /api/v1/endorsements``: one of the actor's issuers endorses a target."""
    issuer = repo.issuer(session, actor.org, body.issuer_id)
    key = repo.current_key(session, issuer.id)
    if key.key_type != "Ed25519":
        raise FormatUnavailable(
            f"the issuer's current key is {key.key_type}: endorsements are signed with "
            "eddsa-rdfc-2022, which needs an Ed25519 key"
        )
    target = resolve_target(session, ctx, body.target_type, body.target_id)
    if target.issuer_id == issuer.id:
        raise Conflict("an issuer cannot endorse itself or the badges it issues")
    if not target.active:
        raise Conflict(f"the {target.type} {target.id!r} is not active and cannot be endorsed")
    comment = clean_comment(body.comment)
    lang = body.language or target.language
    now, endorsement_id = utcnow(), new_id()
    profile = issuer_service.profile(ctx, issuer, [key], lang)
    name = str(profile.get("name") or issuer.id)
    return publish(
        session,
        ctx,
        actor,
        endorsement_id=endorsement_id,
        profile=profile,
        target=target,
        endorser_name=name,
        stored_name=name[:200],
        relation=body.relation,
        comment=comment,
        lang=lang,
        now=now,
        pair=issuer_service.key_pair(ctx, key),
        method=issuer_service.verification_method(ctx, issuer, key),
        endorser_type="issuer",
        endorser_org_id=actor.org,
        endorser_issuer_id=issuer.id,
        endorser_id=None,
        audit_details={"issuer_id": issuer.id},
    )


def publish(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    *,
    endorsement_id: str,
    profile: JSONObject,
    target: Target,
    endorser_name: str,
    stored_name: str,
    relation: str | None,
    comment: str,
    lang: str,
    now: datetime,
    pair: KeyPair,
    method: str,
    endorser_type: str,
    endorser_org_id: str,
    endorser_issuer_id: str | None,
    endorser_id: str | None,
    audit_details: dict[str, str],
) -> Endorsement:
    """Build, sign, store and audit one endorsement of ``target`` by ``actor``; commits."""
    credential = build_endorsement(
        ctx,
        endorsement_id=endorsement_id,
        issuer=profile,
        target=target,
        endorser_name=endorser_name,
        relation=relation,
        comment=comment,
        lang=lang,
        now=now,
    )
    row = Endorsement(
        id=endorsement_id,
        org_id=target.org_id,
        target_type=target.type,
        target_id=target.id,
        endorser_type=endorser_type,
        endorser_org_id=endorser_org_id,
        endorser_issuer_id=endorser_issuer_id,
        endorser_id=endorser_id,
        endorser_name=stored_name,
        relation=relation,
        comment=comment,
        language=lang,
        credential=_sign(credential, pair, method, now),
        hidden=False,
        created_by=actor.actor_id,
        created_at=now,
    )
    session.add(row)
    audit.record(
        session,
        actor,
        "endorsement.create",
        "endorsement",
        row.id,
        endorsed_type=target.type,
        endorsed_id=target.id,
        **audit_details,
    )
    session.commit()
    return row
