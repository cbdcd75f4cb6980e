"""The human-readable credential page: what ``templates/credential.html`` shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from issuer.api.present import award_urls
from issuer.services import ServiceContext
from issuer.store.tables import Award

LABELS: dict[str, dict[str, Any]] = {
    "fi": {
        "recipient": "Saaja",
        "issuer": "Myöntäjä",
        "valid_from": "Myönnetty",
        "valid_until": "Voimassa asti",
        "level": "Taso",
        "narrative": "Perustelut",
        "criteria": "Myöntämisen kriteerit",
        "verify": "Tarkista merkki",
        "json": "Allekirjoitettu merkki (JSON-LD)",
        "jwt": "Allekirjoitettu merkki (VC-JWT)",
        "achievement": "Merkin kuvaus",
        "status": {"active": "Voimassa", "revoked": "Peruttu"},
    },
    "sv": {
        "recipient": "Mottagare",
        "issuer": "Utfärdare",
        "valid_from": "Utfärdat",
        "valid_until": "Giltigt till",
        "level": "Nivå",
        "narrative": "Motivering",
        "criteria": "Kriterier",
        "verify": "Kontrollera märket",
        "json": "Signerat märke (JSON-LD)",
        "jwt": "Signerat märke (VC-JWT)",
        "achievement": "Märkets beskrivning",
        "status": {"active": "Giltigt", "revoked": "Återkallat"},
    },
    "en": {
        "recipient": "Recipient",
        "issuer": "Issuer",
        "valid_from": "Issued",
        "valid_until": "Valid until",
        "level": "Level",
        "narrative": "Narrative",
        "criteria": "Criteria",
        "verify": "Verify this badge",
        "json": "Signed badge (JSON-LD)",
        "jwt": "Signed badge (VC-JWT)",
        "achievement": "About this badge",
        "status": {"active": "Valid", "revoked": "Revoked"},
    },
}


def _date(value: datetime | None, lang: str) -> str | None:
    if value is None:
        return None
    return f"{value.day}.{value.month}.{value.year}" if lang == "fi" else value.date().isoformat()


def _level_name(achievement: dict[str, Any], results: list[Any]) -> str | None:
    wanted = {r.get("achievedLevel") for r in results if isinstance(r, dict)}
    for description in achievement.get("resultDescription") or []:
        for level in description.get("rubricCriterionLevel") or []:
            if level.get("id") in wanted:
                return str(level.get("name"))
    return None


def credential_page(ctx: ServiceContext, award: Award) -> dict[str, Any]:
    """The template variables for one award (all of them: the template is strict)."""
    credential = award.credential
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    issuer = credential.get("issuer") or {}
    names = [
        item.get("identityHash")
        for item in subject.get("identifier") or []
        if item.get("identityType") == "name" and not item.get("hashed")
    ]
    image = achievement.get("image") or credential.get("image") or {}
    urls = award_urls(ctx, award)
    lang = award.language if award.language in LABELS else "en"
    return {
        "lang": lang,
        "labels": LABELS[lang],
        "name": credential.get("name") or achievement.get("name"),
        "description": achievement.get("description"),
        "criteria": (achievement.get("criteria") or {}).get("narrative"),
        "image": image.get("id") if isinstance(image, dict) else image,
        "status": award.status,
        "recipient_name": names[0] if names else None,
        "issuer_name": issuer.get("name"),
        "issuer_url": issuer.get("url"),
        "issuer_id": issuer.get("id"),
        "valid_from": _date(award.valid_from, lang),
        "valid_until": _date(award.valid_until, lang),
        "level": _level_name(achievement, subject.get("result") or []),
        "narrative": subject.get("narrative"),
        "page_url": urls.page,
        "json_url": urls.json_,
        "jwt_url": urls.jwt,
        "achievement_url": ctx.url(f"achievements/{award.achievement_id}"),
    }
