"""VC-JWT: the header allow-list and hostile tokens."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from badges.did import DidResolver, build_did_web_document, did_web_url
from badges.errors import ProofError, UnsupportedAlgorithm
from badges.issue import sign_credential_jwt
from badges.keys import KeyPair, KeyType
from badges.proofs.jwt import decode_jwt
from badges.report import Outcome, Verdict
from badges.testing import FROZEN_NOW, dict_fetcher, did_key_identity, sample_credential
from badges.verify import verify

KEY = KeyPair.from_seed(bytes(range(32)))
ISSUER, METHOD = did_key_identity(KEY)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header: dict[str, Any], payload: dict[str, Any], signature: bytes = b"") -> str:
    return ".".join(
        [b64(json.dumps(header).encode()), b64(json.dumps(payload).encode()), b64(signature)]
    )


def payload() -> dict[str, Any]:
    credential = sample_credential(ISSUER)
    return {**credential, "iss": ISSUER, "jti": credential["id"]}


def test_issued_jwt_has_the_ob_claims() -> None:
    decoded = decode_jwt(sign_credential_jwt(sample_credential(ISSUER), KEY, METHOD))
    assert decoded.header == {"alg": "EdDSA", "kid": METHOD, "typ": "JWT"}
    assert decoded.payload["iss"] == ISSUER
    assert decoded.payload["jti"] == "urn:uuid:11111111-2222-4333-8444-555555555555"
    assert decoded.payload["sub"] == "did:example:earner-1"
    assert decoded.payload["nbf"] == 1767225600


def test_alg_none_is_refused() -> None:
    forged = token({"alg": "none", "kid": METHOD}, payload(), b"\0")
    with pytest.raises(UnsupportedAlgorithm):
        decode_jwt(forged)
    unsigned = forged.rsplit(".", 1)[0] + "."
    for candidate in (forged, unsigned):
        report = verify(candidate, now=FROZEN_NOW)
        assert report.verdict is Verdict.INVALID
        assert report.check("parse").code == "malformed_jwt"


def test_hs256_with_the_public_key_as_secret_is_refused() -> None:
    public = KEY.public.raw_bytes
    header = {"alg": "HS256", "kid": METHOD, "typ": "JWT"}
    unsigned = token(header, payload()).rsplit(".", 1)[0]
    mac = hmac.new(public, unsigned.encode(), hashlib.sha256).digest()
    report = verify(f"{unsigned}.{b64(mac)}", now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID
    assert report.check("parse").code == "malformed_jwt"


def test_algorithm_must_match_key_type() -> None:
    good = sign_credential_jwt(sample_credential(ISSUER), KEY, METHOD)
    header = {"alg": "ES256", "kid": METHOD, "typ": "JWT"}
    forged = ".".join([b64(json.dumps(header).encode()), *good.split(".")[1:]])
    assert verify(forged, now=FROZEN_NOW).check("proof").code == "key_type_mismatch"


def test_private_jwk_in_header_is_refused() -> None:
    jwk = KEY.to_jwk(private=True)
    with pytest.raises(ProofError, match="public"):
        decode_jwt(token({"alg": "EdDSA", "jwk": jwk}, payload(), b"x" * 64))


@pytest.mark.parametrize(
    "bad",
    ["a.b", "a.b.c.d", "..", "!!!.e30.AA", "e30.!!!.AA", "W10.e30.AA", "e30.W10.AA", "e30.e30.AA"],
)
def test_malformed_segments(bad: str) -> None:
    with pytest.raises(ProofError):
        decode_jwt(bad)


def test_mismatched_iss_claim() -> None:
    body = payload()
    body["iss"] = "did:example:someone-else"
    header = {"alg": "EdDSA", "kid": METHOD, "typ": "JWT"}
    unsigned = token(header, body).rsplit(".", 1)[0]
    forged = f"{unsigned}.{b64(KEY.sign(unsigned.encode()))}"
    report = verify(forged, now=FROZEN_NOW)
    assert report.check("proof").code == "claim_mismatch"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=40
        ),
        min_size=3,
        max_size=3,
    )
)
def test_random_segments_never_crash(parts: list[str]) -> None:
    text = ".".join(parts)
    with contextlib.suppress(ProofError):
        decode_jwt(text)
    assert verify(text, now=FROZEN_NOW).verdict is Verdict.INVALID


# ------------------------------------------------------------ which key a VC-JWT is checked with

RSA_KEY = KeyPair.generate(KeyType.RSA)
OTHER_RSA = KeyPair.generate(KeyType.RSA)
PROFILE = "https://issuer.example.fi/profile"
WEB_DID = "did:web:issuer.example.fi"


def signed_token(signer: KeyPair, issuer: str, header_extra: dict[str, Any]) -> str:
    credential = sample_credential(issuer)
    body = {**credential, "iss": issuer, "jti": credential["id"], "nbf": 1767225600}
    body["sub"] = credential["credentialSubject"]["id"]
    header = {"alg": signer.public.jws_alg, "typ": "JWT", **header_extra}
    unsigned = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(body).encode())}"
    return f"{unsigned}.{b64(signer.sign(unsigned.encode()))}"


def profile_document(*keys: KeyPair) -> dict[str, Any]:
    """An HTTPS controller document (issuer Profile) listing ``keys`` as assertion keys."""
    methods = [
        {"id": f"{PROFILE}#k{i}", "type": "JsonWebKey", "controller": PROFILE,
         "publicKeyJwk": key.public.to_jwk()}
        for i, key in enumerate(keys)
    ]  # fmt: skip
    return {
        "id": PROFILE,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


def verify_against(token_text: str, documents: dict[str, Any]) -> Any:
    return verify(token_text, now=FROZEN_NOW, resolver=DidResolver(dict_fetcher(documents)))


def test_no_kid_no_jwk_uses_the_issuer_published_key() -> None:
    report = verify_against(
        signed_token(RSA_KEY, PROFILE, {}), {PROFILE: profile_document(KEY, OTHER_RSA, RSA_KEY)}
    )
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.check("issuer").params["key"] == f"{PROFILE}#k2"


def test_no_kid_no_jwk_and_no_published_key_for_the_alg_fails() -> None:
    report = verify_against(signed_token(RSA_KEY, PROFILE, {}), {PROFILE: profile_document(KEY)})
    assert report.check("issuer").code == "jwt_no_issuer_key"
    assert report.verdict is Verdict.INVALID


def test_no_kid_no_jwk_and_published_keys_that_do_not_verify_fails() -> None:
    report = verify_against(
        signed_token(RSA_KEY, PROFILE, {}), {PROFILE: profile_document(OTHER_RSA)}
    )
    assert report.check("proof").code == "invalid_signature"


def test_no_kid_no_jwk_and_unreachable_issuer_is_indeterminate() -> None:
    report = verify_against(signed_token(RSA_KEY, PROFILE, {}), {})
    assert report.check("issuer").outcome is Outcome.ERROR
    assert report.verdict is Verdict.INDETERMINATE


def test_header_jwk_listed_by_the_issuer_is_bound_without_warning() -> None:
    report = verify_against(
        signed_token(RSA_KEY, PROFILE, {"jwk": RSA_KEY.public.to_jwk()}),
        {PROFILE: profile_document(RSA_KEY)},
    )
    assert report.verdict is Verdict.VALID
    assert "jwk_not_bound" not in [w.code for w in report.warnings]


def test_header_jwk_contradicting_the_issuer_keys_fails() -> None:
    forged = signed_token(RSA_KEY, PROFILE, {"jwk": RSA_KEY.public.to_jwk()})
    report = verify_against(forged, {PROFILE: profile_document(OTHER_RSA)})
    assert report.check("issuer").code == "key_not_bound"
    assert verify(forged, now=FROZEN_NOW, accept_header_jwk=True,
                  resolver=DidResolver(dict_fetcher({PROFILE: profile_document(OTHER_RSA)}))
                  ).check("issuer").code == "key_not_bound"  # fmt: skip


def test_header_jwk_of_a_type_the_profile_does_not_publish_is_accepted_with_warning() -> None:
    report = verify_against(
        signed_token(RSA_KEY, PROFILE, {"jwk": RSA_KEY.public.to_jwk()}),
        {PROFILE: profile_document(KEY)},
    )
    assert report.verdict is Verdict.VALID
    assert "jwk_not_bound" in [w.code for w in report.warnings]


def test_header_jwk_not_in_a_did_document_fails() -> None:
    document = build_did_web_document(WEB_DID, [("k", KEY.public)])
    forged = signed_token(RSA_KEY, WEB_DID, {"jwk": RSA_KEY.public.to_jwk()})
    report = verify_against(forged, {did_web_url(WEB_DID): document})
    assert report.check("issuer").code == "key_not_bound"
