"""JSON-LD 1.1 §5.1.2 Expansion Algorithm, steps 7-20: expanding a map (node or value object)."""

from __future__ import annotations

import math
from typing import Any

from badges.jsonld.context import ActiveContext, TermDefinition
from badges.jsonld.expand import Expander, Path, expand_key, fail, undefined
from badges.jsonld.expand_keywords import add_types, expand_keyword, finish_value_object
from badges.jsonld.expand_maps import expand_index_map, expand_language_map
from badges.jsonld.iri import KEYWORDS, is_absolute_iri


def expand_node(
    ex: Expander,
    ctx: ActiveContext,
    key: str | None,
    td: TermDefinition | None,
    ep: str | None,
    element: dict[str, Any],
    from_map: bool,
    inside_list: bool,
    path: Path,
    depth: int,
) -> Any:
    """§5.1.2 steps 7-20 for a map ``element`` whose active property is ``key``.

    ``ctx`` already has the property-scoped context of ``key`` (applied by the caller, as in
    jsonld.js and pyld); it is applied again after a type-scoped context is reverted.
    """
    if ctx.previous is not None and not from_map and _reverts(ctx, element):
        ctx = ctx.previous
    if td is not None and td.has_context:
        ctx = ex.scoped(ctx, td)
    if "@context" in element:
        ctx = ex.embedded(ctx, element["@context"])
    if ctx.type_aliases.isdisjoint(element):
        type_scoped = ctx
    else:
        ctx, type_scoped = _apply_type_scoped(ex, ctx, element)
    result: dict[str, Any] = {}
    expand_entries(ex, ctx, type_scoped, key, ep, element, result, path, depth)
    # jsonld.js decides on dropping with the definition of the key in the final context
    return _finish(result, key, ctx.terms.get(key) if key else None, ep, inside_list, path)


def _reverts(ctx: ActiveContext, element: dict[str, Any]) -> bool:
    """§5.1.2 step 7: leave a type-scoped context unless this is a value or a lone @id.

    Like jsonld.js and pyld, only maps of at most two entries, without @context, are looked at.
    """
    if len(element) > 2 or "@context" in element:
        return True
    aliases = ctx.keyword_aliases
    for entry in element:
        keyword = aliases.get(entry)
        if keyword == "@value" or (keyword == "@id" and len(element) == 1):
            return False
    return True


def _apply_type_scoped(
    ex: Expander, ctx: ActiveContext, element: dict[str, Any]
) -> tuple[ActiveContext, ActiveContext]:
    """§5.1.2 steps 10-11: apply the type-scoped contexts of the node's types, in order."""
    type_scoped = ctx
    for entry in sorted(ctx.type_aliases.intersection(element)):
        value = element[entry]
        names = (
            sorted(n for n in value if isinstance(n, str)) if isinstance(value, list) else [value]
        )
        for name in names:
            if not isinstance(name, str):
                continue
            definition = type_scoped.terms.get(name)
            if definition is not None and definition.has_context:
                ctx = ex.type_scoped(ctx, definition)
    return ctx, type_scoped


def expand_entries(
    ex: Expander,
    ctx: ActiveContext,
    type_scoped: ActiveContext,
    key: str | None,
    ep: str | None,
    element: dict[str, Any],
    result: dict[str, Any],
    path: Path,
    depth: int,
) -> None:
    """§5.1.2 steps 13-14: expand every entry of ``element`` into ``result``."""
    nests: list[tuple[str, ActiveContext]] = []
    terms = ctx.terms
    plain = ctx.plain
    for entry in sorted(element):
        value = element[entry]
        definition = terms.get(entry)
        if definition is not None and definition.fast:
            if plain and definition.plain_text and value.__class__ is str:
                expanded_scalar: dict[str, Any] | None = {"@value": value}
            else:
                expanded_scalar = _fast_scalar(ex, ctx, definition, value, path, entry)
            if expanded_scalar is not None:
                existing = result.get(definition.iri)  # type: ignore[arg-type]
                if existing is None:
                    result[definition.iri] = [expanded_scalar]  # type: ignore[index]
                else:
                    existing.append(expanded_scalar)
                continue
        if entry == "@context":
            continue
        if definition is None:
            definition, prop = expand_key(ctx, entry)
        else:
            prop = definition.iri
        if prop is None:
            raise undefined(entry, path)
        here: Path = (path, entry)
        if prop in KEYWORDS:
            if ep != "@reverse":
                if prop == "@id" and "@id" not in result:
                    result["@id"] = ex.node_id(ctx, value, here)
                    continue
                if prop == "@type":
                    add_types(ex, type_scoped, value, result, here)
                    continue
            if ep == "@reverse":
                raise fail("invalid reverse property map", f"{entry} inside @reverse", here)
            if prop in result and prop not in ("@included", "@type"):
                raise fail("colliding keywords", f"{prop} is given twice", here)
            if prop == "@nest":
                nest_ctx = (
                    ex.scoped(ctx, definition) if definition and definition.has_context else ctx
                )
                nests.append((entry, nest_ctx))
                continue
            expand_keyword(ex, ctx, type_scoped, key, ep, prop, value, result, here, depth)
            continue
        if definition is None and not is_absolute_iri(prop):
            raise undefined(entry, path)
        expanded = _property_value(ex, ctx, entry, definition, prop, value, here, depth)
        if expanded is None:
            continue
        if definition is not None and definition.has_context:
            # jsonld.js and pyld take the reverse flag from the property-scoped context
            definition = ex.scoped(ctx, definition).terms.get(entry)
        _add_property(definition, prop, expanded, result, here)
    for entry, nest_ctx in nests:
        _expand_nested(ex, nest_ctx, key, ep, element[entry], result, (path, entry), depth)


def _fast_scalar(
    ex: Expander, ctx: ActiveContext, td: TermDefinition, value: Any, path: Path, entry: str
) -> dict[str, Any] | None:
    """§5.3.2 Value Expansion for the common case: a scalar value of a plain term.

    Returns None when ``value`` is not a string, boolean or finite number; the general path
    then handles it (and reports what is wrong with it).
    """
    cls = value.__class__
    mapping = td.type_mapping
    if cls is str:
        if mapping is None or mapping == "@none":
            language = td.language if td.has_language else ctx.language
            direction = td.direction if td.has_direction else ctx.direction
            if language is None and direction is None:
                return {"@value": value}
            return ex.value(ctx, td, td.iri, value, (path, entry))
        if mapping == "@id":
            return {"@id": ex.reference(ctx, value, False, (path, entry))}
        if mapping == "@vocab":
            return {"@id": ex.reference(ctx, value, True, (path, entry))}
        return {"@value": value, "@type": mapping}
    if cls is bool or cls is int or (cls is float and math.isfinite(value)):
        if mapping is None or mapping in ("@id", "@vocab", "@none"):
            return {"@value": value}
        return {"@value": value, "@type": mapping}
    return None


def _property_value(
    ex: Expander,
    ctx: ActiveContext,
    entry: str,
    td: TermDefinition | None,
    prop: str,
    value: Any,
    path: Path,
    depth: int,
) -> Any:
    """§5.1.2 steps 13.5-13.12: the expanded value of a (non-keyword) property."""
    if td is None:
        return ex.element(ctx, entry, None, prop, value, False, False, path, depth + 1)
    term_ctx = ex.scoped(ctx, td) if td.has_context else ctx
    if isinstance(value, dict):
        if td.c_language:
            direction = td.direction if td.has_direction else ctx.direction
            return expand_language_map(ex, term_ctx, direction, value, path)
        if td.c_index or td.c_id or td.c_type:
            return expand_index_map(ex, term_ctx, entry, td, prop, value, path, depth)
    if td.type_mapping == "@json":
        return {"@value": value, "@type": "@json"}
    term_td = term_ctx.terms.get(entry) if td.has_context else td
    expanded = ex.element(term_ctx, entry, term_td, prop, value, False, False, path, depth + 1)
    if expanded is None:
        return None
    if td.c_list and not (isinstance(expanded, dict) and "@list" in expanded):
        expanded = {"@list": expanded if isinstance(expanded, list) else [expanded]}
    if td.c_graph and not td.c_id and not td.c_index:
        items = expanded if isinstance(expanded, list) else [expanded]
        if not items:
            return None  # jsonld.js adds nothing for an empty graph container value
        for index, item in enumerate(items):
            check_not_dropped(item, len(item), (path, index))
        expanded = [{"@graph": [item]} for item in items]
    return expanded


def _add_property(
    td: TermDefinition | None, prop: str, expanded: Any, result: dict[str, Any], path: Path
) -> None:
    """§5.1.2 steps 13.13-13.14: add to the result, or to its @reverse map."""
    items = expanded if isinstance(expanded, list) else [expanded]
    if td is not None and td.reverse:
        reverse = result.setdefault("@reverse", {})
        for item in items:
            if "@value" in item or "@list" in item:
                raise fail("invalid reverse property value", "a reverse property value", path)
        if items:
            reverse.setdefault(prop, []).extend(items)
        return
    existing = result.get(prop)
    if existing is None:
        result[prop] = items
    else:
        existing.extend(items)


def _expand_nested(
    ex: Expander,
    nest_ctx: ActiveContext,
    key: str | None,
    ep: str | None,
    value: Any,
    result: dict[str, Any],
    path: Path,
    depth: int,
) -> None:
    """§5.1.2 step 14: merge the entries of @nest values into the node being expanded."""
    values = value if isinstance(value, list) else [value]
    for index, nested in enumerate(values):
        here: Path = (path, index) if isinstance(value, list) else path
        if not isinstance(nested, dict):
            raise fail("invalid @nest value", "@nest values must be maps", here)
        ctx = nest_ctx
        if "@context" in nested:
            ctx = ex.embedded(ctx, nested["@context"])
        ctx, type_scoped = _apply_type_scoped(ex, ctx, nested)
        if any(ctx.keyword_aliases.get(entry) == "@value" for entry in nested):
            raise fail("invalid @nest value", "@nest values cannot be value objects", here)
        if depth + 1 > 64:
            raise fail("max depth exceeded", "@nest values nested too deeply", here)
        expand_entries(ex, ctx, type_scoped, key, ep, nested, result, here, depth + 1)


def check_not_dropped(result: Any, count: int, path: Path) -> None:
    """Safe mode for free-floating maps (§5.1.2 step 19 and jsonld.js @graph containers)."""
    if not isinstance(result, dict):
        return
    if count == 0:
        raise fail("empty object", "an empty object would be dropped", path)
    if "@value" in result:
        raise fail("object with only @value", "a free-floating value would be dropped", path)
    if "@list" in result:
        raise fail("object with only @list", "a free-floating list would be dropped", path)
    if count == 1 and "@id" in result:
        raise fail("object with only @id", "a node with only an @id would be dropped", path)


def _finish(
    result: dict[str, Any],
    key: str | None,
    td: TermDefinition | None,
    ep: str | None,
    inside_list: bool,
    path: Path,
) -> Any:
    """§5.1.2 steps 15-20: validate value, list and set objects; refuse what would be dropped."""
    if result.get("@value") == [] and result.get("@type") != "@json":
        del result["@value"]  # an empty array of values adds nothing (jsonld.js, pyld)
    types = result.get("@type")
    if (
        types is not None
        and "@value" not in result
        and (types == "@json" or (isinstance(types, list) and "@json" in types))
    ):
        raise fail("invalid typed value", "@json is only a datatype of values", path)
    count = len(result)
    out: Any = result
    if "@value" in result:
        out = finish_value_object(result, path)
    elif "@type" in result and isinstance(result["@type"], str):
        # §5.1.2 step 16; an array @type goes on to the @set/@list check (as in jsonld.js)
        result["@type"] = [result["@type"]]
    elif "@set" in result or "@list" in result:
        if count > 2 or (count == 2 and "@index" not in result):
            raise fail("invalid set or list object", "@set/@list with other entries", path)
        if "@set" in result:
            return result["@set"]
    elif count == 1 and "@language" in result:
        raise fail("object with only @language", "a lone @language would be dropped", path)
    if not inside_list and (key is None or ep == "@graph" or (td is not None and td.c_graph)):
        check_not_dropped(out, count, path)
    return out
