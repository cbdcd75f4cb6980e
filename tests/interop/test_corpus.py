"""Merkki against the interop corpus (/work/shared/interop): real credentials from other issuers.

Everything a verifier would fetch is answered from ``docs/map.json`` and nothing
else. ``expected`` verdicts come from ``index.json``; Merkki's deliberate
deviations and its verdicts on the ``unknown`` cases are documented in README.md
("Interop corpus").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from badges import DidResolver, Verdict, VerificationReport, verify
from badges.contexts import document_loader
from badges.errors import ProofError
from badges.keys import KeyPair, KeyType, PublicKey
from badges.proofs import dataintegrity
from badges.proofs import jwt as jwt_proof
from badges.proofs.jwt import decode_jwt
from badges.report import Outcome
from badges.status_list import BitstringStatusListResolver
from badges.testing import dict_fetcher

CORPUS = Path("/work/shared/interop")
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="interop corpus not present")

NOW = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
"""The day the corpus verdicts were checked (index.json / README: "Checked 2026-11-25")."""
DCC_MIN_ENTRIES = 100_000
"""The status-list lower bound of the DCC ecosystem (its lists are 100,000 bits; W3C: 131,072)."""


def _index() -> list[dict[str, Any]]:
    if not CORPUS.is_dir():
        return []
    records: list[dict[str, Any]] = json.loads((CORPUS / "index.json").read_text())
    return records


def _docs() -> dict[str, bytes]:
    mapping: dict[str, str] = json.loads((CORPUS / "docs/map.json").read_text())
    return {url: (CORPUS / "docs" / name).read_bytes() for url, name in mapping.items()}


def run(
    name: str,
    *,
    min_entries: int = DCC_MIN_ENTRIES,
    replace: dict[str, bytes] | None = None,
    **options: Any,
) -> VerificationReport:
    docs = {**_docs(), **(replace or {})}
    fetch = dict_fetcher(docs)
    contexts = {u: json.loads(b) for u, b in docs.items() if "context" in u or "/multikey/" in u}
    loader = document_loader(extra=contexts)
    resolver = DidResolver(fetch, fragment_multikeys=True)
    status = BitstringStatusListResolver(
        fetch, resolver=resolver, loader=loader, now=NOW, min_entries=min_entries
    )
    raw = (CORPUS / "creds" / name).read_bytes()
    return verify(
        raw,
        now=NOW,
        resolver=resolver,
        fetch=fetch,  # OB 2.0 hosted documents and keys
        loader=loader,
        status_resolver=status,
        **options,
    )


def failing(report: VerificationReport) -> dict[str, str]:
    return {c.id: c.code for c in report.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)}


DEVIATIONS: dict[str, tuple[Verdict, str, str]] = {
    # file: (Merkki's verdict, check that decides, code) where Merkki cannot reach the
    # expected verdict from what the corpus provides (README.md "Interop corpus").
    # RS256 JWT without kid/jwk: its issuer's document lists no RSA key, and no key in
    # the corpus verifies the signature (tested below), so "valid" cannot be shown.
    "1edtech-simple-vcjwt.jwt": (Verdict.INVALID, "issuer", "jwt_no_issuer_key"),
    # revoked only in a 1EdTechRevocationList, and its did:web key is not offline.
    "1edtech-wellspring-revoked.json": (Verdict.INDETERMINATE, "issuer", "key_unresolvable"),
}
"""Expected verdicts Merkki does not reach, each explained in README.md ("Interop corpus")."""

REASON = {
    "1edtech-err-proof-value.json": ("proof", "invalid_signature"),
    "dcc-fx-tampered.json": ("proof", "invalid_signature"),
    "1edtech-err-issued-future.json": ("valid_from", "not_yet_valid"),
    "1edtech-err-unknown-did-method.json": ("issuer", "unsupported_did_method"),
    "dcc-safe-mode-breaker.json": ("issuer", "key_not_bound"),
    "dcc-v2-revoked.json": ("status", "revoked"),
    "dcc-fx-v1-ed2020-expired.json": ("valid_until", "expired"),
}

UNKNOWN: dict[str, tuple[Verdict, tuple[str, str] | None]] = {
    "1edtech-legacy-eddsa-2022.json": (Verdict.VALID, None),
    "velocity-vcjwt.jwt": (Verdict.INVALID, ("issuer", "unsupported_did_method")),
    "jff-plugfest1-ed2018.json": (Verdict.INVALID, ("context", "bad_context")),
    # OB 2.0 baked PNG of a hosted assertion whose BadgeClass lives on example.org (not offline)
    "ob2-baked-simple.png": (Verdict.INDETERMINATE, ("hosted", "document_unreachable")),
}

DECIDED = [r for r in _index() if r["expected"] in ("valid", "invalid")]


@pytest.mark.parametrize("record", DECIDED, ids=[r["file"][6:] for r in DECIDED])
def test_decided_case(record: dict[str, Any]) -> None:
    name = record["file"].removeprefix("creds/")
    report = run(name)
    if name in DEVIATIONS:
        verdict, check, code = DEVIATIONS[name]
        assert report.verdict is verdict, report.to_dict()
        assert failing(report)[check] == code
        return
    if record["expected"] == "valid":
        assert report.verdict is Verdict.VALID, report.to_dict()
        return
    assert report.verdict is not Verdict.VALID
    check, code = REASON[name]
    assert failing(report)[check] == code, failing(report)
    wanted = {"revoked": Verdict.REVOKED, "expired": Verdict.EXPIRED}.get(code, Verdict.INVALID)
    assert report.verdict is wanted


UNKNOWN_RECORDS = [r for r in _index() if r["expected"] == "unknown"]


@pytest.mark.parametrize("record", UNKNOWN_RECORDS, ids=[r["file"][6:] for r in UNKNOWN_RECORDS])
def test_unknown_case_is_documented(record: dict[str, Any]) -> None:
    name = record["file"].removeprefix("creds/")
    verdict, reason = UNKNOWN[name]
    report = run(name)
    assert report.verdict is verdict, report.to_dict()
    if reason is not None:
        assert failing(report)[reason[0]] == reason[1]


def test_legacy_eddsa_2022_is_accepted_as_the_same_algorithm() -> None:
    report = run("1edtech-legacy-eddsa-2022.json")
    assert "eddsa-2022" in report.check("proof").message()


def test_safe_mode_breaker_fails_canonicalization_too() -> None:
    """Merkki stops at key binding (issuer is a urn:uuid); the proof alone also fails safe mode."""
    credential = json.loads((CORPUS / "creds/dcc-safe-mode-breaker.json").read_text())
    proof = credential["proof"][0]
    key = PublicKey.from_multibase(proof["verificationMethod"].removeprefix("did:key:"))
    with pytest.raises(ProofError) as caught:
        dataintegrity.verify_proof(credential, proof, key)
    assert caught.value.code == "proof_transformation_error"


def test_clr_header_jwk_is_the_key_with_a_warning() -> None:
    """OB 3.0: the header jwk is the key; the issuer's document lists no RSA key against it."""
    report = run("1edtech-clr-simple-vcjwt.jwt")
    assert report.verdict is Verdict.VALID
    assert "jwk_not_bound" in [w.code for w in report.warnings]


def _clr_issuer_document_with(jwk: dict[str, Any]) -> dict[str, bytes]:
    issuer = "https://example.edu/issuers/565049"
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": issuer,
        "verificationMethod": [
            {"id": f"{issuer}#rsa", "type": "JsonWebKey", "controller": issuer, "publicKeyJwk": jwk}
        ],
        "assertionMethod": [f"{issuer}#rsa"],
    }
    return {issuer: json.dumps(document).encode()}


def test_clr_header_jwk_contradicting_the_issuer_document_fails() -> None:
    other = KeyPair.generate(KeyType.RSA).public.to_jwk()
    report = run("1edtech-clr-simple-vcjwt.jwt", replace=_clr_issuer_document_with(other))
    assert failing(report) == {"issuer": "key_not_bound"}


def test_clr_header_jwk_listed_by_the_issuer_is_bound_without_warning() -> None:
    token = (CORPUS / "creds/1edtech-clr-simple-vcjwt.jwt").read_text()
    jwk = decode_jwt(token).header["jwk"]
    report = run("1edtech-clr-simple-vcjwt.jwt", replace=_clr_issuer_document_with(jwk))
    assert report.verdict is Verdict.VALID
    assert report.check("issuer").params["key"] == "https://example.edu/issuers/565049#rsa"
    assert "jwk_not_bound" not in [w.code for w in report.warnings]


def test_simple_vcjwt_signature_matches_no_key_in_the_corpus() -> None:
    """Why 1edtech-simple-vcjwt stays a deviation: no RSA key offered verifies it."""
    decoded = decode_jwt((CORPUS / "creds/1edtech-simple-vcjwt.jwt").read_text())
    candidates: list[PublicKey] = []
    for name in (CORPUS / "docs").glob("*.json"):
        pem = json.loads(name.read_text()).get("publicKeyPem")
        if isinstance(pem, str):
            candidates.append(PublicKey.from_cryptography(load_pem_public_key(pem.encode())))
    for name in (CORPUS / "creds").glob("*.jwt"):
        header_jwk = decode_jwt(name.read_text()).header.get("jwk")
        if header_jwk:
            candidates.append(PublicKey.from_jwk(header_jwk))
    assert candidates
    for key in candidates:
        with pytest.raises(ProofError):
            jwt_proof.verify_signature(decoded, key)


def test_w3c_minimum_list_length_refuses_short_dcc_lists() -> None:
    report = run("dcc-v2-eddsa-validstatus.json", min_entries=131_072)
    assert failing(report) == {"status": "status_invalid"}
    assert "STATUS_LIST_LENGTH_ERROR" in report.check("status").message()


def test_1edtech_revocation_list_is_reported_as_not_checked() -> None:
    report = run("1edtech-complete-eddsa.json")
    assert report.verdict is Verdict.VALID
    assert report.check("status").outcome is Outcome.SKIPPED
    assert "status_type_not_checked" in [w.code for w in report.warnings]


def test_baked_jwt_svg_uses_its_header_jwk_with_a_warning() -> None:
    report = run("1edtech-baked-jwt.svg")
    assert report.verdict is Verdict.VALID
    assert {"baked_image", "jwk_not_bound"} <= {w.code for w in report.warnings}


def test_wellspring_signature_is_intact_only_its_status_and_key_document_are_missing() -> None:
    """What can be decided offline about 1edtech-wellspring-revoked: the proof is intact."""
    credential = json.loads((CORPUS / "creds/1edtech-wellspring-revoked.json").read_text())
    proof = credential["proof"]
    fragment_key = PublicKey.from_multibase(proof["verificationMethod"].partition("#")[2])
    dataintegrity.verify_proof(credential, proof, fragment_key)  # raises if tampered
    report = run("1edtech-wellspring-revoked.json")
    assert report.check("issuer").outcome is Outcome.ERROR
    assert credential["credentialStatus"]["type"] == "1EdTechRevocationList"
