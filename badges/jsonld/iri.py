"""IRI helpers for JSON-LD processing: keywords, IRI classification and RFC 3986 resolution.

JSON-LD 1.1 Processing Algorithms and API §4.4.2 (IRI Expansion) step 8 resolves relative
references with "only the basic algorithm in section 5.2 of [RFC3986]"; that algorithm is
``resolve_iri`` below.
"""

from __future__ import annotations

import re

KEYWORDS = frozenset(
    {
        "@base",
        "@container",
        "@context",
        "@default",
        "@direction",
        "@embed",
        "@explicit",
        "@graph",
        "@id",
        "@import",
        "@included",
        "@index",
        "@json",
        "@language",
        "@list",
        "@nest",
        "@none",
        "@omitDefault",
        "@prefix",
        "@preserve",
        "@propagate",
        "@protected",
        "@requireAll",
        "@reverse",
        "@set",
        "@type",
        "@value",
        "@version",
        "@vocab",
    }
)
"""JSON-LD 1.1 §1.7 keywords (framing keywords included: they are reserved too)."""

_KEYWORD_FORM = re.compile(r"@[a-zA-Z]+\Z")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_WELL_FORMED = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f]*\Z")
_BCP47 = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")
_GEN_DELIMS = frozenset(":/?#[]@")
_URI_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.S)


def has_keyword_form(value: str) -> bool:
    """True for strings of the form ``@`` + ALPHA+ (JSON-LD 1.1 §9.2: reserved for keywords)."""
    return _KEYWORD_FORM.match(value) is not None


def is_absolute_iri(value: str) -> bool:
    """True if ``value`` starts with a scheme (RFC 3987 IRI) or is a blank node identifier."""
    return _ABSOLUTE.match(value) is not None or value.startswith("_:")


def is_well_formed_iri(value: str) -> bool:
    """True if ``value`` is an absolute IRI without characters N-Quads cannot carry.

    JSON-LD 1.1 §8.1 (Deserialize JSON-LD to RDF) skips IRIs that are not well-formed; in
    safe mode they are refused instead. The excluded characters are those of the N-Quads
    ``IRIREF`` production, so a well-formed IRI can never break the canonical serialization.
    """
    return _WELL_FORMED.match(value) is not None


def is_well_formed_language(value: str) -> bool:
    """True if ``value`` matches the BCP 47 shape JSON-LD processors check for @language."""
    return _BCP47.match(value) is not None


def ends_with_gen_delim(iri: str) -> bool:
    """RFC 3986 gen-delims check used for the prefix flag (JSON-LD 1.1 §4.2.2 step 14.2.5)."""
    return bool(iri) and iri[-1] in _GEN_DELIMS


def resolve_iri(reference: str, base: str) -> str:
    """Resolve ``reference`` against the absolute ``base`` (RFC 3986 §5.2.2, strict)."""
    r_scheme, r_auth, r_path, r_query, r_frag = _URI_PARTS.match(reference).groups()  # type: ignore[union-attr]
    b_scheme, b_auth, b_path, b_query, _ = _URI_PARTS.match(base).groups()  # type: ignore[union-attr]
    if r_scheme is not None:
        scheme, auth, path, query = r_scheme, r_auth, _remove_dot_segments(r_path), r_query
    else:
        scheme = b_scheme
        if r_auth is not None:
            auth, path, query = r_auth, _remove_dot_segments(r_path), r_query
        else:
            auth = b_auth
            if r_path == "":
                path = b_path
                query = r_query if r_query is not None else b_query
            else:
                if r_path.startswith("/"):
                    path = _remove_dot_segments(r_path)
                else:
                    path = _remove_dot_segments(_merge(b_auth, b_path, r_path))
                query = r_query
    out = f"{scheme}:" if scheme is not None else ""
    if auth is not None:
        out += "//" + auth
    out += path
    if query is not None:
        out += "?" + query
    if r_frag is not None:
        out += "#" + r_frag
    return out


def _merge(base_auth: str | None, base_path: str, ref_path: str) -> str:
    """RFC 3986 §5.2.3 Merge Paths."""
    if base_auth is not None and base_path == "":
        return "/" + ref_path
    cut = base_path.rfind("/")
    return base_path[: cut + 1] + ref_path if cut >= 0 else ref_path


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4 Remove Dot Segments."""
    if "." not in path:
        return path
    out: list[str] = []
    buf = path
    while buf:
        if buf.startswith("../"):
            buf = buf[3:]
        elif buf.startswith(("./", "/./")):
            buf = buf[2:]
        elif buf == "/.":
            buf = "/"
        elif buf.startswith("/../"):
            buf = buf[3:]
            if out:
                out.pop()
        elif buf == "/..":
            buf = "/"
            if out:
                out.pop()
        elif buf in (".", ".."):
            buf = ""
        else:
            start = 1 if buf.startswith("/") else 0
            cut = buf.find("/", start)
            if cut < 0:
                cut = len(buf)
            out.append(buf[:cut])
            buf = buf[cut:]
    return "".join(out)
