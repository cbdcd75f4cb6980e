"""Open Badges 2.0 test worlds: an issuer's published documents and its assertions.

Everything lives at ``https://issuer.example/...`` and is answered by a dict
fetcher; keys are generated once per test session (RSA-2048 and P-256).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import serialization

from badges.encoding import b64url_encode
from badges.errors import FetchError
from badges.keys import KeyPair, KeyType
from badges.types import HttpFetcher, JSONObject

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BASE = "https://issuer.example"
PROFILE = f"{BASE}/profile.json"
BADGE = f"{BASE}/badges/mentor.json"
KEY_URL = f"{BASE}/keys/1.json"
REVOCATIONS = f"{BASE}/revocations.json"
HOSTED_ID = f"{BASE}/assertions/1.json"
SIGNED_ID = "urn:uuid:7a1d4c3e-6b8f-4c2a-9e1d-2f3a4b5c6d7e"
EMAIL = "Maija.Meikalainen@Example.fi"
SALT = "merisuola"


@functools.cache
def rsa_key() -> KeyPair:
    return KeyPair.generate(KeyType.RSA)


@functools.cache
def p256_key() -> KeyPair:
    return KeyPair.generate(KeyType.P256)


def pem(key: KeyPair) -> str:
    return key.public.crypto.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def hashed(identity: str, salt: str = SALT, algorithm: str = "sha256") -> str:
    digest = hashlib.new(algorithm, (identity + salt).encode()).hexdigest()
    return f"{algorithm}${digest}"


def sign_jws(payload: JSONObject, key: KeyPair, header: JSONObject | None = None) -> str:
    head = header or {"alg": key.jws_alg}
    signing_input = (
        b64url_encode(json.dumps(head).encode()) + "." + b64url_encode(json.dumps(payload).encode())
    )
    return signing_input + "." + b64url_encode(key.sign(signing_input.encode()))


def unsigned_jws(payload: JSONObject, alg: str = "none") -> str:
    head = b64url_encode(json.dumps({"alg": alg}).encode())
    return f"{head}.{b64url_encode(json.dumps(payload).encode())}."


@dataclass
class World:
    """The documents an issuer publishes, editable before ``fetcher()`` is called."""

    profile: JSONObject
    badge: JSONObject
    key: JSONObject
    revocations: JSONObject | None = None
    hosted: dict[str, JSONObject] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)
    fetched: list[str] = field(default_factory=list)

    def documents(self) -> dict[str, JSONObject]:
        found = {PROFILE: self.profile, BADGE: self.badge, KEY_URL: self.key, **self.hosted}
        if self.revocations is not None:
            found[REVOCATIONS] = self.revocations
        return found

    def fetcher(self, *, missing: tuple[str, ...] = ()) -> HttpFetcher:
        documents = {u: json.dumps(d).encode() for u, d in self.documents().items()}

        def fetch(url: str) -> bytes:
            self.fetched.append(url)
            if url in self.gone:
                raise FetchError(f"{url} answered HTTP 410", status=410)
            if url in missing or url not in documents:
                raise FetchError(f"{url} answered HTTP 404", status=404)
            return documents[url]

        return fetch


def world(key: KeyPair | None = None) -> World:
    signer = key or rsa_key()
    return World(
        profile={
            "@context": "https://w3id.org/openbadges/v2",
            "type": "Issuer",
            "id": PROFILE,
            "name": "Esimerkkilän kaupunki",
            "url": BASE,
            "email": "badges@issuer.example",
            "publicKey": KEY_URL,
        },
        badge={
            "@context": "https://w3id.org/openbadges/v2",
            "type": "BadgeClass",
            "id": BADGE,
            "name": "Vertaismentori",
            "description": "Ohjaa vertaismentorointiryhmää.",
            "image": f"{BASE}/badges/mentor.png",
            "criteria": {"narrative": "Ohjannut kuusi tapaamista."},
            "issuer": PROFILE,
        },
        key={
            "@context": "https://w3id.org/openbadges/v2",
            "type": "CryptographicKey",
            "id": KEY_URL,
            "owner": PROFILE,
            "publicKeyPem": pem(signer),
        },
    )


def assertion(kind: str = "hosted", **changes: Any) -> JSONObject:
    doc: JSONObject = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": HOSTED_ID if kind == "hosted" else SIGNED_ID,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": SALT,
            "identity": hashed(EMAIL.lower()),
        },
        "badge": BADGE,
        "issuedOn": "2026-01-10T09:00:00Z",
        "verification": (
            {"type": "HostedBadge"}
            if kind == "hosted"
            else {"type": "SignedBadge", "creator": KEY_URL}
        ),
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


def hosted_world(**changes: Any) -> tuple[World, JSONObject]:
    """A world hosting ``assertion('hosted', **changes)`` at its id."""
    w = world()
    doc = assertion("hosted", **changes)
    w.hosted[doc["id"]] = copy.deepcopy(doc)
    return w, doc


def png(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80\x40\x20\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="#036"/></svg>'
)
