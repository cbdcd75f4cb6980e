"""Shared pieces of the OB 3.0 models: context/schema URLs, the base class, JSON output."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from badges.errors import InvalidCredential
from badges.types import JSONObject

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
"""Defines ``1EdTechJsonSchemaValidator2019``, ``1EdTechRevocationList`` and
``1EdTechCredentialRefresh``; the OB 3.0.3 context does not."""

SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
ACHIEVEMENT_CREDENTIAL_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
ENDORSEMENT_CREDENTIAL_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
)
PROFILE_SCHEMA_URL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"
)

EXTENSION_TYPES = frozenset(
    {SCHEMA_VALIDATOR_TYPE, "1EdTechRevocationList", "1EdTechCredentialRefresh"}
)

_LEADING_KEYS = ("@context", "id", "type")

M = TypeVar("M", bound=BaseModel)


def ordered(value: Any, first: tuple[str, ...] = ()) -> Any:
    """A copy of a JSON value whose objects list ``@context``, ``id``, ``type`` first
    (then, for the outermost object, the keys in ``first``)."""
    if isinstance(value, dict):
        leading = _LEADING_KEYS + first
        keys = [k for k in leading if k in value]
        keys += [k for k in value if k not in leading]
        return {k: ordered(value[k]) for k in keys}
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def _as_list(value: object) -> object:
    """Lenient reading: a single ``type`` string becomes a one-item array."""
    return [value] if isinstance(value, str) else value


TypeList = Annotated[list[str], BeforeValidator(_as_list)]
"""An OB ``type`` array (a lone string is accepted when parsing)."""


class OBModel(BaseModel):
    """Base of the OB 3.0 models: spec field names, extensions kept, JSON output.

    ``extra="allow"``: the OB 3.0 schema allows additional properties on almost
    every class, and parsing must keep them. Classes the schema closes
    (``Image``, ``IdentityObject``, ``IdentifierEntry``) override this.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    json_key_order: ClassVar[tuple[str, ...]] = ()
    """Keys to list right after ``@context``, ``id``, ``type`` in :meth:`to_json`."""

    def to_json(self) -> JSONObject:
        """A plain JSON object: aliases (``@context``), no ``None`` values, UTC ``…Z`` dates,
        keys ordered ``@context``, ``id``, ``type``, then the spec's field order."""
        dumped = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        data: JSONObject = ordered(dumped, self.json_key_order)
        return data


def describe_validation_error(prefix: str, error: ValidationError) -> str:
    """One line per problem, ``field.path: message``, without echoing whole inputs."""
    lines = []
    for item in error.errors(include_url=False, include_input=False):
        loc = ".".join(str(part) for part in item["loc"])
        where = f"{prefix}.{loc}" if prefix and loc else prefix or loc
        lines.append(f"{where}: {item['msg']}")
    return "; ".join(lines)


def validated(cls: type[M], value: object, where: str) -> M:
    """``cls.model_validate(value)`` with pydantic errors turned into ``InvalidCredential``."""
    try:
        return cls.model_validate(value)
    except ValidationError as exc:
        raise InvalidCredential(describe_validation_error(where, exc)) from exc
