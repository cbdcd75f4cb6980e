"""Catalog files: JSON or YAML, read with line numbers for errors, written deterministically.

:func:`catalog_text` writes exactly what :func:`read_catalog` reads: reading a written
catalog and writing it again gives the same bytes. JSON is written as the shipped
``leadership.json`` is (two-space indent, UTF-8, a final newline); YAML in block style
with multi-line texts as literal blocks (``|``). YAML is read with the safe loader only
(no tags that build Python objects); anchors and aliases and duplicate keys are refused
(aliases could expand a small file into a huge document).
"""

from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import Any, Literal

import yaml

from issuer.catalog import Catalog, CatalogError, CatalogProblem, dump_catalog, parse_catalog

Format = Literal["json", "yaml"]
FORMATS: tuple[Format, ...] = ("json", "yaml")
EXTENSIONS: dict[str, Format] = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MEDIA_TYPES: dict[Format, str] = {
    "json": "application/json",
    "yaml": "application/yaml",
}

Lines = dict[tuple[str | int, ...], int]


def format_for(path: Path | str) -> Format:
    """The format a file name's extension names (``.json``, ``.yaml``, ``.yml``)."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise CatalogError(f"{path}: the file name must end in .json, .yaml or .yml")
    return EXTENSIONS[suffix]


# ---------------------------------------------------------------------- writing


# libyaml when PyYAML has it (ten times faster); the pure-Python classes write and read
# the same documents
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_SafeDumper):  # type: ignore[valid-type,misc]
    """Block style; texts with line breaks as literal blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def data_text(data: Any, fmt: Format) -> str:
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    text: str = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
        indent=2,
    )
    return text


def catalog_text(catalog: Catalog, fmt: Format) -> str:
    """The catalog as a file's text in ``fmt``."""
    return data_text(dump_catalog(catalog), fmt)


# ---------------------------------------------------------------------- reading


def _yaml_data(text: str, name: str) -> tuple[Any, Lines]:
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: Lines = {}
        if node is not None:
            _yaml_lines(node, (), lines, set())
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = CatalogProblem((), f"not valid YAML: {exc.problem or exc}", line=line)
        raise CatalogError(problem.located(name), [problem]) from exc
    except yaml.YAMLError as exc:
        raise CatalogError(f"{name}: not valid YAML ({exc})") from exc
    finally:
        loader.dispose()
    return data, lines


def _yaml_lines(node: yaml.Node, path: tuple[str | int, ...], lines: Lines, seen: set[int]) -> None:
    if id(node) in seen:
        raise yaml.MarkedYAMLError(
            problem="anchors and aliases are not allowed", problem_mark=node.start_mark
        )
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in keys:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            keys.add(key)
            _yaml_lines(value_node, (*path, key), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _yaml_lines(item, (*path, i), lines, seen)


def _json_lines(text: str) -> Lines:
    """The line of every value of a valid JSON text, by path."""
    breaks = [i for i, char in enumerate(text) if char == "\n"]
    decoder = json.JSONDecoder()
    lines: Lines = {}

    def skip(i: int) -> int:
        while i < len(text) and text[i] in " \t\r\n":
            i += 1
        return i

    def value(i: int, path: tuple[str | int, ...]) -> int:
        i = skip(i)
        lines[path] = bisect.bisect_left(breaks, i) + 1
        if text[i] == "{":
            i = skip(i + 1)
            while text[i] != "}":
                key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
                i = value(skip(i) + 1, (*path, key))
                i = skip(i)
                i = skip(i + 1) if text[i] == "," else i
            return i + 1
        if text[i] == "[":
            i, n = skip(i + 1), 0
            while text[i] != "]":
                i = skip(value(i, (*path, n)))
                i = skip(i + 1) if text[i] == "," else i
                n += 1
            return i + 1
        return int(decoder.raw_decode(text, i)[1])

    value(0, ())
    return lines


def _json_data(text: str, name: str) -> tuple[Any, Lines]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as exc:
        line = exc.lineno if isinstance(exc, json.JSONDecodeError) else None
        problem = CatalogProblem((), f"not valid JSON ({exc})", line=line)
        raise CatalogError(problem.located(name), [problem]) from exc
    return data, _json_lines(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _line(lines: Lines, path: tuple[str | int, ...]) -> int | None:
    """The line of ``path``, or of its nearest ancestor the file has."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def read_catalog(
    text: str, fmt: Format | None = None, name: str | None = None, *, path: Path | None = None
) -> Catalog:
    """Parse a catalog file's text; errors name ``name`` (or ``path``), lines and keys."""
    fmt = fmt or format_for(path or "")
    name = name or (str(path) if path else "catalog")
    data, lines = _yaml_data(text, name) if fmt == "yaml" else _json_data(text, name)
    try:
        return parse_catalog(data)
    except CatalogError as exc:
        problems = [
            CatalogProblem(p.path, p.message, p.key, _line(lines, p.path)) for p in exc.problems
        ]
        message = "\n".join(problem.located(name) for problem in problems)
        raise CatalogError(message, problems) from None
