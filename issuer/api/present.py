"""Rows → the API's ``…Public`` models."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from badges.model.i18n import languages_of
from issuer.models.achievements import AchievementPublic, AchievementUrls
from issuer.models.audit import AuditEventPublic
from issuer.models.awards import AwardPublic, AwardUrls
from issuer.models.issuers import IssuerPublic, IssuerUrls, KeyPublic
from issuer.services import ServiceContext
from issuer.services import issuers as issuer_service
from issuer.services import ob2 as ob2_service
from issuer.store.tables import (
    Achievement,
    AchievementVersion,
    AuditEvent,
    Award,
    Issuer,
    SigningKey,
)


def issuer(ctx: ServiceContext, row: Issuer, keys: Sequence[SigningKey]) -> IssuerPublic:
    return IssuerPublic(
        id=row.id,
        did=issuer_service.did_of(ctx, row, keys),
        did_method=cast(Any, row.did_method),
        name=row.name,
        description=row.description,
        url=row.url,
        email=row.email,
        image=row.image,
        format=cast(Any, row.format),
        default_language=cast(Any, row.default_language),
        ob2_signed=row.ob2_signed,
        keys=[signing_key(ctx, row, key) for key in keys],
        urls=IssuerUrls(
            profile=ctx.url(f"issuers/{row.id}"),
            did_document=ctx.url(f"issuers/{row.id}/did.json") if row.did_method == "web" else None,
            ob2_profile=ob2_service.issuer_url(ctx, row.id),
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def signing_key(ctx: ServiceContext, issuer: Issuer, key: SigningKey) -> KeyPublic:
    """A key's public part and state (never the private key)."""
    return KeyPublic(
        id=key.id,
        type=key.key_type,
        status=cast(Any, key.status),
        verification_method=issuer_service.verification_method(ctx, issuer, key),
        public_jwk=key.public_jwk,
        created_at=key.created_at,
        retired_at=key.retired_at,
        compromised_since=key.compromised_since,
        compromise_reason=key.compromise_reason,
    )


def achievement(
    ctx: ServiceContext, row: Achievement, version: AchievementVersion
) -> AchievementPublic:
    source: dict[str, Any] = version.source
    criteria = source.get("criteria") or {}
    image = source.get("image")
    return AchievementPublic(
        id=row.id,
        issuer_id=row.issuer_id,
        version=version.version,
        archived=row.archived,
        languages=list(languages_of(source)),
        name=source["name"],
        description=source["description"],
        criteria=criteria.get("narrative"),
        criteria_url=criteria.get("id"),
        achievement_type=source.get("achievementType"),
        image=image.get("id") if isinstance(image, dict) else image,
        tags=source.get("tag") or [],
        alignments=source.get("alignment") or [],
        result_description=source.get("resultDescription") or [],
        evidence_required=version.evidence_required,
        default_validity_days=version.default_validity_days,
        catalog_key=row.catalog_key,
        urls=AchievementUrls(public=ctx.url(f"achievements/{row.id}")),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def award_urls(ctx: ServiceContext, row: Award) -> AwardUrls:
    base = ctx.url(f"credentials/{row.id}")
    return AwardUrls(
        page=base,
        json=f"{base}.json" if row.ldp else None,
        jwt=f"{base}.jwt" if row.jwt else None,
        png=f"{base}.png",
        svg=f"{base}.svg",
        ob2=ob2_service.assertion_url(ctx, row.id),
        ob2_jws=ob2_service.jws_url(ctx, row.id) if ob2_service.is_signed(row) else None,
    )


def award(ctx: ServiceContext, row: Award) -> AwardPublic:
    return AwardPublic(
        id=row.id,
        achievement_id=row.achievement_id,
        achievement_version=row.achievement_version,
        issuer_id=row.issuer_id,
        status=cast(Any, row.status),
        format=cast(Any, row.format),
        language=cast(Any, row.language),
        recipient_type=cast(Any, row.recipient_type),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        created_at=row.created_at,
        credential=row.credential,
        jwt=row.jwt,
        urls=award_urls(ctx, row),
        renewed_from=row.renewed_from,
        renewed_by=row.renewed_by,
        reissued_from=row.reissued_from,
        reissued_by=row.reissued_by,
        revoked_at=row.revoked_at,
        revocation_reason=row.revocation_reason,
        suspended_at=row.suspended_at,
        suspension_reason=row.suspension_reason,
    )


def audit_event(row: AuditEvent) -> AuditEventPublic:
    return AuditEventPublic(
        id=row.id,
        at=row.at,
        actor_id=row.actor_id,
        actor_name=row.actor_name,
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        details=row.details,
    )
