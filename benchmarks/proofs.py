"""Proof throughput, Python (Merkki) and Node (@digitalbazaar/vc, jose) side by side.

    .venv/bin/python benchmarks/proofs.py [--seconds 5] [--write]

Both run on the same credential (an OB 3.0 leadership badge issued by a did:key)
and the same Ed25519 key, one process each, one after the other, each operation
on a distinct copy (a fresh ``id``) so that nothing can be cached. ``--write``
puts the table into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from results_table import write_table

from badges.did import DidResolver
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair
from badges.model import Recipient, build_credential
from badges.proofs import dataintegrity, jwt
from badges.testing import did_key_identity
from badges.verify import verify

ROOT = Path(__file__).resolve().parents[1]
NODE_SCRIPT = ROOT / "benchmarks" / "node" / "proofs.mjs"


ROUNDS = 3
"""Each figure is the best of this many rounds (Python and Node alike): the machine is
shared, and the best round is the one least disturbed by other work."""


def rate(operation: Callable[[int], object], seconds: float) -> float:
    """Best operations per second of ``operation(i)`` over rounds after a short warm-up."""
    for i in range(20):
        operation(i)
    best, count = 0.0, 0
    for _ in range(ROUNDS):
        done, start = 0, time.perf_counter()
        deadline = start + seconds / ROUNDS
        while time.perf_counter() < deadline:
            for _ in range(10):
                operation(count)
                count += 1
                done += 1
        best = max(best, done / (time.perf_counter() - start))
    return best


def credential_for(key: KeyPair) -> dict[str, Any]:
    issuer, _ = did_key_identity(key)
    profile = json.loads((ROOT / "examples" / "issuer.json").read_text())
    profile["id"] = issuer
    achievement = json.loads((ROOT / "examples" / "achievement.json").read_text())
    return build_credential(
        issuer=profile,
        achievement=achievement,
        recipient=Recipient(email="maija.meikalainen@example.fi"),
        valid_from=datetime(2026, 1, 1, tzinfo=UTC),
        credential_id="urn:uuid:00000000-0000-4000-8000-000000000000",
    )


def python_rates(key: KeyPair, credential: dict[str, Any], seconds: float) -> dict[str, float]:
    _, method = did_key_identity(key)
    resolver = DidResolver()
    issuer_id = credential["issuer"]["id"]

    def copy(i: int) -> dict[str, Any]:
        return {**credential, "id": f"urn:uuid:{uuid.UUID(int=i)}"}

    signed = [sign_credential(copy(i), key, method) for i in range(500)]
    tokens = [sign_credential_jwt(copy(i), key, method) for i in range(500)]

    def di_verify(i: int) -> None:
        document = signed[i % 500]
        proof = document["proof"]
        vm = resolver.dereference(proof["verificationMethod"])
        assert vm.controller == issuer_id  # noqa: S101
        assert "assertionMethod" in vm.purposes  # noqa: S101
        dataintegrity.verify_proof(document, proof, vm.public_key)

    def jwt_verify(i: int) -> None:
        decoded = jwt.decode_jwt(tokens[i % 500])
        vm = resolver.dereference(decoded.header["kid"])
        assert vm.controller == decoded.payload["iss"]  # noqa: S101
        jwt.verify_signature(decoded, vm.public_key)
        assert not jwt.claim_mismatches(decoded)  # noqa: S101

    decoded = jwt.decode_jwt(tokens[0])

    def raw_verify(_: int) -> None:
        key.public.crypto.verify(decoded.signature, decoded.signing_input)

    return {
        "ed25519_verify": rate(raw_verify, seconds),
        "di_issue": rate(lambda i: sign_credential(copy(i), key, method), seconds),
        "di_verify": rate(di_verify, seconds),
        "di_verify_full": rate(lambda i: verify(signed[i % 500]), seconds),
        "jwt_sign": rate(lambda i: sign_credential_jwt(copy(i), key, method), seconds),
        "jwt_verify": rate(jwt_verify, seconds),
        "jwt_verify_full": rate(lambda i: verify(tokens[i % 500]), seconds),
    }


def node_rates(key: KeyPair, credential: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The best of ``ROUNDS`` runs of benchmarks/node/proofs.mjs, operation by operation."""
    runs = [_node_run(key, credential, seconds / ROUNDS) for _ in range(ROUNDS)]
    best = dict(runs[0])
    for run in runs[1:]:
        for name in ("di_issue", "di_verify", "jwt_sign", "jwt_verify"):
            best[name] = max(float(best[name]), float(run[name]))
    return best


def _node_run(key: KeyPair, credential: dict[str, Any], seconds: float) -> dict[str, Any]:
    issuer, method = did_key_identity(key)
    with tempfile.TemporaryDirectory() as tmp:
        cred_path, key_path = Path(tmp) / "credential.json", Path(tmp) / "key.json"
        cred_path.write_text(json.dumps(credential))
        key_path.write_text(
            json.dumps(
                {
                    "publicKeyMultibase": key.public.to_multibase(),
                    "secretKeyMultibase": key.private_multibase(),
                    "controller": issuer,
                    "id": method,
                    "privateJwk": key.to_jwk(private=True),
                    "publicJwk": key.public.to_jwk(),
                }
            )
        )
        out = subprocess.run(
            ["node", str(NODE_SCRIPT), "--credential", str(cred_path), "--key", str(key_path),
             "--seconds", str(seconds)],
            capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def table(py: dict[str, float], node: dict[str, Any]) -> str:
    rows = [
        ("eddsa-rdfc-2022 issue", "di_issue", "di_issue", "≥ 3×"),
        ("eddsa-rdfc-2022 verify (proof + key binding)", "di_verify", "di_verify", "≥ 3×"),
        ("VC-JWT EdDSA sign", "jwt_sign", "jwt_sign", ""),
        (
            "VC-JWT EdDSA verify (signature + key binding + claims)",
            "jwt_verify",
            "jwt_verify",
            "≥ 1× and ≥ 5,000/s",
        ),
    ]
    lines = [
        "| operation | Merkki (Python) ops/s | Node ops/s | ratio | target |",
        "|---|---:|---:|---:|---|",
    ]
    for label, py_key, node_key, target in rows:
        ours, theirs = py[py_key], float(node[node_key])
        lines.append(f"| {label} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f}× | {target} |")
    lines.append(
        f"| full `badges.verify` pipeline, eddsa-rdfc-2022 (all checks incl. JSON Schema) "
        f"| {py['di_verify_full']:,.0f} | | | |"
    )
    lines.append(f"| full `badges.verify` pipeline, VC-JWT | {py['jwt_verify_full']:,.0f} | | | |")
    lines.append(
        "| Ed25519 signature check alone (`cryptography`), the ceiling of VC-JWT verify "
        f"| {py['ed25519_verify']:,.0f} | | | |"
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append("")
    lines.append(
        f"Measured {when} on {platform.machine()} ({platform.python_implementation()} "
        f"{platform.python_version()}, Node {node.get('node', '?')}), one process each, "
        f"same run, best of {ROUNDS} rounds."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    key = KeyPair.from_seed(bytes(range(32)))
    credential = credential_for(key)
    py = python_rates(key, credential, args.seconds)
    node = node_rates(key, credential, args.seconds)
    text = table(py, node)
    print(text)
    if args.write:
        write_table("proofs", text)


if __name__ == "__main__":
    main()
