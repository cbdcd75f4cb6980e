"""Data Integrity cryptosuites as small value objects.

A suite names its proof ``type`` (and ``cryptosuite``), the key types it accepts
and how its signature is encoded. The generic add/verify algorithm lives in
``dataintegrity.py``; the suites in this package differ only in these values,
because eddsa-rdfc-2022 and its predecessor Ed25519Signature2020 transform
(RDFC-1.0) and hash (SHA-256 of proof config, then document) the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from badges.keys import KeyType


@dataclass(frozen=True, slots=True)
class Cryptosuite:
    """A Data Integrity proof suite: what goes in the proof and which keys sign it."""

    proof_type: str
    cryptosuite: str | None
    key_types: frozenset[KeyType]
    legacy: bool = False
    """Accepted when verifying old credentials, never used to issue."""

    @property
    def label(self) -> str:
        return self.cryptosuite or self.proof_type


EDDSA_RDFC_2022 = Cryptosuite(
    proof_type="DataIntegrityProof",
    cryptosuite="eddsa-rdfc-2022",
    key_types=frozenset({KeyType.ED25519}),
)
"""VC Data Integrity EdDSA Cryptosuites v1.0 §3.3 eddsa-rdfc-2022."""

ED25519_SIGNATURE_2020 = Cryptosuite(
    proof_type="Ed25519Signature2020",
    cryptosuite=None,
    key_types=frozenset({KeyType.ED25519}),
    legacy=True,
)
"""Ed25519Signature2020 (W3C CCG): same transform and hashing, no ``cryptosuite``."""

EDDSA_2022 = Cryptosuite(
    proof_type="DataIntegrityProof",
    cryptosuite="eddsa-2022",
    key_types=frozenset({KeyType.ED25519}),
    legacy=True,
)
"""The pre-standard name of eddsa-rdfc-2022 (2022 drafts), still emitted by some issuers."""

SUITES: tuple[Cryptosuite, ...] = (EDDSA_RDFC_2022, ED25519_SIGNATURE_2020, EDDSA_2022)


def find_suite(proof_type: object, cryptosuite: object) -> Cryptosuite | None:
    """The suite for a proof's ``type`` and ``cryptosuite`` values, or None if unsupported."""
    for suite in SUITES:
        if suite.proof_type == proof_type and suite.cryptosuite == cryptosuite:
            return suite
    return None
