"""JSON-LD 1.1 Processing Algorithms and API §4.1 Context Processing, with caching.

An active context is immutable once built. That is what makes caching safe: the result of
applying a context URL, a list of context URLs, or a scoped context of a term definition to an
active context is remembered on that active context (``derived``), so the pinned contexts, and
the property- and type-scoped contexts they define, are processed once per loader and reused.
Contexts embedded in a document (maps) are processed for that document only and never cached.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from badges.errors import JsonLdError
from badges.jsonld.active import (
    CACHE_BUDGET,
    ActiveContext,
    Environment,
    TermDefinition,
    expand_iri,
)
from badges.jsonld.iri import is_absolute_iri, is_well_formed_language, resolve_iri

MAX_REMOTE_CONTEXTS = 32
"""Context overflow limit: remote contexts nested in one another (§4.1.2 step 5.2.3)."""
MAX_CONTEXT_DEPTH = 48
"""Nesting limit for scoped contexts and term definition dependencies (hostile input guard)."""


def process_context(
    env: Environment,
    active: ActiveContext,
    local: Any,
    base_url: str | None,
    *,
    override_protected: bool = False,
    propagate: bool = True,
    remote: tuple[str, ...] = (),
    validate_scoped: bool = True,
    depth: int = 0,
) -> ActiveContext:
    """§4.1.2 Context Processing Algorithm: apply ``local`` to ``active``, return a new context."""
    if depth > MAX_CONTEXT_DEPTH:
        raise JsonLdError("contexts are nested too deeply", code="context overflow")
    if isinstance(local, dict) and "@propagate" in local:
        propagate_value = local["@propagate"]
        if not isinstance(propagate_value, bool):
            raise JsonLdError("@propagate must be true or false", code="invalid @propagate value")
        propagate = propagate_value
    result = active.copy()
    if not propagate and result.previous is None:
        result.previous = active
    items = local if isinstance(local, list) else [local]
    for item in items:
        if item is None:
            result = _nullify(active, result, override_protected, propagate)
        elif isinstance(item, str):
            result = _process_remote(
                env, result, item, base_url, override_protected, remote, validate_scoped, depth
            )
        elif isinstance(item, dict):
            result = _process_definition(
                env, result, item, base_url, override_protected, remote, depth
            ).finish()
        else:
            raise JsonLdError(
                f"a @context entry must be a map, a string or null, got {item!r}",
                code="invalid local context",
            )
    return result.finish()


def _nullify(
    active: ActiveContext, result: ActiveContext, override_protected: bool, propagate: bool
) -> ActiveContext:
    """§4.1.2 step 5.1: reset to the initial context."""
    if not override_protected and result.protected_terms:
        raise JsonLdError(
            "a context with protected terms cannot be nullified",
            code="invalid context nullification",
        )
    fresh = ActiveContext(active.original_base, result.budget)
    if not propagate:
        fresh.previous = result
    return fresh


def _process_remote(
    env: Environment,
    result: ActiveContext,
    url: str,
    base_url: str | None,
    override_protected: bool,
    remote: tuple[str, ...],
    validate_scoped: bool,
    depth: int,
) -> ActiveContext:
    """§4.1.2 step 5.2: dereference a context URL (through the loader only) and apply it."""
    if base_url is not None:
        url = resolve_iri(url, base_url)
    if not validate_scoped and url in remote:
        return result
    if len(remote) >= MAX_REMOTE_CONTEXTS:
        raise JsonLdError(f"too many nested remote contexts at {url}", code="context overflow")
    loaded = load_remote_context(env, url)
    return process_context(
        env,
        result,
        loaded,
        url,
        override_protected=override_protected,
        remote=(*remote, url),
        validate_scoped=validate_scoped,
        depth=depth + 1,
    )


def load_remote_context(env: Environment, url: str) -> Any:
    """Dereference ``url`` once per run and return its top-level @context value.

    A ``DocumentLoaderError`` from the loader propagates unchanged: the context could not be
    obtained, which is not the same as the document being invalid.
    """
    if url in env.documents:
        return env.documents[url]
    document = env.loader(url)
    if not isinstance(document, dict) or "@context" not in document:
        raise JsonLdError(f"{url} is not a JSON-LD context document", code="invalid remote context")
    env.documents[url] = document["@context"]
    return document["@context"]


def _process_definition(
    env: Environment,
    result: ActiveContext,
    context: dict[str, Any],
    base_url: str | None,
    override_protected: bool,
    remote: tuple[str, ...],
    depth: int,
) -> ActiveContext:
    """§4.1.2 steps 5.5-5.13 for one context definition (a map)."""
    if "@version" in context and context["@version"] != 1.1:
        raise JsonLdError(
            f"unsupported @version {context['@version']!r}", code="invalid @version value"
        )
    if "@import" in context:
        context = _merge_import(env, context, base_url)
    if "@propagate" in context and not isinstance(context["@propagate"], bool):
        raise JsonLdError("@propagate must be true or false", code="invalid @propagate value")
    result = result.copy()
    if "@base" in context and not remote:
        result.base = _context_base(context["@base"], result.base)
    if "@vocab" in context:
        result.vocab = _context_vocab(result, context["@vocab"])
    if "@language" in context:
        language = context["@language"]
        if language is not None and not isinstance(language, str):
            raise JsonLdError("@language must be a string or null", code="invalid default language")
        if language is not None and not is_well_formed_language(language):
            raise JsonLdError(f"invalid language tag {language!r}", code="invalid @language value")
        result.language = language.lower() if language is not None else None
    if "@direction" in context:
        direction = context["@direction"]
        if direction not in (None, "ltr", "rtl"):
            raise JsonLdError(
                f"@direction must be null, 'ltr' or 'rtl', got {direction!r}",
                code="invalid base direction",
            )
        result.direction = direction
    run = DefinitionRun(env, result, context, base_url, override_protected, remote, depth)
    for term in context:
        create_term_definition(run, term)
    return result


_CONTEXT_KEYWORDS = frozenset(
    {
        "@base",
        "@direction",
        "@import",
        "@language",
        "@propagate",
        "@protected",
        "@version",
        "@vocab",
    }
)


def is_context_keyword(key: str) -> bool:
    """Keys of a context definition that are not term definitions (§4.1.2 step 5.13)."""
    return key in _CONTEXT_KEYWORDS


def _merge_import(env: Environment, context: dict[str, Any], base_url: str | None) -> Any:
    """§4.1.2 step 5.6: merge the imported context definition under ``context``."""
    value = context["@import"]
    if not isinstance(value, str):
        raise JsonLdError("@import must be a string", code="invalid @import value")
    url = resolve_iri(value, base_url) if base_url is not None else value
    imported = load_remote_context(env, url)
    if not isinstance(imported, dict):
        raise JsonLdError(
            f"@import {url} is not a context definition", code="invalid remote context"
        )
    if "@import" in imported:
        raise JsonLdError(
            f"imported context {url} itself has @import", code="invalid context entry"
        )
    merged = {**imported, **context}
    del merged["@import"]
    return merged


def _context_base(value: Any, current: str | None) -> str | None:
    """§4.1.2 step 5.7: the new base IRI."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise JsonLdError("@base must be a string or null", code="invalid base IRI")
    if is_absolute_iri(value):
        return value
    if current is not None:
        return resolve_iri(value, current)
    raise JsonLdError(f"relative @base {value!r} without a base IRI", code="invalid base IRI")


def _context_vocab(result: ActiveContext, value: Any) -> str | None:
    """§4.1.2 step 5.8: the new vocabulary mapping (safe mode: never relative)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise JsonLdError("@vocab must be a string or null", code="invalid vocab mapping")
    vocab = expand_iri(result, value, vocab=True, document_relative=True)
    if vocab is None or not is_absolute_iri(vocab):
        raise JsonLdError(
            f"@vocab {value!r} does not expand to an absolute IRI",
            code="relative @vocab reference",
        )
    return vocab


def derive(
    env: Environment,
    active: ActiveContext,
    local: Any,
    key: Hashable | None,
    base_url: str | None = None,
    *,
    override_protected: bool = False,
    propagate: bool = True,
) -> ActiveContext:
    """Context processing with caching: ``key`` names ``local`` when it is cacheable.

    A key is given only for context values that do not come from the document being processed:
    absolute context URLs (alone or as a list) and scoped contexts of term definitions.
    """
    if key is not None:
        hit = active.derived.get(key)
        if hit is not None:
            return hit
    result = process_context(
        env,
        active,
        local,
        base_url,
        override_protected=override_protected,
        propagate=propagate,
    )
    if key is not None:
        active.remember(key, result)
    else:
        result.budget = [CACHE_BUDGET]
    return result


def cache_key(local: Any) -> Hashable | None:
    """The cache key of a document's @context value: only absolute URLs are cacheable."""
    if isinstance(local, str):
        return local if is_absolute_iri(local) else None
    if isinstance(local, list) and all(isinstance(u, str) and is_absolute_iri(u) for u in local):
        return tuple(local)
    return None


from badges.jsonld.terms import DefinitionRun, create_term_definition  # noqa: E402  (recursive)

__all__ = [
    "CACHE_BUDGET",
    "ActiveContext",
    "Environment",
    "TermDefinition",
    "cache_key",
    "derive",
    "expand_iri",
    "process_context",
]
