"""JSON-LD 1.1 Processing Algorithms and API §4.2 Create Term Definition.

Also the IRI Expansion variant used while a local context is being processed (§4.4.2 steps 3 and
6.3: terms the value depends on are defined first, and cycles are detected).
"""

from __future__ import annotations

from typing import Any

from badges.errors import JsonLdError
from badges.jsonld.context import (
    ActiveContext,
    Environment,
    TermDefinition,
    is_context_keyword,
    process_context,
)
from badges.jsonld.iri import (
    KEYWORDS,
    ends_with_gen_delim,
    has_keyword_form,
    is_absolute_iri,
    is_well_formed_language,
    resolve_iri,
)

_TERM_KEYS = frozenset(
    {
        "@container",
        "@context",
        "@direction",
        "@id",
        "@index",
        "@language",
        "@nest",
        "@prefix",
        "@protected",
        "@reverse",
        "@type",
    }
)
_CONTAINERS = frozenset({"@graph", "@id", "@index", "@language", "@list", "@set", "@type"})


class DefinitionRun:
    """State shared by the term definitions of one local context (§4.1.2 step 5.12 ``defined``)."""

    __slots__ = (
        "active",
        "base_url",
        "defined",
        "depth",
        "env",
        "local",
        "override_protected",
        "protected",
        "remote",
    )

    def __init__(
        self,
        env: Environment,
        active: ActiveContext,
        local: dict[str, Any],
        base_url: str | None,
        override_protected: bool,
        remote: tuple[str, ...],
        depth: int,
    ) -> None:
        self.env = env
        self.active = active
        self.local = local
        self.base_url = base_url
        self.override_protected = override_protected
        self.remote = remote
        self.depth = depth
        self.protected = bool(local.get("@protected", False))
        self.defined: dict[str, bool] = {}


def _fail(code: str, term: str, why: str) -> JsonLdError:
    return JsonLdError(f'term "{term}": {why}', code=code)


def create_term_definition(run: DefinitionRun, term: str) -> None:
    """§4.2.2 Create Term Definition for ``term`` of the local context."""
    if is_context_keyword(term):
        return
    state = run.defined.get(term)
    if state is True:
        return
    if state is False:
        raise _fail("cyclic IRI mapping", term, "its IRI mapping depends on itself")
    if run.depth > 64:
        raise _fail("context overflow", term, "term definitions depend on each other too deeply")
    if term == "":
        raise JsonLdError("a term must not be the empty string", code="invalid term definition")
    run.defined[term] = False
    value = run.local[term]
    if term == "@type":
        _check_type_redefinition(value)
    elif term in KEYWORDS:
        raise _fail("keyword redefinition", term, "keywords cannot be redefined")
    elif has_keyword_form(term):
        raise _fail("reserved term", term, "terms of the form @keyword are reserved")
    active = run.active
    previous = active.terms.pop(term, None)
    simple = isinstance(value, str)
    if value is None or simple:
        value = {"@id": value}
    elif not isinstance(value, dict):
        raise _fail("invalid term definition", term, "must be a string, a map or null")
    unknown = value.keys() - _TERM_KEYS
    if unknown:
        raise _fail("invalid term definition", term, f"unexpected entries {sorted(unknown)}")
    run.depth += 1
    try:
        definition = _build(run, term, value, simple)
    finally:
        run.depth -= 1
    if previous is not None and previous.protected and not run.override_protected:
        if definition.signature() != previous.signature():
            raise _fail("protected term redefinition", term, "is protected and cannot change")
        definition = previous
    active.terms[term] = definition
    run.defined[term] = True
    if definition.has_context and definition is not previous:
        _scoped_context(run, term, definition.context)


def _check_type_redefinition(value: Any) -> None:
    """§4.2.2 step 4: @type may only be given @container @set and @protected."""
    if (
        isinstance(value, dict)
        and value
        and value.get("@container", "@set") == "@set"
        and value.keys() <= {"@container", "@protected"}
    ):
        return
    raise _fail("keyword redefinition", "@type", "only @container: @set may be added")


def _build(run: DefinitionRun, term: str, value: dict[str, Any], simple: bool) -> TermDefinition:
    """§4.2.2 steps 10-26: build the definition from the expanded term definition map."""
    definition = TermDefinition(None)
    protected = value.get("@protected", run.protected)
    if not isinstance(protected, bool):
        raise _fail("invalid @protected value", term, "@protected must be true or false")
    definition.protected = protected
    if "@type" in value:
        definition.type_mapping = _type_mapping(run, term, value["@type"])
    if "@reverse" in value:
        _reverse_mapping(run, term, value, definition)
    else:
        definition.iri = _iri_mapping(run, term, value)
        if (
            simple
            and value["@id"] != term
            and definition.iri is not None
            and ":" not in term
            and "/" not in term
        ):
            definition.prefix = definition.iri.startswith("_:") or (
                definition.iri not in KEYWORDS and ends_with_gen_delim(definition.iri)
            )
    definition.is_keyword = definition.iri in KEYWORDS
    if "@container" in value:
        _container_mapping(term, value["@container"], definition)
    if "@index" in value:
        index = value["@index"]
        if not definition.c_index or not isinstance(index, str) or index.startswith("@"):
            raise _fail("invalid term definition", term, "@index needs an @index container")
        definition.index = index
    if "@context" in value:
        definition.has_context = True
        definition.context = value["@context"]
        definition.base_url = run.base_url
    if "@language" in value and "@type" not in value:
        definition.has_language = True
        definition.language = _language_mapping(term, value["@language"])
    if "@direction" in value:
        direction = value["@direction"]
        if direction not in (None, "ltr", "rtl"):
            raise _fail("invalid base direction", term, "@direction must be null, ltr or rtl")
        definition.has_direction = True
        definition.direction = direction
    if "@nest" in value:
        nest = value["@nest"]
        if not isinstance(nest, str) or (nest != "@nest" and nest.startswith("@")):
            raise _fail("invalid @nest value", term, "@nest must be @nest or a term")
        definition.nest = nest
    if "@prefix" in value:
        _prefix_flag(term, value["@prefix"], definition)
    if definition.iri in ("@context", "@preserve"):
        raise _fail("invalid keyword alias", term, f"{definition.iri} cannot be aliased")
    return definition.seal()


def _type_mapping(run: DefinitionRun, term: str, value: Any) -> str:
    """§4.2.2 step 12: the type mapping (@id, @vocab, @json, @none or an absolute IRI)."""
    if not isinstance(value, str):
        raise _fail("invalid type mapping", term, "@type must be a string")
    if value in ("@id", "@vocab", "@json", "@none"):
        return value
    expanded = expand_iri_local(run, value, vocab=True)
    if expanded is None or not is_absolute_iri(expanded) or expanded.startswith("_:"):
        raise _fail("invalid type mapping", term, f"@type {value!r} is not an absolute IRI")
    return expanded


def _reverse_mapping(
    run: DefinitionRun, term: str, value: dict[str, Any], definition: TermDefinition
) -> None:
    """§4.2.2 step 13: a reverse property."""
    if "@id" in value or "@nest" in value:
        raise _fail("invalid reverse property", term, "@reverse excludes @id and @nest")
    reverse = value["@reverse"]
    if not isinstance(reverse, str):
        raise _fail("invalid IRI mapping", term, "@reverse must be a string")
    if has_keyword_form(reverse):
        raise _fail("reserved @reverse value", term, f"@reverse {reverse!r} is reserved")
    iri = expand_iri_local(run, reverse, vocab=True)
    if iri is None or not is_absolute_iri(iri):
        raise _fail("invalid IRI mapping", term, f"@reverse {reverse!r} is not an IRI")
    definition.iri = iri
    definition.reverse = True


def _iri_mapping(run: DefinitionRun, term: str, value: dict[str, Any]) -> str | None:
    """§4.2.2 steps 14-18: the IRI mapping of a (non-reverse) term."""
    raw = value.get("@id", term)
    if raw is None:
        return None
    if raw != term:
        if not isinstance(raw, str):
            raise _fail("invalid IRI mapping", term, "@id must be a string or null")
        if raw not in KEYWORDS and has_keyword_form(raw):
            raise _fail("reserved @id value", term, f"@id {raw!r} is reserved")
        iri = expand_iri_local(run, raw, vocab=True)
        if iri is None or not (iri in KEYWORDS or is_absolute_iri(iri)):
            raise _fail("invalid IRI mapping", term, f"@id {raw!r} is not an IRI or keyword")
        if ":" in term[1:-1] or "/" in term:
            run.defined[term] = True
            if expand_iri_local(run, term, vocab=True) != iri:
                raise _fail("invalid IRI mapping", term, "an IRI-like term must expand to itself")
        return iri
    colon = term.find(":", 1)
    if colon > 0:
        prefix = term[:colon]
        if prefix in run.local:
            create_term_definition(run, prefix)
        prefix_definition = run.active.terms.get(prefix)
        if prefix_definition is not None:
            if prefix_definition.iri is None:
                raise _fail("invalid IRI mapping", term, f"prefix {prefix!r} maps to null")
            return prefix_definition.iri + term[colon + 1 :]
        return term
    if term == "@type":
        return "@type"
    if run.active.vocab is None:
        raise _fail("invalid IRI mapping", term, "needs an @id (the context has no @vocab)")
    return run.active.vocab + term


def _container_mapping(term: str, value: Any, definition: TermDefinition) -> None:
    """§4.2.2 step 19: validate and set the container mapping."""
    items = value if isinstance(value, list) else [value]
    container = frozenset(items) if all(isinstance(v, str) for v in items) else None
    valid = container is not None and len(container) == len(items) and container <= _CONTAINERS
    if container is not None and valid:
        if "@list" in container:
            valid = len(container) == 1
        elif "@graph" in container:
            valid = container <= {"@graph", "@id", "@index", "@set"}
        else:
            valid = len(container) <= (2 if "@set" in container else 1)
    if container is None or not valid:
        raise _fail("invalid container mapping", term, f"invalid @container {value!r}")
    definition.set_container(container)
    if definition.c_type:
        if definition.type_mapping is None:
            definition.type_mapping = "@id"
        if definition.type_mapping not in ("@id", "@vocab"):
            raise _fail("invalid type mapping", term, "a @type container needs @type @id/@vocab")
    if definition.reverse and not container <= {"@index", "@set"}:
        raise _fail("invalid reverse property", term, "reverse containers are @index or @set")


def _scoped_context(run: DefinitionRun, term: str, context: Any) -> None:
    """§4.2.2 step 21.3: validate a scoped context against the context defined so far."""
    try:
        process_context(
            run.env,
            run.active.copy().finish(),
            context,
            run.base_url,
            override_protected=True,
            remote=run.remote,
            validate_scoped=False,
            depth=run.depth + 1,
        )
    except JsonLdError as exc:
        if exc.code == "context overflow":
            raise
        raise JsonLdError(
            f'term "{term}": invalid scoped context: {exc}', code="invalid scoped context"
        ) from exc


def _language_mapping(term: str, value: Any) -> str | None:
    """§4.2.2 step 22: the language mapping (lower-cased, as jsonld.js and pyld do)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail("invalid language mapping", term, "@language must be a string or null")
    if not is_well_formed_language(value):
        raise _fail("invalid @language value", term, f"invalid language tag {value!r}")
    return value.lower()


def _prefix_flag(term: str, value: Any, definition: TermDefinition) -> None:
    """§4.2.2 step 25: an explicit prefix flag."""
    if ":" in term or "/" in term:
        raise _fail("invalid term definition", term, "@prefix on a compact IRI or IRI term")
    if not isinstance(value, bool):
        raise _fail("invalid @prefix value", term, "@prefix must be true or false")
    if value and definition.is_keyword:
        raise _fail("invalid term definition", term, "a keyword alias cannot be a prefix")
    definition.prefix = value


def expand_iri_local(run: DefinitionRun, value: str, *, vocab: bool) -> str | None:
    """§4.4.2 IRI Expansion while processing a local context (defines dependencies first)."""
    if value in KEYWORDS:
        return value
    if has_keyword_form(value):
        return None
    local = run.local
    if value in local and run.defined.get(value) is not True:
        create_term_definition(run, value)
    active = run.active
    if vocab:
        definition = active.terms.get(value)
        if definition is not None:
            return definition.iri
    colon = value.find(":", 1)
    if colon > 0:
        prefix = value[:colon]
        suffix = value[colon + 1 :]
        if prefix == "_" or suffix.startswith("//"):
            return value
        if prefix in local and run.defined.get(prefix) is not True:
            create_term_definition(run, prefix)
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
    if active.base is not None:
        return resolve_iri(value, active.base)
    return value
