"""Keys: Multikey and JWK forms, signing, thumbprints, key files and hostile input."""

from __future__ import annotations

import contextlib
import copy
import pickle
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa, x25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from badges.encoding import (
    b64url_decode,
    b64url_encode,
    base58_encode,
    multibase_encode,
    multicodec_encode,
)
from badges.errors import InvalidEncoding, InvalidKey
from badges.keys import KeyPair, KeyType, PublicKey, public_key_from_verification_method
from tests.conftest import VECTORS, load_json

W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
P256_PUBLIC = "zDnaegE6RR3atJtHKwTRTWHsJ3kNHqFwv7n9YjTgmU7TyfU76"  # vc-di-eddsa "employ" issuer

# RFC 7638 §3.1
RFC7638_JWK = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_B"
        "JECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_F"
        "DW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4"
        "vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

# RFC 8037 Appendix A.1-A.4
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
RFC8037_SIGNING_INPUT = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
RFC8037_SIGNATURE = (
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


@pytest.fixture(scope="module")
def rsa_key() -> KeyPair:
    return KeyPair.generate(KeyType.RSA)


@pytest.fixture(scope="module", params=list(KeyType))
def any_key(request: pytest.FixtureRequest, rsa_key: KeyPair) -> KeyPair:
    if request.param is KeyType.RSA:
        return rsa_key
    return KeyPair.generate(request.param)


# --------------------------------------------------------------------------- W3C Ed25519 key


def test_w3c_key_round_trips() -> None:
    key = KeyPair.from_multibase(W3C_SECRET, W3C_PUBLIC)
    assert key.type is KeyType.ED25519
    assert key.jws_alg == "EdDSA"
    assert key.public.to_multibase() == W3C_PUBLIC
    assert key.private_multibase() == W3C_SECRET
    assert PublicKey.from_multibase(W3C_PUBLIC) == key.public
    assert KeyPair.from_multibase(W3C_SECRET).public == key.public


def test_w3c_key_matches_the_spec_file() -> None:
    pair = load_json(VECTORS / "vc-di-eddsa" / "keyPair.json")
    key = KeyPair.from_multibase(pair["privateKeyMultibase"], pair["publicKeyMultibase"])
    assert key.public.to_multibase() == W3C_PUBLIC


@pytest.mark.parametrize(
    ("suite", "name"),
    [("Ed25519Signature2020", "EdSig"), ("eddsa-rdfc-2022", "DataInt"), ("eddsa-jcs-2022", "JCS")],
)
def test_w3c_key_signs_deterministically(suite: str, name: str) -> None:
    folder = VECTORS / "vc-di-eddsa" / suite
    data = bytes.fromhex((folder / f"combinedHash{name}.txt").read_text().strip())
    expected = bytes.fromhex((folder / f"sigHex{name}.txt").read_text().strip())
    key = KeyPair.from_multibase(W3C_SECRET)
    assert key.sign(data) == expected
    assert key.sign(data) == expected
    assert key.public.verify(expected, data)


def test_ed25519_64_byte_secret_form() -> None:
    key = KeyPair.from_multibase(W3C_SECRET)
    long_form = key.crypto.private_bytes_raw() + key.public.raw_bytes  # type: ignore[union-attr]
    text = multibase_encode(multicodec_encode(0x1300, long_form))
    assert KeyPair.from_multibase(text).public == key.public
    wrong = long_form[:32] + bytes(32)
    with pytest.raises(InvalidKey, match="public half"):
        KeyPair.from_multibase(multibase_encode(multicodec_encode(0x1300, wrong)))


def test_secret_and_public_multibase_must_match() -> None:
    other = KeyPair.from_seed(bytes(32)).public.to_multibase()
    with pytest.raises(InvalidKey, match="does not match"):
        KeyPair.from_multibase(W3C_SECRET, other)


def test_from_seed_is_deterministic() -> None:
    assert KeyPair.from_seed(bytes(range(32))).public == KeyPair.from_seed(bytes(range(32))).public
    with pytest.raises(InvalidKey, match="32 bytes"):
        KeyPair.from_seed(bytes(31))


def test_rfc8037_vectors() -> None:
    key = KeyPair.from_jwk(RFC8037_JWK)
    assert key.public.thumbprint() == RFC8037_THUMBPRINT
    assert b64url_encode(key.sign(RFC8037_SIGNING_INPUT)) == RFC8037_SIGNATURE
    assert key.to_jwk(private=True) == RFC8037_JWK


# --------------------------------------------------------------------------- P-256


def test_p256_multibase_round_trip() -> None:
    public = PublicKey.from_multibase(P256_PUBLIC)
    assert public.type is KeyType.P256
    assert public.jws_alg == "ES256"
    assert len(public.raw_bytes) == 33
    assert public.to_multibase() == P256_PUBLIC
    assert PublicKey.from_jwk(public.to_jwk()) == public


def test_p256_key_pair() -> None:
    key = KeyPair.generate(KeyType.P256)
    assert key.public.to_multibase().startswith("zDn")
    secret = key.private_multibase()
    assert secret.startswith("z42t")
    assert KeyPair.from_multibase(secret, key.public.to_multibase()).public == key.public
    signature = key.sign(b"data")
    assert len(signature) == 64
    assert key.public.verify(signature, b"data")
    assert not key.public.verify(signature, b"other")
    # The raw r || s converts back to the DER form cryptography verifies.
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    public = key.public.crypto
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(encode_dss_signature(r, s), b"data", ec.ECDSA(hashes.SHA256()))


def test_p256_scalar_out_of_range() -> None:
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    for scalar in (0, order):
        text = multibase_encode(multicodec_encode(0x1306, scalar.to_bytes(32, "big")))
        with pytest.raises(InvalidKey, match="out of range"):
            KeyPair.from_multibase(text)


def _p256_x_off_curve() -> bytes:
    for x in range(1, 100):
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(
                ec.SECP256R1(), b"\x02" + x.to_bytes(32, "big")
            )
        except ValueError:
            return x.to_bytes(32, "big")
    raise AssertionError("no off-curve x found")  # pragma: no cover


def test_p256_rejects_invalid_points() -> None:
    x = _p256_x_off_curve()
    with pytest.raises(InvalidKey, match="not a valid P-256 point"):
        PublicKey.from_multibase(multibase_encode(multicodec_encode(0x1200, b"\x02" + x)))
    jwk = PublicKey.from_multibase(P256_PUBLIC).to_jwk()
    bad_y = b64url_decode(jwk["y"])
    jwk["y"] = b64url_encode(bytes([bad_y[0] ^ 1]) + bad_y[1:])
    with pytest.raises(InvalidKey, match="not a point on P-256"):
        PublicKey.from_jwk(jwk)


def test_p256_verify_rejects_out_of_range_r_s() -> None:
    key = KeyPair.generate(KeyType.P256)
    assert not key.public.verify(bytes(64), b"data")
    assert not key.public.verify(b"\xff" * 64, b"data")


# --------------------------------------------------------------------------- RSA


def test_rsa_key(rsa_key: KeyPair) -> None:
    assert rsa_key.type is KeyType.RSA
    assert rsa_key.jws_alg == "RS256"
    signature = rsa_key.sign(b"data")
    assert len(signature) == 256
    assert rsa_key.public.verify(signature, b"data")
    assert not rsa_key.public.verify(signature, b"other")
    assert not rsa_key.public.verify(signature[:-1], b"data")
    with pytest.raises(InvalidKey, match="RSA"):
        rsa_key.private_multibase()
    text = rsa_key.public.to_multibase()
    assert PublicKey.from_multibase(text) == rsa_key.public
    assert "thumbprint" in repr(rsa_key.public)


def test_rsa_size_limits() -> None:
    with pytest.raises(InvalidKey, match="rsa_bits"):
        KeyPair.generate(KeyType.RSA, rsa_bits=1024)
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    with pytest.raises(InvalidKey, match="2048"):
        PublicKey.from_cryptography(small.public_key())
    with pytest.raises(InvalidKey, match="2048"):
        KeyPair.from_cryptography(small)
    numbers = small.public_key().public_numbers()
    jwk = {"kty": "RSA", "n": b64url_encode(numbers.n.to_bytes(128, "big")), "e": "AQAB"}
    with pytest.raises(InvalidKey, match="2048"):
        PublicKey.from_jwk(jwk)


def test_rfc7638_thumbprint() -> None:
    public = PublicKey.from_jwk(RFC7638_JWK)
    assert public.thumbprint() == RFC7638_THUMBPRINT
    assert public.to_jwk() == {"kty": "RSA", "n": RFC7638_JWK["n"], "e": "AQAB"}


def test_rsa_private_jwk_without_crt_members(rsa_key: KeyPair) -> None:
    full = rsa_key.to_jwk(private=True)
    minimal = {name: full[name] for name in ("kty", "n", "e", "d")}
    assert KeyPair.from_jwk(minimal).public == rsa_key.public
    partial = {**minimal, "p": full["p"]}
    with pytest.raises(InvalidKey, match="incomplete CRT"):
        KeyPair.from_jwk(partial)
    wrong = {**full, "d": b64url_encode(b"\x01" * 256)}
    with pytest.raises(InvalidKey, match="inconsistent"):
        KeyPair.from_jwk(wrong)


# --------------------------------------------------------------------------- all key types


def test_jwk_round_trips(any_key: KeyPair) -> None:
    public_jwk = any_key.to_jwk()
    assert "d" not in public_jwk
    assert PublicKey.from_jwk(public_jwk) == any_key.public
    private_jwk = any_key.to_jwk(private=True)
    restored = KeyPair.from_jwk(private_jwk)
    assert restored.public == any_key.public
    assert restored.to_jwk(private=True) == private_jwk
    assert restored.public.verify(any_key.sign(b"x"), b"x")
    assert any_key.public.verify(restored.sign(b"x"), b"x")


def test_jwk_with_optional_members(any_key: KeyPair) -> None:
    jwk: dict[str, Any] = {**any_key.to_jwk(), "kid": "k1", "use": "sig", "alg": any_key.jws_alg}
    assert PublicKey.from_jwk(jwk) == any_key.public
    assert PublicKey.from_jwk(jwk).thumbprint() == any_key.public.thumbprint()


def test_multibase_round_trip(any_key: KeyPair) -> None:
    assert PublicKey.from_multibase(any_key.public.to_multibase()) == any_key.public


def test_key_file_round_trip(any_key: KeyPair) -> None:
    data = any_key.to_json_dict()
    assert data["keyType"] == any_key.type.value
    if any_key.type is KeyType.RSA:
        assert data["type"] == "JsonWebKey"
        assert "publicKeyMultibase" not in data
        assert "secretKeyMultibase" not in data
    else:
        assert data["type"] == "Multikey"
        assert data["publicKeyMultibase"] == any_key.public.to_multibase()
    data["id"] = "did:example:123#key-1"
    data["controller"] = "did:example:123"
    loaded = KeyPair.from_json_dict(data)
    assert loaded.public == any_key.public
    assert loaded.to_jwk(private=True) == any_key.to_jwk(private=True)


def test_key_file_parts_must_match(any_key: KeyPair) -> None:
    other = KeyPair.generate(KeyType.ED25519)
    data = any_key.to_json_dict()
    with pytest.raises(InvalidKey, match="publicKeyJwk"):
        KeyPair.from_json_dict({**data, "publicKeyJwk": other.to_jwk()})
    wrong_type = "P-256" if any_key.type is not KeyType.P256 else "Ed25519"
    with pytest.raises(InvalidKey, match="keyType"):
        KeyPair.from_json_dict({**data, "keyType": wrong_type})
    with pytest.raises(InvalidKey, match="neither"):
        KeyPair.from_json_dict(
            {k: v for k, v in data.items() if k not in ("privateKeyJwk", "secretKeyMultibase")}
        )
    with pytest.raises(InvalidKey, match="'type'"):
        KeyPair.from_json_dict({**data, "type": "Ed25519VerificationKey2020"})


def test_key_file_multikey_parts_must_match() -> None:
    key, other = KeyPair.generate(), KeyPair.generate()
    data = key.to_json_dict()
    with pytest.raises(InvalidKey, match="publicKeyMultibase"):
        KeyPair.from_json_dict({**data, "publicKeyMultibase": other.public.to_multibase()})
    with pytest.raises(InvalidKey, match="different keys"):
        KeyPair.from_json_dict({**data, "privateKeyJwk": other.to_jwk(private=True)})


def test_verify_never_raises(any_key: KeyPair) -> None:
    public = any_key.public
    for signature in (b"", b"\x00", bytes(64), bytes(256), b"\xff" * 512):
        assert public.verify(signature, b"data") is False
    assert public.verify("not bytes", b"data") is False  # type: ignore[arg-type]
    assert public.verify(any_key.sign(b"data"), "data") is False  # type: ignore[arg-type]


def test_equality_hash_and_immutability() -> None:
    a = PublicKey.from_multibase(W3C_PUBLIC)
    b = KeyPair.from_multibase(W3C_SECRET).public
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != PublicKey.from_multibase(P256_PUBLIC)
    assert a != W3C_PUBLIC
    with pytest.raises(AttributeError):
        a.foo = 1
    with pytest.raises(AttributeError):
        a._type = KeyType.RSA
    assert a.raw_bytes == b.raw_bytes
    assert len(a.raw_bytes) == 32
    assert PublicKey.from_cryptography(a.crypto) == a


def test_copy_and_pickle() -> None:
    public = PublicKey.from_multibase(P256_PUBLIC)
    assert copy.deepcopy(public) is public
    assert copy.copy(public) is public
    assert pickle.loads(pickle.dumps(public)) == public  # noqa: S301 - our own data
    key = KeyPair.generate()
    assert copy.deepcopy({"k": key})["k"] is key
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(key)


def test_repr_does_not_leak_secrets() -> None:
    key = KeyPair.from_multibase(W3C_SECRET)
    text = repr(key)
    assert W3C_PUBLIC in text
    assert W3C_SECRET not in text
    assert key.to_jwk(private=True)["d"] not in text


def test_from_cryptography_rejects_other_keys() -> None:
    with pytest.raises(InvalidKey, match="P-256"):
        PublicKey.from_cryptography(ec.generate_private_key(ec.SECP384R1()).public_key())
    with pytest.raises(InvalidKey, match="X25519PublicKey"):
        PublicKey.from_cryptography(x25519.X25519PrivateKey.generate().public_key())
    with pytest.raises(InvalidKey):
        KeyPair.from_cryptography(x25519.X25519PrivateKey.generate())
    with pytest.raises(InvalidKey):
        PublicKey.from_cryptography("z6Mk")


# --------------------------------------------------------------------------- malformed input


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "multibase"),
        ("u7QE", "expected 'z'"),
        ("z", "at least one character"),
        ("z0OIl", "invalid character"),
        (multibase_encode(multicodec_encode(0xED, bytes(31))), "32 bytes"),
        (multibase_encode(multicodec_encode(0xED, bytes(33))), "32 bytes"),
        (multibase_encode(multicodec_encode(0x1200, b"\x04" + bytes(64))), "33-byte"),
        (multibase_encode(multicodec_encode(0x1200, b"\x05" + bytes(32))), "33-byte"),
        (multibase_encode(multicodec_encode(0xE7, b"\x02" + bytes(32))), "0xe7"),
        (multibase_encode(multicodec_encode(0x1300, bytes(32))), "0x1300"),
        (multibase_encode(multicodec_encode(0x1205, b"\x30\x03\x02\x01\x01")), "RSAPublicKey"),
        (multibase_encode(b"\x80"), "truncated"),
    ],
)
def test_from_multibase_rejects(text: str, message: str) -> None:
    with pytest.raises(InvalidKey, match=message):
        PublicKey.from_multibase(text)


def test_secret_multibase_rejects_public_keys() -> None:
    with pytest.raises(InvalidKey, match="0xed"):
        KeyPair.from_multibase(W3C_PUBLIC)
    with pytest.raises(InvalidKey, match="32-byte"):
        KeyPair.from_multibase(multibase_encode(multicodec_encode(0x1300, bytes(16))))


OKP = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        ({**OKP, "d": RFC8037_JWK["d"]}, "private members"),
        ({**RFC7638_JWK, "p": "AQAB"}, "private members"),
        ({**RFC7638_JWK, "qi": "AQAB"}, "private members"),
        ({"kty": "oct", "k": "c2VjcmV0"}, "oct"),
        ({"kty": "OKP", "crv": "X25519", "x": OKP["x"]}, "'crv'"),
        ({"kty": "OKP", "crv": "Ed448", "x": OKP["x"]}, "'crv'"),
        ({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}, "'crv'"),
        ({"kty": "EC", "crv": "secp256k1", "x": "AA", "y": "AA"}, "'crv'"),
        ({"kty": "PQC", "x": "AA"}, "'kty'"),
        ({"crv": "Ed25519", "x": OKP["x"]}, "'kty'"),
        ({**OKP, "x": OKP["x"][:-3]}, "32 bytes"),
        ({**OKP, "x": OKP["x"] + "="}, "invalid character"),
        ({**OKP, "x": 5}, "base64url string"),
        ({"kty": "OKP", "crv": "Ed25519"}, "missing"),
        ({**OKP, "alg": "ES256"}, "'alg'"),
        ({**OKP, "use": "enc"}, "'use'"),
        ({**OKP, "alg": ["EdDSA"]}, "'alg'"),
        ({**RFC7638_JWK, "alg": "PS256"}, "'alg'"),
        ({**RFC7638_JWK, "e": ""}, "non-empty"),
        ({**RFC7638_JWK, "e": b64url_encode(b"\x01" * 9)}, "at most 64 bits"),
        ({**RFC7638_JWK, "e": "Ag"}, "invalid public key"),
        ({"kty": "EC", "crv": "P-256", "x": b64url_encode(bytes(32))}, "'y'"),
    ],
)
def test_from_jwk_rejects(jwk: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidKey, match=message):
        PublicKey.from_jwk(jwk)


def test_from_jwk_rejects_non_objects() -> None:
    for value in (None, "{}", ["kty"], 3):
        with pytest.raises(InvalidKey, match="JSON object"):
            PublicKey.from_jwk(value)  # type: ignore[arg-type]


def test_private_jwk_checks() -> None:
    with pytest.raises(InvalidKey, match="'d' is missing"):
        KeyPair.from_jwk(OKP)
    with pytest.raises(InvalidKey, match="do not match"):
        KeyPair.from_jwk({**RFC8037_JWK, "x": KeyPair.generate().to_jwk()["x"]})
    p256 = KeyPair.generate(KeyType.P256).to_jwk(private=True)
    with pytest.raises(InvalidKey, match="do not match"):
        KeyPair.from_jwk({**p256, "d": KeyPair.generate(KeyType.P256).to_jwk(private=True)["d"]})
    with pytest.raises(InvalidKey, match="multi-prime"):
        KeyPair.from_jwk({**RFC7638_JWK, "d": "AQAB", "oth": []})


# --------------------------------------------------------------------------- verification methods


def test_public_key_from_verification_methods(rsa_key: KeyPair) -> None:
    ed = PublicKey.from_multibase(W3C_PUBLIC)
    p256 = PublicKey.from_multibase(P256_PUBLIC)
    vms: list[tuple[dict[str, Any], PublicKey]] = [
        ({"type": "Multikey", "publicKeyMultibase": W3C_PUBLIC}, ed),
        ({"type": "Multikey", "publicKeyMultibase": P256_PUBLIC}, p256),
        ({"type": "Ed25519VerificationKey2020", "publicKeyMultibase": W3C_PUBLIC}, ed),
        (
            {"type": "Ed25519VerificationKey2018", "publicKeyBase58": base58_encode(ed.raw_bytes)},
            ed,
        ),
        ({"type": "JsonWebKey2020", "publicKeyJwk": p256.to_jwk()}, p256),
        ({"type": "JsonWebKey", "publicKeyJwk": rsa_key.to_jwk()}, rsa_key.public),
    ]
    for vm, expected in vms:
        assert public_key_from_verification_method(vm) == expected


@pytest.mark.parametrize(
    ("vm", "message"),
    [
        ({"type": "EcdsaSecp256k1VerificationKey2019", "publicKeyHex": "00"}, "EcdsaSecp256k1"),
        ({"type": "CryptographicKey", "publicKeyPem": "---"}, "CryptographicKey"),
        ({"publicKeyMultibase": W3C_PUBLIC}, "None"),
        ({"type": "Multikey"}, "publicKeyMultibase"),
        ({"type": "Multikey", "publicKeyJwk": OKP}, "publicKeyMultibase"),
        ({"type": "Ed25519VerificationKey2020", "publicKeyMultibase": P256_PUBLIC}, "Ed25519"),
        ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": "0"}, "invalid character"),
        ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": "2"}, "32 bytes"),
        ({"type": "JsonWebKey2020", "publicKeyJwk": "{}"}, "publicKeyJwk"),
        ({"type": "JsonWebKey2020", "publicKeyJwk": RFC8037_JWK}, "private members"),
    ],
)
def test_verification_method_rejects(vm: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidKey, match=message):
        public_key_from_verification_method(vm)


# --------------------------------------------------------------------------- hostile input

PREFIXES = [b"\xed\x01", b"\x80\x24", b"\x85\x24", b"\x80\x26", b"\x86\x26", b""]


@given(st.text(max_size=200))
def test_from_multibase_random_text(text: str) -> None:
    with contextlib.suppress(InvalidKey):
        PublicKey.from_multibase(text)
    with contextlib.suppress(InvalidKey):
        KeyPair.from_multibase(text)


@given(st.sampled_from(PREFIXES), st.binary(max_size=80))
def test_from_multibase_random_payloads(prefix: bytes, payload: bytes) -> None:
    text = multibase_encode(prefix + payload) if prefix + payload else "z1"
    with contextlib.suppress(InvalidKey):
        PublicKey.from_multibase(text)
    with contextlib.suppress(InvalidKey):
        KeyPair.from_multibase(text)


@given(st.binary(max_size=120))
def test_from_multibase_random_bytes(raw: bytes) -> None:
    with contextlib.suppress(InvalidKey):
        PublicKey.from_multibase(raw)  # type: ignore[arg-type]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
B64_VALUES = st.binary(max_size=70).map(b64url_encode)
MEMBER_VALUES = {
    "kty": st.sampled_from(["OKP", "EC", "RSA", "oct", "", "okp"]) | JSON_VALUES,
    "crv": st.sampled_from(["Ed25519", "P-256", "X25519", "P-384"]) | JSON_VALUES,
    "x": B64_VALUES | JSON_VALUES,
    "y": B64_VALUES | JSON_VALUES,
    "n": B64_VALUES | JSON_VALUES,
    "e": st.sampled_from(["AQAB", "Aw", "AA"]) | B64_VALUES,
    "alg": st.sampled_from(["EdDSA", "ES256", "RS256", "none"]) | JSON_VALUES,
    "use": st.sampled_from(["sig", "enc"]) | JSON_VALUES,
    "d": st.just("AQAB") | JSON_VALUES,
}


@given(st.fixed_dictionaries({}, optional=MEMBER_VALUES))
def test_from_jwk_random_members(jwk: dict[str, Any]) -> None:
    with contextlib.suppress(InvalidKey):
        PublicKey.from_jwk(jwk)


@given(JSON_VALUES)
def test_from_jwk_random_json(value: Any) -> None:
    with contextlib.suppress(InvalidKey):
        PublicKey.from_jwk(value)
    with contextlib.suppress(InvalidKey):
        KeyPair.from_jwk(value)
    with contextlib.suppress(InvalidKey):
        public_key_from_verification_method(value)


@given(st.fixed_dictionaries({}, optional={**MEMBER_VALUES, "d": B64_VALUES | JSON_VALUES}))
def test_private_from_jwk_random_members(jwk: dict[str, Any]) -> None:
    with contextlib.suppress(InvalidKey):
        KeyPair.from_jwk(jwk)


@given(st.binary(max_size=300), st.binary(max_size=64))
def test_verify_random_signatures(signature: bytes, data: bytes) -> None:
    for public in (PublicKey.from_multibase(W3C_PUBLIC), PublicKey.from_multibase(P256_PUBLIC)):
        assert public.verify(signature, data) is False


def test_encoding_errors_are_wrapped() -> None:
    with pytest.raises(InvalidKey) as info:
        PublicKey.from_multibase("z0")
    assert isinstance(info.value.__cause__, InvalidEncoding)
