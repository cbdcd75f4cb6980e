"""JSON-LD 1.1 §5.1.2 Expansion Algorithm, steps 13.4 (keyword entries) and 15 (value objects)."""

from __future__ import annotations

from typing import Any

from badges.jsonld.context import ActiveContext
from badges.jsonld.expand import Expander, Path, check_scalar, fail, undefined
from badges.jsonld.iri import is_absolute_iri

_VALUE_KEYS = frozenset({"@value", "@type", "@language", "@direction", "@index"})


def expand_keyword(
    ex: Expander,
    ctx: ActiveContext,
    type_scoped: ActiveContext,
    key: str | None,
    ep: str | None,
    prop: str,
    value: Any,
    result: dict[str, Any],
    path: Path,
    depth: int,
) -> None:
    """§5.1.2 step 13.4: one entry whose key expands to the keyword ``prop``."""
    if prop == "@id":
        result["@id"] = ex.node_id(ctx, value, path)
    elif prop == "@type":
        add_types(ex, type_scoped, value, result, path)
    elif prop == "@value":
        result["@value"] = value
    elif prop == "@language":
        if value is not None:
            result["@language"] = ex.language(value, path)
    elif prop == "@direction":
        if value not in ("ltr", "rtl"):
            raise fail("invalid base direction", f"@direction {value!r}", path)
        result["@direction"] = value
    elif prop == "@index":
        if not isinstance(value, str):
            raise fail("invalid @index value", f"@index must be a string, got {value!r}", path)
        result["@index"] = value
    elif prop == "@graph":
        if not isinstance(value, dict | list):
            raise fail("invalid @graph value", "@graph must be a map or an array", path)
        graph = ex.element(ctx, "@graph", None, "@graph", value, False, False, path, depth + 1)
        if graph is not None:
            result["@graph"] = graph if isinstance(graph, list) else [graph]
    elif prop in ("@list", "@set", "@included"):
        _add_container_keyword(ex, ctx, key, ep, prop, value, result, path, depth)
    elif prop == "@reverse":
        _add_reverse(ex, ctx, value, result, path, depth)
    else:
        raise undefined(prop, path, "is a keyword that cannot be used here")


def add_types(
    ex: Expander, ctx: ActiveContext, value: Any, result: dict[str, Any], path: Path
) -> None:
    """§5.1.2 step 13.4.4: @type values, expanded with the type-scoped context."""
    type_iri = ex.type_iri
    if isinstance(value, str):
        iris: Any = type_iri(ctx, value, path)
    elif isinstance(value, list):
        iris = []
        for name in value:
            if not isinstance(name, str):
                raise fail("invalid type value", "@type values must be strings", path)
            iris.append(type_iri(ctx, name, path))
        if not iris:
            return
    else:
        raise fail("invalid type value", "@type must be a string or an array of strings", path)
    existing = result.get("@type")
    if existing is None:
        result["@type"] = iris
    else:
        merged = existing if isinstance(existing, list) else [existing]
        merged.extend(iris if isinstance(iris, list) else [iris])
        result["@type"] = merged


def _add_container_keyword(
    ex: Expander,
    ctx: ActiveContext,
    key: str | None,
    ep: str | None,
    prop: str,
    value: Any,
    result: dict[str, Any],
    path: Path,
    depth: int,
) -> None:
    """§5.1.2 steps 13.4.6 (@included), 13.4.11 (@list) and 13.4.12 (@set)."""
    if prop == "@list" and ep == "@graph":
        key = ep = None
    td = ctx.terms.get(key) if key is not None else None
    inside_list = prop == "@list"
    expanded = ex.element(ctx, key, td, ep, value, False, inside_list, path, depth + 1)
    if expanded is None:
        if prop == "@included":
            raise fail("invalid @included value", "@included values must be nodes", path)
        return
    items = expanded if isinstance(expanded, list) else [expanded]
    if prop == "@included":
        for item in items:
            if not _is_node_object(item):
                raise fail("invalid @included value", "@included values must be nodes", path)
        result.setdefault("@included", []).extend(items)
    else:
        result[prop] = items


def _is_node_object(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and "@value" not in item
        and "@list" not in item
        and "@set" not in item
        and (len(item) > 1 or "@id" not in item)
    )


def _add_reverse(
    ex: Expander, ctx: ActiveContext, value: Any, result: dict[str, Any], path: Path, depth: int
) -> None:
    """§5.1.2 step 13.4.13: a @reverse map."""
    if not isinstance(value, dict):
        raise fail("invalid @reverse value", "@reverse must be a map", path)
    expanded = ex.element(ctx, "@reverse", None, "@reverse", value, False, False, path, depth + 1)
    if not isinstance(expanded, dict):
        return
    for prop, items in expanded.get("@reverse", {}).items():
        result.setdefault(prop, []).extend(items)
    for prop, items in expanded.items():
        if prop == "@reverse":
            continue
        reverse = result.setdefault("@reverse", {}).setdefault(prop, [])
        for item in items:
            if "@value" in item or "@list" in item:
                raise fail("invalid reverse property value", "a reverse property value", path)
            reverse.append(item)


def finish_value_object(result: dict[str, Any], path: Path) -> dict[str, Any] | None:
    """§5.1.2 step 15: validate a value object (safe mode: a null @value is refused)."""
    if result.keys() - _VALUE_KEYS:
        raise fail("invalid value object", "a value object with other entries", path)
    datatype = result.get("@type")
    if datatype is not None and ("@language" in result or "@direction" in result):
        raise fail("invalid value object", "@type together with @language/@direction", path)
    if isinstance(datatype, list):
        raise fail("invalid typed value", "the @type of a value must be one IRI", path)
    if datatype == "@json":
        return result
    value = result["@value"]
    if value is None:
        raise fail("null @value value", "a null @value would be dropped", path)
    if isinstance(value, dict | list):
        raise fail("invalid value object value", "@value must be a scalar", path)
    check_scalar(value, path)
    if "@language" in result and not isinstance(value, str):
        raise fail("invalid language-tagged value", "only strings take a @language", path)
    if datatype is not None and (datatype.startswith("_:") or not is_absolute_iri(datatype)):
        raise fail("invalid typed value", f"datatype {datatype!r} is not an IRI", path)
    return result
