"""Credentials of the running service verify with ``@digitalbazaar/vc`` and ``jose``.

The Node harness fetches nothing: the test fetches the issuer's DID document from the
service, as a did:web resolver would, and hands it over with the credential.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from badges.did import did_web_url
from tests.interop.node_harness import require_node_harness, run_node_batch
from tests.issuer.factories import achievement, award, ok
from tests.issuer.live import LiveService


@pytest.fixture(scope="module", autouse=True)
def _node() -> None:
    require_node_harness()


def test_digitalbazaar_vc_and_jose_verify_awards(service: LiveService, api: httpx.Client) -> None:
    made = award(api, achievement(api)["id"], format="jwt", level="basic")
    credential = ok(service.http.get(f"/credentials/{made['id']}.json"))
    did = credential["issuer"]["id"]
    document = ok(service.http.get(did_web_url(did, scheme="http")))
    issuer = ok(api.get(f"/api/v1/issuers/{made['issuer_id']}"))
    [key] = [k for k in issuer["keys"] if k["status"] == "current"]
    https_url = did_web_url(did)
    status_url = credential["credentialStatus"]["statusListCredential"]
    status_list = ok(service.http.get(status_url, headers={"Accept": "application/ld+json"}))
    documents = {https_url: document, status_url: status_list}
    requests: list[dict[str, Any]] = [
        {"op": "di-verify", "credential": credential, "documents": documents},
        {
            "op": "jwt-verify",
            "jwt": made["jwt"],
            "publicJwk": key["public_jwk"],
            "algorithms": ["EdDSA"],
        },
    ]
    di, jwt = run_node_batch(requests)
    assert di["ok"], di
    assert di["verified"], di["errors"]
    assert di["statusChecked"]
    assert jwt["ok"], jwt
    assert jwt["verified"], jwt
    assert jwt["payload"]["id"] == credential["id"]
    assert jwt["header"]["kid"] == key["verification_method"]
