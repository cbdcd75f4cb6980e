"""``POST /api/v1/verify`` and VC-API ``POST /credentials/verify`` over real HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from issuer.ratelimit import RateLimiter, parse_rate
from tests.issuer.factories import achievement, award, problem
from tests.issuer.live import LiveService

EMAIL = "maija@example.fi"
SHARED = Path(__file__).resolve().parents[3].parent / "shared"


@pytest.fixture(scope="module")
def badge(api: httpx.Client) -> dict[str, Any]:
    """An award with both forms (eddsa-rdfc-2022 JSON-LD and VC-JWT) to maija@example.fi."""
    return award(api, achievement(api)["id"], format="jwt", recipient={"email": EMAIL})


def _verify(service: LiveService, **kwargs: Any) -> dict[str, Any]:
    response = service.http.post("/api/v1/verify", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, Any] = response.json()
    return body


def _check(report: dict[str, Any], check_id: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in report["checks"] if c["id"] == check_id]
    assert found, report
    return found[0]


def _assert_valid(report: dict[str, Any]) -> None:
    assert report["verdict"] == "valid", json.dumps(report, indent=2)
    assert report["valid"] is True
    for check_id in ("parse", "issuer", "proof"):
        assert _check(report, check_id)["outcome"] == "passed"


# ---------------------------------------------------------------------- inputs


def test_json_object_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    report = _verify(service, json={"credential": badge["credential"]})
    _assert_valid(report)
    assert report["format"] is not None
    facts = report["facts"]
    assert facts["id"] == badge["credential"]["id"]
    assert facts["issuer"]["id"] == badge["credential"]["issuer"]["id"]
    assert (
        facts["achievement"]["name"]
        == badge["credential"]["credentialSubject"]["achievement"]["name"]
    )
    assert facts["valid_from"] == badge["credential"]["validFrom"]


def test_json_text_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    _assert_valid(_verify(service, json={"credential": json.dumps(badge["credential"])}))


def test_jwt_string_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    report = _verify(service, json={"credential": badge["jwt"]})
    _assert_valid(report)
    assert "jwt" in str(report["format"]).lower()


def test_url_of_the_credential_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    """The service's own host is allowed although it is loopback."""
    report = _verify(service, json={"url": badge["credential"]["id"]})
    _assert_valid(report)
    assert report["facts"]["id"] == badge["credential"]["id"]


def test_url_of_the_jwt_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    _assert_valid(_verify(service, json={"url": badge["urls"]["jwt"]}))


def test_multipart_upload_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    data = json.dumps(badge["credential"]).encode()
    report = _verify(
        service, files={"file": ("badge.json", data, "application/json")}, data={"recipient": EMAIL}
    )
    _assert_valid(report)
    assert _check(report, "recipient")["outcome"] == "passed"


def test_multipart_jwt_file_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    report = _verify(service, files={"file": ("badge.jwt", badge["jwt"].encode(), "text/plain")})
    _assert_valid(report)


def test_raw_bodies_verify(service: LiveService, badge: dict[str, Any]) -> None:
    report = _verify(
        service,
        content=json.dumps(badge["credential"]),
        headers={"Content-Type": "application/ld+json"},
    )
    _assert_valid(report)
    report = _verify(
        service,
        content=badge["jwt"],
        headers={"Content-Type": "application/vc+jwt"},
        params={"recipient": EMAIL},
    )
    _assert_valid(report)
    assert _check(report, "recipient")["outcome"] == "passed"


# ---------------------------------------------------------------------- verdicts


def _tampered(badge: dict[str, Any]) -> dict[str, Any]:
    credential: dict[str, Any] = copy.deepcopy(badge["credential"])
    credential["credentialSubject"]["achievement"]["name"] = "Something I did not earn"
    return credential


def test_tampered_credential_is_invalid_at_the_proof(
    service: LiveService, badge: dict[str, Any]
) -> None:
    report = _verify(service, json={"credential": _tampered(badge)})
    assert report["verdict"] == "invalid"
    assert report["valid"] is False
    proof = _check(report, "proof")
    assert proof["outcome"] == "failed"
    assert proof["code"] == "invalid_signature"
    assert report["errors"]


def test_tampered_jwt_is_invalid(service: LiveService, badge: dict[str, Any]) -> None:
    header, payload, signature = badge["jwt"].split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    report = _verify(service, json={"credential": f"{header}.{payload}.{flipped}"})
    assert report["verdict"] == "invalid"
    assert _check(report, "proof")["outcome"] == "failed"


@pytest.mark.parametrize(
    ("how", "lang", "words"),
    [
        ({"params": {"lang": "fi"}}, "fi", "Allekirjoitus"),
        ({"params": {"lang": "sv"}}, "sv", "Signaturen"),
        ({"params": {"lang": "en"}}, "en", "signature"),
        ({"headers": {"Accept-Language": "sv-FI, fi;q=0.8, en;q=0.5"}}, "sv", "Signaturen"),
        ({"headers": {"Accept-Language": "de, fi;q=0.4"}}, "fi", "Allekirjoitus"),
        ({"headers": {"Accept-Language": "de"}}, "en", "signature"),
    ],
)
def test_messages_in_the_requested_language(
    service: LiveService, badge: dict[str, Any], how: dict[str, Any], lang: str, words: str
) -> None:
    response = service.http.post("/api/v1/verify", json={"credential": _tampered(badge)}, **how)
    assert response.status_code == 200
    assert response.headers["content-language"] == lang
    report = response.json()
    assert report["lang"] == lang
    assert words.lower() in _check(report, "proof")["message"].lower()


def test_recipient_match_and_mismatch(service: LiveService, badge: dict[str, Any]) -> None:
    matched = _verify(service, json={"credential": badge["credential"], "recipient": EMAIL})
    assert matched["verdict"] == "valid"
    assert _check(matched, "recipient")["outcome"] == "passed"
    upper = _verify(service, json={"credential": badge["jwt"], "recipient": EMAIL.upper()})
    assert _check(upper, "recipient")["outcome"] == "passed"
    other = _verify(
        service, json={"credential": badge["credential"], "recipient": "matti@example.fi"}
    )
    assert other["verdict"] == "invalid"
    recipient = _check(other, "recipient")
    assert recipient["outcome"] == "failed"
    assert recipient["code"] == "recipient_mismatch"


def test_revoked_badge(service: LiveService, api: httpx.Client, badge: dict[str, Any]) -> None:
    """The status list is cached for a few seconds; ``Verifier.forget`` drops it at once."""
    made = award(api, achievement(api)["id"])
    assert _verify(service, json={"credential": made["credential"]})["verdict"] == "valid"
    revoked = api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Virhe"})
    assert revoked.status_code == 200, revoked.text
    service.app.state.verifier.forget()
    report = _verify(service, json={"credential": made["credential"]}, params={"lang": "sv"})
    assert report["verdict"] == "revoked"
    status = _check(report, "status")
    assert status["outcome"] == "failed"
    assert status["code"] == "revoked"
    # Other badges on the same list are still valid: only the badge's own bit counts.
    _assert_valid(_verify(service, json={"credential": badge["credential"]}))


def test_suspension_comes_from_the_issuers_record(service: LiveService, api: httpx.Client) -> None:
    """Merkki credentials name only their revocation list (one ``credentialStatus``), so
    this service reports its own suspended badge from its record, and lifts it again."""
    made = award(api, achievement(api)["id"])
    suspended = api.post(f"/api/v1/awards/{made['id']}/suspend", json={"reason": "Selvitys"})
    assert suspended.status_code == 200, suspended.text
    report = _verify(service, json={"credential": made["credential"]}, params={"lang": "fi"})
    assert report["verdict"] == "suspended"
    assert _check(report, "status")["code"] == "suspended"
    assert any("myöntävän palvelun" in w for w in report["warnings"])
    reinstated = api.post(f"/api/v1/awards/{made['id']}/reinstate", json={})
    assert reinstated.status_code == 200, reinstated.text
    _assert_valid(_verify(service, json={"credential": made["credential"]}))


def test_unreachable_url_is_indeterminate(service: LiveService) -> None:
    """A URL the fetcher refuses (a private address) cannot be verified: indeterminate."""
    report = _verify(service, json={"url": "http://10.0.0.1/badge.json"})
    assert report["verdict"] == "indeterminate"
    assert report["checks"][0]["outcome"] == "error"


def test_missing_credential_url_is_indeterminate(service: LiveService) -> None:
    report = _verify(service, json={"url": f"{service.base_url}/credentials/no-such-award"})
    assert report["verdict"] == "indeterminate"


# ---------------------------------------------------------------------- bad requests


def test_bad_requests(service: LiveService, badge: dict[str, Any]) -> None:
    post = service.http.post
    problem(post("/api/v1/verify", json={}), 422, "validation-error")
    both = post("/api/v1/verify", json={"credential": badge["jwt"], "url": "https://x.example/"})
    body = problem(both, 422, "validation-error")
    assert {e["field"] for e in body["errors"]} == {"body.credential", "body.url"}
    problem(post("/api/v1/verify", json={"credential": 42}), 422, "validation-error")
    problem(post("/api/v1/verify", json={"credential": "  "}), 422, "validation-error")
    problem(post("/api/v1/verify", json={"url": "file:///etc/passwd"}), 422, "validation-error")
    problem(post("/api/v1/verify", json={"credentail": {}}), 422, "validation-error")
    problem(post("/api/v1/verify", json=[1, 2]), 422, "validation-error")
    bad_json = post(
        "/api/v1/verify", content=b'{"credential": ', headers={"Content-Type": "application/json"}
    )
    problem(bad_json, 400, "malformed-request")
    problem(
        post("/api/v1/verify", content=b"x", headers={"Content-Type": "application/xml"}),
        415,
        "unsupported-media-type",
    )
    problem(post("/api/v1/verify", content=b"x"), 415, "unsupported-media-type")
    files = {"other": ("a.json", b"{}", "application/json")}
    problem(post("/api/v1/verify", files=files), 422, "validation-error")
    empty = {"file": ("a.json", b"", "application/json")}
    problem(post("/api/v1/verify", files=empty), 422, "validation-error")
    broken = post(
        "/api/v1/verify",
        content=b"--x\r\nnot a part",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code in (400, 422), broken.text


def test_too_large_bodies(service: LiveService) -> None:
    big = b'{"credential": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = service.http.post(
        "/api/v1/verify", content=big, headers={"Content-Type": "application/json"}
    )
    problem(response, 413, "payload-too-large")
    upload = {"file": ("big.png", b"\x89PNG" + b"\0" * (5 * 1024 * 1024 + 10), "image/png")}
    problem(service.http.post("/api/v1/verify", files=upload), 413, "payload-too-large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap applies while reading
        for _ in range(40):
            yield b"a" * 65536

    chunked = service.http.post(
        "/api/v1/verify", content=chunks(), headers={"Content-Type": "application/vc+jwt"}
    )
    problem(chunked, 413, "payload-too-large")


def test_rate_limit(service: LiveService, badge: dict[str, Any]) -> None:
    state = service.app.state
    saved = state.rate_limiter
    state.rate_limiter = RateLimiter(parse_rate("3/hour"))
    try:
        for _ in range(3):
            _verify(service, json={"credential": badge["jwt"]})
        limited = service.http.post("/api/v1/verify", json={"credential": badge["jwt"]})
        problem(limited, 429, "rate-limited")
        assert int(limited.headers["retry-after"]) >= 1
        vcapi = service.http.post(
            "/credentials/verify", json={"verifiableCredential": badge["credential"]}
        )
        problem(vcapi, 429, "rate-limited")
    finally:
        state.rate_limiter = saved


# ---------------------------------------------------------------------- VC-API


def test_vc_api_verifies(service: LiveService, badge: dict[str, Any]) -> None:
    response = service.http.post(
        "/credentials/verify", json={"verifiableCredential": badge["credential"], "options": {}}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["verified"] is True
    assert {"proof", "issuer", "parse"} <= set(body["checks"])
    assert body["errors"] == []
    assert body["problemDetails"] == []
    assert isinstance(body["warnings"], list)


def test_vc_api_enveloped_jwt(service: LiveService, badge: dict[str, Any]) -> None:
    enveloped = {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "type": "EnvelopedVerifiableCredential",
        "id": "data:application/vc+jwt," + badge["jwt"],
    }
    response = service.http.post("/credentials/verify", json={"verifiableCredential": enveloped})
    assert response.status_code == 200, response.text
    assert response.json()["verified"] is True
    escaped = {**enveloped, "id": "data:application/vc+jwt," + quote(badge["jwt"], safe="")}
    response = service.http.post("/credentials/verify", json={"verifiableCredential": escaped})
    assert response.status_code == 200, response.text


def test_vc_api_tampered_is_400_with_problem_details(
    service: LiveService, badge: dict[str, Any]
) -> None:
    response = service.http.post(
        "/credentials/verify", json={"verifiableCredential": _tampered(badge)}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["verified"] is False
    assert "proof" not in body["checks"]
    assert body["errors"]
    types = {p["type"] for p in body["problemDetails"]}
    assert "https://w3id.org/security#PROOF_VERIFICATION_ERROR" in types


def test_vc_api_bad_requests(service: LiveService) -> None:
    post = service.http.post
    payload: dict[str, Any]
    for payload in (
        {},
        {"verifiableCredential": 5},
        {"verifiableCredential": {"type": "EnvelopedVerifiableCredential", "id": "data:x,y"}},
        {"verifiableCredential": {}, "options": []},
    ):
        response = post("/credentials/verify", json=payload)
        assert response.status_code == 400, (payload, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    response = post(
        "/credentials/verify", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


# ---------------------------------------------------------------------- baked images


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_baked_image_by_url_and_upload(
    service: LiveService, badge: dict[str, Any], kind: str
) -> None:
    url = f"{service.base_url}/credentials/{badge['id']}.{kind}"
    image = service.http.get(url)
    assert image.status_code == 200, image.text[:300]
    by_url = _verify(service, json={"url": url, "recipient": EMAIL})
    _assert_valid(by_url)
    assert _check(by_url, "recipient")["outcome"] == "passed"
    media = "image/png" if kind == "png" else "image/svg+xml"
    upload = _verify(service, files={"file": (f"badge.{kind}", image.content, media)})
    _assert_valid(upload)
    raw = _verify(service, content=image.content, headers={"Content-Type": media})
    _assert_valid(raw)


# ---------------------------------------------------------------------- other issuers


def test_credential_signed_by_digitalbazaar_vc(service: LiveService) -> None:
    """A credential issued elsewhere (@digitalbazaar/vc, did:key) verifies too."""
    from tests.interop.node_harness import require_node_harness, run_node

    require_node_harness()
    key = run_node({"op": "multikey-generate"})
    assert key["ok"], key
    unsigned = json.loads(
        (SHARED / "spec" / "vectors" / "ob_v3p0" / "ldp-ob.unsigned.extracted.json").read_text()
    )
    unsigned["issuer"]["id"] = key["controller"]
    signed = run_node({"op": "di-sign", "credential": unsigned, "key": key})
    assert signed["ok"], signed
    report = _verify(service, json={"credential": signed["credential"]}, params={"lang": "fi"})
    _assert_valid(report)
    signed["credential"]["credentialSubject"]["id"] = "did:example:someone-else"
    tampered = _verify(service, json={"credential": signed["credential"]})
    assert tampered["verdict"] == "invalid"
    assert _check(tampered, "proof")["outcome"] == "failed"


# ---------------------------------------------------------------------- rate limiter


def test_parse_rate() -> None:
    assert parse_rate("120/minute") == parse_rate("120/min") == parse_rate("120/minutes")
    assert parse_rate("2/s").per_second == 2
    assert parse_rate("off").unlimited
    assert parse_rate("0").unlimited
    for bad in ("", "fast", "10/fortnight", "-1/s", "0/s", "1.5/s"):
        with pytest.raises(ValueError, match="120/minute"):
            parse_rate(bad)


def test_token_bucket() -> None:
    now = [0.0]
    limiter = RateLimiter(parse_rate("2/second"), clock=lambda: now[0], max_clients=2)
    assert limiter.hit("a").allowed
    assert limiter.hit("a").allowed
    refused = limiter.hit("a")
    assert not refused.allowed
    assert refused.retry_after >= 1
    assert limiter.hit("b").allowed  # buckets are per client
    now[0] += 0.5  # one token back
    assert limiter.hit("a").allowed
    assert not limiter.hit("a").allowed
    limiter.hit("c")  # a third client: the least recently used bucket ("b") is dropped
    assert limiter.hit("b").allowed
    assert limiter.hit("b").allowed
    assert RateLimiter(parse_rate("off")).hit("a").allowed
