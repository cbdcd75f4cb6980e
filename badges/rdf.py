"""RDF terms and quads: the data model between JSON-LD and canonicalization.

RDF 1.1 Concepts; N-Quads serialization in the canonical form of RDFC-1.0 §4.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from badges.errors import JsonLdError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


@dataclass(frozen=True, slots=True)
class IRI:
    value: str


@dataclass(frozen=True, slots=True)
class BlankNode:
    """A blank node; ``value`` is the label without the ``_:`` prefix."""

    value: str


@dataclass(frozen=True, slots=True)
class Literal:
    value: str
    datatype: str = XSD_STRING
    language: str | None = None


Term = IRI | BlankNode | Literal


@dataclass(frozen=True, slots=True)
class Quad:
    subject: IRI | BlankNode
    predicate: IRI
    object: Term
    graph: IRI | BlankNode | None = None


# --- Canonical N-Quads serialization ------------------------------------------------------------
#
# RDFC-1.0 §4 serializes quads in "canonical N-Quads form" (RDF 1.2 N-Quads §"Canonical N-Quads",
# which extends Canonical N-Triples). What that form says about escaping, and what we match:
#
#   Literals: the spec (and the final W3C rdf-canon test060 "n-quads escaping") uses ECHAR for
#     U+0008 \b, U+0009 \t, U+000A \n, U+000C \f, U+000D \r, U+0022 \" and U+005C \\, UCHAR with
#     *uppercase* hex (\u0000 ... \u001F, \u007F) for the other C0 controls and DEL, and writes
#     every other character (all of U+0080 and up, including C1 controls) unescaped, as UTF-8.
#   IRIs: the grammar forbids U+0000-U+0020 and <>"{}|^`\ in IRIREF; canonical form writes such a
#     character as UCHAR \uXXXX (uppercase); everything else is written unescaped.
#
# This is exactly what npm rdf-canonize 5.0.0 (lib/NQuads.js, used by @digitalbazaar/vc 7 via
# jsonld-signatures / eddsa-rdfc-2022-cryptosuite) produces, and we match it byte for byte.
# pyld 3.3 (pyld/nquads.py) differs: in literals it escapes only \\ \t \n \r \" and writes the
# other C0 controls and DEL raw, and it escapes nothing in IRIs. Datasets with those characters
# therefore canonicalize (and hash) differently in pyld.
#
# Blank nodes are written "_:" + label; a language-tagged string is written "..."@tag (no
# datatype); an xsd:string literal has no datatype suffix.

_LITERAL_SPECIAL = re.compile(r'[\x00-\x1f\x7f"\\]')
_LITERAL_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}
_LITERAL_ESCAPES.update(
    {
        0x08: "\\b",
        0x09: "\\t",
        0x0A: "\\n",
        0x0C: "\\f",
        0x0D: "\\r",
        0x22: '\\"',
        0x5C: "\\\\",
    }
)
_IRI_SPECIAL = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_IRI_ESCAPES: dict[int, str] = {ord(c): f"\\u{ord(c):04X}" for c in '<>"{}|^`\\'}
_IRI_ESCAPES.update({c: f"\\u{c:04X}" for c in range(0x21)})


def escape_literal(value: str) -> str:
    """The lexical form as written between the quotes of a canonical N-Quads literal."""
    if _LITERAL_SPECIAL.search(value) is None:
        return value
    return value.translate(_LITERAL_ESCAPES)


def escape_iri(value: str) -> str:
    """An IRI as written between the angle brackets of a canonical N-Quads IRIREF."""
    if _IRI_SPECIAL.search(value) is None:
        return value
    return value.translate(_IRI_ESCAPES)


_IRI_TEXT: dict[str, str] = {}  # ASCII IRI -> "<escaped>": vocabulary IRIs recur constantly
_IRI_TEXT_MAX = 4096


def serialize_iri(value: str) -> str:
    """An IRI in canonical N-Quads form, ``<...>``."""
    text = _IRI_TEXT.get(value)
    if text is None:
        text = f"<{escape_iri(value)}>"
        if value.isascii():
            if len(_IRI_TEXT) >= _IRI_TEXT_MAX:
                _IRI_TEXT.clear()
            _IRI_TEXT[value] = text
    return text


def serialize_literal(literal: Literal) -> str:
    """A literal in canonical N-Quads form: ``"..."``, ``"..."@tag`` or ``"..."^^<datatype>``."""
    value = literal.value
    if value.isprintable() and '"' not in value and "\\" not in value:
        text = f'"{value}"'  # nothing to escape: printable excludes U+0000-U+001F and U+007F
    else:
        text = f'"{escape_literal(value)}"'
    if literal.language:
        # A language tag makes it an rdf:langString whatever the datatype field says.
        return f"{text}@{literal.language}"
    datatype = literal.datatype
    if datatype in (XSD_STRING, RDF_LANGSTRING):
        return text
    return f"{text}^^{serialize_iri(datatype)}"


def serialize_term(term: Term) -> str:
    """One term in canonical N-Quads form: ``<iri>``, ``_:label`` or a literal."""
    if isinstance(term, IRI):
        return serialize_iri(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        return serialize_literal(term)
    raise TypeError(f"not an RDF term: {term!r}")


def serialize_quad(quad: Quad) -> str:
    """One canonical N-Quads line (``s p o [g] .`` and a final ``\\n``)."""
    s = serialize_term(quad.subject)
    p = serialize_term(quad.predicate)
    o = serialize_term(quad.object)
    if quad.graph is None:
        return f"{s} {p} {o} .\n"
    return f"{s} {p} {o} {serialize_term(quad.graph)} .\n"


def to_nquads(quads: Iterable[Quad]) -> str:
    """The quads as N-Quads lines, in the order given (no sorting, no deduplication)."""
    return "".join(serialize_quad(q) for q in quads)


# --- A strict parser for canonical-layout N-Quads ------------------------------------------------
#
# Grammar: RDF 1.1 N-Quads §7 (IRIREF, BLANK_NODE_LABEL, STRING_LITERAL_QUOTE, LANGTAG, UCHAR,
# ECHAR). Layout must be canonical: terms separated by exactly one space, " ." at the end, every
# line (including the last) terminated by a single LF, no comments or blank lines. Escapes allowed
# by the grammar are accepted even where canonical form would not use them.

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = rf'<((?:[^\x00-\x20<>"{{}}|^`\\]|{_UCHAR})*)>'
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_:"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BNODE = rf"_:([{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)"
_LITERAL = (
    rf'"((?:[^"\\\n\r]|\\[tbnrf"\'\\]|{_UCHAR})*)"'
    rf"(?:\^\^{_IRIREF}|@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*))?"
)
_LINE = re.compile(
    rf"(?:{_IRIREF}|{_BNODE}) {_IRIREF} (?:{_IRIREF}|{_BNODE}|{_LITERAL})"
    rf"(?: (?:{_IRIREF}|{_BNODE}))? \."
)
_UNESCAPE = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str, line_no: int) -> str:
    if "\\" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        echar, u4, u8 = match.groups()
        if echar is not None:
            return _ECHARS[echar]
        code = int(u4 if u4 is not None else u8, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise JsonLdError(
                f"N-Quads line {line_no}: bad escape {match[0]}", code="invalid_nquads"
            )
        return chr(code)

    return _UNESCAPE.sub(replace, text)


def _node(iri: str | None, bnode: str | None, line_no: int) -> IRI | BlankNode:
    if iri is not None:
        return IRI(_unescape(iri, line_no))
    return BlankNode(cast(str, bnode))  # the line regex matched one of the two


def parse_nquads(text: str) -> list[Quad]:
    """Parse N-Quads written in canonical layout (RDF 1.1 N-Quads grammar, one-space separators,
    every line ending in LF). Raises ``JsonLdError(code="invalid_nquads")`` on anything else."""
    if not text:
        return []
    if not text.endswith("\n"):
        raise JsonLdError("N-Quads text must end with a line feed", code="invalid_nquads")
    quads: list[Quad] = []
    for line_no, line in enumerate(text[:-1].split("\n"), start=1):
        m = _LINE.fullmatch(line)
        if m is None:
            raise JsonLdError(
                f"N-Quads line {line_no} is not a quad: {line!r}", code="invalid_nquads"
            )
        g = m.groups()
        subject = _node(g[0], g[1], line_no)
        predicate = IRI(_unescape(g[2], line_no))
        obj: Term
        if g[3] is not None or g[4] is not None:
            obj = _node(g[3], g[4], line_no)
        else:
            value = _unescape(g[5], line_no)
            if g[7] is not None:
                obj = Literal(value, RDF_LANGSTRING, g[7])
            elif g[6] is not None:
                obj = Literal(value, _unescape(g[6], line_no))
            else:
                obj = Literal(value)
        graph = None if g[8] is None and g[9] is None else _node(g[8], g[9], line_no)
        quads.append(Quad(subject, predicate, obj, graph))
    return quads
