"""What the OB 2.0 checks share while one Assertion is verified."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from badges.keys import PublicKey
from badges.ob2.jws import Ob2Jws
from badges.ob2.links import Links
from badges.report import CheckResult, Warning
from badges.types import JSONObject


@dataclass
class Ob2State:
    """The input, the documents found so far and the notes of one verification."""

    raw: object
    now: datetime
    skew: timedelta
    links: Links
    recipient: str | None
    assertion: JSONObject = field(default_factory=dict)
    jws: Ob2Jws | None = None
    mode: str | None = None
    """``hosted`` or ``signed`` once the input has been read."""
    badge: JSONObject | None = None
    issuer: JSONObject | None = None
    keys: list[tuple[str, PublicKey]] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    @property
    def format(self) -> str:
        return f"ob2-{self.mode}" if self.mode else "ob2"

    def issuer_id(self) -> str:
        value = (self.issuer or {}).get("id")
        return value if isinstance(value, str) else "?"


Ob2CheckFn = Callable[[Ob2State], CheckResult]
