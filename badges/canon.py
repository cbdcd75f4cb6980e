"""RDF Dataset Canonicalization: RDFC-1.0 (W3C Recommendation, 21 May 2024; = URDNA2015).

https://www.w3.org/TR/rdf-canon/ — section numbers below refer to that document.

``canonicalize_quads`` returns the *serialized canonical form* (§4.4.3 step 7, §5): every quad in
canonical N-Quads form (``badges.rdf.serialize_quad``) with blank nodes relabelled ``c14n0``,
``c14n1``, …, the lines sorted and concatenated. SHA-256 is the hash algorithm throughout.

Interoperability decisions (the target is npm rdf-canonize 5, as used by @digitalbazaar/vc 7):

* Line order. The spec sorts in Unicode *code point* order; rdf-canonize sorts JavaScript strings,
  i.e. by UTF-16 code unit (its issue #52). The two differ only when a line has a character above
  U+FFFF and another line differs from it at that position by a character in U+E000..U+FFFF. The
  default ``order="utf16"`` reproduces rdf-canonize (and Java implementations); pass
  ``order="codepoint"`` for the letter of the spec (pyld also sorts by code point).
* A quad that mentions the same blank node twice is listed once for it (§4.4.3 step 2 "for each
  blank node that is a component of Q"); rdf-canonize does the same, pyld lists it twice.
* Input quads are not deduplicated (neither does rdf-canonize: jsonld.js ``toRDF`` can emit the
  same quad twice, e.g. for ``[1, {"@value": "1", "@type": xsd:integer}]``, and the duplicate line
  stays in its canonical form).
* Every blank node is relabelled, even one whose label already looks like ``c14nN`` (rdf-canonize
  keeps such labels, which only matters for N-Quads input that is already labelled that way).
* Every distinct ordering of equally-hashed related blank nodes is tried (§4.8 step 5.4). The
  permuter that rdf-canonize 5 and pyld 3.3 share skips some orderings when two or more related
  nodes are listed more than once (a blank node that sits in several blank-node-named graphs), so
  for such contrived datasets their output depends on the input labels; ours does not.
* A lone surrogate in a term cannot be hashed as UTF-8: ``JsonLdError(code="invalid_term")``.
* Work limit (Security Considerations, "Dataset Poisoning"): the Hash N-Degree Quads algorithm is
  exponential in the worst case. ``max_work`` bounds the total number of its invocations plus the
  permutations it examines; beyond that, or beyond a recursion depth of ``MAX_DEPTH``,
  ``JsonLdError(code="canonicalization_limit")`` is raised. rdf-canonize's default limit is much
  stricter (``maxWorkFactor`` 1: as many invocations as there are non-unique blank nodes; it
  already rejects a plain cycle of three indistinguishable blank nodes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from hashlib import sha256
from itertools import permutations
from typing import Any
from typing import Literal as Choice

from badges.errors import JsonLdError
from badges.rdf import (
    _IRI_TEXT,
    IRI,
    BlankNode,
    Literal,
    Quad,
    serialize_iri,
    serialize_literal,
    serialize_quad,
    serialize_term,
)
from badges.types import DocumentLoader

__all__ = [
    "DEFAULT_MAX_WORK",
    "MAX_DEPTH",
    "canonical_label_map",
    "canonical_quads",
    "canonicalize",
    "canonicalize_quads",
]

DEFAULT_MAX_WORK = 100_000
"""Work budget of Hash N-Degree Quads: each call costs 1 + its quads, each permutation its
length (+ issuer size / 16). About 1-2 µs a unit: the limit is reached in ~0.1-0.2 s of CPU."""
MAX_DEPTH = 200
"""Maximum recursion depth of Hash N-Degree Quads (keeps clear of Python's recursion limit)."""

Order = Choice["utf16", "codepoint"]

_SURROGATE = re.compile("[\ud800-\udfff]")

# One input quad, pre-serialized: (subject, predicate, object, graph suffix, subject blank node
# label, object label, graph label, "<predicate IRI>" for Hash Related Blank Node). A blank node
# position holds its label in the label slot (None otherwise); its string slot is then unused.
# The graph suffix is "" for the default graph, else " " + the serialized graph name.
_Row = tuple[str, str, str, str, str | None, str | None, str | None, str]


def _permutations(items: list[str]) -> Iterator[tuple[str, ...]]:
    """All orderings of ``items`` (§4.8 step 5.4), each distinct ordering once.

    A related blank node can be listed more than once (e.g. once per quad of a named graph it
    names); orderings that differ only by swapping equal entries give the same path, so they are
    skipped. (rdf-canonize's Steinhaus-Johnson-Trotter permuter also skips them but, for lists with
    two or more repeated nodes, misses some distinct orderings too.)"""
    if len(set(items)) == len(items):
        yield from permutations(items)
        return
    current = sorted(items)  # lexicographic next-permutation: visits each distinct ordering once
    n = len(current)
    while True:
        yield tuple(current)
        i = n - 2
        while i >= 0 and current[i] >= current[i + 1]:
            i -= 1
        if i < 0:
            return
        j = n - 1
        while current[j] <= current[i]:
            j -= 1
        current[i], current[j] = current[j], current[i]
        current[i + 1 :] = reversed(current[i + 1 :])


def _utf16_key(line: str) -> bytes:
    return line.encode("utf-16-be", "surrogatepass")


class _Canonicalizer:
    """The canonicalization state of §4.2 plus the work budget."""

    __slots__ = ("bnode_rows", "canon", "first_degree", "plain", "remaining", "rows", "utf16")

    def __init__(self, quads: Iterable[Quad], max_work: int, order: Order) -> None:
        if order not in ("utf16", "codepoint"):
            raise ValueError(f"order must be 'utf16' or 'codepoint', not {order!r}")
        self.rows: list[_Row] = []  # the quads that mention blank nodes
        self.plain: list[str] = []  # the finished lines of the other quads
        self.bnode_rows: dict[str, list[int]] = {}  # the blank node to quads map (§4.2)
        self.first_degree: dict[str, str] = {}
        self.canon: dict[str, str] = {}  # the canonical issuer: label -> "c14nN", in issue order
        self.remaining = max_work
        rows, bnode_rows, plain = self.rows, self.bnode_rows, self.plain
        iri_text = _IRI_TEXT.get  # cached "<iri>" of ASCII IRIs; a miss goes to serialize_iri
        non_ascii: list[str] = []  # terms to check for lone surrogates and non-BMP characters
        for quad in quads:
            s, o, g = quad.subject, quad.object, quad.graph
            sb = ob = gb = None
            st = ot = gt = ""
            if type(s) is IRI:
                st = iri_text(s.value) or serialize_iri(s.value)
            elif type(s) is BlankNode:
                sb = s.value
            else:
                st = serialize_term(s)
            predicate = quad.predicate.value
            pt = iri_text(predicate) or serialize_iri(predicate)
            if type(o) is Literal:
                ot = serialize_literal(o)
            elif type(o) is IRI:
                ot = iri_text(o.value) or serialize_iri(o.value)
            elif type(o) is BlankNode:
                ob = o.value
            else:
                ot = serialize_term(o)
            if g is not None:
                if type(g) is BlankNode:
                    gb = g.value
                elif type(g) is IRI:
                    gt = " " + (iri_text(g.value) or serialize_iri(g.value))
                else:
                    gt = " " + serialize_term(g)
            if sb is None and ob is None and gb is None:
                line = f"{st} {pt} {ot}{gt} .\n"
                plain.append(line)
            else:
                line = f"{st} {pt} {ot}{gt}"
                index = len(rows)
                rows.append((st, pt, ot, gt, sb, ob, gb, f"<{predicate}>"))
                for label in (sb, ob, gb):
                    if label is not None:
                        mentions = bnode_rows.get(label)
                        if mentions is None:
                            bnode_rows[label] = [index]
                        elif mentions[-1] != index:  # §4.4.3 step 2: a quad once per blank node
                            mentions.append(index)
            if not line.isascii():
                non_ascii.append(line)
        astral = False
        for text in non_ascii:
            if _SURROGATE.search(text):
                raise JsonLdError(f"lone surrogate in RDF term {text!r}", code="invalid_term")
            astral = astral or max(text) > "\uffff"
        self.utf16 = astral and order == "utf16"

    def _sort(self, lines: list[str]) -> None:
        """Sort lines in code point order, or UTF-16 code unit order (module docstring)."""
        if self.utf16:
            lines.sort(key=_utf16_key)
        else:
            lines.sort()

    def _spend(self, units: int = 1) -> None:
        self.remaining -= units
        if self.remaining < 0:
            raise JsonLdError(
                "RDF canonicalization exceeded its work limit (poison dataset?)",
                code="canonicalization_limit",
            )

    def hash_first_degree_quads(self, label: str) -> str:
        """§4.6: hash the quads mentioning ``label`` with it as ``_:a`` and other blank nodes
        as ``_:z``."""
        lines = []
        rows = self.rows
        for index in self.bnode_rows[label]:
            s, p, o, g, sb, ob, gb, _ = rows[index]
            if sb is not None:
                s = "_:a" if sb == label else "_:z"
            if ob is not None:
                o = "_:a" if ob == label else "_:z"
            if gb is not None:
                g = " _:a" if gb == label else " _:z"
            lines.append(f"{s} {p} {o}{g} .\n")
        self._sort(lines)
        return sha256("".join(lines).encode()).hexdigest()

    def hash_related_blank_node(
        self, related: str, row: _Row, issuer: dict[str, str], position: str
    ) -> str:
        """§4.7: hash of position, predicate (unless ``g``) and the related node's identifier."""
        if related in self.canon:
            ident = "_:" + self.canon[related]
        elif related in issuer:
            ident = "_:" + issuer[related]
        else:
            ident = self.first_degree[related]
        data = position + ident if position == "g" else position + row[7] + ident
        return sha256(data.encode()).hexdigest()

    def hash_n_degree_quads(
        self, label: str, issuer: dict[str, str], depth: int = 0
    ) -> tuple[str, dict[str, str]]:
        """§4.8: hash ``label`` by the paths to its related blank nodes, trying each permutation
        of equally-hashed related nodes and recursing into nodes not yet labelled.

        An identifier issuer is a dict (old label -> temporary ``bN``, insertion ordered); its
        counter is its length. The caller's ``issuer`` is never modified; the returned one may be
        the same object when no related blank nodes exist."""
        rows = self.bnode_rows[label]
        self._spend(1 + len(rows))
        if depth > MAX_DEPTH:
            raise JsonLdError(
                "RDF canonicalization exceeded its recursion limit", code="canonicalization_limit"
            )
        canon = self.canon
        related_by_hash: dict[str, list[str]] = {}  # step 1: hash to related blank nodes map
        for index in rows:  # steps 2-3
            row = self.rows[index]
            for position, related in (("s", row[4]), ("o", row[5]), ("g", row[6])):
                if related is not None and related != label:
                    h = self.hash_related_blank_node(related, row, issuer, position)
                    related_by_hash.setdefault(h, []).append(related)
        digest = sha256()  # step 4: data to hash
        for related_hash in sorted(related_by_hash):  # step 5
            digest.update(related_hash.encode())
            chosen_path = ""
            chosen_issuer = issuer
            related_list = related_by_hash[related_hash]
            for permutation in _permutations(related_list):  # step 5.4
                self._spend(len(related_list) + (len(issuer) >> 4))  # >> 4: the dict copy
                issuer_copy = dict(issuer)
                path = ""
                recursion: list[str] = []
                pruned = False
                for related in permutation:  # step 5.4.4
                    if related in canon:
                        path += "_:" + canon[related]
                    else:
                        ident = issuer_copy.get(related)
                        if ident is None:
                            recursion.append(related)
                            ident = issuer_copy[related] = f"b{len(issuer_copy)}"
                        path += "_:" + ident
                    # 5.4.4.3, strengthened to "path > chosen path": every extension of such a
                    # path also compares greater, so the chosen path is the same (rdf-canonize
                    # prunes the same way).
                    if chosen_path and path > chosen_path:
                        pruned = True
                        break
                if pruned:
                    continue
                for related in recursion:  # step 5.4.5
                    result_hash, result_issuer = self.hash_n_degree_quads(
                        related, issuer_copy, depth + 1
                    )
                    path += f"_:{issuer_copy[related]}<{result_hash}>"
                    issuer_copy = result_issuer
                    if chosen_path and path > chosen_path:
                        pruned = True
                        break
                if pruned:
                    continue
                if not chosen_path or path < chosen_path:  # step 5.4.6
                    chosen_path = path
                    chosen_issuer = issuer_copy
            digest.update(chosen_path.encode())  # step 5.5
            issuer = chosen_issuer  # step 5.6
        return digest.hexdigest(), issuer

    def run(self) -> dict[str, str]:
        """§4.4.3 steps 3-6: issue canonical identifiers; returns label -> ``c14nN``."""
        canon = self.canon
        by_hash: dict[str, list[str]] = {}  # the hash to blank nodes map
        for label in self.bnode_rows:  # step 3
            h = self.hash_first_degree_quads(label)
            self.first_degree[label] = h
            by_hash.setdefault(h, []).append(label)
        shared: list[list[str]] = []
        for h in sorted(by_hash):  # step 4: unique first-degree hashes, in hash order
            labels = by_hash[h]
            if len(labels) == 1:
                canon[labels[0]] = f"c14n{len(canon)}"
            else:
                shared.append(labels)
        for labels in shared:  # step 5, still in hash order
            results: list[tuple[str, dict[str, str]]] = []
            for label in labels:
                if label in canon:  # 5.2.1
                    continue
                results.append(self.hash_n_degree_quads(label, {label: "b0"}))
            results.sort(key=lambda result: result[0])  # 5.3
            for _, issuer in results:
                for label in issuer:
                    if label not in canon:
                        canon[label] = f"c14n{len(canon)}"
        return canon

    def lines(self) -> list[str]:
        """§4.4.3 step 6 and §5: the relabelled quads as sorted canonical N-Quads lines."""
        names = {label: "_:" + c14n for label, c14n in self.canon.items()}
        lines = self.plain.copy()
        for s, p, o, g, sb, ob, gb, _ in self.rows:
            if sb is not None:
                s = names[sb]
            if ob is not None:
                o = names[ob]
            if gb is not None:
                g = " " + names[gb]
            lines.append(f"{s} {p} {o}{g} .\n")
        self._sort(lines)
        return lines


def _run(quads: Iterable[Quad], max_work: int, order: Order) -> _Canonicalizer:
    state = _Canonicalizer(quads, max_work, order)
    try:
        state.run()
    except RecursionError:
        raise JsonLdError(
            "RDF canonicalization exceeded the recursion limit", code="canonicalization_limit"
        ) from None
    return state


def canonicalize_quads(
    quads: Iterable[Quad], *, max_work: int = DEFAULT_MAX_WORK, order: Order = "utf16"
) -> str:
    """RDFC-1.0 (§4.4): the serialized canonical form of the dataset — sorted canonical N-Quads,
    blank nodes labelled ``_:c14n0``, ``_:c14n1``, …; ``""`` for an empty dataset.

    Raises ``JsonLdError`` with code ``canonicalization_limit`` when ``max_work`` is exhausted
    (see the module docstring) and ``invalid_term`` for a lone surrogate in a term."""
    return "".join(_run(quads, max_work, order).lines())


def canonical_label_map(
    quads: Iterable[Quad], *, max_work: int = DEFAULT_MAX_WORK, order: Order = "utf16"
) -> dict[str, str]:
    """The issued identifiers map (§4.4.3 step 6 "canonical issuer"): input blank node label ->
    canonical label (``c14nN``, without ``_:``)."""
    return dict(_run(quads, max_work, order).canon)


def canonical_quads(
    quads: Iterable[Quad], *, max_work: int = DEFAULT_MAX_WORK, order: Order = "utf16"
) -> list[Quad]:
    """The canonicalized dataset: the quads relabelled, in the order of the canonical form."""
    quads = list(quads)
    state = _run(quads, max_work, order)
    names = {label: BlankNode(c14n) for label, c14n in state.canon.items()}

    def relabel(term: Any) -> Any:
        return names[term.value] if isinstance(term, BlankNode) else term

    relabelled = [
        Quad(relabel(q.subject), q.predicate, relabel(q.object), relabel(q.graph)) for q in quads
    ]
    keyed = [(serialize_quad(q), q) for q in relabelled]
    if state.utf16:
        keyed.sort(key=lambda item: _utf16_key(item[0]))
    else:
        keyed.sort(key=lambda item: item[0])
    return [q for _, q in keyed]


def canonicalize(
    document: Mapping[str, Any],
    loader: DocumentLoader | None = None,
    *,
    max_work: int = DEFAULT_MAX_WORK,
    order: Order = "utf16",
) -> str:
    """JSON-LD document -> RDF dataset (``badges.jsonld.to_rdf``) -> RDFC-1.0 canonical N-Quads."""
    from badges.jsonld import to_rdf  # imported late: keeps this module importable on its own

    return canonicalize_quads(to_rdf(document, loader), max_work=max_work, order=order)
