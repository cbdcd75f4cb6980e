"""Open Badges 2.0: hosted and signed assertions, their documents, revocation, and the IMS
``openbadges`` validator run against the live service (``make ob2validator``)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from badges.baking import unbake
from badges.encoding import b64url_decode
from badges.errors import InvalidInput, InvalidKey
from badges.identity import hash_email
from badges.keys import KeyPair, KeyType
from badges.ob2.sign import public_key_pem, sign_assertion
from tests.issuer.factories import achievement, award, issuer, ok, problem
from tests.issuer.live import LiveService

ROOT = Path(__file__).resolve().parents[3]
VALIDATOR_PYTHON = ROOT / ".venv-ob2" / "bin" / "python"
VALIDATOR = ROOT / "tests" / "interop" / "ob2_validator.py"
EMAIL = "maija@example.fi"
OB2 = "https://w3id.org/openbadges/v2"


def validate(*args: str, stdin: str | None = None) -> dict[str, Any]:
    """The IMS validator's report (``tests/interop/ob2_validator.py`` in ``.venv-ob2``)."""
    if not VALIDATOR_PYTHON.exists():
        pytest.skip("the IMS Open Badges 2.0 validator is not installed: make ob2validator")
    done = subprocess.run(
        [str(VALIDATOR_PYTHON), str(VALIDATOR), *args, "--recipient", EMAIL],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def errors(report: dict[str, Any]) -> list[str]:
    return [m["result"] for m in report["messages"] if m["messageLevel"] == "ERROR"]


def jws_parts(jws: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    header, payload, signature = jws.split(".")
    return (
        json.loads(b64url_decode(header)),
        json.loads(b64url_decode(payload)),
        f"{header}.{payload}".encode(),
        b64url_decode(signature),
    )


def badge_of(api: httpx.Client, **issuer_fields: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    made = issuer(api, **issuer_fields)
    return made, achievement(api, issuer_id=made["id"])


def set_status(api: httpx.Client, award_id: str, action: str, reason: str) -> None:
    ok(api.post(f"/api/v1/awards/{award_id}/{action}", json={"reason": reason}))


# --------------------------------------------------------------------------- signing


def test_sign_assertion_is_rs256_over_the_assertion_json() -> None:
    key = KeyPair.generate(KeyType.RSA)
    assertion = {"@context": OB2, "type": "Assertion", "id": "https://x.example/a/1", "ä": "ö"}
    jws = sign_assertion(assertion, key)
    header, payload, signing_input, signature = jws_parts(jws)
    assert header == {"alg": "RS256"}
    assert payload == assertion
    public = serialization.load_pem_public_key(public_key_pem(key).encode())
    assert isinstance(public, rsa.RSAPublicKey)
    public.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
    pem = key.crypto.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    assert sign_assertion(assertion, pem.decode()) == jws  # deterministic, PEM or pair
    with pytest.raises(InvalidKey):
        sign_assertion(assertion, KeyPair.generate())
    with pytest.raises(InvalidInput):
        sign_assertion({"type": "BadgeClass"}, key)


# --------------------------------------------------------------------------- hosted


def test_hosted_assertion_and_its_documents(service: LiveService, api: httpx.Client) -> None:
    made, ach = badge_of(api)
    assert made["ob2_signed"] is False
    given = award(api, ach["id"], language="sv", narrative="Bra jobbat")
    urls = given["urls"]
    assert urls["ob2"] == f"{service.base_url}/ob2/assertions/{given['id']}"
    assert urls["ob2_jws"] is None

    response = service.http.get(urls["ob2"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == OB2
    assert data["type"] == "Assertion"
    assert data["id"] == urls["ob2"]
    assert data["verification"] == {"type": "HostedBadge"}
    assert data["narrative"] == "Bra jobbat"
    recipient = data["recipient"]
    assert recipient["type"] == "email"
    assert recipient["hashed"] is True
    assert recipient["identity"] == hash_email(EMAIL, recipient["salt"])
    subject = given["credential"]["credentialSubject"]
    assert recipient["salt"] == subject["identifier"][0]["salt"]  # the OB 3.0 hash, reused

    badge = ok(service.http.get(data["badge"]))
    assert badge["id"] == data["badge"]
    assert badge["type"] == "BadgeClass"
    assert badge["name"] == ach["name"]["sv"]  # the award's language
    assert badge["description"] == "Beskrivning"
    assert badge["criteria"] == {"narrative": "Kriterier"}
    assert badge["image"].startswith(
        f"{service.base_url}/achievements/{ach['id']}/artwork.png?lang=sv&v="
    )
    profile = ok(service.http.get(badge["issuer"]))
    assert profile["id"] == made["urls"]["ob2_profile"] == badge["issuer"]
    assert profile["type"] == "Issuer"
    assert profile["name"] == made["name"]["fi"]
    assert profile["email"] == made["email"]
    assert "publicKey" not in profile
    assert ok(service.http.get(profile["revocationList"]))["revokedAssertions"] == []

    as_json = service.http.get(urls["ob2"], headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/json")
    problem(service.http.get(f"/ob2/assertions/{given['id']}.jws"), 404, "not-found")
    problem(service.http.get("/ob2/assertions/nope"), 404, "not-found")
    problem(
        service.http.get(f"/ob2/badges/{ach['id']}", params={"lang": "en", "version": 9}),
        404,
        "not-found",
    )


def test_hosted_assertion_passes_the_ims_validator(service: LiveService, api: httpx.Client) -> None:
    _, ach = badge_of(api)
    given = award(api, ach["id"], language="fi")
    report = validate("--url", given["urls"]["ob2"])
    assert report["valid"], errors(report)
    assert report["errorCount"] == 0
    assertion = next(node for node in report["graph"] if node.get("type") == "Assertion")
    assert assertion["id"] == given["urls"]["ob2"]


# --------------------------------------------------------------------------- signed


def test_signed_assertion_verifies_with_the_profiles_key(
    service: LiveService, api: httpx.Client
) -> None:
    made, ach = badge_of(api, ob2_signed=True)
    assert made["ob2_signed"] is True
    given = award(api, ach["id"])
    jws_url = given["urls"]["ob2_jws"]
    assert jws_url == f"{service.base_url}/ob2/assertions/{given['id']}.jws"
    response = service.http.get(jws_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/jws")
    jws = response.text
    assert service.http.get(jws_url).text == jws  # deterministic
    header, payload, signing_input, signature = jws_parts(jws)
    assert header["alg"] == "RS256"
    creator = payload["verification"]["creator"]
    assert payload["verification"]["type"] == "SignedBadge"
    assert payload["id"] == given["urls"]["ob2"]

    profile = ok(service.http.get(made["urls"]["ob2_profile"]))
    assert profile["publicKey"] == [creator]
    key = ok(service.http.get(creator))
    assert key == {
        "@context": OB2,
        "type": "CryptographicKey",
        "id": creator,
        "owner": profile["id"],
        "publicKeyPem": key["publicKeyPem"],
    }
    public = serialization.load_pem_public_key(key["publicKeyPem"].encode())
    assert isinstance(public, rsa.RSAPublicKey)
    assert public.key_size == 2048
    public.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())

    report = validate("--jws", "-", stdin=jws)
    assert report["valid"], errors(report)

    other = issuer(api)  # a key of another issuer's URL is not this one's
    problem(
        service.http.get(f"/ob2/issuers/{other['id']}/keys/{creator.rsplit('/', 1)[1]}"),
        404,
        "not-found",
    )


def test_ob2_signed_can_be_switched_on_later(service: LiveService, api: httpx.Client) -> None:
    made, ach = badge_of(api)
    given = award(api, ach["id"])
    assert given["urls"]["ob2_jws"] is None
    updated = ok(api.patch(f"/api/v1/issuers/{made['id']}", json={"ob2_signed": True}))
    assert updated["ob2_signed"] is True
    again = ok(api.get(f"/api/v1/awards/{given['id']}"))
    assert again["urls"]["ob2_jws"] == f"{service.base_url}/ob2/assertions/{given['id']}.jws"
    assert service.http.get(again["urls"]["ob2_jws"]).status_code == 200
    problem(
        api.patch(f"/api/v1/issuers/{made['id']}", json={"ob2_signed": None}),
        422,
        "validation-error",
    )


# --------------------------------------------------------------------------- baked


def test_baked_ob2_png_passes_the_ims_validator(
    service: LiveService, api: httpx.Client, tmp_path: Path
) -> None:
    _, ach = badge_of(api, ob2_signed=True)
    given = award(api, ach["id"])
    png = service.http.get(given["urls"]["png"], params={"ob": 2})
    assert png.status_code == 200
    baked = unbake(png.content)
    assert baked.kind == "ob2"
    assert baked.text == service.http.get(given["urls"]["ob2_jws"]).text
    path = tmp_path / "badge.png"
    path.write_bytes(png.content)
    report = validate("--image", str(path))
    assert report["valid"], errors(report)


def test_baked_hosted_ob2_images_carry_the_assertion(
    service: LiveService, api: httpx.Client, tmp_path: Path
) -> None:
    _, ach = badge_of(api)
    given = award(api, ach["id"])
    hosted = ok(service.http.get(given["urls"]["ob2"]))
    png = service.http.get(given["urls"]["png"], params={"ob": 2})
    assert json.loads(unbake(png.content).text) == hosted
    svg = service.http.get(given["urls"]["svg"], params={"ob": 2})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert f'verify="{given["urls"]["ob2"]}"'.encode() in svg.content
    assert json.loads(unbake(svg.content).text) == hosted
    path = tmp_path / "hosted.png"
    path.write_bytes(png.content)
    report = validate("--image", str(path))
    assert report["valid"], errors(report)


# --------------------------------------------------------------------------- revoked


def test_revoked_assertion_is_gone_and_listed(service: LiveService, api: httpx.Client) -> None:
    made, ach = badge_of(api, ob2_signed=True)
    kept, revoked, suspended = (award(api, ach["id"]) for _ in range(3))
    jws = service.http.get(revoked["urls"]["ob2_jws"]).text
    assert validate("--jws", "-", stdin=jws)["valid"]
    set_status(api, revoked["id"], "revoke", "Myönnetty vahingossa")
    set_status(api, suspended["id"], "suspend", "Selvitys kesken")

    gone = service.http.get(revoked["urls"]["ob2"])
    assert gone.status_code == 410
    assert gone.json() == {
        "@context": OB2,
        "type": "Assertion",
        "id": revoked["urls"]["ob2"],
        "revoked": True,
        "revocationReason": "Myönnetty vahingossa",
    }
    assert service.http.get(suspended["urls"]["ob2"]).status_code == 410
    assert service.http.get(kept["urls"]["ob2"]).status_code == 200

    profile = ok(service.http.get(made["urls"]["ob2_profile"]))
    listed = ok(service.http.get(profile["revocationList"]))
    assert listed["type"] == "RevocationList"
    assert listed["issuer"] == profile["id"]
    assert listed["revokedAssertions"] == [
        {"id": revoked["urls"]["ob2"], "revocationReason": "Myönnetty vahingossa"},
        {"id": suspended["urls"]["ob2"], "revocationReason": "Selvitys kesken"},
    ]
    report = validate("--jws", "-", stdin=jws)  # the same JWS, now on the list
    assert not report["valid"]
    assert any("revoked" in message for message in errors(report)), errors(report)

    ok(api.post(f"/api/v1/awards/{suspended['id']}/reinstate", json={}))
    assert service.http.get(suspended["urls"]["ob2"]).status_code == 200
    listed = ok(service.http.get(profile["revocationList"]))
    assert [item["id"] for item in listed["revokedAssertions"]] == [revoked["urls"]["ob2"]]
