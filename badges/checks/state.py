"""What the verification checks share: the state of one run and result helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from badges.did import DidResolver, VerificationMethod
from badges.proofs.jwt import DecodedJwt
from badges.report import CheckResult, Outcome, Warning
from badges.status import StatusResolver
from badges.types import DocumentLoader, JSONObject

VC_V2 = "https://www.w3.org/ns/credentials/v2"
VC_V1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})
MAX_INPUT_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
SUPPORTED_DID_METHODS = ("did:key:", "did:web:")


@dataclass
class VerifyState:
    """What the checks share while one credential is verified."""

    raw: object
    now: datetime
    skew: timedelta
    resolver: DidResolver
    loader: DocumentLoader | None
    status_resolver: StatusResolver | None
    recipient: str | None
    accept_header_jwk: bool = False
    credential: JSONObject = field(default_factory=dict)
    jwt: DecodedJwt | None = None
    format: str | None = None
    proofs: list[JSONObject] = field(default_factory=list)
    keys: list[VerificationMethod] = field(default_factory=list)
    jwt_key: VerificationMethod | None = None
    warnings: list[Warning] = field(default_factory=list)


CheckFn = Callable[[VerifyState], CheckResult]


def passed(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.PASSED, code, params)


def failed(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.FAILED, code, params)


def error(check_id: str, code: str, **params: Any) -> CheckResult:
    return CheckResult(check_id, Outcome.ERROR, code, params)


def depth_ok(value: object, limit: int = MAX_DEPTH) -> bool:
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return True
