"""Finnish, Swedish and English versions of achievements and profiles.

Decision: one credential per language
-------------------------------------
The OB 3.0 JSON Schema types ``name``, ``description`` and ``criteria.narrative``
as plain strings. JSON-LD language maps or value objects
(``{"@value": "…", "@language": "sv"}``) would be valid JSON-LD with the VC 2.0
and OB 3.0.3 contexts, but they break the schema (and most wallets). So a signed
credential carries exactly one language: the plain strings are in that language
and ``achievement.inLanguage`` names it. The service keeps the translations
outside the signed credential, and issues the recipient's language.

A *multilingual source* is an Achievement (or Profile) JSON object in which any
string, or list of strings, may be replaced by a :data:`Translations` object
keyed by language: ``{"fi": "…", "sv": "…", "en": "…"}``. :func:`localized`
picks one language. If the achievement ``id`` itself is a Translations object
(one published Achievement per language), each language version gets its own
id and ``related[]`` entries ``{id, type: ["Related"], inLanguage}`` point to
the other versions, as in OB 3.0 "Migrating" (translations via ``related``).
With a single plain ``id`` every language version shares it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Literal

from badges.errors import InvalidCredential
from badges.model.base import validated
from badges.model.credentials import Achievement, Profile

Language = Literal["fi", "sv", "en"]
LANGUAGES: tuple[Language, ...] = ("fi", "sv", "en")

Translations = dict[str, str]
"""Language tag (``fi``, ``sv``, ``en``) -> text."""


def is_translations(value: object) -> bool:
    """A non-empty object whose keys are all supported language tags."""
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(isinstance(key, str) and key in LANGUAGES for key in value)
    )


def _pick(value: Mapping[str, Any], lang: str, fallback: str | None, where: str) -> Any:
    if lang in value:
        return copy.deepcopy(value[lang])
    if fallback is not None and fallback in value:
        return copy.deepcopy(value[fallback])
    raise InvalidCredential(
        f"{where or '(root)'}: no {lang!r} text (available: {', '.join(sorted(value))})"
    )


def resolve_translations(
    value: Any, lang: str, *, fallback: str | None = None, where: str = ""
) -> Any:
    """A deep copy of ``value`` with every Translations object replaced by its ``lang`` text.

    A missing language raises ``InvalidCredential`` naming the path, unless
    ``fallback`` names a language to use instead.
    """
    if is_translations(value):
        return _pick(value, lang, fallback, where)
    if isinstance(value, Mapping):
        return {
            key: resolve_translations(
                item, lang, fallback=fallback, where=f"{where}.{key}" if where else key
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            resolve_translations(item, lang, fallback=fallback, where=f"{where}[{i}]")
            for i, item in enumerate(value)
        ]
    return copy.deepcopy(value)


def _check_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise InvalidCredential(f"inLanguage: {lang!r} is not one of {', '.join(LANGUAGES)}")


def localized(
    achievement: Mapping[str, Any], lang: str, *, fallback: str | None = None
) -> Achievement:
    """The ``lang`` version of a multilingual achievement source, with ``inLanguage: lang``.

    The source is not modified. A plain-string ``inLanguage`` in the source that
    differs from ``lang`` is an error (the texts would be in another language).
    """
    _check_language(lang)
    if not isinstance(achievement, Mapping):
        raise InvalidCredential("achievement: expected an object")
    source_lang = achievement.get("inLanguage")
    if isinstance(source_lang, str) and source_lang != lang:
        raise InvalidCredential(
            f"inLanguage: the achievement is in {source_lang!r}, not {lang!r}; "
            "give its texts as translations to localise it"
        )
    ids = achievement.get("id")
    data = resolve_translations(achievement, lang, fallback=fallback)
    data["inLanguage"] = lang
    if isinstance(ids, Mapping) and is_translations(ids):
        related = [entry for entry in data.get("related") or [] if isinstance(entry, dict)]
        known = {entry.get("id") for entry in related}
        for other, other_id in ids.items():
            if other != lang and other_id not in known and other_id != data.get("id"):
                related.append({"id": other_id, "type": ["Related"], "inLanguage": other})
        data["related"] = related
    return validated(Achievement, data, "achievement")


def localized_profile(
    profile: Mapping[str, Any], lang: str, *, fallback: str | None = None
) -> Profile:
    """The ``lang`` version of a multilingual Profile source (``name``, ``description``…).

    ``inLanguage`` is not added: the Profile class has no such property in the schema.
    """
    _check_language(lang)
    if not isinstance(profile, Mapping):
        raise InvalidCredential("issuer: expected an object")
    return validated(Profile, resolve_translations(profile, lang, fallback=fallback), "issuer")


def languages_of(source: Mapping[str, Any]) -> list[Language]:
    """The languages every Translations object in ``source`` has (in ``LANGUAGES`` order)."""
    found: set[str] = set(LANGUAGES)
    seen = False

    def walk(value: Any) -> None:
        nonlocal found, seen
        if is_translations(value):
            seen = True
            found &= set(value)
        elif isinstance(value, Mapping):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(source)
    if not seen:
        plain = source.get("inLanguage")
        return [lang for lang in LANGUAGES if lang == plain]
    return [lang for lang in LANGUAGES if lang in found]
