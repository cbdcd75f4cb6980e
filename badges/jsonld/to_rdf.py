"""JSON-LD 1.1 Processing Algorithms and API §8.1 Deserialize JSON-LD to RDF (safe mode).

Quads come out in the order jsonld.js and pyld produce them (graphs, subjects and properties in
sorted order; list nodes issued while converting), with the same blank node labels. In safe mode
what the standard algorithm would skip raises instead: relative or malformed IRIs, blank node
predicates and @direction (there is no rdfDirection option, so the direction would be lost).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from badges.errors import JsonLdError
from badges.jsonld.iri import KEYWORDS, is_absolute_iri, is_well_formed_iri
from badges.jsonld.literals import canonical_json, double_lexical, integer_or_double
from badges.jsonld.node_map import Issuer, generate_node_map
from badges.rdf import (
    IRI,
    RDF_FIRST,
    RDF_JSON,
    RDF_LANGSTRING,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    Term,
)


def expanded_to_rdf(expanded: list[Any]) -> list[Quad]:
    """§8.1.2 Deserialize JSON-LD to RDF Algorithm over an expanded document."""
    issuer = Issuer()
    node_map = generate_node_map(expanded, issuer)
    return _Serializer(issuer).dataset(node_map)


class _Serializer:
    __slots__ = ("graph", "issuer", "quads", "terms")

    def __init__(self, issuer: Issuer) -> None:
        self.issuer = issuer
        self.quads: list[Quad] = []
        self.terms: dict[str, IRI | BlankNode] = {}
        self.graph: IRI | BlankNode | None = None

    def dataset(self, node_map: dict[str, dict[str, dict[str, Any]]]) -> list[Quad]:
        """§8.1.2 step 1: every graph, subject and property, in sorted order."""
        for graph_name in sorted(node_map):
            graph = None if graph_name == "@default" else self.node(graph_name, "graph")
            self.graph = graph
            nodes = node_map[graph_name]
            for subject_id in sorted(nodes):
                self.subject(nodes[subject_id], self.node(subject_id, "subject"), graph)
        return self.quads

    def subject(
        self, node: dict[str, Any], subject: IRI | BlankNode, graph: IRI | BlankNode | None
    ) -> None:
        """§8.1.2 step 1.3: the quads of one node, properties in sorted order."""
        append = self.quads.append
        terms = self.terms
        for prop in sorted(node):
            items = node[prop]
            if prop == "@type":
                predicate: IRI | BlankNode = self.iri(RDF_TYPE)
            elif prop in KEYWORDS or not items:
                continue
            elif prop.startswith("_:"):
                raise JsonLdError(f"{prop} is a blank node predicate", code="blank node predicate")
            else:
                predicate = terms.get(prop) or self.node(prop, "predicate")
            for item in items:
                if item.__class__ is str:
                    obj: Term = terms.get(item) or self.node(item, "object")
                elif "@value" in item:
                    value = item["@value"]
                    obj = (
                        Literal(value)
                        if len(item) == 1 and value.__class__ is str
                        else _literal(item)
                    )
                elif "@id" in item:
                    identifier = item["@id"]
                    obj = terms.get(identifier) or self.node(identifier, "object")
                else:
                    obj = self.list_head(item["@list"])
                append(Quad(subject, predicate, obj, graph))  # type: ignore[arg-type]

    def node(self, identifier: str, role: str) -> IRI | BlankNode:
        """An IRI or blank node term; safe mode refuses relative and malformed IRIs."""
        term = self.terms.get(identifier)
        if term is None:
            if identifier.startswith("_:"):
                term = _blank_node(identifier[2:])
            else:
                try:
                    term = _checked_iri(identifier)
                except ValueError:
                    if is_absolute_iri(identifier):
                        raise JsonLdError(
                            f"{identifier!r} has characters an IRI cannot contain", "invalid IRI"
                        ) from None
                    raise JsonLdError(
                        f"{identifier!r} is not an absolute IRI", f"relative {role} reference"
                    ) from None
            self.terms[identifier] = term
        return term

    def iri(self, value: str) -> IRI:
        term = self.terms.get(value)
        if term is None:
            term = self.terms[value] = _iri(value)
        return term  # type: ignore[return-value]

    def object(self, item: Any) -> Term:
        """§8.6 Object to RDF Conversion (lists through §8.5 List to RDF)."""
        if isinstance(item, str):
            return self.node(item, "type")
        if "@value" in item:
            return _literal(item)
        if "@list" in item:
            return self.list_head(item["@list"])
        return self.node(item["@id"], "object")

    def list_head(self, items: list[Any]) -> IRI | BlankNode:
        """§8.5 List to RDF Conversion: rdf:first/rdf:rest quads, in the default graph order."""
        if not items:
            return self.iri(RDF_NIL)
        first, rest = self.iri(RDF_FIRST), self.iri(RDF_REST)
        head = subject = self.node(self.issuer.new(), "subject")
        quads, graph = self.quads, self.graph
        for item in items[:-1]:
            obj = self.object(item)
            following = self.node(self.issuer.new(), "subject")
            quads.append(Quad(subject, first, obj, graph))
            quads.append(Quad(subject, rest, following, graph))
            subject = following
        obj = self.object(items[-1])
        quads.append(Quad(subject, first, obj, graph))
        quads.append(Quad(subject, rest, self.iri(RDF_NIL), graph))
        return head


@lru_cache(maxsize=4096)
def _iri(value: str) -> IRI:
    """Shared immutable IRI terms (a bounded memo of a pure constructor, nothing more)."""
    return IRI(value)


@lru_cache(maxsize=4096)
def _checked_iri(value: str) -> IRI:
    """The IRI term for a well-formed absolute IRI; ValueError otherwise (not memoized)."""
    if not is_well_formed_iri(value):
        raise ValueError(value)
    return IRI(value)


@lru_cache(maxsize=1024)
def _blank_node(label: str) -> BlankNode:
    return BlankNode(label)


def _literal(item: dict[str, Any]) -> Literal:
    """§8.6 steps 4-15 for a value object."""
    value = item["@value"]
    datatype = item.get("@type")
    if datatype is not None and datatype != "@json" and not is_well_formed_iri(datatype):
        raise JsonLdError(
            f"datatype {datatype!r} is not an absolute IRI", "relative type reference"
        )
    if datatype == "@json":
        return Literal(canonical_json(value), RDF_JSON)
    if value is True or value is False:
        return Literal("true" if value else "false", datatype or XSD_BOOLEAN)
    if datatype == XSD_DOUBLE:
        return Literal(double_lexical(value), XSD_DOUBLE)
    if isinstance(value, int | float):
        text, is_double = integer_or_double(value)
        return Literal(text, datatype or (XSD_DOUBLE if is_double else XSD_INTEGER))
    if "@direction" in item:
        raise JsonLdError(
            "@direction cannot be kept in RDF (no rdfDirection)", code="rdfDirection not set"
        )
    language = item.get("@language")
    if language is not None:
        return Literal(value, datatype or RDF_LANGSTRING, language)
    return Literal(value, datatype or XSD_STRING)
