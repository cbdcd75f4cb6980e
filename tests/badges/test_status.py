"""Bitstring Status List §3.2 validation: badges.status_list.BitstringStatusListResolver."""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import pytest

from badges import ResolutionError, Verdict, verify
from badges.errors import InvalidStatusList
from badges.proofs.dataintegrity import add_proof
from badges.status_list import MIN_LIST_BITS, BitstringStatusListResolver, bit_at, decode_list
from badges.testing import FROZEN_NOW, dict_fetcher, did_key_identity, w3c_test_key
from badges.types import JSONObject

KEY = w3c_test_key()
ISSUER, METHOD = did_key_identity(KEY)
LIST_URL = "https://status.example/lists/1"


def encode(bits: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(gzip.compress(bits)).decode().rstrip("=")


def bits_with(*indexes: int, size: int = MIN_LIST_BITS // 8) -> bytes:
    data = bytearray(size)
    for i in indexes:
        data[i // 8] |= 0x80 >> (i % 8)
    return bytes(data)


def status_list(encoded: str, purpose: str = "revocation", **extra: Any) -> JSONObject:
    document: JSONObject = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
        **extra,
    }
    return add_proof(document, KEY, METHOD)


def entry(index: int, purpose: str = "revocation") -> JSONObject:
    return {
        "id": f"{LIST_URL}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": LIST_URL,
    }


def resolver(document: JSONObject | None) -> BitstringStatusListResolver:
    return BitstringStatusListResolver(
        dict_fetcher({} if document is None else {LIST_URL: document}), now=FROZEN_NOW
    )


def test_set_bit_is_revoked_and_unset_is_not() -> None:
    resolve = resolver(status_list(encode(bits_with(42))))
    revoked, unset = resolve(entry(42)), resolve(entry(43))
    assert revoked is not None
    assert revoked.is_set
    assert unset is not None
    assert not unset.is_set


def test_index_zero_is_the_most_significant_bit() -> None:
    assert bit_at(b"\x80\x00", 0)
    assert not bit_at(b"\x80\x00", 7)
    assert bit_at(b"\x01", 7)


def test_tampered_list_is_refused() -> None:
    document = status_list(encode(bits_with()))
    document["credentialSubject"]["encodedList"] = encode(bits_with(42))
    with pytest.raises(InvalidStatusList, match="signature"):
        resolver(document)(entry(42))


def test_unsigned_list_is_refused() -> None:
    document = status_list(encode(bits_with(42)))
    del document["proof"]
    with pytest.raises(InvalidStatusList):
        resolver(document)(entry(42))


def test_expired_list_is_refused() -> None:
    document = status_list(encode(bits_with(42)), validUntil="2025-06-01T00:00:00Z")
    with pytest.raises(InvalidStatusList):
        resolver(document)(entry(42))


def test_decompression_bomb_is_refused() -> None:
    with pytest.raises(InvalidStatusList, match="expands beyond"):
        decode_list(encode(bytes(64 * 1024)), limit=32 * 1024)


def test_short_list_is_refused_unless_the_ecosystem_allows_it() -> None:
    short = encode(bytes(12_500))
    with pytest.raises(InvalidStatusList, match="STATUS_LIST_LENGTH_ERROR"):
        decode_list(short)
    assert len(decode_list(short, min_bits=100_000)) == 12_500


def test_wrong_purpose_is_refused() -> None:
    with pytest.raises(InvalidStatusList, match="statusPurpose"):
        resolver(status_list(encode(bits_with()), purpose="suspension"))(entry(1))


def test_index_outside_the_list_is_refused() -> None:
    with pytest.raises(InvalidStatusList, match="outside"):
        resolver(status_list(encode(bits_with())))(entry(MIN_LIST_BITS))


def test_unreachable_list_is_a_resolution_error() -> None:
    with pytest.raises(ResolutionError):
        resolver(None)(entry(1))


def test_other_status_types_are_not_handled() -> None:
    assert resolver(None)({"id": "https://x.example/r", "type": "1EdTechRevocationList"}) is None


def _credential_with_status(index: int) -> JSONObject:
    from badges import sign_credential
    from badges.testing import sample_credential

    credential = sample_credential(ISSUER)
    credential["credentialStatus"] = entry(index)
    return sign_credential(credential, KEY, METHOD)


def test_verify_reports_revoked_and_unreachable() -> None:
    document = status_list(encode(bits_with(7)))
    revoked = verify(_credential_with_status(7), now=FROZEN_NOW, status_resolver=resolver(document))
    assert revoked.verdict is Verdict.REVOKED
    ok = verify(_credential_with_status(8), now=FROZEN_NOW, status_resolver=resolver(document))
    assert ok.verdict is Verdict.VALID
    lost = verify(_credential_with_status(8), now=FROZEN_NOW, status_resolver=resolver(None))
    assert lost.verdict is Verdict.INDETERMINATE
    assert lost.check("status").code == "status_unreachable"


def test_verify_reports_an_invalid_list() -> None:
    document = status_list(encode(bits_with(7)))
    document["credentialSubject"]["encodedList"] = encode(bits_with())
    report = verify(_credential_with_status(7), now=FROZEN_NOW, status_resolver=resolver(document))
    assert report.verdict is Verdict.INVALID
    assert report.check("status").code == "status_invalid"


def test_unhandled_status_type_is_a_warning_not_a_pass() -> None:
    credential = _credential_with_status(1)
    report = verify(credential, now=FROZEN_NOW, status_resolver=lambda _entry: None)
    assert report.check("status").code == "status_not_checked"
    assert "status_type_not_checked" in [w.code for w in report.warnings]
    assert json.dumps(report.to_dict())
