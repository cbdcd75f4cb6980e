"""Active contexts and JSON-LD 1.1 Processing Algorithms §4.1 Context Processing.

An :class:`ActiveContext` is immutable once built. That is what makes caching safe: the result of
applying a context URL, a list of context URLs, or a scoped context of a term definition to an
active context is remembered on that active context (``derived``), so the pinned contexts, and the
property- and type-scoped contexts they define, are processed once per document loader and reused.
Contexts embedded in a document (maps) are processed for that document only and never cached.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from badges.errors import JsonLdError
from badges.jsonld.iri import (
    KEYWORDS,
    has_keyword_form,
    is_absolute_iri,
    is_well_formed_language,
    resolve_iri,
)
from badges.types import DocumentLoader

MAX_REMOTE_CONTEXTS = 32
"""Context overflow limit: remote contexts nested in one another (§4.1.2 step 5.2.3)."""
MAX_CONTEXT_DEPTH = 48
"""Nesting limit for scoped contexts and term definition dependencies (hostile input guard)."""
CACHE_BUDGET = 4096
"""How many derived active contexts one document loader may keep cached."""


class TermDefinition:
    """A term definition (JSON-LD 1.1 §4.1 "term definition"), with per-term flags precomputed."""

    __slots__ = (
        "base_url",
        "c_graph",
        "c_id",
        "c_index",
        "c_language",
        "c_list",
        "c_type",
        "container",
        "context",
        "direction",
        "fast",
        "has_context",
        "has_direction",
        "has_language",
        "index",
        "iri",
        "is_keyword",
        "language",
        "nest",
        "prefix",
        "protected",
        "reverse",
        "type_mapping",
    )

    def __init__(self, iri: str | None) -> None:
        self.iri = iri
        self.is_keyword = iri in KEYWORDS
        self.prefix = False
        self.protected = False
        self.reverse = False
        self.type_mapping: str | None = None
        self.has_language = False
        self.language: str | None = None
        self.has_direction = False
        self.direction: str | None = None
        self.container: frozenset[str] = frozenset()
        self.has_context = False
        self.context: Any = None
        self.base_url: str | None = None
        self.nest: str | None = None
        self.index: str | None = None
        self.fast = False
        self.set_container(frozenset())

    def seal(self) -> TermDefinition:
        """Precompute ``fast``: a scalar value of this term expands by Value Expansion alone."""
        self.is_keyword = self.iri in KEYWORDS
        self.fast = (
            self.iri is not None
            and not self.is_keyword
            and not self.has_context
            and not self.c_list
            and not self.c_graph
            and not self.reverse
            and self.type_mapping != "@json"
        )
        return self

    def set_container(self, container: frozenset[str]) -> None:
        """Set the container mapping and its precomputed membership flags."""
        self.container = container
        self.c_list = "@list" in container
        self.c_graph = "@graph" in container
        self.c_index = "@index" in container
        self.c_language = "@language" in container
        self.c_id = "@id" in container
        self.c_type = "@type" in container

    def signature(self) -> tuple[Any, ...]:
        """Everything but ``protected``: §4.2.2 step 27.1 compares definitions on this."""
        return (
            self.iri,
            self.prefix,
            self.reverse,
            self.type_mapping,
            self.has_language,
            self.language,
            self.has_direction,
            self.direction,
            self.container,
            self.has_context,
            self.context,
            self.nest,
            self.index,
        )


class ActiveContext:
    """The active context (JSON-LD 1.1 §4.1): term definitions plus defaults; never mutated."""

    __slots__ = (
        "base",
        "budget",
        "derived",
        "direction",
        "keyword_aliases",
        "language",
        "original_base",
        "previous",
        "protected_terms",
        "terms",
        "vocab",
    )

    def __init__(self, base: str | None, budget: list[int]) -> None:
        self.terms: dict[str, TermDefinition] = {}
        self.base = base
        self.original_base = base
        self.vocab: str | None = None
        self.language: str | None = None
        self.direction: str | None = None
        self.previous: ActiveContext | None = None
        self.protected_terms = 0
        self.derived: dict[Hashable, ActiveContext] = {}
        self.budget = budget
        self.keyword_aliases: dict[str, str] = {}

    def copy(self) -> ActiveContext:
        """A mutable working copy (the "result" of §4.1.2 step 1)."""
        out = ActiveContext(self.base, self.budget)
        out.terms = dict(self.terms)
        out.original_base = self.original_base
        out.vocab = self.vocab
        out.language = self.language
        out.direction = self.direction
        out.previous = self.previous
        out.protected_terms = self.protected_terms
        return out

    def finish(self) -> ActiveContext:
        """Freeze: compute the lookup tables used by expansion."""
        aliases = {kw: kw for kw in KEYWORDS}
        protected = 0
        for term, definition in self.terms.items():
            if definition.is_keyword:
                aliases[term] = definition.iri  # type: ignore[assignment]
            if definition.protected:
                protected += 1
        self.keyword_aliases = aliases
        self.protected_terms = protected
        return self

    def remember(self, key: Hashable, result: ActiveContext) -> None:
        """Cache a derived context if this loader's budget allows it."""
        if self.budget[0] > 0:
            self.budget[0] -= 1
            self.derived[key] = result


@dataclass
class Environment:
    """What one processing run needs besides the contexts: the loader and a document cache."""

    loader: DocumentLoader
    documents: dict[str, Any] = field(default_factory=dict)


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
    from badges.jsonld.terms import DefinitionRun, create_term_definition

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
        result.vocab = _context_vocab(env, result, context["@vocab"])
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


def _context_vocab(env: Environment, result: ActiveContext, value: Any) -> str | None:
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
    elif result.budget is active.budget:
        result.budget = [CACHE_BUDGET]
    return result


def cache_key(local: Any) -> Hashable | None:
    """The cache key of a document's @context value: only absolute URLs are cacheable."""
    if isinstance(local, str):
        return local if is_absolute_iri(local) else None
    if isinstance(local, list) and all(isinstance(u, str) and is_absolute_iri(u) for u in local):
        return tuple(local)
    return None


def expand_iri(
    active: ActiveContext, value: str, *, vocab: bool, document_relative: bool
) -> str | None:
    """§4.4.2 IRI Expansion against a finished active context (no local context)."""
    if value in KEYWORDS:
        return value
    if vocab:
        definition = active.terms.get(value)
        if definition is not None:
            return definition.iri
    if has_keyword_form(value):
        return None
    colon = value.find(":", 1)
    if colon > 0:
        prefix = value[:colon]
        suffix = value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        prefix_definition = active.terms.get(prefix)
        if (
            prefix_definition is not None
            and prefix_definition.prefix
            and prefix_definition.iri is not None
        ):
            return prefix_definition.iri + suffix
        if is_absolute_iri(value):
            return value
    if vocab and active.vocab is not None:
        return active.vocab + value
    if document_relative and active.base is not None:
        return resolve_iri(value, active.base)
    return value
