"""Status lists, revocation and suspension, through the running service (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from badges.report import Verdict
from badges.schema import validate_credential
from badges.status_list import MIN_LIST_BITS, BitstringStatusListResolver, bit_at, decode_list
from issuer.fetch import SafeFetcher
from tests.issuer.factories import achievement, award, issuer, ok, problem
from tests.issuer.live import LiveService
from tests.issuer.test_cli import merkki


@pytest.fixture(scope="module")
def mentor(api: httpx.Client) -> dict[str, Any]:
    return achievement(api)


def _fetcher(service: LiveService) -> SafeFetcher:
    return SafeFetcher(allowed_hosts=frozenset({f"127.0.0.1:{service.settings.port}"}))


def _resolver(service: LiveService) -> BitstringStatusListResolver:
    return BitstringStatusListResolver(_fetcher(service), resolver=service.resolver())


def _verdict(service: LiveService, credential: dict[str, Any] | str) -> Verdict:
    report = service.verify(credential, status_resolver=_resolver(service))
    return report.verdict


def _entries(api: httpx.Client, award_id: str) -> dict[str, dict[str, Any]]:
    return {e["purpose"]: e for e in ok(api.get(f"/api/v1/awards/{award_id}/status"))}


def _bit(service: LiveService, entry: dict[str, Any]) -> bool:
    body = ok(service.http.get(entry["status_list"]))
    return bit_at(decode_list(body["credentialSubject"]["encodedList"]), entry["index"])


def test_new_award_carries_a_status_entry_and_verifies(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = award(api, mentor["id"])
    status = made["credential"]["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusPurpose"] == "revocation"
    assert status["statusListCredential"].startswith(f"{service.base_url}/status/")
    assert status["id"] == f"{status['statusListCredential']}#{status['statusListIndex']}"
    assert 0 <= int(status["statusListIndex"]) < MIN_LIST_BITS
    assert validate_credential(made["credential"]) == []
    report = service.verify(made["credential"], status_resolver=_resolver(service))
    assert report.verdict is Verdict.VALID, report.to_dict("en")
    entries = _entries(api, made["id"])
    assert set(entries) == {"revocation", "suspension"}
    assert entries["revocation"]["in_credential"] is True
    assert not any(e["is_set"] for e in entries.values())


def test_revoke_is_final_idempotent_and_audited(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = award(api, mentor["id"])
    other = award(api, mentor["id"])
    revoked = ok(api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Virhe"}))
    assert revoked["status"] == "revoked"
    assert revoked["revocation_reason"] == "Virhe"
    assert revoked["revoked_at"]
    assert _verdict(service, made["credential"]) is Verdict.REVOKED
    assert _verdict(service, other["credential"]) is Verdict.VALID
    again = ok(api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Toinen"}))
    assert again == revoked  # nothing changed
    assert ok(api.get(f"/api/v1/awards/{made['id']}")) == revoked
    problem(api.post(f"/api/v1/awards/{made['id']}/reinstate"), 409, "conflict")
    problem(api.post(f"/api/v1/awards/{made['id']}/suspend", json={"reason": "x"}), 409, "conflict")
    events = ok(api.get("/api/v1/audit", params={"action": "award.revoke"}))["items"]
    assert [e["details"]["reason"] for e in events if e["target_id"] == made["id"]] == ["Virhe"]
    listed = ok(api.get("/api/v1/awards", params={"status": "revoked"}))["items"]
    assert made["id"] in {item["id"] for item in listed}


def test_suspend_and_reinstate(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = award(api, mentor["id"])
    suspended = ok(api.post(f"/api/v1/awards/{made['id']}/suspend", json={"reason": "Selvitys"}))
    assert suspended["status"] == "suspended"
    assert suspended["suspension_reason"] == "Selvitys"
    assert ok(api.post(f"/api/v1/awards/{made['id']}/suspend", json={"reason": "x"})) == suspended
    entry = _entries(api, made["id"])["suspension"]
    assert entry["is_set"] is True
    assert _bit(service, entry) is True
    as_entry = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": str(entry["index"]),
        "statusListCredential": entry["status_list"],
    }
    result = _resolver(service)(as_entry)
    assert result is not None
    assert result.is_set
    events = ok(api.get("/api/v1/audit", params={"action": "award.suspend"}))["items"]
    assert made["id"] in {e["target_id"] for e in events}

    active = ok(api.post(f"/api/v1/awards/{made['id']}/reinstate", json={"reason": "Selvä"}))
    assert active["status"] == "active"
    assert active["suspended_at"] is None
    assert ok(api.post(f"/api/v1/awards/{made['id']}/reinstate")) == active
    assert _bit(service, entry) is False
    assert _verdict(service, made["credential"]) is Verdict.VALID


def test_status_list_is_long_signed_and_cacheable(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = award(api, mentor["id"])
    url = made["credential"]["credentialStatus"]["statusListCredential"]
    first = service.http.get(url)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/vc+ld+json")
    assert first.headers["cache-control"] == "public, max-age=60"
    etag = first.headers["etag"]
    listed = first.json()
    assert "BitstringStatusListCredential" in listed["type"]
    assert listed["credentialSubject"]["encodedList"].startswith("u")
    assert len(decode_list(listed["credentialSubject"]["encodedList"])) * 8 >= 131_072
    assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert service.verify(listed).verdict is Verdict.VALID
    same = service.http.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304
    assert same.content == b""
    ok(api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "x"}))
    changed = service.http.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    problem(service.http.get(f"{service.base_url}/status/nope"), 404, "not-found")
    lists = ok(api.get(f"/api/v1/issuers/{made['issuer_id']}/status-lists"))
    assert {item["purpose"] for item in lists} == {"revocation", "suspension"}
    assert all(item["size"] == 131_072 and item["allocated"] >= 1 for item in lists)


def test_jwt_only_issuer_gets_a_vc_jwt_list(service: LiveService, api: httpx.Client) -> None:
    made_issuer = issuer(api, key_type="p256", format="jwt")
    ach = achievement(api, issuer_id=made_issuer["id"])
    made = award(api, ach["id"])
    url = made["credential"]["credentialStatus"]["statusListCredential"]
    listed = service.http.get(url)
    assert listed.headers["content-type"].startswith("application/vc+jwt")
    assert service.verify(listed.text).verdict is Verdict.VALID
    assert service.http.get(url, headers={"Accept": "application/ld+json"}).status_code == 406
    # Merkki's verifier reads the VC-JWT list: the badge's status is checked, then revoked.
    report = service.verify(made["jwt"], status_resolver=_resolver(service))
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.check("status").code == "ok_status"
    ok(api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Virhe"}))
    assert _verdict(service, made["jwt"]) is Verdict.REVOKED


def test_scope_and_organisation_isolation(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = award(api, mentor["id"])
    with service.client(scopes="award,read") as no_revoke:
        problem(
            no_revoke.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "x"}),
            403,
            "forbidden",
        )
    service.organization("toinen-status")
    with service.client(org="toinen-status") as stranger:
        for action in ("revoke", "suspend"):
            response = stranger.post(f"/api/v1/awards/{made['id']}/{action}", json={"reason": "x"})
            problem(response, 404, "not-found")
        problem(stranger.post(f"/api/v1/awards/{made['id']}/reinstate"), 404, "not-found")
        response = stranger.post("/api/v1/awards/revoke", json={"ids": [made["id"]], "reason": "x"})
        problem(response, 422, "validation-error")
    assert ok(api.get(f"/api/v1/awards/{made['id']}"))["status"] == "active"
    problem(api.post(f"/api/v1/awards/{made['id']}/revoke", json={}), 422, "validation-error")


def test_bulk_revoke_by_ids_and_csv(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any]
) -> None:
    made = [award(api, mentor["id"]) for _ in range(4)]
    ids = [m["id"] for m in made]
    bad = api.post("/api/v1/awards/revoke", json={"ids": [ids[0], "no-such"], "reason": "x"})
    body = problem(bad, 422, "validation-error")
    assert [e["loc"] for e in body["errors"]] == [["body", "ids", 1]]
    assert ok(api.get(f"/api/v1/awards/{ids[0]}"))["status"] == "active"  # all or nothing

    result = ok(api.post("/api/v1/awards/revoke", json={"ids": ids[:2], "reason": "Erä"}))
    assert result["revoked"] == 2
    csv_text = f"award_id;note\n{ids[1]};jo peruttu\n{ids[2]};\n\n{ids[3]};\n"
    result = ok(
        api.post(
            "/api/v1/awards/revoke",
            params={"reason": "CSV"},
            content=csv_text.encode(),
            headers={"Content-Type": "text/csv"},
        )
    )
    assert result["revoked"] == 2
    assert result["unchanged"] == 1
    assert [(i["id"], i["changed"]) for i in result["items"]] == [
        (ids[1], False),
        (ids[2], True),
        (ids[3], True),
    ]
    for m in made:
        assert _verdict(service, m["credential"]) is Verdict.REVOKED
    no_reason = api.post(
        "/api/v1/awards/revoke", content=b"id\nx\n", headers={"Content-Type": "text/csv"}
    )
    problem(no_reason, 422, "validation-error")


def test_parallel_awards_and_revocations_never_share_an_index(
    service: LiveService, api: httpx.Client
) -> None:
    made_issuer = issuer(api)
    ach = achievement(api, issuer_id=made_issuer["id"])
    token = service.token()

    def make(_: int) -> dict[str, Any]:
        with service.client(token) as client:
            return award(client, ach["id"])

    def revoke(award_id: str) -> None:
        with service.client(token) as client:
            ok(client.post(f"/api/v1/awards/{award_id}/revoke", json={"reason": "rinnakkain"}))

    with ThreadPoolExecutor(max_workers=10) as pool:
        first = list(pool.map(make, range(20)))
        later = pool.map(make, range(20))
        revoked_ids = [m["id"] for m in first]
        list(pool.map(revoke, revoked_ids))
        made = first + list(later)

    slots: dict[str, set[tuple[str, int]]] = {"revocation": set(), "suspension": set()}
    by_id: dict[str, dict[str, dict[str, Any]]] = {}
    for m in made:
        entries = _entries(api, m["id"])
        by_id[m["id"]] = entries
        for purpose, entry in entries.items():
            slots[purpose].add((entry["status_list"], entry["index"]))
    assert all(len(found) == len(made) for found in slots.values())  # no index twice
    lists = {entry[0] for entry in slots["revocation"]}
    assert len(lists) == 1  # racing awards shared the one open list
    encoded = ok(service.http.get(lists.pop()))["credentialSubject"]["encodedList"]
    bits = decode_list(encoded)
    for award_id, entries in by_id.items():
        assert bit_at(bits, entries["revocation"]["index"]) is (award_id in revoked_ids)


def test_digital_bazaar_status_list_library_reads_our_lists(
    service: LiveService, api: httpx.Client
) -> None:
    """Independent check: ``@digitalbazaar/vc-bitstring-status-list`` verifies the list
    credential and reads the bits (tests/interop/node/harness.mjs ``status-check``)."""
    from tests.interop.node_harness import require_node_harness, run_node_batch

    require_node_harness()
    made_issuer = issuer(api)
    ach = achievement(api, issuer_id=made_issuer["id"])
    revoked, active = award(api, ach["id"]), award(api, ach["id"])
    ok(api.post(f"/api/v1/awards/{revoked['id']}/revoke", json={"reason": "x"}))
    did_url = ok(api.get(f"/api/v1/issuers/{made_issuer['id']}"))["urls"]["did_document"]
    did_document = ok(service.http.get(did_url))
    did_https = "https://" + did_url.split("://", 1)[1]  # the did:web mapping (always https)
    requests = []
    for made in (revoked, active):
        list_url = made["credential"]["credentialStatus"]["statusListCredential"]
        documents = {list_url: ok(service.http.get(list_url)), did_https: did_document}
        requests.append(
            {"op": "status-check", "credential": made["credential"], "documents": documents}
        )
    tampered = dict(documents[list_url], issuer="did:example:someone-else")
    requests.append(
        {
            "op": "status-check",
            "credential": active["credential"],
            "documents": {list_url: tampered, did_https: did_document},
        }
    )
    was_revoked, is_active, forged = run_node_batch(requests)
    assert was_revoked["verified"] is True, was_revoked
    assert [r["status"] for r in was_revoked["results"]] == [1]
    assert is_active["verified"] is True, is_active
    assert [r["status"] for r in is_active["results"]] == [0]
    assert forged["verified"] is False


def test_merkki_verify_reads_the_status_of_a_baked_badge(
    service: LiveService, api: httpx.Client, mentor: dict[str, Any], tmp_path: Path
) -> None:
    """`merkki verify BADGE.png --dev-host` checks the live list: valid, then revoked."""
    made = award(api, mentor["id"])
    baked = tmp_path / "badge.png"
    baked.write_bytes(service.http.get(f"/credentials/{made['id']}.png").content)
    host = service.base_url.removeprefix("http://")
    valid = merkki("verify", baked, "--dev-host", host, "--json")
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert json.loads(valid.stdout)["verdict"] == "valid"
    ok(api.post(f"/api/v1/awards/{made['id']}/revoke", json={"reason": "Virhe"}))
    revoked = merkki("verify", baked, "--dev-host", host, "--lang", "fi")
    assert revoked.returncode == 1
    assert "REVOKED" in revoked.stdout
    assert "Myöntäjä on perunut sen." in revoked.stdout
