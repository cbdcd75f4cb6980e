"""Fixtures for tests and examples: fixed keys, a frozen clock, offline fetchers.

The keys here are published test keys (W3C VC-DI-EdDSA and the OB 3.0 test
vector). Never use them for real credentials.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from badges.did import did_key, did_key_verification_method_id
from badges.errors import FetchError
from badges.keys import KeyPair
from badges.types import HttpFetcher, JSONObject

W3C_PUBLIC_MULTIBASE = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET_MULTIBASE = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"  # noqa: S105 - published
OB_VECTOR_SEED_HEX = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"

FROZEN_NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)


def w3c_test_key() -> KeyPair:
    """The Ed25519 key pair of the W3C VC-DI-EdDSA test vectors."""
    return KeyPair.from_multibase(W3C_SECRET_MULTIBASE, W3C_PUBLIC_MULTIBASE)


def ob_vector_key() -> KeyPair:
    """The Ed25519 key pair of the 1EdTech OB 3.0 eddsa-rdfc-2022 test vector."""
    return KeyPair.from_seed(bytes.fromhex(OB_VECTOR_SEED_HEX))


def did_key_identity(key: KeyPair) -> tuple[str, str]:
    """(issuer DID, verification method id) for a did:key issuer."""
    return did_key(key.public), did_key_verification_method_id(key.public)


def dict_fetcher(documents: Mapping[str, JSONObject | bytes]) -> HttpFetcher:
    """An ``HttpFetcher`` answering from a URL → document map; anything else fails."""

    def fetch(url: str) -> bytes:
        try:
            doc = documents[url]
        except KeyError:
            raise FetchError(f"{url} is not available offline") from None
        return doc if isinstance(doc, bytes) else json.dumps(doc).encode()

    return fetch


def sample_credential(
    issuer_id: str, *, credential_id: str = "urn:uuid:11111111-2222-4333-8444-555555555555"
) -> JSONObject:
    """A small, schema-valid OB 3.0 credential (unsigned) for ``issuer_id``."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Vertaismentoroinnin ohjaaja",
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": "Esimerkkilän kaupunki",
            "url": "https://www.example.fi",
        },
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:earner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
                "type": ["Achievement"],
                "name": "Vertaismentoroinnin ohjaaja",
                "description": "Ohjaa esihenkilöiden vertaismentorointiryhmää.",
                "criteria": {"narrative": "Ohjannut vähintään kuusi ryhmätapaamista."},
            },
        },
    }
