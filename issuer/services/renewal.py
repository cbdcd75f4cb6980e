"""New credentials that stand in for earlier ones: renewal and re-issue after a key compromise.

* **Renewal** (``POST /api/v1/awards/{id}/renew``): a new credential for the same
  recipient, achievement (its current version) and level with a new validity period
  starting now. The old award is left as it is (it expires on its own date); the two
  are linked by ``renewed_from``/``renewed_by``. An award is renewed at most once
  (renew the newest one again).
* **Re-issue** (``POST /api/v1/issuers/{id}/reissue``): every active award a
  compromised key signed at or after its ``compromised_since`` gets a new credential
  with the same content and validity, signed by the current key; the old award is
  revoked with the reason ``key compromise`` (``issuer.services.award_status``: its
  status list bit too, so verifiers that do not read the key's ``revoked`` time see
  it revoked as well) and linked by ``reissued_from``/``reissued_by``.

Both new credentials are secured like any new award (``issuer.services.credential_build``):
their own status list entries, and the endorsements of the achievement and issuer.

The recipient is the same one because the new credential copies the old
``credentialSubject`` identity (the salted e-mail hash, the DID or URL and the name):
the service never stores the e-mail address itself. Neither link is written into the
credential: OB 3.0 and VC 2.0 define no term for "this credential replaces that one"
(``Achievement.related`` relates achievements; ``relatedResource`` pins the integrity
of resources a credential uses), and JSON-LD safe mode refuses undefined terms.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import Conflict, InvalidRequest
from issuer.services import ServiceContext, audit, award_status, credential_build, status_lists
from issuer.services import issuers as issuer_service
from issuer.services import keys as key_service
from issuer.services.achievements import localize
from issuer.services.credential_build import result_for
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import AchievementVersion, Award, Issuer, SigningKey

MAX_REISSUE_BATCH = 1000
REISSUE_REASON = "key compromise"


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _relevel(achievement: JSONObject, results: list[Any]) -> list[JSONObject]:
    """The old results' rubric levels, pointed at the (new) achievement's descriptions."""
    out: list[JSONObject] = []
    for result in results:
        level = result.get("achievedLevel") if isinstance(result, dict) else None
        if not isinstance(level, str):
            continue
        try:
            out.append(result_for(achievement, level))
        except InvalidRequest as exc:
            raise Conflict(
                f"the achievement's current version has no rubric level {level!r} any more; "
                "award it anew with one of its levels"
            ) from exc
    return out


def _successor_credential(
    ctx: ServiceContext,
    old: Award,
    *,
    issuer: Issuer,
    key: SigningKey,
    award_id: str,
    valid_from: datetime,
    valid_until: datetime | None,
    version: AchievementVersion | None,
) -> JSONObject:
    """The old credential's content with a new id, issuer key, validity (and achievement)."""
    credential: JSONObject = copy.deepcopy(old.credential)
    credential.pop("proof", None)
    credential.pop("credentialStatus", None)  # a new credential gets its own entry
    credential["id"] = ctx.url(f"credentials/{award_id}")
    credential["issuer"] = issuer_service.profile(ctx, issuer, [key], old.language)
    credential["validFrom"] = _stamp(valid_from)
    if valid_until is not None:
        credential["validUntil"] = _stamp(valid_until)
    else:
        credential.pop("validUntil", None)
    if version is not None:
        achievement = localize(
            version.source, old.language, ctx.url(f"achievements/{old.achievement_id}")
        )
        subject: dict[str, Any] = credential["credentialSubject"]
        subject["achievement"] = achievement
        credential["name"] = achievement["name"]
        results = _relevel(achievement, list(subject.get("result") or []))
        if results:
            subject["result"] = results
        else:
            subject.pop("result", None)
    return credential


def _claim(session: Session, old: Award, column: str, new_award_id: str) -> None:
    """Link ``old`` to its successor unless another request did first (409)."""
    link = getattr(Award, column)
    done = session.execute(
        update(Award)
        .where(Award.id == old.id, Award.status == "active", link.is_(None))
        .values({column: new_award_id})
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        session.rollback()
        raise Conflict(f"award {old.id!r} was renewed or re-issued meanwhile")


def _successor(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    old: Award,
    link: str,
    *,
    issuer: Issuer,
    key: SigningKey,
    version: AchievementVersion | None,
    valid_from: datetime,
    valid_until: datetime | None,
    now: datetime,
) -> Award:
    """Claim ``old`` (its ``link`` column), sign its successor the way ``issue_award``
    does and add the award row.

    The format stays the old award's, except that only Ed25519 keys make
    eddsa-rdfc-2022 proofs: with a P-256 or RSA key the new award is a VC-JWT.
    """
    new_award_id = new_id()
    credential = _successor_credential(
        ctx,
        old,
        issuer=issuer,
        key=key,
        award_id=new_award_id,
        valid_from=valid_from,
        valid_until=valid_until,
        version=version,
    )
    _claim(session, old, link, new_award_id)
    signer = credential_build.Signer.of(ctx, issuer, key)
    award = Award(
        **credential_build.award_values(
            session,
            ctx,
            signer,
            credential,
            award_id=new_award_id,
            achievement_id=old.achievement_id,
            version_id=version.id if version else old.achievement_version_id,
            version=version.version if version else old.achievement_version,
            recipient_type=old.recipient_type,
            recipient_ref=old.recipient_ref,
            language=old.language,
            fmt=old.format if signer.ldp else "jwt",
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor.actor_id,
            now=now,
        )
    )
    session.add(award)
    return award


# --------------------------------------------------------------------------- renewal


def _renewal_until(given: datetime | None, days: int | None, now: datetime) -> datetime | None:
    if given is None:
        return now + timedelta(days=days) if days else None
    when = (given if given.tzinfo else given.replace(tzinfo=UTC)).astimezone(UTC)
    if when <= now:
        raise InvalidRequest.field(("body", "valid_until"), "must be in the future")
    return when.replace(microsecond=0)


def renew_award(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    award_id: str,
    valid_until: datetime | None,
) -> Award:
    """A new credential for the award's recipient, achievement and level, valid from now.

    ``valid_until`` defaults to the achievement's default validity (none: no end).
    Only an active award that has not been renewed yet can be renewed (409 otherwise).
    """
    old = repo.award(session, actor.org, award_id)
    if old.status != "active":
        raise Conflict(f"award {old.id!r} is {old.status}; only active awards are renewed")
    if old.renewed_by is not None:
        raise Conflict(f"award {old.id!r} was already renewed by {old.renewed_by!r}; renew that")
    achievement = repo.achievement(session, old.org_id, old.achievement_id)
    if achievement.archived:
        raise Conflict(f"achievement {achievement.id!r} is archived; restore it to renew awards")
    version = repo.version(session, achievement.id, achievement.current_version)
    issuer = repo.issuer(session, old.org_id, old.issuer_id)
    key = repo.current_key(session, issuer.id)
    now = utcnow()
    until = _renewal_until(valid_until, version.default_validity_days, now)
    award = _successor(
        session,
        ctx,
        actor,
        old,
        "renewed_by",
        issuer=issuer,
        key=key,
        version=version,
        valid_from=now,
        valid_until=until,
        now=now,
    )
    award.renewed_from = old.id
    audit.record(
        session,
        actor,
        "award.renew",
        "award",
        award.id,
        org_id=old.org_id,
        renewed_from=old.id,
        version=version.version,
        valid_until=_stamp(until) if until else None,
    )
    session.commit()
    session.refresh(old)
    return award


# --------------------------------------------------------------------------- re-issue


@dataclass
class Reissue:
    """What :func:`reissue_compromised` did: ``(old award id, new award id)`` pairs."""

    key_id: str
    reissued: list[tuple[str, str]] = field(default_factory=list)
    remaining: int = 0


def _reissue_one(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    old: Award,
    issuer: Issuer,
    key: SigningKey,
    compromised: SigningKey,
) -> Award:
    award = _successor(
        session,
        ctx,
        actor,
        old,
        "reissued_by",
        issuer=issuer,
        key=key,
        version=None,
        valid_from=old.valid_from,
        valid_until=old.valid_until,
        now=utcnow(),
    )
    award.reissued_from = old.id
    changed_list = award_status._revoke(session, actor, old, REISSUE_REASON)
    audit.record(
        session,
        actor,
        "award.reissue",
        "award",
        award.id,
        org_id=old.org_id,
        reissued_from=old.id,
        compromised_key=compromised.id,
        signing_key=key.id,
        reason="key compromise",
    )
    session.commit()
    if changed_list:
        status_lists.published(session, ctx, changed_list)
    return award


def reissue_compromised(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    org_id: str,
    issuer_id: str,
    key_id: str,
    limit: int = MAX_REISSUE_BATCH,
) -> Reissue:
    """Re-issue up to ``limit`` awards a compromised key signed at/after the compromise.

    Each award is re-issued in its own transaction (the old one revoked, the new one
    signed by the current key), so a failure keeps what was done; ``remaining`` says how
    many are left: call again until it is 0. Safe to run concurrently.
    """
    issuer = repo.issuer(session, org_id, issuer_id)
    compromised = key_service.issuer_key(session, issuer.id, key_id)
    if compromised.status != "compromised" or compromised.compromised_since is None:
        raise Conflict(
            f"key {compromised.id!r} is {compromised.status}, not compromised: mark it "
            "compromised first (its awards stay valid otherwise)"
        )
    key = repo.current_key(session, issuer.id)
    stmt = key_service.affected_awards_query(compromised).order_by(Award.id).limit(limit)
    result = Reissue(key_id=compromised.id)
    for old in list(session.scalars(stmt)):
        try:
            new = _reissue_one(session, ctx, actor, old, issuer, key, compromised)
        except Conflict:  # another request re-issued it first
            continue
        result.reissued.append((old.id, new.id))
    result.remaining = key_service.count_affected(session, compromised)
    audit.record(
        session,
        actor,
        "key.reissue",
        "signing_key",
        compromised.id,
        org_id=issuer.org_id,
        issuer_id=issuer.id,
        reissued=len(result.reissued),
        remaining=result.remaining,
        signing_key=key.id,
    )
    session.commit()
    return result
