"""JSON-LD 1.1 Processing Algorithms and API §5.1 Expansion Algorithm, in safe mode.

Safe mode (as jsonld.js ``safe: true``): whatever the standard algorithm would silently drop, and
any relative IRI, raises instead, because dropped data would sit outside a signature. Behaviour
follows the JSON-LD 1.1 algorithm as implemented by jsonld.js and pyld (keys are processed in
sorted order, as both do); where those two differ from the specification text on a detail that
credentials never exercise, the comment says so.
"""

from __future__ import annotations

import math
import re
from typing import Any

from badges.errors import JsonLdError, UndefinedTerm
from badges.jsonld.context import (
    ActiveContext,
    Environment,
    TermDefinition,
    cache_key,
    derive,
    expand_iri,
)
from badges.jsonld.iri import KEYWORDS, has_keyword_form, is_absolute_iri, is_well_formed_language

MAX_DEPTH = 64
"""Deepest JSON nesting (objects and arrays) accepted in a document."""

Path = tuple[Any, str | int] | None
"""A JSON path as a linked list ``(parent, key_or_index)``; formatted only for error messages."""

_SCALARS = (str, int, float)
_SCHEME_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")


def path_text(path: Path) -> str:
    """Render a path like ``credentialSubject.achievement.alignment[0]``."""
    parts: list[str] = []
    while path is not None:
        path, step = path
        parts.append(f"[{step}]" if isinstance(step, int) else f".{step}")
    text = "".join(reversed(parts)).lstrip(".")
    return text or "the top level"


def fail(code: str, message: str, path: Path) -> JsonLdError:
    """A JsonLdError whose message ends with the JSON path where it happened."""
    return JsonLdError(f"{message} (at {path_text(path)})", code=code)


def undefined(key: str, path: Path, what: str = "is not defined by the @context") -> UndefinedTerm:
    """Safe mode: a property or type that does not expand to an absolute IRI."""
    return UndefinedTerm(f'"{key}" {what} (at {path_text(path)})')


class Expander:
    """Runs the Expansion Algorithm for one document (one :class:`Environment`)."""

    __slots__ = ("env",)

    def __init__(self, env: Environment) -> None:
        self.env = env

    def document(self, ctx: ActiveContext, document: Any) -> list[Any]:
        """§5.1.2 top level plus the final steps of §9.1 expand(): always an array."""
        result = self.element(ctx, None, None, None, document, False, False, None, 0)
        if isinstance(result, dict) and len(result) == 1 and "@graph" in result:
            result = result["@graph"]
        if result is None:
            return []
        return result if isinstance(result, list) else [result]

    def element(
        self,
        ctx: ActiveContext,
        key: str | None,
        td: TermDefinition | None,
        ep: str | None,
        element: Any,
        from_map: bool,
        inside_list: bool,
        path: Path,
        depth: int,
    ) -> Any:
        """§5.1.2 for any element: ``key``/``td``/``ep`` are the active property, its
        definition in ``ctx`` and its expanded IRI. A property-scoped context of ``key`` is
        already part of ``ctx`` (the caller applies it, as jsonld.js and pyld do)."""
        if isinstance(element, dict):
            if depth > MAX_DEPTH:
                raise fail("max depth exceeded", f"nesting deeper than {MAX_DEPTH} levels", path)
            return expand_node(self, ctx, key, td, ep, element, from_map, inside_list, path, depth)
        if isinstance(element, list):
            if depth > MAX_DEPTH:
                raise fail("max depth exceeded", f"nesting deeper than {MAX_DEPTH} levels", path)
            inside_list = inside_list or (td is not None and td.c_list)
            out: list[Any] = []
            for index, item in enumerate(element):
                expanded = self.element(
                    ctx, key, td, ep, item, from_map, inside_list, (path, index), depth + 1
                )
                if expanded.__class__ is list:
                    if inside_list:
                        out.append({"@list": expanded})
                    else:
                        out.extend(expanded)
                elif expanded is not None:
                    out.append(expanded)
            return out
        if element is None:
            return None
        if not inside_list and (key is None or ep == "@graph"):
            raise fail("free-floating scalar", f"a value without a property: {element!r}", path)
        return self.value(ctx, td, ep, element, path)

    def scoped(self, ctx: ActiveContext, td: TermDefinition) -> ActiveContext:
        """Apply a property-scoped context (override protected, cached per definition)."""
        hit = ctx.derived.get(td.scoped_key)
        if hit is not None:
            return hit
        return derive(
            self.env, ctx, td.context, td.scoped_key, td.base_url, override_protected=True
        )

    def embedded(self, ctx: ActiveContext, local: Any) -> ActiveContext:
        """Apply an embedded @context (cached only when it names absolute URLs)."""
        return derive(self.env, ctx, local, cache_key(local))

    def type_scoped(self, ctx: ActiveContext, td: TermDefinition) -> ActiveContext:
        """Apply a type-scoped context (not propagated, cached per definition)."""
        hit = ctx.derived.get(td)
        if hit is not None:
            return hit
        return derive(self.env, ctx, td.context, td, td.base_url, propagate=False)

    def value(
        self, ctx: ActiveContext, td: TermDefinition | None, ep: str | None, value: Any, path: Path
    ) -> dict[str, Any]:
        """§5.3.2 Value Expansion of a scalar."""
        check_scalar(value, path)
        mapping = td.type_mapping if td is not None else None
        if isinstance(value, str):
            if mapping == "@id" or ep == "@graph":
                return {"@id": self.reference(ctx, value, False, path)}
            if mapping == "@vocab":
                return {"@id": self.reference(ctx, value, True, path)}
        if ep in KEYWORDS:
            raise fail("invalid value object value", f"{value!r} cannot be a value of {ep}", path)
        if mapping is not None and mapping not in ("@id", "@vocab", "@none"):
            return {"@value": value, "@type": mapping}
        if isinstance(value, str):
            language = td.language if td is not None and td.has_language else ctx.language
            direction = td.direction if td is not None and td.has_direction else ctx.direction
            if language is None and direction is None:
                return {"@value": value}
            out: dict[str, Any] = {"@value": value}
            if language is not None:
                out["@language"] = language
            if direction is not None:
                out["@direction"] = direction
            return out
        return {"@value": value}

    def reference(self, ctx: ActiveContext, value: str, vocab: bool, path: Path) -> str:
        """Expand a string coerced to a node reference (@type @id / @vocab); never relative."""
        iri = expand_iri(ctx, value, vocab=vocab, document_relative=True)
        if iri is None:
            raise fail("reserved @id value", f"{value!r} is not a usable IRI", path)
        if iri in KEYWORDS or not is_absolute_iri(iri):
            raise fail("relative object reference", f"{value!r} is a relative IRI reference", path)
        return iri

    def node_id(self, ctx: ActiveContext, value: Any, path: Path) -> str:
        """Expand an @id value (§5.1.2 step 13.4.3); safe mode refuses relative ids."""
        if not isinstance(value, str):
            raise fail("invalid @id value", f"@id must be a string, got {value!r}", path)
        if "://" in value and _SCHEME_URL.match(value) is not None:
            return value  # an absolute URL: IRI Expansion returns it unchanged (§4.4.2 step 6.2)
        iri = expand_iri(ctx, value, vocab=False, document_relative=True)
        if iri is None:
            raise fail("reserved @id value", f"@id {value!r} has the form of a keyword", path)
        if iri in KEYWORDS or not is_absolute_iri(iri):
            raise fail("relative @id reference", f"@id {value!r} is a relative reference", path)
        return iri

    def type_iri(self, ctx: ActiveContext, value: str, path: Path) -> str:
        """Expand one @type value (vocab and document relative); safe mode refuses relative."""
        definition = ctx.terms.get(value)
        if definition is not None and not definition.is_keyword and definition.iri is not None:
            return definition.iri  # term IRIs were checked to be absolute when defined
        iri = expand_iri(ctx, value, vocab=True, document_relative=True)
        if iri is None or (iri != "@json" and (iri in KEYWORDS or not is_absolute_iri(iri))):
            raise undefined(value, path, "(a @type) is not defined by the @context")
        return iri

    def language(self, value: Any, path: Path) -> str:
        """Validate and lower-case a language tag (safe mode: 'invalid @language value')."""
        if not isinstance(value, str):
            raise fail("invalid language-tagged string", f"@language {value!r}", path)
        if not is_well_formed_language(value):
            raise fail("invalid @language value", f"{value!r} is not a language tag", path)
        return value.lower()


def check_scalar(value: Any, path: Path) -> None:
    """Refuse values that are not JSON (tuples, NaN, infinities, ...)."""
    if not isinstance(value, _SCALARS):
        raise fail("invalid JSON value", f"{type(value).__name__} is not a JSON value", path)
    if isinstance(value, float) and not math.isfinite(value):
        raise fail("invalid JSON value", f"{value!r} is not a JSON number", path)


def expand_key(ctx: ActiveContext, key: str) -> tuple[TermDefinition | None, str | None]:
    """The definition of ``key`` and its expansion as a property (vocab-relative)."""
    definition = ctx.terms.get(key)
    if definition is not None:
        return definition, definition.iri
    if key in KEYWORDS:
        return None, key
    if has_keyword_form(key):
        return None, None
    return None, expand_iri(ctx, key, vocab=True, document_relative=False)


from badges.jsonld.expand_node import expand_node  # noqa: E402  (the two modules recurse)
