"""JSON Schema validation against the official OB 3.0 schemas (local copies, never fetched).

Which schema
    ``type`` ⊇ OpenBadgeCredential/AchievementCredential → the achievementcredential
    schema; ``type`` ⊇ EndorsementCredential → the endorsementcredential schema. In
    addition, each ``credentialSchema[]`` entry of type ``1EdTechJsonSchemaValidator2019``
    whose ``id`` is a known official schema URL selects that local copy ("Verification"
    step 1). An unknown URL gives a *warning* issue ("not available offline"): the
    schema is not fetched, and nothing crashes.

What is normalised before validating (on a copy)
    - a single ``proof`` object is validated as a one-item array: VC 2.0 and Data
      Integrity allow both, and the 1EdTech test vector itself has a single object,
      but the OB schema only lists the array form;
    - VC 1.1-era credentials (``@context[0]`` = ``https://www.w3.org/2018/credentials/v1``,
      ``issuanceDate``/``expirationDate``) are validated as their VC 2.0 equivalent:
      ``@context[0]`` is read as the VC 2.0 URL and the dates as ``validFrom``/
      ``validUntil`` (the spec says to treat them as equivalent). Issues are reported
      under the original names (``issuanceDate``). The official VC 1.1 schema
      (``AchievementCredentialv1p1``) is not available here, so its extra rules (e.g.
      ``name`` required) are not checked. :func:`vc_version` tells a verifier that a
      credential is VC 1.1 so that it can warn about it.

Issue paths read like ``credentialSubject.achievement.criteria`` or ``evidence[0].type``;
for a missing property the path names the property itself.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import fastjsonschema
from jsonschema import Draft201909Validator, FormatChecker, ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909

from badges.model.base import (
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    PROFILE_SCHEMA_URL,
    SCHEMA_VALIDATOR_TYPE,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
)
from badges.model.dates import is_date, is_datetime

Severity = Literal["error", "warning"]
SchemaName = Literal["achievementcredential", "endorsementcredential", "profile"]


@dataclass(frozen=True, slots=True)
class SchemaIssue:
    """One schema problem. ``severity`` is ``warning`` only for a schema not available offline."""

    path: str
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


_FILES: dict[SchemaName, str] = {
    "achievementcredential": "ob_v3p0_achievementcredential_schema.json",
    "endorsementcredential": "ob_v3p0_endorsementcredential-jsonschema1.json",
    "profile": "ob_v3p0_profile-jsonschema1.json",
}
_DRAFT201909 = "https://json-schema.org/draft/2019-09/schema"
_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/"

KNOWN_SCHEMA_URLS: Mapping[str, SchemaName] = {
    ACHIEVEMENT_CREDENTIAL_SCHEMA_URL: "achievementcredential",
    _BASE + "json-ld/ob_v3p0_achievementcredential_schema.json": "achievementcredential",
    # JSON-equal to the file above except for $id (1EdTech CI build)
    _BASE + "json/ob_v3p0_achievementcredential-jsonschema1.json": "achievementcredential",
    ENDORSEMENT_CREDENTIAL_SCHEMA_URL: "endorsementcredential",
    _BASE + "json/ob_v3p0_endorsementcredential-jsonschema1.json": "endorsementcredential",
    PROFILE_SCHEMA_URL: "profile",
    _BASE + "json/ob_v3p0_profile-jsonschema1.json": "profile",
}
"""Official schema URLs (and ``$id`` variants) served from the local copies."""

_BADGE_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})


@functools.cache
def load_schema(name: SchemaName) -> Mapping[str, Any]:
    """The parsed official schema (shipped as ``badges/schemas/*.json``)."""
    text = resources.files("badges").joinpath("schemas").joinpath(_FILES[name]).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@functools.cache
def _registry() -> Registry[Any]:
    pairs: list[tuple[str, Resource[Any]]] = []
    for name in _FILES:
        schema = load_schema(name)
        resource = Resource.from_contents(schema, default_specification=DRAFT201909)
        pairs.append((str(schema["$id"]), resource))
        pairs.extend((url, resource) for url, key in KNOWN_SCHEMA_URLS.items() if key == name)
    # The default ``retrieve`` refuses every URI that is not registered: nothing is fetched.
    return Registry().with_resources(pairs)


@functools.cache
def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date-time")(is_datetime)
    checker.checks("date")(is_date)
    return checker


def _make_validator(schema: Mapping[str, Any]) -> Validator:
    cls = validator_for(schema, default=Draft201909Validator)
    return cls(schema, registry=_registry(), format_checker=_format_checker())


@functools.cache
def _compiled(name: SchemaName) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: one yes/no answer, ~15x faster.

    The OB 3.0 schemas declare draft 2019-09 but use only keywords with the same
    meaning in draft 7 ($defs is reached by JSON pointer), so they compile as draft 7.
    """
    schema = {**load_schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(schema, formats={"date-time": is_datetime, "date": is_date})


def is_valid_fast(name: SchemaName, instance: Any) -> bool:
    """True when ``instance`` (already normalised) satisfies schema ``name``.

    The fast path of :func:`validate_credential`; when it says no, the full
    jsonschema validator runs to report every issue with its path.
    """
    try:
        _compiled(name)(instance)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@functools.cache
def _validator(name: SchemaName) -> Validator:
    return _make_validator(load_schema(name))


@functools.cache
def _achievement_validator() -> Validator:
    ref = str(load_schema("achievementcredential")["$id"]) + "#/$defs/Achievement"
    return _make_validator({"$schema": _DRAFT201909, "$ref": ref})


# ---------------------------------------------------------------- error messages

Path = tuple[str | int, ...]


def format_path(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _json_type(value: object) -> str:
    for name, kinds in (("boolean", bool), ("integer", int), ("number", float), ("string", str)):
        if isinstance(value, kinds):
            return name
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def _show(value: object) -> str:
    """A short rendering: strings quoted (cut at 80 characters), other values by JSON type."""
    return (
        json.dumps(value[:80], ensure_ascii=False) if isinstance(value, str) else _json_type(value)
    )


def _choices(values: list[Any]) -> str:
    shown = ", ".join(json.dumps(v) for v in values[:8])
    return shown + (", …" if len(values) > 8 else "")


def _branch_name(schema: object) -> str:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return str(schema["$ref"]).rsplit("/", 1)[-1]
        if "enum" in schema:
            return "one of " + _choices(list(schema["enum"]))
        if "pattern" in schema:
            return f"a string matching {schema['pattern']}"
        if "type" in schema:
            return str(schema["type"])
    return "a matching value"


def _describe(error: ValidationError) -> str:
    kind, value = error.validator, error.instance
    expected: Any = error.validator_value
    if kind == "type":
        return f"expected {expected}, got {_json_type(value)}"
    if kind == "enum":
        return f"must be {_choices(list(expected))}, got {_show(value)}"
    if kind == "const":
        return f"must be {json.dumps(expected)}"
    if kind == "contains" and isinstance(expected, dict) and "enum" in expected:
        return f"must contain {' or '.join(json.dumps(v) for v in expected['enum'])}"
    if kind == "minItems":
        return f"must have at least {expected} item(s)"
    if kind == "pattern":
        return f"{_show(value)} does not match {expected}"
    if kind == "format":
        detail = " (RFC 3339 with a time zone)" if expected == "date-time" else ""
        return f"{_show(value)} is not a valid {expected}{detail}"
    if kind in ("oneOf", "anyOf") and isinstance(expected, list):
        return "must be " + " or ".join(_branch_name(branch) for branch in expected)
    return error.message[:300]


_SHALLOW = frozenset({"type", "enum", "const", "pattern", "format"})


def _fitting_branch(error: ValidationError) -> list[ValidationError] | None:
    """The errors of the one ``oneOf``/``anyOf`` branch the value is the right kind for.

    A branch "fits" when none of its errors says the value itself has the wrong
    type/enum/pattern (e.g. a Profile object missing ``type`` fits ``Profile``,
    not ``string``). ``None`` when no single branch fits.
    """
    branches: dict[object, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.schema_path[0] if sub.schema_path else None, []).append(sub)
    depth = len(error.absolute_path)
    fitting = [
        subs
        for subs in branches.values()
        if not any(len(s.absolute_path) == depth and s.validator in _SHALLOW for s in subs)
    ]
    return fitting[0] if len(fitting) == 1 else None


def _convert(error: ValidationError) -> list[tuple[Path, str]]:
    path: Path = tuple(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        required: Any = error.validator_value
        missing = [p for p in required if p not in error.instance and repr(p) in error.message]
        return [((*path, p), "required property is missing") for p in missing[:1]]
    if error.validator in ("oneOf", "anyOf") and error.context:
        branch = _fitting_branch(error)
        if branch is not None:
            return [item for sub in branch for item in _convert(sub)]
        return [(path, f"{_describe(error)}, got {_show(error.instance)}")]
    return [(path, _describe(error))]


Rewrite = tuple[Path, Path]


def _rewrite(path: Path, rules: list[Rewrite]) -> Path:
    for src, dst in sorted(rules, key=lambda rule: -len(rule[0])):
        if path[: len(src)] == src:
            return dst + path[len(src) :]
    return path


def _issues(validator: Validator, instance: Any, rules: list[Rewrite]) -> list[SchemaIssue]:
    found: dict[tuple[str, str], None] = {}
    for error in validator.iter_errors(instance):
        for path, message in _convert(error):
            found[(format_path(_rewrite(path, rules)), message)] = None
    return [SchemaIssue(path, message) for path, message in sorted(found)]


# ---------------------------------------------------------------- normalisation


def vc_version(credential: object) -> Literal["2.0", "1.1"] | None:
    """``"2.0"`` or ``"1.1"`` from ``@context[0]``; ``None`` for anything else."""
    context = credential.get("@context") if isinstance(credential, dict) else None
    first = context[0] if isinstance(context, list) and context else context
    if first == VC_V2_CONTEXT:
        return "2.0"
    if first == VC_V1_CONTEXT:
        return "1.1"
    return None


def _normalise(value: Any, path: Path, rules: list[Rewrite]) -> Any:
    """Copy of ``value`` with VC 1.1 credentials and single proofs in VC 2.0 / array form."""
    if isinstance(value, list):
        return [_normalise(item, (*path, i), rules) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return value
    out = {key: _normalise(item, (*path, key), rules) for key, item in value.items()}
    if "@context" not in out:
        return out
    if isinstance(out.get("proof"), dict):
        out["proof"] = [out["proof"]]
        rules.append(((*path, "proof", 0), (*path, "proof")))
    if vc_version(out) == "1.1":
        out["@context"] = [VC_V2_CONTEXT, *out["@context"][1:]]
        for old, new in (("issuanceDate", "validFrom"), ("expirationDate", "validUntil")):
            if new not in out:
                if old in out:
                    out[new] = out.pop(old)
                rules.append(((*path, new), (*path, old)))
    return out


# ---------------------------------------------------------------- public API


def _types(credential: Mapping[str, Any]) -> set[str]:
    value = credential.get("type")
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {item for item in items if isinstance(item, str)}


def schemas_for(credential: Mapping[str, Any]) -> tuple[list[SchemaName], list[SchemaIssue]]:
    """The local schemas that apply (by ``type`` and ``credentialSchema[]``), and warnings
    for declared schemas that are not available offline."""
    names: list[SchemaName] = []
    warnings: list[SchemaIssue] = []
    types = _types(credential)
    if types & _BADGE_TYPES:
        names.append("achievementcredential")
    if "EndorsementCredential" in types:
        names.append("endorsementcredential")
    declared = credential.get("credentialSchema")
    for i, entry in enumerate(declared if isinstance(declared, list) else []):
        if not isinstance(entry, dict) or entry.get("type") != SCHEMA_VALIDATOR_TYPE:
            continue
        url = entry.get("id")
        name = KNOWN_SCHEMA_URLS.get(url.strip()) if isinstance(url, str) else None
        if name is None:
            warnings.append(
                SchemaIssue(
                    f"credentialSchema[{i}].id",
                    f"schema {url!r} is not available offline; not validated",
                    "warning",
                )
            )
        elif name not in names:
            names.append(name)
    return names, warnings


def validate_credential(credential: object) -> list[SchemaIssue]:
    """Validate an OB 3.0 credential (JSON object) against the official schema(s).

    Returns ``[]`` when valid. Issues with ``severity == "warning"`` only report
    declared schemas that could not be checked offline.
    """
    if not isinstance(credential, dict):
        return [
            SchemaIssue("", f"a credential must be a JSON object, got {_json_type(credential)}")
        ]
    names, issues = schemas_for(credential)
    if not names:
        return [
            *issues,
            SchemaIssue(
                "type",
                "must contain OpenBadgeCredential, AchievementCredential or "
                "EndorsementCredential; no Open Badges schema applies",
            ),
        ]
    rules: list[Rewrite] = []
    instance = _normalise(copy.deepcopy(credential), (), rules)
    for name in names:
        if not is_valid_fast(name, instance):
            issues.extend(_issues(_validator(name), instance, rules))
    return issues


def validate_profile(profile: object) -> list[SchemaIssue]:
    """Validate a Profile (issuer) JSON object against the official profile schema."""
    return _issues(_validator("profile"), profile, [])


def validate_achievement(achievement: object) -> list[SchemaIssue]:
    """Validate an Achievement JSON object (``$defs/Achievement`` of the credential schema)."""
    return _issues(_achievement_validator(), achievement, [])
