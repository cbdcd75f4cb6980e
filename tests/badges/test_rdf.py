"""Canonical N-Quads serialization and the strict N-Quads parser (badges.rdf)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.errors import JsonLdError
from badges.rdf import (
    IRI,
    RDF_LANGSTRING,
    XSD_INTEGER,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    escape_iri,
    escape_literal,
    parse_nquads,
    serialize_quad,
    serialize_term,
    to_nquads,
)
from tests.conftest import REPO, VECTORS

# The canonical escape of every ASCII control character in a literal, written out by hand from
# RDF 1.2 N-Quads "Canonical form" / W3C rdf-canon test060 / npm rdf-canonize 5 lib/NQuads.js:
# ECHAR for BS, HT, LF, FF, CR; UCHAR with uppercase hex for the other C0 controls and DEL.
C0_LITERAL = {
    0x00: "\\u0000",
    0x01: "\\u0001",
    0x02: "\\u0002",
    0x03: "\\u0003",
    0x04: "\\u0004",
    0x05: "\\u0005",
    0x06: "\\u0006",
    0x07: "\\u0007",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\u000B",
    0x0C: "\\f",
    0x0D: "\\r",
    0x0E: "\\u000E",
    0x0F: "\\u000F",
    0x10: "\\u0010",
    0x11: "\\u0011",
    0x12: "\\u0012",
    0x13: "\\u0013",
    0x14: "\\u0014",
    0x15: "\\u0015",
    0x16: "\\u0016",
    0x17: "\\u0017",
    0x18: "\\u0018",
    0x19: "\\u0019",
    0x1A: "\\u001A",
    0x1B: "\\u001B",
    0x1C: "\\u001C",
    0x1D: "\\u001D",
    0x1E: "\\u001E",
    0x1F: "\\u001F",
    0x7F: "\\u007F",
}
NON_ASCII = "é€\u0080\u0085\u009f\u00a0\u2028\u2029\ue000\ufeff\uff3a\ufffd\uffff😀\U0010ffff"


def test_every_c0_control_del_quote_backslash_in_a_literal() -> None:
    for code in range(0x80):
        char = chr(code)
        expected = C0_LITERAL.get(code, {0x22: '\\"', 0x5C: "\\\\"}.get(code, char))
        assert escape_literal(char) == expected, hex(code)
        assert serialize_term(Literal(f"a{char}b")) == f'"a{expected}b"'


def test_non_ascii_is_never_escaped() -> None:
    for char in NON_ASCII:
        assert escape_literal(char) == char
        assert escape_iri(f"urn:{char}") == f"urn:{char}"
    text = "x" + "".join(chr(c) for c in range(0x20)) + '\x7f"\\' + NON_ASCII
    escaped = escape_literal(text)
    assert escaped == "x" + "".join(C0_LITERAL[c] for c in range(0x20)) + '\\u007F\\"\\\\' + (
        NON_ASCII
    )


def test_iri_escapes_space_controls_and_the_excluded_punctuation() -> None:
    for code in range(0x80):
        char = chr(code)
        expected = f"\\u{code:04X}" if code <= 0x20 or char in '<>"{}|^`\\' else char
        assert escape_iri(char) == expected, hex(code)
    assert serialize_term(IRI("urn:a b<c>")) == "<urn:a\\u0020b\\u003Cc\\u003E>"


def test_term_forms() -> None:
    assert serialize_term(IRI("https://example.org/x#y")) == "<https://example.org/x#y>"
    assert serialize_term(BlankNode("b0")) == "_:b0"
    assert serialize_term(Literal("v")) == '"v"'
    assert serialize_term(Literal("v", XSD_STRING)) == '"v"'
    assert serialize_term(Literal("1", XSD_INTEGER)) == f'"1"^^<{XSD_INTEGER}>'
    assert serialize_term(Literal("hei", RDF_LANGSTRING, "fi")) == '"hei"@fi'
    assert serialize_term(Literal("hei", language="en-GB")) == '"hei"@en-GB'
    # rdf-canonize: an rdf:langString without a tag gets no suffix at all
    assert serialize_term(Literal("x", RDF_LANGSTRING)) == '"x"'
    assert serialize_term(Literal("d", "urn:d t")) == '"d"^^<urn:d\\u0020t>'
    with pytest.raises(TypeError):
        serialize_term("urn:not-a-term")  # type: ignore[arg-type]


def test_quads_and_documents() -> None:
    default = Quad(BlankNode("a"), IRI("urn:p"), Literal("x\ny"))
    named = Quad(IRI("urn:s"), IRI("urn:p"), BlankNode("a"), IRI("urn:g"))
    in_blank_graph = Quad(IRI("urn:s"), IRI("urn:p"), IRI("urn:o"), BlankNode("g"))
    assert serialize_quad(default) == '_:a <urn:p> "x\\ny" .\n'
    assert serialize_quad(named) == "<urn:s> <urn:p> _:a <urn:g> .\n"
    assert serialize_quad(in_blank_graph) == "<urn:s> <urn:p> <urn:o> _:g .\n"
    # no sorting, no deduplication
    text = to_nquads([named, default, named])
    assert text == serialize_quad(named) + serialize_quad(default) + serialize_quad(named)
    assert to_nquads([]) == ""


# --- parsing -----------------------------------------------------------------------------------

W3C_TEST060_IN = (  # W3C rdf-canon test060 "n-quads escaping", input lines (subset)
    "<urn:ex:s:000:s\\u20701> <urn:ex:000:p\\u2070> <urn:ex:000:o\\u2070> <urn:ex:000:g\\u2070> .\n"
    '<urn:ex:s:001> <urn:ex:008:echar> "\\t\\b\\n\\r\\f\\"\\\'\\\\" .\n'
    '<urn:ex:s:003> <urn:ex:021> "\\uf600"^^<urn:ex:\\u1f43> .\n'
    '<urn:ex:s:004> <urn:ex:033> "\\U0001F303" .\n'
    '<urn:ex:s:006> <urn:ex:039> "\\u0009\\u0020<>\\"{}|^`\\\\" .\n'
)


def test_parse_unescapes_uchar_and_echar() -> None:
    quads = parse_nquads(W3C_TEST060_IN)
    assert quads[0] == Quad(
        IRI("urn:ex:s:000:s⁰1"), IRI("urn:ex:000:p⁰"), IRI("urn:ex:000:o⁰"), IRI("urn:ex:000:g⁰")
    )
    assert quads[1].object == Literal("\t\b\n\r\f\"'\\")
    assert quads[2].object == Literal("\uf600", "urn:ex:\u1f43")
    assert quads[3].object == Literal("🌃")
    assert quads[4].object == Literal('\t <>"{}|^`\\')


def test_parse_terms() -> None:
    text = (
        '_:b0 <urn:p> "v"@en-US _:g .\n'
        '<urn:s> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
        "_:c14n10 <urn:p> _:b.x-y <urn:g> .\n"
    )
    assert parse_nquads(text) == [
        Quad(BlankNode("b0"), IRI("urn:p"), Literal("v", RDF_LANGSTRING, "en-US"), BlankNode("g")),
        Quad(IRI("urn:s"), IRI("urn:p"), Literal("1", XSD_INTEGER)),
        Quad(BlankNode("c14n10"), IRI("urn:p"), BlankNode("b.x-y"), IRI("urn:g")),
    ]
    assert parse_nquads("") == []


@pytest.mark.parametrize(
    "text",
    [
        "<urn:s> <urn:p> <urn:o> .",  # no final line feed
        "<urn:s>  <urn:p> <urn:o> .\n",  # two spaces
        "<urn:s> <urn:p> <urn:o>.\n",  # no space before the dot
        "<urn:s> <urn:p> <urn:o> .\r\n",  # CRLF
        "\n",  # blank line
        "# comment\n",
        '"lit" <urn:p> <urn:o> .\n',  # literal subject
        '<urn:s> <urn:p> <urn:o> "g" .\n',  # literal graph name
        "<urn:s> _:p <urn:o> .\n",  # blank node predicate
        "<urn:s p> <urn:p> <urn:o> .\n",  # space in an IRI
        '<urn:s> <urn:p> "a\\x" .\n',  # unknown escape
        '<urn:s> <urn:p> "\\uD800" .\n',  # surrogate escape
        '<urn:s> <urn:p> "\\U00110000" .\n',  # beyond Unicode
        '<urn:s> <urn:p> "a\nb" .\n',  # raw line feed in a literal
        '<urn:s> <urn:p> "v"@ .\n',
        "_:a. <urn:p> <urn:o> .\n",  # label ending in a dot
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(JsonLdError) as err:
        parse_nquads(text)
    assert err.value.code == "invalid_nquads"


@pytest.mark.parametrize(
    "path",
    [
        "vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt",
        "vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt",
        "vc-di-eddsa/Ed25519Signature2020/canonDocEdSig.txt",
        "vc-di-eddsa/Ed25519Signature2020/proofCanonEdSig.txt",
        "ob_v3p0/test-vectors/obv3p0/document-canon.txt",
        "ob_v3p0/test-vectors/obv3p0/proof-canon.txt",
    ],
)
def test_vectors_round_trip(path: str) -> None:
    text = (VECTORS / path).read_text(encoding="utf-8")
    quads = parse_nquads(text)
    assert len(quads) == text.count("\n")
    assert to_nquads(quads) == text


# --- round trip over arbitrary terms ------------------------------------------------------------

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_iris = st.builds(lambda s: IRI("urn:" + s), _text)
_bnodes = st.builds(
    BlankNode, st.from_regex(r"[A-Za-z0-9_]([A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?", fullmatch=True)
)
_literals = st.one_of(
    st.builds(Literal, _text),
    st.builds(Literal, _text, _iris.map(lambda i: i.value)),
    st.builds(
        lambda v, tag: Literal(v, RDF_LANGSTRING, tag),
        _text,
        st.from_regex(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8}){0,2}", fullmatch=True),
    ),
)
_quads = st.builds(
    Quad,
    st.one_of(_iris, _bnodes),
    _iris,
    st.one_of(_iris, _bnodes, _literals),
    st.one_of(st.none(), _iris, _bnodes),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_quads, max_size=6))
def test_parse_inverts_serialize(quads: list[Quad]) -> None:
    text = to_nquads(quads)
    assert parse_nquads(text) == quads
    assert "\r" not in text
    assert text.count("\n") == len(quads)


# --- the interop target itself --------------------------------------------------------------------

_NODE_DIR = REPO / "tests" / "interop" / "node"
_SERIALIZE_JS = """
const {NQuads} = require('rdf-canonize');
const term = t => t === null ? {termType: 'DefaultGraph', value: ''}
  : t[0] === 'I' ? {termType: 'NamedNode', value: t[1]}
  : t[0] === 'B' ? {termType: 'BlankNode', value: t[1]}
  : {termType: 'Literal', value: t[1], datatype: {termType: 'NamedNode', value: t[2]},
     language: t[3]};
let s = '';
process.stdin.on('data', d => s += d);
process.stdin.on('end', () => process.stdout.write(JSON.stringify(JSON.parse(s).map(
  q => NQuads.serializeQuad({subject: term(q[0]), predicate: term(q[1]), object: term(q[2]),
                             graph: term(q[3])})))));
"""


def test_escaping_matches_rdf_canonize() -> None:
    """Byte-for-byte against npm rdf-canonize's own serializer (tests/interop/node)."""
    node = shutil.which("node")
    if node is None or not (_NODE_DIR / "node_modules" / "rdf-canonize").is_dir():
        pytest.skip("node or tests/interop/node/node_modules/rdf-canonize not installed")
    chars = [chr(c) for c in range(0x80)] + list(NON_ASCII)
    quads = [Quad(IRI("urn:s"), IRI("urn:p"), Literal(f"<{c}>")) for c in chars]
    quads += [
        Quad(IRI(f"urn:{c}"), IRI(f"urn:p{c}"), IRI(f"urn:o{c}"), IRI(f"urn:g{c}")) for c in chars
    ]
    quads += [
        Quad(BlankNode("b0"), IRI("urn:p"), Literal('\x00"\\', "urn:d\x7ft")),
        Quad(BlankNode("b0"), IRI("urn:p"), Literal("v", RDF_LANGSTRING, "en-US"), BlankNode("g")),
    ]

    def enc(t: object) -> object:
        if t is None:
            return None
        if isinstance(t, IRI):
            return ["I", t.value]
        if isinstance(t, BlankNode):
            return ["B", t.value]
        assert isinstance(t, Literal)
        return ["L", t.value, t.datatype, t.language or ""]

    payload = json.dumps(
        [[enc(q.subject), enc(q.predicate), enc(q.object), enc(q.graph)] for q in quads]
    )
    result = subprocess.run(
        [node, "-e", _SERIALIZE_JS],
        input=payload,
        capture_output=True,
        text=True,
        cwd=_NODE_DIR,
        check=True,
    )
    assert json.loads(result.stdout) == [serialize_quad(q) for q in quads]
