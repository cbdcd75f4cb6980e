"""JSON-LD 1.1 §5.1.2 Expansion Algorithm, steps 13.7-13.8: language, index, id and type maps."""

from __future__ import annotations

from typing import Any

from badges.jsonld.context import ActiveContext, TermDefinition, expand_iri
from badges.jsonld.expand import Expander, Path, expand_key, fail, undefined
from badges.jsonld.iri import is_absolute_iri


def expand_language_map(
    ex: Expander, ctx: ActiveContext, direction: str | None, value: dict[str, Any], path: Path
) -> list[dict[str, Any]]:
    """§5.1.2 step 13.7: a language map becomes language-tagged strings."""
    out: list[dict[str, Any]] = []
    for language in sorted(value):
        here: Path = (path, language)
        items = value[language]
        for item in items if isinstance(items, list) else [items]:
            if item is None:
                continue
            if not isinstance(item, str):
                raise fail("invalid language map value", "language map values are strings", here)
            tagged: dict[str, Any] = {"@value": item}
            if expand_key(ctx, language)[1] != "@none":
                tagged["@language"] = ex.language(language, here)
            if direction is not None:
                tagged["@direction"] = direction
            out.append(tagged)
    return out


def expand_index_map(
    ex: Expander,
    ctx: ActiveContext,
    entry: str,
    td: TermDefinition,
    prop: str,
    value: dict[str, Any],
    path: Path,
    depth: int,
) -> list[Any]:
    """§5.1.2 step 13.8: @index, @id and @type maps (and their @graph variants).

    As in jsonld.js and pyld, ``ctx`` is the active context with the property-scoped context
    of the map's term, and for @type maps the type-scoped contexts of the map keys accumulate
    in key order (the specification restarts from the map context for each key).
    """
    index_key = "@index" if td.c_index else "@id" if td.c_id else "@type"
    property_index: str | None = None
    scoped_td = ctx.terms.get(entry) if td.has_context else td
    if td.c_index and scoped_td is not None and scoped_td.index is not None:
        index_key = scoped_td.index
        property_index = expand_iri(ctx, index_key, vocab=True, document_relative=False) or ""
    map_ctx = ctx
    if index_key == "@type" and ctx.previous is not None:
        map_ctx = ctx = ctx.previous
    out: list[Any] = []
    for index in sorted(value):
        here: Path = (path, index)
        if index_key == "@type":
            definition = map_ctx.terms.get(index)
            if definition is not None and definition.has_context:
                map_ctx = ex.type_scoped(map_ctx, definition)
        raw = value[index]
        items = ex.element(
            map_ctx, entry, map_ctx.terms.get(entry), prop, raw if isinstance(raw, list) else [raw],
            True, False, here, depth + 1,
        )  # fmt: skip
        key_ctx = map_ctx if index_key == "@type" else ctx
        expanded_index = expand_key(key_ctx, index)[1]
        for item in items:
            out.append(
                _index_item(
                    ex, key_ctx, td, index, index_key, expanded_index, property_index, item, here
                )
            )
    return out


def _index_item(
    ex: Expander,
    ctx: ActiveContext,
    td: TermDefinition,
    index: str,
    index_key: str,
    expanded_index: str | None,
    property_index: str | None,
    item: Any,
    path: Path,
) -> Any:
    """§5.1.2 step 13.8.3.7: attach the map key to one expanded item."""
    if td.c_graph and not _is_graph_object(item):
        item = {"@graph": [item]}
    if index_key == "@type":
        if expanded_index != "@none":
            if "@value" in item:
                raise fail("invalid typed value", "a value cannot be indexed by @type", path)
            iri = expanded_index  # vocab-relative only, as jsonld.js and pyld expand map keys
            if iri is None or not is_absolute_iri(iri):
                raise undefined(index, path, "(a @type) is not defined by the @context")
            types = item.get("@type")
            item["@type"] = [iri, *types] if types else [iri]
    elif "@value" in item and index_key not in ("@index", "@language", "@type"):
        raise fail("invalid value object", f"a value cannot take the index {index_key}", path)
    elif expanded_index == "@none":
        pass
    elif property_index is not None:
        if not is_absolute_iri(property_index) or property_index.startswith("_:"):
            raise undefined(index_key, path, "(an @index property) is not defined")
        if "@list" in item:
            raise fail("invalid set or list object", "a list cannot take an index property", path)
        index_value = ex.value(ctx, ctx.terms.get(index_key), property_index, index, path)
        item[property_index] = [index_value, *item.get(property_index, [])]
    elif index_key == "@id":
        if "@id" not in item:
            item["@id"] = ex.node_id(ctx, index, path)
    elif "@index" not in item:
        item["@index"] = index
    return item


def _is_graph_object(item: Any) -> bool:
    return (
        isinstance(item, dict) and "@graph" in item and item.keys() <= {"@graph", "@id", "@index"}
    )
