"""RDFC-1.0 canonicalization (badges.canon) against W3C/1EdTech vectors, pyld and rdf-canonize."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import subprocess
import time
from collections import Counter
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from badges.canon import (
    canonical_label_map,
    canonical_quads,
    canonicalize,
    canonicalize_quads,
)
from badges.errors import JsonLdError
from badges.rdf import (
    IRI,
    RDF_FIRST,
    RDF_LANGSTRING,
    RDF_NIL,
    RDF_REST,
    XSD_STRING,
    BlankNode,
    Literal,
    Quad,
    Term,
    parse_nquads,
    to_nquads,
)
from tests.conftest import REPO, VECTORS, load_json

W3C = VECTORS / "vc-di-eddsa"
OB = VECTORS / "ob_v3p0"
CONTEXTS = REPO / "badges" / "contexts"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def blank_labels(quads: list[Quad]) -> list[str]:
    seen = {
        t.value for q in quads for t in (q.subject, q.object, q.graph) if isinstance(t, BlankNode)
    }
    return sorted(seen)


def relabel_and_shuffle(quads: list[Quad], rng: random.Random) -> list[Quad]:
    """The same dataset with fresh random blank node labels, in a random order."""
    labels = blank_labels(quads)
    fresh = [f"x{rng.randrange(10**6)}n{i}" for i in range(len(labels))]
    rng.shuffle(fresh)
    names = dict(zip(labels, fresh, strict=True))

    def relabel(term: Any) -> Any:
        return BlankNode(names[term.value]) if isinstance(term, BlankNode) else term

    out = [
        Quad(relabel(q.subject), q.predicate, relabel(q.object), relabel(q.graph)) for q in quads
    ]
    rng.shuffle(out)
    return out


# --- W3C / 1EdTech vectors: canonical text -> parse -> scramble -> canonicalize ------------------

CANONICAL_VECTORS = [
    (
        "vc-di-eddsa/eddsa-rdfc-2022/canonDocDataInt.txt",
        "vc-di-eddsa/eddsa-rdfc-2022/docHashDataInt.txt",
    ),
    (
        "vc-di-eddsa/eddsa-rdfc-2022/proofCanonDataInt.txt",
        "vc-di-eddsa/eddsa-rdfc-2022/proofHashDataInt.txt",
    ),
    (
        "vc-di-eddsa/Ed25519Signature2020/canonDocEdSig.txt",
        "vc-di-eddsa/Ed25519Signature2020/docHashEdSig.txt",
    ),
    (
        "vc-di-eddsa/Ed25519Signature2020/proofCanonEdSig.txt",
        "vc-di-eddsa/Ed25519Signature2020/proofHashEdSig.txt",
    ),
    ("ob_v3p0/test-vectors/obv3p0/document-canon.txt", None),
    ("ob_v3p0/test-vectors/obv3p0/proof-canon.txt", None),
]


@pytest.mark.parametrize(("canon_file", "hash_file"), CANONICAL_VECTORS)
def test_vector_text_is_reproduced_from_scrambled_quads(
    canon_file: str, hash_file: str | None
) -> None:
    text = (VECTORS / canon_file).read_text(encoding="utf-8")
    quads = parse_nquads(text)
    rng = random.Random(canon_file)  # noqa: S311
    for _ in range(5):
        assert canonicalize_quads(relabel_and_shuffle(quads, rng)) == text
    if hash_file is not None:
        assert sha256_hex(text) == (VECTORS / hash_file).read_text().strip()


def test_ob_vector_hashes() -> None:
    intermediates = load_json(OB / "ldp-ob.keys-and-intermediates.extracted.json")
    folder = OB / "test-vectors" / "obv3p0"
    doc = canonicalize_quads(parse_nquads((folder / "document-canon.txt").read_text()))
    proof = canonicalize_quads(parse_nquads((folder / "proof-canon.txt").read_text()))
    assert sha256_hex(doc) == intermediates["documentHashHex"]
    assert sha256_hex(proof) == intermediates["proofHashHex"]


# W3C rdf-canon test060 "n-quads escaping" (RDFC-1.0 test suite): input and expected output,
# transcribed with Python escapes for the invisible characters.
def _uchar_line(number: int, first: int) -> str:
    """A test060 line holding 16 consecutive code points, each written as a lowercase UCHAR."""
    uchars = "".join(f"\\u{code:04x}" for code in range(first, first + 16))
    return f'<urn:ex:s:004> <urn:ex:{number:03d}> "{uchars}" .'


TEST060_IN = "\n".join(
    [
        r"<urn:ex:s:000:s\u20701> <urn:ex:000:p\u2070> "
        r"<urn:ex:000:o\u2070> <urn:ex:000:g\u2070> .",
        r"<urn:ex:s:000:s⁰2> <urn:ex:000:p⁰> <urn:ex:000:o⁰> <urn:ex:000:g⁰> .",
        r'<urn:ex:s:001> <urn:ex:000:empty> "" .',
        r'<urn:ex:s:001> <urn:ex:001:simple> "simple" .',
        r'<urn:ex:s:001> <urn:ex:002:quote> "\"" .',
        r'<urn:ex:s:001> <urn:ex:003:backslash> "\\" .',
        r'<urn:ex:s:001> <urn:ex:004:nl> "\n" .',
        r'<urn:ex:s:001> <urn:ex:005:cr> "\r" .',
        r'<urn:ex:s:001> <urn:ex:006:all> "\"\\\n\r" .',
        r'<urn:ex:s:001> <urn:ex:007:uchar> "\u0022\u005c" .',
        r'<urn:ex:s:001> <urn:ex:008:echar> "\t\b\n\r\f\"\'\\" .',
        r'<urn:ex:s:001> <urn:ex:009> "\\u0039" .',
        r'<urn:ex:s:001> <urn:ex:010> "\\n" .',
        r'<urn:ex:s:001> <urn:ex:011> "\\\\" .',
        r'<urn:ex:s:001> <urn:ex:012> "\"\"" .',
        r'<urn:ex:s:001> <urn:ex:013> "\\\\\\" .',
        r'<urn:ex:s:001> <urn:ex:014> "\"\"\"" .',
        r'<urn:ex:s:001> <urn:ex:015> "\u221e" .',
        r'<urn:ex:s:001> <urn:ex:016> "∞" .',
        r"<urn:ex:s:001> <urn:ex:017> <urn:ex:\u0065\u0078> .",
        r"<urn:ex:s:001> <urn:ex:018> <urn:ex:\u221e> .",
        r"<urn:ex:s:001> <urn:ex:019> <urn:ex:\u002b> .",
        r"<urn:ex:s:003> <urn:ex:020> <urn:ex:\u00a0> .",
        r'<urn:ex:s:003> <urn:ex:021> "\uf600"^^<urn:ex:\u1f43> .',
        r'<urn:ex:s:003> <urn:ex:022> "d"^^<urn:ex:\u0064\u0074> .',
        r'<urn:ex:s:003> <urn:ex:023> "d"^^<urn:ex:\u0064> .',
        _uchar_line(24, 0x0000),
        _uchar_line(25, 0x0010),
        _uchar_line(26, 0x0020),
        _uchar_line(27, 0x0030),
        _uchar_line(28, 0x0040),
        _uchar_line(29, 0x0050),
        _uchar_line(30, 0x0060),
        _uchar_line(31, 0x0070),
        _uchar_line(32, 0x0080),
        r'<urn:ex:s:004> <urn:ex:033> "\U0001F303" .',
        r'<urn:ex:s:004> <urn:ex:034> "🌃" .',
        r"<urn:ex:s:005> <urn:ex:035> <urn:ex:\U0001F303> .",
        r'<urn:ex:s:006> <urn:ex:036> "o" <urn:ex:\u221e> .',
        r'<urn:ex:s:006> <urn:ex:037> "o" <urn:ex:∞> .',
        r'<urn:ex:s:006> <urn:ex:038> "o" <urn:ex:\u221e> .',
        r'<urn:ex:s:006> <urn:ex:039> "\u0009\u0020<>\"{}|^`\\" .',
        r"",
    ]
)
TEST060_OUT = (
    "<urn:ex:s:000:s⁰1> <urn:ex:000:p⁰> <urn:ex:000:o⁰> <urn:ex:000:g⁰> .\n"
    "<urn:ex:s:000:s⁰2> <urn:ex:000:p⁰> <urn:ex:000:o⁰> <urn:ex:000:g⁰> .\n"
    '<urn:ex:s:001> <urn:ex:000:empty> "" .\n'
    '<urn:ex:s:001> <urn:ex:001:simple> "simple" .\n'
    '<urn:ex:s:001> <urn:ex:002:quote> "\\"" .\n'
    '<urn:ex:s:001> <urn:ex:003:backslash> "\\\\" .\n'
    '<urn:ex:s:001> <urn:ex:004:nl> "\\n" .\n'
    '<urn:ex:s:001> <urn:ex:005:cr> "\\r" .\n'
    '<urn:ex:s:001> <urn:ex:006:all> "\\"\\\\\\n\\r" .\n'
    '<urn:ex:s:001> <urn:ex:007:uchar> "\\"\\\\" .\n'
    '<urn:ex:s:001> <urn:ex:008:echar> "\\t\\b\\n\\r\\f\\"\'\\\\" .\n'
    '<urn:ex:s:001> <urn:ex:009> "\\\\u0039" .\n'
    '<urn:ex:s:001> <urn:ex:010> "\\\\n" .\n'
    '<urn:ex:s:001> <urn:ex:011> "\\\\\\\\" .\n'
    '<urn:ex:s:001> <urn:ex:012> "\\"\\"" .\n'
    '<urn:ex:s:001> <urn:ex:013> "\\\\\\\\\\\\" .\n'
    '<urn:ex:s:001> <urn:ex:014> "\\"\\"\\"" .\n'
    '<urn:ex:s:001> <urn:ex:015> "∞" .\n'
    '<urn:ex:s:001> <urn:ex:016> "∞" .\n'
    "<urn:ex:s:001> <urn:ex:017> <urn:ex:ex> .\n"
    "<urn:ex:s:001> <urn:ex:018> <urn:ex:∞> .\n"
    "<urn:ex:s:001> <urn:ex:019> <urn:ex:+> .\n"
    "<urn:ex:s:003> <urn:ex:020> <urn:ex:\u00a0> .\n"
    '<urn:ex:s:003> <urn:ex:021> "\uf600"^^<urn:ex:\u1f43> .\n'
    '<urn:ex:s:003> <urn:ex:022> "d"^^<urn:ex:dt> .\n'
    '<urn:ex:s:003> <urn:ex:023> "d"^^<urn:ex:d> .\n'
    '<urn:ex:s:004> <urn:ex:024> "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007'
    '\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F" .\n'
    '<urn:ex:s:004> <urn:ex:025> "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017'
    '\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F" .\n'
    '<urn:ex:s:004> <urn:ex:026> " !\\"#$%&\'()*+,-./" .\n'
    '<urn:ex:s:004> <urn:ex:027> "0123456789:;<=>?" .\n'
    '<urn:ex:s:004> <urn:ex:028> "@ABCDEFGHIJKLMNO" .\n'
    '<urn:ex:s:004> <urn:ex:029> "PQRSTUVWXYZ[\\\\]^_" .\n'
    '<urn:ex:s:004> <urn:ex:030> "`abcdefghijklmno" .\n'
    '<urn:ex:s:004> <urn:ex:031> "pqrstuvwxyz{|}~\\u007F" .\n'
    '<urn:ex:s:004> <urn:ex:032> "\x80\x81\x82\x83\x84\x85\x86\x87'
    '\x88\x89\x8a\x8b\x8c\x8d\x8e\x8f" .\n'
    '<urn:ex:s:004> <urn:ex:033> "🌃" .\n'
    '<urn:ex:s:004> <urn:ex:034> "🌃" .\n'
    "<urn:ex:s:005> <urn:ex:035> <urn:ex:🌃> .\n"
    '<urn:ex:s:006> <urn:ex:036> "o" <urn:ex:∞> .\n'
    '<urn:ex:s:006> <urn:ex:037> "o" <urn:ex:∞> .\n'
    '<urn:ex:s:006> <urn:ex:038> "o" <urn:ex:∞> .\n'
    '<urn:ex:s:006> <urn:ex:039> "\\t <>\\"{}|^`\\\\" .\n'
)


def test_w3c_test060_nquads_escaping() -> None:
    quads = parse_nquads(TEST060_IN)
    assert canonicalize_quads(quads) == TEST060_OUT
    assert canonicalize_quads(parse_nquads(TEST060_OUT)) == TEST060_OUT


# --- JSON-LD inputs: pyld toRdf (pinned contexts) -> our canonicalization ------------------------

INDEX = json.loads((CONTEXTS / "index.json").read_text())


def pyld_loader(url: str, options: Any = None) -> dict[str, Any]:
    entry = INDEX.get(url)
    if entry is None:
        raise LookupError(f"context not pinned: {url}")
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads((CONTEXTS / entry["file"]).read_text()),
    }


def from_pyld(dataset: dict[str, list[dict[str, Any]]]) -> list[Quad]:
    def term(t: dict[str, Any]) -> Term:
        if t["type"] == "IRI":
            return IRI(t["value"])
        if t["type"] == "blank node":
            return BlankNode(t["value"][2:])
        return Literal(t["value"], t.get("datatype", XSD_STRING), t.get("language"))

    quads = []
    for name, triples in dataset.items():
        graph = (
            None
            if name == "@default"
            else BlankNode(name[2:])
            if name.startswith("_:")
            else IRI(name)
        )
        for t in triples:
            quads.append(Quad(term(t["subject"]), term(t["predicate"]), term(t["object"]), graph))  # type: ignore[arg-type]
    return quads


def pyld_quads(document: dict[str, Any]) -> list[Quad]:
    jsonld = pytest.importorskip("pyld.jsonld")
    return from_pyld(jsonld.to_rdf(document, {"documentLoader": pyld_loader}))


def with_context(config: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    return config if "@context" in config else {**config, "@context": document["@context"]}


def test_w3c_json_inputs() -> None:
    unsigned = load_json(W3C / "unsigned.json")
    folder = W3C / "eddsa-rdfc-2022"
    doc = canonicalize_quads(pyld_quads(unsigned))
    assert doc == (folder / "canonDocDataInt.txt").read_text()
    assert sha256_hex(doc) == (folder / "docHashDataInt.txt").read_text().strip()
    proof = canonicalize_quads(
        pyld_quads(with_context(load_json(folder / "proofConfigDataInt.json"), unsigned))
    )
    assert proof == (folder / "proofCanonDataInt.txt").read_text()
    assert sha256_hex(proof) == (folder / "proofHashDataInt.txt").read_text().strip()
    edsig = W3C / "Ed25519Signature2020"
    proof = canonicalize_quads(
        pyld_quads(with_context(load_json(edsig / "proofConfigEdSig.json"), unsigned))
    )
    assert proof == (edsig / "proofCanonEdSig.txt").read_text()


def test_ob_json_inputs() -> None:
    unsigned = load_json(OB / "ldp-ob.unsigned.extracted.json")
    intermediates = load_json(OB / "ldp-ob.keys-and-intermediates.extracted.json")
    doc = canonicalize_quads(pyld_quads(unsigned))
    assert sha256_hex(doc) == intermediates["documentHashHex"]
    assert doc == (OB / "test-vectors" / "obv3p0" / "document-canon.txt").read_text()
    config = with_context(load_json(OB / "ldp-ob.proof-config.extracted.json"), unsigned)
    assert sha256_hex(canonicalize_quads(pyld_quads(config))) == intermediates["proofHashHex"]


def test_canonicalize_document_with_badges_jsonld() -> None:
    pytest.importorskip("badges.jsonld")
    unsigned = load_json(W3C / "unsigned.json")
    assert canonicalize(unsigned) == (W3C / "eddsa-rdfc-2022" / "canonDocDataInt.txt").read_text()


# --- hand-checked behaviour -----------------------------------------------------------------------


def test_empty_and_blank_free_datasets() -> None:
    assert canonicalize_quads([]) == ""
    quads = [
        Quad(IRI("urn:b"), IRI("urn:p"), Literal("2")),
        Quad(IRI("urn:a"), IRI("urn:p"), Literal("1")),
    ]
    assert canonicalize_quads(quads) == '<urn:a> <urn:p> "1" .\n<urn:b> <urn:p> "2" .\n'


def test_self_reference_counts_a_quad_once() -> None:
    # rdf-canonize 5 output (pyld 3.3 lists `_:a p _:a` twice for _:a and labels differently)
    quads = parse_nquads("_:a <urn:p> _:a .\n_:b <urn:p> _:c .\n")
    assert canonicalize_quads(quads) == "_:c14n1 <urn:p> _:c14n0 .\n_:c14n2 <urn:p> _:c14n2 .\n"


def test_duplicate_quads_are_kept() -> None:
    # as jsonld.js/rdf-canonize do for e.g. [1, {"@value": "1", "@type": xsd:integer}]
    quad = Quad(BlankNode("x"), IRI("urn:p"), Literal("1"))
    assert canonicalize_quads([quad, quad]) == '_:c14n0 <urn:p> "1" .\n' * 2


def test_labels_that_look_canonical_are_relabelled() -> None:
    quads = parse_nquads('_:c14n1 <urn:p> "a" .\n_:c14n0 <urn:p> _:c14n1 .\n')
    renamed = parse_nquads('_:y <urn:p> "a" .\n_:x <urn:p> _:y .\n')
    assert canonicalize_quads(quads) == canonicalize_quads(renamed)
    assert canonical_label_map(quads) == {"c14n1": "c14n0", "c14n0": "c14n1"}


def test_line_order_utf16_like_rdf_canonize_or_code_point_like_the_spec() -> None:
    values = ["\uff3a", "a", "\U00025651"]  # FULLWIDTH Z, a, a CJK character above U+FFFF
    quads = [Quad(IRI("urn:s"), IRI("urn:p"), Literal(v)) for v in values]
    utf16 = canonicalize_quads(quads)
    code_point = canonicalize_quads(quads, order="codepoint")
    assert [line[len('<urn:s> <urn:p> "') :][0] for line in utf16.splitlines()] == [
        "a",
        "\U00025651",
        "\uff3a",
    ]
    assert [line[len('<urn:s> <urn:p> "') :][0] for line in code_point.splitlines()] == [
        "a",
        "\uff3a",
        "\U00025651",
    ]
    with pytest.raises(ValueError, match="order"):
        canonicalize_quads(quads, order="bytes")  # type: ignore[arg-type]


def test_lone_surrogate_is_rejected() -> None:
    with pytest.raises(JsonLdError) as err:
        canonicalize_quads([Quad(BlankNode("b"), IRI("urn:p"), Literal("\ud800"))])
    assert err.value.code == "invalid_term"


def test_canonical_quads_and_label_map() -> None:
    text = (W3C / "eddsa-rdfc-2022" / "proofCanonDataInt.txt").read_text()
    scrambled = relabel_and_shuffle(parse_nquads(text), random.Random(3))  # noqa: S311
    assert to_nquads(canonical_quads(scrambled)) == text
    (label,) = blank_labels(scrambled)
    assert canonical_label_map(scrambled) == {label: "c14n0"}


def cycle(n: int, prefix: str = "c", graph: IRI | BlankNode | None = None) -> list[Quad]:
    return [
        Quad(BlankNode(f"{prefix}{i}"), IRI("urn:next"), BlankNode(f"{prefix}{(i + 1) % n}"), graph)
        for i in range(n)
    ]


def test_symmetric_graphs_need_n_degree_hashing() -> None:
    # W3C test022-ish: two disjoint isomorphic cycles, and a star with identical leaves
    quads = cycle(3, "a") + cycle(3, "b")
    out = canonicalize_quads(quads)
    assert out.count("\n") == 6
    assert "_:c14n5" in out
    rng = random.Random(7)  # noqa: S311
    for _ in range(10):
        assert canonicalize_quads(relabel_and_shuffle(quads, rng)) == out
    star = [Quad(BlankNode("hub"), IRI("urn:p"), BlankNode(f"leaf{i}")) for i in range(5)]
    star += [Quad(BlankNode(f"leaf{i}"), IRI("urn:q"), Literal("same")) for i in range(5)]
    out = canonicalize_quads(star)
    for _ in range(10):
        assert canonicalize_quads(relabel_and_shuffle(star, rng)) == out


# --- poison graphs (RDFC-1.0 Security Considerations, "Dataset Poisoning") ----------------------


def clique(n: int) -> list[Quad]:
    """W3C rdf-canon test074 "poison - Clique Graph": every node linked to every node."""
    return [
        Quad(BlankNode(f"s{i}"), IRI("urn:p"), BlankNode(f"s{j}"))
        for i in range(n)
        for j in range(n)
    ]


@pytest.mark.parametrize(
    ("name", "quads"),
    [
        ("10-clique", clique(10)),
        ("40-clique", clique(40)),
        (
            "two hubs, 1000 identical leaves each",
            [
                Quad(BlankNode(f"h{h}"), IRI("urn:p"), BlankNode(f"h{h}l{i}"))
                for h in range(2)
                for i in range(1000)
            ],
        ),
        ("cycle of 5000", cycle(5000)),
    ],
)
def test_poison_datasets_are_refused_quickly(name: str, quads: list[Quad]) -> None:
    start = time.perf_counter()
    with pytest.raises(JsonLdError) as err:
        canonicalize_quads(quads)
    assert err.value.code == "canonicalization_limit", name
    assert time.perf_counter() - start < 2.0, name


def test_work_limit_is_adjustable() -> None:
    assert canonicalize_quads(clique(4)).count("\n") == 16
    with pytest.raises(JsonLdError):
        canonicalize_quads(cycle(3), max_work=5)
    assert canonicalize_quads(cycle(3), max_work=1000).count("\n") == 3


# --- generated datasets ---------------------------------------------------------------------------

_SAFE_CHARS = st.sampled_from(list("\t\n\r\"\\' aZ0<>{}é€\u0085\ue000\uff3a\ufffd😀\U00025651"))
_ALL_CHARS = st.one_of(_SAFE_CHARS, st.characters(max_codepoint=0x7F), st.characters(codec="utf-8"))
_SAFE_IRIS = ["urn:a", "urn:b", "urn:é", "urn:😀", "urn:\uff3a"]
_ALL_IRIS = [*_SAFE_IRIS, "urn:x y", "urn:<q>", 'urn:"{}|^`\\', "urn:\x00\x1f\x7f"]
_LABELS = [f"n{i}" for i in range(7)]


@st.composite
def datasets(draw: st.DrawFn, *, pyld_safe: bool) -> list[Quad]:
    """Random datasets rich in blank nodes, mixed with symmetric shapes that force N-degree
    hashing: cycles, disjoint copies, cliques, stars, RDF lists of equal items, graphs named by
    blank nodes. ``pyld_safe`` keeps to what pyld 3.3 serializes like rdf-canonize."""
    chars = _SAFE_CHARS if pyld_safe else _ALL_CHARS
    iris = st.sampled_from(_SAFE_IRIS if pyld_safe else _ALL_IRIS).map(IRI)
    literals = st.builds(
        lambda v, kind: (
            Literal(v)
            if kind == 0
            else Literal(v, RDF_LANGSTRING, "en")
            if kind == 1
            else Literal(v, "urn:dt")
        ),
        st.text(chars, max_size=4),
        st.integers(0, 2),
    )
    bnodes = st.sampled_from(_LABELS[: draw(st.integers(1, len(_LABELS)))]).map(BlankNode)
    predicates = st.sampled_from(["urn:p0", "urn:p1", "urn:p2"][: draw(st.integers(1, 3))]).map(IRI)
    random_quads = st.builds(
        Quad,
        st.one_of(bnodes, bnodes, iris),
        predicates,
        st.one_of(bnodes, bnodes, literals, iris),
        st.one_of(st.none(), st.none(), bnodes, iris),
    )
    quads = draw(st.lists(random_quads, max_size=12))
    shape = draw(st.integers(0, 6))
    n = draw(st.integers(2, 5))
    if shape == 1:
        quads += cycle(n, "c")
    elif shape == 2:
        quads += cycle(n, "a") + cycle(draw(st.integers(2, 4)), "b")
    elif shape == 3:
        quads += [q for q in clique(n) if not (pyld_safe and q.subject == q.object)]
    elif shape == 4:
        quads += [Quad(BlankNode("hub"), IRI("urn:p"), BlankNode(f"l{i}")) for i in range(n)]
        quads += [Quad(BlankNode(f"l{i}"), IRI("urn:q"), Literal("v")) for i in range(n)]
    elif shape == 5:
        quads.append(Quad(IRI("urn:s"), IRI("urn:list"), BlankNode("l0")))
        for i in range(n):
            rest: Term = BlankNode(f"l{i + 1}") if i + 1 < n else IRI(RDF_NIL)
            quads += [
                Quad(BlankNode(f"l{i}"), IRI(RDF_FIRST), Literal("same")),
                Quad(BlankNode(f"l{i}"), IRI(RDF_REST), rest),
            ]
    elif shape == 6:
        for g in range(n):
            quads += cycle(3, f"g{g}n", BlankNode(f"g{g}"))
    if pyld_safe:
        quads = [q for q in quads if not _mentions_a_blank_node_twice(q)]
    return quads


def _blank_positions(quad: Quad) -> list[tuple[str, str | None, str]]:
    out = []
    for position, term in (("s", quad.subject), ("o", quad.object), ("g", quad.graph)):
        if isinstance(term, BlankNode):
            out.append((position, None if position == "g" else quad.predicate.value, term.value))
    return out


def _mentions_a_blank_node_twice(quad: Quad) -> bool:
    labels = [label for _, _, label in _blank_positions(quad)]
    return len(labels) != len(set(labels))


def _repeats_two_related_nodes(quads: list[Quad]) -> bool:
    """True when some blank node reaches two different blank nodes each more than once through
    the same position and predicate: the only case where the permutation generator that
    rdf-canonize 5 and pyld 3.3 share misses orderings that RDFC-1.0 §4.8 step 5.4 requires."""
    mentions: dict[str, Counter[tuple[str, str | None, str]]] = {}
    for quad in quads:
        positions = _blank_positions(quad)
        for _, _, label in positions:
            for entry in positions:
                if entry[2] != label:
                    mentions.setdefault(label, Counter())[entry] += 1
    for counter in mentions.values():
        if len({entry[2] for entry, count in counter.items() if count > 1}) > 1:
            return True
    return False


def pyld_canonical(quads: list[Quad]) -> str:
    """pyld's URDNA2015 on the dataset itself. (``jsonld.normalize`` with N-Quads input would
    first run pyld's N-Quads parser, which mis-reads escapes such as ``\\\\n``.)"""
    canon = pytest.importorskip("pyld.canon")
    dataset: dict[str, list[dict[str, Any]]] = {}

    def term(t: Term) -> dict[str, Any]:
        if isinstance(t, IRI):
            return {"type": "IRI", "value": t.value}
        if isinstance(t, BlankNode):
            return {"type": "blank node", "value": "_:" + t.value}
        literal = {
            "type": "literal",
            "value": t.value,
            "datatype": RDF_LANGSTRING if t.language else t.datatype,
        }
        return {**literal, "language": t.language} if t.language else literal

    for q in quads:
        graph = "@default" if q.graph is None else term(q.graph)["value"]
        triple = {
            "subject": term(q.subject),
            "predicate": term(q.predicate),
            "object": term(q.object),
        }
        dataset.setdefault(graph, []).append(triple)
    result: str = canon.URDNA2015().main(dataset, {"format": "application/n-quads"})
    return result


@settings(max_examples=200, deadline=None)
@given(datasets(pyld_safe=True), st.randoms(use_true_random=False))
def test_matches_pyld_urdna2015(quads: list[Quad], rng: random.Random) -> None:
    assume(not _repeats_two_related_nodes(quads))
    scrambled = relabel_and_shuffle(quads, rng)
    assert canonicalize_quads(scrambled, order="codepoint") == pyld_canonical(quads)


@settings(max_examples=200, deadline=None)
@given(datasets(pyld_safe=False), st.randoms(use_true_random=False))
def test_relabelling_and_reordering_never_change_the_result(
    quads: list[Quad], rng: random.Random
) -> None:
    out = canonicalize_quads(quads)
    assert canonicalize_quads(relabel_and_shuffle(quads, rng)) == out
    assert out.count("\n") == len(quads)
    assert canonicalize_quads(parse_nquads(out)) == out  # canonical form is a fixed point
    labels = {
        t.value
        for q in parse_nquads(out)
        for t in (q.subject, q.object, q.graph)
        if isinstance(t, BlankNode)
    }
    assert labels == {f"c14n{i}" for i in range(len(blank_labels(quads)))}


# --- the interop target itself: npm rdf-canonize 5 (tests/interop/node) ------------------------

_NODE_DIR = REPO / "tests" / "interop" / "node"
_CANONIZE_JS = """
const canonize = require('rdf-canonize');
const term = t => t === null ? {termType: 'DefaultGraph', value: ''}
  : t[0] === 'I' ? {termType: 'NamedNode', value: t[1]}
  : t[0] === 'B' ? {termType: 'BlankNode', value: t[1]}
  : {termType: 'Literal', value: t[1], datatype: {termType: 'NamedNode', value: t[2]},
     language: t[3]};
let s = '';
process.stdin.on('data', d => s += d);
process.stdin.on('end', async () => {
  const out = [];
  for (const quads of JSON.parse(s)) {
    const dataset = quads.map(q => ({subject: term(q[0]), predicate: term(q[1]),
                                     object: term(q[2]), graph: term(q[3])}));
    try {
      out.push(await canonize.canonize(dataset, {algorithm: 'RDFC-1.0', maxWorkFactor: Infinity}));
    } catch (e) {
      out.push({error: e.message});
    }
  }
  process.stdout.write(JSON.stringify(out));
});
"""


def _encode(term: Term | None) -> Any:
    if term is None:
        return None
    if isinstance(term, IRI):
        return ["I", term.value]
    if isinstance(term, BlankNode):
        return ["B", term.value]
    return [
        "L",
        term.value,
        RDF_LANGSTRING if term.language else term.datatype,
        term.language or "",
    ]


def run_rdf_canonize(datasets_: list[list[Quad]]) -> list[Any]:
    node = shutil.which("node")
    if node is None or not (_NODE_DIR / "node_modules" / "rdf-canonize").is_dir():
        pytest.skip("node or tests/interop/node/node_modules/rdf-canonize not installed")
    payload = json.dumps(
        [
            [
                [_encode(q.subject), _encode(q.predicate), _encode(q.object), _encode(q.graph)]
                for q in ds
            ]
            for ds in datasets_
        ]
    )
    result = subprocess.run(
        [node, "-e", _CANONIZE_JS],
        input=payload,
        capture_output=True,
        text=True,
        cwd=_NODE_DIR,
        check=True,
        timeout=120,
    )
    out: list[Any] = json.loads(result.stdout)
    return out


def test_matches_rdf_canonize() -> None:
    """400 seeded datasets with every awkward character, self references, astral characters."""
    rng = random.Random(20240521)  # noqa: S311
    samples: list[list[Quad]] = []
    while len(samples) < 400:
        quads = _random_dataset(rng)
        if not _repeats_two_related_nodes(quads):
            samples.append(relabel_and_shuffle(quads, rng))
    expected = run_rdf_canonize(samples)
    mismatches = [
        i
        for i, (quads, exp) in enumerate(zip(samples, expected, strict=True))
        if canonicalize_quads(quads) != exp
    ]
    assert mismatches == []


_CHARS = [chr(c) for c in range(0x20)] + list(
    "\x7f\"\\' aZé€\u0085\ue000\uff3a\ufffd😀\U00025651<>{}^`|"
)


def _random_dataset(rng: random.Random) -> list[Quad]:
    def literal() -> Literal:
        value = "".join(rng.choice(_CHARS) for _ in range(rng.randint(0, 4)))
        kind = rng.randrange(3)
        if kind == 0:
            return Literal(value)
        return (
            Literal(value, RDF_LANGSTRING, "en-US")
            if kind == 1
            else Literal(value, rng.choice(["urn:dt", "urn:d t<>"]))
        )

    def iri() -> IRI:
        return IRI(rng.choice(_ALL_IRIS))

    labels = [BlankNode(f"b{i}") for i in range(rng.randint(1, 7))]
    quads = []
    for _ in range(rng.randint(1, 14)):
        subject = rng.choice(labels) if rng.random() < 0.85 else iri()
        x = rng.random()
        obj: Term = rng.choice(labels) if x < 0.6 else literal() if x < 0.85 else iri()
        graph = None if rng.random() < 0.75 else rng.choice(labels) if rng.random() < 0.6 else iri()
        quads.append(Quad(subject, IRI(f"urn:p{rng.randrange(2)}"), obj, graph))
    shape = rng.randrange(5)
    if shape == 1:
        quads += cycle(rng.randint(2, 7))
    elif shape == 2:
        quads += cycle(rng.randint(2, 4), "a") + cycle(rng.randint(2, 4), "b")
    elif shape == 3:
        quads += clique(rng.randint(2, 4))
    elif shape == 4:
        for g in range(rng.randint(2, 3)):
            quads += cycle(3, f"g{g}n", BlankNode(f"g{g}"))
    return quads


def test_speed_smoke() -> None:
    """The OB vector's document canonicalizes well under a millisecond."""
    quads = parse_nquads((OB / "test-vectors" / "obv3p0" / "document-canon.txt").read_text())
    start = time.perf_counter()
    for _ in range(100):
        canonicalize_quads(quads)
    assert (time.perf_counter() - start) / 100 < 0.005
