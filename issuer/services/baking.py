"""Baked badge images of awards: the achievement's image with the credential inside.

The image is the one the award was issued with (its achievement version's uploaded
image, ``achievement_images``) when it is of the requested type; otherwise the generated
artwork (``issuer.services.artwork``) in the award's language with the metal of its
level: a ``.png`` of an achievement whose image is an SVG gets the PNG artwork, and the
other way round.

What is baked (``badges.baking``):

* OB 3.0 (default): the credential JSON with its eddsa-rdfc-2022 proof, or the VC-JWT
  when the award has no JSON-LD form (P-256/RSA keys).
* OB 2.0 (``?ob=2``): the signed Assertion (JWS) when the issuer signs OB 2.0, otherwise
  the hosted Assertion's JSON (in SVG: ``verify`` is the hosted URL).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from badges.baking import bake
from badges.images import PNG_MEDIA_TYPE, SVG_MEDIA_TYPE
from issuer.services import ServiceContext, artwork, artwork_source, ob2
from issuer.services.images import FILE_NAME
from issuer.store import repo
from issuer.store.tables import AchievementImage, AchievementVersion, Award

ImageKind = Literal["png", "svg"]
MEDIA_TYPES: Final[dict[ImageKind, str]] = {"png": PNG_MEDIA_TYPE, "svg": SVG_MEDIA_TYPE}


@dataclass(frozen=True)
class BakedImage:
    data: bytes
    media_type: str
    file_name: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.data).hexdigest()[:32] + '"'


def _achievement_name(award: Award) -> str:
    subject = award.credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    name = achievement.get("name")
    return name if isinstance(name, str) and name.strip() else "badge"


def file_name(award: Award, kind: ImageKind, ob: int) -> str:
    """``<achievement name as ASCII>-<award id start>[-ob2].<png|svg>``."""
    ascii_name = (
        unicodedata.normalize("NFKD", _achievement_name(award))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "badge"
    suffix = "-ob2" if ob == 2 else ""
    return f"{slug}-{award.id[:8]}{suffix}.{kind}"


def source_image(ctx: ServiceContext, session: Session, award: Award, kind: ImageKind) -> bytes:
    """The image to bake: the award's uploaded achievement image if it is a ``kind``, else
    the default artwork."""
    version = session.get(AchievementVersion, award.achievement_version_id)
    image = version.source.get("image") if version is not None else None
    url = image.get("id") if isinstance(image, dict) else image
    prefix = ctx.url(f"achievements/{award.achievement_id}/image/")
    if isinstance(url, str) and url.startswith(prefix):
        match = FILE_NAME.match(urlsplit(url).path.rpartition("/")[2])
        if match is not None and match.group(2) == kind:
            stored = session.scalar(
                select(AchievementImage.data).where(
                    AchievementImage.achievement_id == award.achievement_id,
                    AchievementImage.sha256 == match.group(1),
                )
            )
            if stored is not None:
                return stored
    art = artwork_source.award_artwork(session, award)
    return artwork.png(art) if kind == "png" else artwork.svg(art)


def baked(
    ctx: ServiceContext, session: Session, award_id: str, kind: ImageKind, ob: int
) -> BakedImage:
    """The award's baked ``kind`` image carrying its OB 3.0 credential (``ob=3``) or its
    OB 2.0 assertion (``ob=2``)."""
    award = repo.public_award(session, award_id)
    image = source_image(ctx, session, award, kind)
    if ob == 2:
        issuer = repo.public_issuer(session, award.issuer_id)
        payload = (
            ob2.signed(ctx, session, award.id) if issuer.ob2_signed else ob2.assertion(ctx, award)
        )
        data = bake(image, payload, kind="ob2")
    else:
        data = bake(image, award.credential if award.ldp else str(award.jwt), kind="ob3")
    return BakedImage(data, MEDIA_TYPES[kind], file_name(award, kind, ob))
