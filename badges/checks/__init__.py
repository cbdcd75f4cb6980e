"""The checks of the verification pipeline, one module per concern.

Each check takes the shared :class:`VerifyState` and returns a ``CheckResult``;
``badges.verify`` runs them in order and skips those whose prerequisites failed.
"""

from badges.checks.document import check_context, check_parse, check_schema
from badges.checks.signature import check_issuer, check_proof, issuer_id
from badges.checks.state import CheckFn, VerifyState
from badges.checks.validity import (
    check_recipient,
    check_status,
    check_valid_from,
    check_valid_until,
)

__all__ = [
    "CheckFn",
    "VerifyState",
    "check_context",
    "check_issuer",
    "check_parse",
    "check_proof",
    "check_recipient",
    "check_schema",
    "check_status",
    "check_valid_from",
    "check_valid_until",
    "issuer_id",
]
