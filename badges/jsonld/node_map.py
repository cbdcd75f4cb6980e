"""JSON-LD 1.1 Processing Algorithms and API §7.2 Node Map Generation.

Blank node identifiers are issued as ``_:b0``, ``_:b1``... in the same order as jsonld.js and
pyld issue them (properties visited in sorted order, @type identifiers first), so the RDF produced
from the node map carries the same labels as theirs.
"""

from __future__ import annotations

from typing import Any

from badges.errors import JsonLdError

NodeMap = dict[str, dict[str, dict[str, Any]]]
"""graph name (or "@default") -> subject -> node (a map of property -> list of values)."""


class Issuer:
    """§4.6 Generate Blank Node Identifier: ``_:b<n>``, stable per input identifier."""

    __slots__ = ("count", "issued")

    def __init__(self) -> None:
        self.count = 0
        self.issued: dict[str, str] = {}

    def new(self) -> str:
        """A fresh identifier."""
        label = f"_:b{self.count}"
        self.count += 1
        return label

    def relabel(self, old: str) -> str:
        """The identifier issued for the document's blank node ``old``."""
        label = self.issued.get(old)
        if label is None:
            label = self.issued[old] = self.new()
        return label


def generate_node_map(expanded: list[Any], issuer: Issuer) -> NodeMap:
    """§7.2.2 Node Map Generation over an expanded document."""
    node_map: NodeMap = {"@default": {}}
    _Generator(node_map, issuer).visit(expanded, "@default", None, None, None)
    return node_map


class _Generator:
    __slots__ = ("issuer", "node_map")

    def __init__(self, node_map: NodeMap, issuer: Issuer) -> None:
        self.node_map = node_map
        self.issuer = issuer

    def visit(
        self,
        element: Any,
        graph_name: str,
        subject: str | dict[str, Any] | None,
        prop: str | None,
        target: list[Any] | None,
    ) -> None:
        """Add ``element`` (a value of ``prop`` of ``subject``, or an item of ``target``)."""
        if isinstance(element, list):
            for item in element:
                self.visit(item, graph_name, subject, prop, target)
            return
        graph = self.node_map.setdefault(graph_name, {})
        subject_node = graph.get(subject) if isinstance(subject, str) else None
        if "@value" in element:
            if target is not None:
                target.append(element)
            elif subject_node is not None and prop is not None:
                _add_unique(subject_node, prop, element)
            return
        if "@list" in element:
            items: list[Any] = []
            self.visit(element["@list"], graph_name, subject, prop, items)
            listed = {"@list": items}
            if target is not None:
                target.append(listed)
            elif subject_node is not None and prop is not None:
                subject_node.setdefault(prop, []).append(listed)
            return
        self._node(element, graph_name, graph, subject, subject_node, prop, target)

    def _node(
        self,
        element: dict[str, Any],
        graph_name: str,
        graph: dict[str, dict[str, Any]],
        subject: str | dict[str, Any] | None,
        subject_node: dict[str, Any] | None,
        prop: str | None,
        target: list[Any] | None,
    ) -> None:
        """§7.2.2 step 6: a node object."""
        issuer = self.issuer
        for type_iri in element.get("@type", ()):
            if type_iri.startswith("_:"):
                issuer.relabel(type_iri)
        node_id = element.get("@id")
        if node_id is None:
            node_id = issuer.new()
        elif node_id.startswith("_:"):
            node_id = issuer.relabel(node_id)
        node = graph.get(node_id)
        if node is None:
            node = graph[node_id] = {"@id": node_id}
        if isinstance(subject, dict):
            _add_unique(node, prop, subject)  # type: ignore[arg-type]
        elif prop is not None:
            reference = {"@id": node_id}
            if target is not None:
                target.append(reference)
            elif subject_node is not None:
                _add_unique(subject_node, prop, reference)
        for key in sorted(element):
            values = element[key]
            if key[0] == "@":
                self._keyword(key, values, node, node_id, graph_name)
                continue
            if key.startswith("_:"):
                key = self.issuer.relabel(key)
            if not values:
                node.setdefault(key, [])
            for item in values:
                if "@value" in item:
                    _add_unique(node, key, item)
                elif "@list" in item:
                    self.visit(item, graph_name, node_id, key, None)
                else:
                    self._node(item, graph_name, graph, node_id, node, key, None)

    def _keyword(
        self, key: str, values: Any, node: dict[str, Any], node_id: str, graph: str
    ) -> None:
        """§7.2.2 steps 6.7-6.11: a keyword entry of a node object."""
        if key == "@id":
            return
        if key == "@reverse":
            referenced = {"@id": node_id}
            for reverse_prop, items in values.items():
                for item in items:
                    self.visit(item, graph, referenced, reverse_prop, None)
        elif key == "@graph":
            self.node_map.setdefault(node_id, {})
            self.visit(values, node_id, None, None, None)
        elif key == "@included":
            self.visit(values, graph, None, None, None)
        elif key == "@type":
            types = node.setdefault("@type", [])
            for type_iri in values:
                label = self.issuer.relabel(type_iri) if type_iri.startswith("_:") else type_iri
                if label not in types:
                    types.append(label)
        else:
            if key == "@index" and "@index" in node and node["@index"] != values:
                raise JsonLdError(f"node {node_id} has two @index values", "conflicting indexes")
            node[key] = values


def _add_unique(node: dict[str, Any], prop: str, value: dict[str, Any]) -> None:
    """Add ``value`` unless an equal value is there (pyld/jsonld.js value comparison)."""
    existing = node.get(prop)
    if existing is None:
        node[prop] = [value]
        return
    for other in existing:
        if _same(other, value):
            return
    existing.append(value)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if "@value" in a and "@value" in b:
        same = (
            a.get("@type") == b.get("@type")
            and a.get("@language") == b.get("@language")
            and a.get("@index") == b.get("@index")
            and _strict_equal(a["@value"], b["@value"])
        )
        if same and isinstance(a["@value"], dict | list):
            # jsonld.js compares JSON literals by reference and would keep both: the canonical
            # form (and so a signature) would differ between processors
            raise JsonLdError(
                "the same JSON literal is given twice for one property of one node",
                code="duplicate JSON literal",
            )
        return same
    identifier = a.get("@id")
    return identifier is not None and identifier == b.get("@id")


def _strict_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)
