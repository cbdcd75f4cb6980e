"""Open Badges 2.0: reading and verifying Assertions (hosted and signed).

OB 2.0 "Verification": :func:`verify_ob2` runs the checks of
:mod:`badges.ob2.verify` and answers the same :class:`~badges.report.VerificationReport`
as OB 3.0 verification. Everything an Assertion links to (the hosted copy,
BadgeClass, issuer Profile, CryptographicKey, RevocationList) is fetched through the
injected ``HttpFetcher``.
"""

from badges.ob2.documents import (
    OB2_CONTEXT,
    OB2_CONTEXTS,
    is_ob2_assertion,
    verification_type,
)
from badges.ob2.jws import ALGORITHMS, Ob2Jws, decode_jws, looks_like_jws, public_key_from_pem
from badges.ob2.verify import HOSTED, SIGNED, verify_ob2

__all__ = [
    "ALGORITHMS",
    "HOSTED",
    "OB2_CONTEXT",
    "OB2_CONTEXTS",
    "SIGNED",
    "Ob2Jws",
    "decode_jws",
    "is_ob2_assertion",
    "looks_like_jws",
    "public_key_from_pem",
    "verification_type",
    "verify_ob2",
]
