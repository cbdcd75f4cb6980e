"""Lexical forms of JSON values in RDF literals.

- JSON-LD 1.1 Processing Algorithms and API §8.6 Object to RDF Conversion, steps 10-12: native
  numbers become canonical ``xsd:integer`` / ``xsd:double`` lexical forms.
- §8.6 step 8 (``@json``): the literal is the JSON Canonicalization Scheme (RFC 8785) form.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from badges.errors import JsonLdError

MAX_JSON_DEPTH = 64


def canonical_double(value: float) -> str:
    """The canonical ``xsd:double`` form JSON-LD prescribes: ``%1.15E`` without extra zeros.

    Rounding to 16 significant digits is ambiguous when the exact binary value lies half-way:
    C's printf and Python round half to even, ECMAScript's ``toExponential`` (jsonld.js) rounds
    half up. Such values would be signed differently by different processors: refused.
    """
    if not math.isfinite(value):
        raise JsonLdError(f"{value!r} is not a JSON number", code="invalid JSON value")
    _refuse_tie(value)
    mantissa, exponent = f"{value:.15E}".split("E")
    mantissa = mantissa.rstrip("0")
    if mantissa.endswith("."):
        mantissa += "0"
    return f"{mantissa}E{int(exponent)}"


def _refuse_tie(value: float) -> None:
    digits = Decimal(value).as_tuple().digits
    end = len(digits)
    while end and digits[end - 1] == 0:
        end -= 1
    if end == 17 and digits[16] == 5 and digits[15] % 2 == 0:
        raise JsonLdError(
            f"{value!r} has no unambiguous canonical xsd:double form (a rounding tie that "
            "JSON-LD processors break differently)",
            code="ambiguous double",
        )


_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")


def double_lexical(value: str | int | float) -> str:
    """A value typed ``xsd:double``: numbers, and numeric strings, take the canonical form.

    jsonld.js (``parseFloat``) and pyld (``float``) both re-read string values, but they read
    anything but plain decimal numbers differently, so other strings are refused.
    """
    if isinstance(value, str):
        if _DECIMAL.match(value) is None:
            raise JsonLdError(
                f"{value!r} typed xsd:double is not a plain decimal number", "ambiguous double"
            )
        return canonical_double(float(value))
    return canonical_double(_to_double(value))


def integer_or_double(value: int | float) -> tuple[str, bool]:
    """Lexical form of a JSON number and whether it is a double (§8.6 steps 10-11).

    JSON-LD numbers are IEEE 754 doubles (jsonld.js parses them so). An integer between 2**53
    and 10**21 that no double equals would canonicalize differently here and in JavaScript
    processors, so it is refused rather than signed or verified ambiguously.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise JsonLdError(f"{value!r} is not a JSON number", code="invalid JSON value")
        if not value.is_integer():
            if abs(value) < 1e-6 and "." not in es6_number(value):
                raise JsonLdError(
                    f"{value!r} is read as the integer 0 by jsonld.js (its text has no '.'), "
                    "as a double by other processors",
                    code="ambiguous double",
                )
            return canonical_double(value), True
    if abs(value) >= 1e21:
        return canonical_double(_to_double(value)), True
    if abs(value) > _MAX_SAFE and float(value) != value:
        raise JsonLdError(
            f"the integer {value} has no exact IEEE 754 double form; JSON-LD processors that "
            "parse numbers as doubles would sign a different value",
            code="unsafe integer",
        )
    return str(int(value)), False


_MAX_SAFE = 2**53


def _to_double(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError as exc:
        raise JsonLdError(f"{value} is too large for a JSON number", "invalid JSON value") from exc


def canonical_json(value: Any) -> str:
    """RFC 8785 JSON Canonicalization Scheme text of a JSON value (for rdf:JSON literals)."""
    parts: list[str] = []
    _write(value, parts, 0)
    text = "".join(parts)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise JsonLdError(
            "a JSON literal has a lone surrogate", code="invalid JSON literal"
        ) from exc
    return text


def _write(value: Any, parts: list[str], depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise JsonLdError("a JSON literal is nested too deeply", code="max depth exceeded")
    if value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, str):
        parts.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, int | float):
        parts.append(es6_number(_to_double(value)))
    elif isinstance(value, list):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, parts, depth + 1)
        parts.append("]")
    elif isinstance(value, dict):
        parts.append("{")
        for index, key in enumerate(sorted(value, key=_utf16_key)):
            if index:
                parts.append(",")
            parts.append(json.dumps(key, ensure_ascii=False))
            parts.append(":")
            _write(value[key], parts, depth + 1)
        parts.append("}")
    else:
        raise JsonLdError(
            f"{type(value).__name__} is not a JSON value", code="invalid JSON literal"
        )


def _utf16_key(key: Any) -> bytes:
    if not isinstance(key, str):
        raise JsonLdError("JSON object keys are strings", code="invalid JSON literal")
    if key == "__proto__":
        raise JsonLdError(
            'a "__proto__" key in a JSON literal is dropped by JavaScript processors, so it '
            "would not be signed there",
            code="invalid JSON literal",
        )
    return key.encode("utf-16-be", "surrogatepass")


def es6_number(value: float) -> str:
    """ECMAScript Number::toString of a double (RFC 8785 §3.2.2.3)."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        raise JsonLdError(f"{value!r} is not a JSON number", code="invalid JSON literal")
    sign = "-" if value < 0 else ""
    parsed = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, parsed.digits)).rstrip("0")
    exponent = int(parsed.exponent) + (len(parsed.digits) - len(digits))
    k = len(digits)
    n = exponent + k
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text
