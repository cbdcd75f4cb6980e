"""The published eddsa-rdfc-2022 test vectors reproduce byte for byte (signature included)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from badges.errors import ProofError
from badges.keys import PublicKey
from badges.proofs import dataintegrity
from badges.proofs.suites import ED25519_SIGNATURE_2020
from badges.testing import ob_vector_key, w3c_test_key
from tests.conftest import VECTORS, load_json

W3C = VECTORS / "vc-di-eddsa"
OB = VECTORS / "ob_v3p0"


def test_w3c_vector_signs_byte_for_byte() -> None:
    unsigned = load_json(W3C / "unsigned.json")
    config = load_json(W3C / "eddsa-rdfc-2022" / "proofConfigDataInt.json")
    signed = dataintegrity.add_proof(
        unsigned,
        w3c_test_key(),
        config["verificationMethod"],
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
    )
    assert signed == load_json(W3C / "eddsa-rdfc-2022" / "signedDataInt.json")
    assert "proof" not in unsigned  # the input is left alone


def test_w3c_vector_intermediate_hashes() -> None:
    unsigned = load_json(W3C / "unsigned.json")
    config = load_json(W3C / "eddsa-rdfc-2022" / "proofConfigDataInt.json")
    data = dataintegrity.hash_data(unsigned, config, None)
    folder = W3C / "eddsa-rdfc-2022"
    assert data[:32].hex() == (folder / "proofHashDataInt.txt").read_text().strip()
    assert data[32:].hex() == (folder / "docHashDataInt.txt").read_text().strip()


def test_w3c_signed_vector_verifies() -> None:
    signed = load_json(W3C / "eddsa-rdfc-2022" / "signedDataInt.json")
    dataintegrity.verify_proof(signed, signed["proof"], w3c_test_key().public)


def test_ed25519_signature_2020_vector_verifies_but_is_not_issued() -> None:
    signed = load_json(W3C / "Ed25519Signature2020" / "signedEdSig.json")
    key = w3c_test_key()
    dataintegrity.verify_proof(signed, signed["proof"], key.public)
    with pytest.raises(ProofError, match="verification only"):
        dataintegrity.add_proof(
            load_json(W3C / "unsigned.json"), key, "did:key:x#x", suite=ED25519_SIGNATURE_2020
        )


def test_ob_vector_reproduces_proof_value() -> None:
    unsigned = load_json(OB / "ldp-ob.unsigned.extracted.json")
    expected = load_json(OB / "ldp-ob.keys-and-intermediates.extracted.json")
    config = load_json(OB / "ldp-ob.proof-config.extracted.json")
    key = ob_vector_key()
    assert key.public == PublicKey.from_multibase(expected["publicKeyMultibase"])
    data = dataintegrity.hash_data(unsigned, config, None)
    assert data.hex() == expected["dataToSignHex"]
    assert hashlib.sha256(b"").digest() not in (data[:32], data[32:])
    signed = dataintegrity.add_proof(
        unsigned,
        key,
        expected["verificationMethod"],
        created=datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC),
    )
    assert signed["proof"]["proofValue"] == expected["proofValue"]
    signed_vector = load_json(OB / "ldp-ob.signed.extracted.json")
    dataintegrity.verify_proof(signed_vector, signed_vector["proof"], key.public)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "alumniOf"), "Another School"),
        (("name",), "Alumni Credential!"),
        (("proof", "created"), "2023-02-24T23:36:39Z"),
    ],
)
def test_w3c_vector_tampered_fails(path: tuple[str, ...], value: str) -> None:
    signed = load_json(W3C / "eddsa-rdfc-2022" / "signedDataInt.json")
    target = signed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(ProofError) as info:
        dataintegrity.verify_proof(signed, signed["proof"], w3c_test_key().public)
    assert info.value.code == "invalid_signature"
