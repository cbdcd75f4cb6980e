"""Uploaded achievement images: checked by ``badges.images``, stored by content hash.

An upload is sanitised, stored once per achievement and SHA-256 (``achievement_images``)
and made the achievement's image in a new version, like any other edit: the version's
``image.id`` is the content-addressed public URL
``{base}/achievements/{id}/image/{sha256}.{png|svg}``. Rows are never changed, so
credentials issued with an earlier version keep pointing at the bytes they were issued
with. Uploading the current image again changes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import re
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.images import CheckedImage
from issuer.auth import Principal
from issuer.errors import NotFound
from issuer.services import ServiceContext, audit
from issuer.services.achievements import add_version, validate_source
from issuer.store import repo
from issuer.store.base import new_id, utcnow
from issuer.store.tables import Achievement, AchievementImage, AchievementVersion

EXTENSIONS: Final = {"image/png": "png", "image/svg+xml": "svg"}
FILE_NAME: Final = re.compile(r"^([0-9a-f]{64})\.(png|svg)$")


def public_url(ctx: ServiceContext, achievement_id: str, sha256: str, media_type: str) -> str:
    return ctx.url(f"achievements/{achievement_id}/image/{sha256}.{EXTENSIONS[media_type]}")


def set_image(
    ctx: ServiceContext,
    session: Session,
    actor: Principal,
    org_id: str,
    achievement_id: str,
    image: CheckedImage,
) -> tuple[Achievement, AchievementVersion]:
    """Store ``image`` and make it the achievement's image (a new version unless it is
    the current image already)."""
    achievement = repo.achievement(session, org_id, achievement_id)
    current = repo.version(session, achievement.id, achievement.current_version)
    digest = hashlib.sha256(image.data).hexdigest()
    stored = session.scalar(
        select(AchievementImage.id).where(
            AchievementImage.achievement_id == achievement.id, AchievementImage.sha256 == digest
        )
    )
    if stored is None:
        session.add(
            AchievementImage(
                id=new_id(),
                achievement_id=achievement.id,
                sha256=digest,
                media_type=image.media_type,
                data=image.data,
                size=len(image.data),
                created_by=actor.actor_id,
                created_at=utcnow(),
            )
        )
    url = public_url(ctx, achievement.id, digest, image.media_type)
    old = current.source.get("image")
    if isinstance(old, dict) and old.get("id") == url:
        session.commit()
        return achievement, current
    source = copy.deepcopy(current.source)
    source["image"] = {"id": url, "type": "Image"}
    validate_source(source)
    version = add_version(
        session,
        achievement,
        current,
        source,
        current.evidence_required,
        current.default_validity_days,
    )
    audit.record(
        session,
        actor,
        "achievement.image",
        "achievement",
        achievement.id,
        version=version.version,
        sha256=digest,
        media_type=image.media_type,
        size=len(image.data),
    )
    session.commit()
    return achievement, version


def public_image(session: Session, achievement_id: str, file_name: str) -> AchievementImage:
    """``GET /achievements/{id}/image/{sha256}.{ext}`` (any organisation: it is public)."""
    match = FILE_NAME.match(file_name)
    row = None
    if match is not None:
        row = session.scalar(
            select(AchievementImage).where(
                AchievementImage.achievement_id == achievement_id,
                AchievementImage.sha256 == match.group(1),
            )
        )
    if row is None or match is None or EXTENSIONS.get(row.media_type) != match.group(2):
        raise NotFound("achievement image", f"{achievement_id}/image/{file_name}")
    return row
