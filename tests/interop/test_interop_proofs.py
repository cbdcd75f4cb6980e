"""Interop both ways with independent implementations (@digitalbazaar/vc, jose).

A credential is correct when an independent verifier accepts it, not when our own
verifier agrees with our own issuer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from badges.did import build_did_web_document
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair, KeyType, PublicKey
from badges.testing import (
    FROZEN_NOW,
    W3C_PUBLIC_MULTIBASE,
    W3C_SECRET_MULTIBASE,
    did_key_identity,
    sample_credential,
    w3c_test_key,
)
from badges.verify import verify
from tests.conftest import REPO
from tests.interop.node_harness import require_node_harness, run_node, run_node_batch

pytestmark = pytest.mark.usefixtures("_node")


@pytest.fixture(scope="module")
def _node() -> None:
    require_node_harness()


def node_verify(credential: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return run_node({"op": "di-verify", "credential": credential, **extra})


def test_cli_issued_credential_verifies_with_digitalbazaar_vc(tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    out = tmp_path / "badge.json"
    merkki = [sys.executable, "-m", "issuer.cli"]
    subprocess.run([*merkki, "key", "new", "-o", str(key)], check=True, cwd=REPO, timeout=60)
    subprocess.run(
        [*merkki, "issue", "--key", str(key), "--issuer", "examples/issuer.json",
         "--achievement", "examples/achievement.json", "--recipient", "maija@example.fi",
         "-o", str(out)],
        check=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    result = node_verify(json.loads(out.read_text()))
    assert result["verified"] is True, result


def test_node_signed_credential_verifies_with_merkki(tmp_path: Path) -> None:
    issuer, method = did_key_identity(w3c_test_key())
    signed = run_node(
        {
            "op": "di-sign",
            "credential": sample_credential(issuer),
            "key": {
                "publicKeyMultibase": W3C_PUBLIC_MULTIBASE,
                "secretKeyMultibase": W3C_SECRET_MULTIBASE,
            },
            "created": "2026-01-02T03:04:05Z",
        }
    )["credential"]
    assert verify(signed, now=FROZEN_NOW).valid
    path = tmp_path / "node-badge.json"
    path.write_text(json.dumps(signed))
    cli = subprocess.run(
        [sys.executable, "-m", "issuer.cli", "verify", str(path)],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stdout
    ours = sign_credential(
        sample_credential(issuer), w3c_test_key(), method,
        created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )  # fmt: skip
    assert ours["proof"]["proofValue"] == signed["proof"]["proofValue"]


def test_tampering_is_caught_by_both() -> None:
    issuer, method = did_key_identity(w3c_test_key())
    secured = sign_credential(sample_credential(issuer), w3c_test_key(), method)
    secured["credentialSubject"]["achievement"]["name"] = "Forged"
    assert node_verify(secured)["verified"] is False
    assert not verify(secured).valid


def test_unicode_and_escapes_canonicalize_alike() -> None:
    """Literals with quotes, backslashes, control characters and non-ASCII text."""
    key = KeyPair.generate()
    issuer, method = did_key_identity(key)
    texts = [
        'Ohjaaja "mentori" \\ polku',
        "rivi 1\nrivi 2\r\ttab",
        "ÅÄÖ åäö – 🏅",
        "nul\u0001\u007f\u001f",
    ]
    requests = []
    for text in texts:
        credential = sample_credential(issuer)
        credential["credentialSubject"]["achievement"]["description"] = text
        requests.append({"op": "di-verify", "credential": sign_credential(credential, key, method)})
    assert [r["verified"] for r in run_node_batch(requests)] == [True] * len(texts)


def test_did_web_credential_verifies_with_node() -> None:
    key = KeyPair.generate()
    did = "did:web:badges.example.fi:issuers:kunta"
    document = build_did_web_document(did, [("key-1", key.public)])
    secured = sign_credential(sample_credential(did), key, f"{did}#key-1")
    documents = {"https://badges.example.fi/issuers/kunta/did.json": document, did: document}
    assert node_verify(secured, documents=documents)["verified"] is True


ALGS = {"EdDSA": KeyType.ED25519, "ES256": KeyType.P256, "RS256": KeyType.RSA}


@pytest.mark.parametrize("alg", sorted(ALGS))
def test_merkki_jwt_verifies_with_jose(alg: str) -> None:
    key = KeyPair.generate(ALGS[alg])
    did = "did:web:badges.example.fi"
    token = sign_credential_jwt(sample_credential(did), key, f"{did}#k")
    result = run_node(
        {"op": "jwt-verify", "jwt": token, "publicJwk": key.public.to_jwk(), "algorithms": [alg]}
    )
    assert result["verified"] is True, result
    assert result["payload"]["iss"] == did


@pytest.mark.parametrize("alg", sorted(ALGS))
def test_jose_jwt_verifies_with_merkki(alg: str) -> None:
    generated = run_node({"op": "jwk-generate", "alg": alg})
    public = PublicKey.from_jwk(generated["publicJwk"])
    did = "did:web:badges.example.fi"
    credential = sample_credential(did)
    payload = {**credential, "iss": did, "jti": credential["id"], "sub": "did:example:earner-1",
               "nbf": 1767225600}  # fmt: skip
    token = run_node(
        {
            "op": "jwt-sign",
            "payload": payload,
            "header": {"alg": alg, "kid": f"{did}#k", "typ": "JWT"},
            "privateJwk": generated["privateJwk"],
        }
    )["jwt"]
    from badges.did import DidResolver
    from badges.testing import dict_fetcher

    document = build_did_web_document(did, [("k", public)])
    fetch = dict_fetcher({"https://badges.example.fi/.well-known/did.json": document})
    report = verify(token, now=FROZEN_NOW, resolver=DidResolver(fetch))
    assert report.valid, report.to_dict()
