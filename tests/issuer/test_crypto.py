"""Private keys at rest (AES-GCM under an HKDF key) and keyed recipient hashes."""

from __future__ import annotations

import pytest

from badges.errors import InvalidInput
from issuer.crypto import DecryptionError, SecretBox

BOX = SecretBox(b"a secret of at least thirty-two characters")


def test_round_trip_and_fresh_nonces() -> None:
    first = BOX.encrypt(b'{"d": "private"}', "key-1")
    second = BOX.encrypt(b'{"d": "private"}', "key-1")
    assert first != second
    assert first.startswith("v1.")
    assert "private" not in first
    assert BOX.decrypt(first, "key-1") == b'{"d": "private"}'


def test_ciphertexts_are_bound_to_their_row() -> None:
    stored = BOX.encrypt(b"secret", "key-1")
    with pytest.raises(DecryptionError):
        BOX.decrypt(stored, "key-2")


def test_another_secret_cannot_decrypt() -> None:
    stored = BOX.encrypt(b"secret", "key-1")
    with pytest.raises(DecryptionError, match="MERKKI_SECRET_KEY"):
        SecretBox(b"another secret entirely, also long enough").decrypt(stored, "key-1")


@pytest.mark.parametrize("stored", ["v2.abc", "v1.", "v1.!!!", "plain"])
def test_malformed_values(stored: str) -> None:
    with pytest.raises(DecryptionError):
        BOX.decrypt(stored, "key-1")


def test_recipient_hash_is_keyed_and_normalised() -> None:
    digest = BOX.recipient_hash(" Maija@Example.FI ")
    assert digest == BOX.recipient_hash("maija@example.fi")
    assert digest.startswith("hmac-sha256:")
    assert "maija" not in digest
    assert (
        SecretBox(b"another secret entirely, also long enough").recipient_hash("maija@example.fi")
        != digest
    )
    with pytest.raises(InvalidInput):
        BOX.recipient_hash("not an address")


def test_repr_hides_the_secret() -> None:
    assert "secret" not in repr(BOX).replace("SecretBox", "")
