"""``/api/v1/issuers``: profiles, keys, DIDs and DID documents."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from badges.did import did_key
from badges.keys import PublicKey
from issuer.services.issuers import key_pair, new_signing_key
from issuer.store.tables import SigningKey
from tests.issuer.factories import issuer, ok, problem, unique
from tests.issuer.live import LiveService


def test_create_and_get(service: LiveService, api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/issuers",
        json={
            "name": {"fi": "Esimerkkilän kaupunki", "sv": "Exempelby stad"},
            "description": "Kaupungin henkilöstöpalvelut",
            "url": "https://esimerkkila.example",
            "email": "merkit@esimerkkila.example",
            "image": "data:image/png;base64,iVBORw0KGgo=",
        },
    )
    created = ok(response, 201)
    assert response.headers["location"] == f"/api/v1/issuers/{created['id']}"
    assert created["did"] == (
        f"did:web:127.0.0.1%3A{service.settings.port}:issuers:{created['id']}"
    )
    assert created["default_language"] == "fi"
    assert created["format"] == "ldp"
    assert created["urls"] == {
        "profile": f"{service.base_url}/issuers/{created['id']}",
        "did_document": f"{service.base_url}/issuers/{created['id']}/did.json",
        "ob2_profile": f"{service.base_url}/ob2/issuers/{created['id']}",
    }
    assert created["ob2_signed"] is False
    [key] = created["keys"]
    assert key["status"] == "current"
    assert key["type"] == "Ed25519"
    assert key["verification_method"] == f"{created['did']}#{key['id']}"
    assert "d" not in key["public_jwk"]
    assert ok(api.get(f"/api/v1/issuers/{created['id']}")) == created


def test_did_document_is_served_at_the_did_web_path(
    service: LiveService, api: httpx.Client
) -> None:
    made = issuer(api)
    response = service.http.get(f"/issuers/{made['id']}/did.json")
    document = ok(response)
    assert document["id"] == made["did"]
    [method] = document["verificationMethod"]
    assert method["id"] == made["keys"][0]["verification_method"]
    assert method["controller"] == made["did"]
    assert document["assertionMethod"] == [method["id"]]
    assert service.resolver().dereference(method["id"]).public_key == PublicKey.from_jwk(
        made["keys"][0]["public_jwk"]
    )


def test_public_profile_is_json_ld_in_the_asked_language(
    service: LiveService, api: httpx.Client
) -> None:
    made = issuer(api, description={"fi": "Kuvaus", "en": "About"})
    response = service.http.get(f"/issuers/{made['id']}")
    assert response.headers["content-type"].startswith("application/ld+json")
    profile = response.json()
    assert profile["id"] == made["did"]
    assert profile["type"] == ["Profile"]
    assert profile["name"] == made["name"]["fi"]
    assert profile["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    english = ok(service.http.get(f"/issuers/{made['id']}", params={"lang": "en"}))
    assert english["name"] == "Test city"
    assert english["description"] == "About"
    swedish = ok(service.http.get(f"/issuers/{made['id']}", params={"lang": "sv"}))
    assert swedish["description"] == "Kuvaus"  # no Swedish text: the default language


def test_list_pages_with_a_cursor(service: LiveService) -> None:
    org = unique("pages")
    service.organization(org)
    with service.client(org=org) as client:
        made = [issuer(client)["id"] for _ in range(3)]
        first = ok(client.get("/api/v1/issuers", params={"limit": 2}))
        assert [item["id"] for item in first["items"]] == made[:2]
        second = ok(
            client.get("/api/v1/issuers", params={"limit": 2, "cursor": first["next_cursor"]})
        )
        assert [item["id"] for item in second["items"]] == made[2:]
        assert second["next_cursor"] is None
        problem(client.get("/api/v1/issuers", params={"cursor": "%%%"}), 422, "validation-error")
        problem(client.get("/api/v1/issuers", params={"limit": 0}), 422, "validation-error")


def test_patch(api: httpx.Client) -> None:
    made = issuer(api)
    patched = ok(
        api.patch(
            f"/api/v1/issuers/{made['id']}",
            json={"name": "Uusi nimi", "format": "jwt", "email": None, "default_language": "sv"},
        )
    )
    assert patched["name"] == "Uusi nimi"
    assert patched["format"] == "jwt"
    assert patched["email"] is None
    assert patched["default_language"] == "sv"
    assert patched["url"] == made["url"]
    assert patched["updated_at"] >= made["updated_at"]
    problem(
        api.patch(f"/api/v1/issuers/{made['id']}", json={"name": None}), 422, "validation-error"
    )
    problem(
        api.patch(f"/api/v1/issuers/{made['id']}", json={"colour": "red"}), 422, "validation-error"
    )


def test_add_key_rotates_and_keeps_the_old_key_in_the_did_document(
    service: LiveService, api: httpx.Client
) -> None:
    made = issuer(api)
    old = made["keys"][0]
    response = api.post(f"/api/v1/issuers/{made['id']}/keys", json={"type": "ed25519"})
    new = ok(response, 201)
    assert new["status"] == "current"
    keys = {key["id"]: key for key in ok(api.get(f"/api/v1/issuers/{made['id']}"))["keys"]}
    assert keys[old["id"]]["status"] == "retired"
    assert keys[old["id"]]["retired_at"] is not None
    document = ok(service.http.get(f"/issuers/{made['id']}/did.json"))
    listed = [method["id"] for method in document["verificationMethod"]]
    assert listed == [old["verification_method"], new["verification_method"]]
    assert document["assertionMethod"] == listed


@pytest.mark.parametrize(("key_type", "jwk_type"), [("p256", "EC"), ("rsa", "RSA")])
def test_other_key_types_need_the_jwt_format(
    service: LiveService, api: httpx.Client, key_type: str, jwk_type: str
) -> None:
    body = problem(
        api.post("/api/v1/issuers", json={"name": "X", "key_type": key_type}),
        422,
        "validation-error",
    )
    assert body["errors"][0]["loc"] == ["body", "format"]
    made = issuer(api, key_type=key_type, format="jwt")
    assert made["keys"][0]["public_jwk"]["kty"] == jwk_type
    document = ok(service.http.get(f"/issuers/{made['id']}/did.json"))
    assert document["verificationMethod"][0]["id"] == made["keys"][0]["verification_method"]
    ldp = issuer(api)
    problem(
        api.post(f"/api/v1/issuers/{ldp['id']}/keys", json={"type": key_type}),
        422,
        "validation-error",
    )


def test_did_key_issuer_has_one_key(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api, did_method="key")
    public = PublicKey.from_jwk(made["keys"][0]["public_jwk"])
    assert made["did"] == did_key(public)
    assert made["keys"][0]["verification_method"].startswith(made["did"] + "#z6Mk")
    assert made["urls"]["did_document"] is None
    problem(service.http.get(f"/issuers/{made['id']}/did.json"), 404, "not-found")
    problem(api.post(f"/api/v1/issuers/{made['id']}/keys"), 409, "conflict")
    problem(
        api.post(
            "/api/v1/issuers",
            json={"name": "X", "did_method": "key", "key_type": "rsa", "format": "jwt"},
        ),
        422,
        "validation-error",
    )


def test_private_keys_are_encrypted_at_rest(service: LiveService, api: httpx.Client) -> None:
    made = issuer(api)
    with service.session() as session:
        row = session.scalars(select(SigningKey).where(SigningKey.issuer_id == made["id"])).one()
        raw = session.execute(
            text("SELECT * FROM signing_keys WHERE id = :id"), {"id": row.id}
        ).one()
        private = key_pair(service.app.state.context, row).to_jwk(private=True)
    dump = json.dumps([str(value) for value in raw])
    assert private["d"] not in dump
    assert row.private_key.startswith("v1.")
    assert row.public_jwk["x"] in dump  # the public part is stored as is


def test_validation_errors_list_the_fields_and_change_nothing(api: httpx.Client) -> None:
    before = len(ok(api.get("/api/v1/issuers", params={"limit": 200}))["items"])
    body = problem(
        api.post("/api/v1/issuers", json={"name": "", "url": "ftp://x", "key_type": "dsa"}),
        422,
        "validation-error",
    )
    fields = {error["field"] for error in body["errors"]}
    assert {"body.url", "body.key_type"} <= fields
    assert any(field.startswith("body.name") for field in fields)
    problem(
        api.post(
            "/api/v1/issuers", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "validation-error",
    )
    assert len(ok(api.get("/api/v1/issuers", params={"limit": 200}))["items"]) == before


def test_unknown_issuer(service: LiveService, api: httpx.Client) -> None:
    problem(api.get("/api/v1/issuers/nope"), 404, "not-found")
    problem(api.patch("/api/v1/issuers/nope", json={"name": "x"}), 404, "not-found")
    problem(api.post("/api/v1/issuers/nope/keys"), 404, "not-found")
    problem(service.http.get("/issuers/nope"), 404, "not-found")
    problem(service.http.get("/issuers/nope/did.json"), 404, "not-found")


def test_the_database_allows_one_current_key_per_issuer(
    service: LiveService, api: httpx.Client
) -> None:
    made = issuer(api)
    with service.session() as session:
        session.add(new_signing_key(service.app.state.context, made["id"], "ed25519"))
        with pytest.raises(IntegrityError):
            session.commit()
