"""Peer endorsements: EndorsementCredentials from issuer profiles and from people confirmed by
e-mail, served, listed, hidden, embedded in new badges and verified (also by
``@digitalbazaar/vc``)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

import httpx
import jsonschema
import pytest
from sqlalchemy import select

from badges.did import did_web_url
from badges.report import Outcome, Verdict
from badges.schema import validate_credential
from issuer.store.tables import MailMessage
from tests.interop.node_harness import node_executable, run_node_batch
from tests.issuer.factories import achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService

SCOPES = "award,read,manage,revoke,endorse"


def official_schema(name: str) -> dict[str, Any]:
    text = (resources.files("badges") / "schemas" / name).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


ENDORSEMENT_SCHEMA = official_schema("ob_v3p0_endorsementcredential-jsonschema1.json")


def assert_schema_valid(credential: dict[str, Any], schema: dict[str, Any]) -> None:
    validator = jsonschema.Draft201909Validator(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(credential)]
    assert errors == []


class Partner(httpx.Client):
    """A client of a partner organisation; ``issuer_id`` is its own issuer profile."""

    issuer_id: str


@pytest.fixture(scope="module")
def partner(service: LiveService) -> Iterator[Partner]:
    slug = unique("kumppani")
    service.organization(slug)
    token = service.token(SCOPES, org=slug)
    with Partner(
        base_url=service.base_url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        client.issuer_id = issuer(client, name={"fi": "Kumppanikunta", "en": "Partner"})["id"]
        yield client


def endorse(partner: Partner, target_type: str, target_id: str, **fields: Any) -> Any:
    body = {
        "issuer_id": partner.issuer_id,
        "target_type": target_type,
        "target_id": target_id,
        "comment": "Erinomainen mentori, joka kuuntelee ja haastaa.",
        "relation": "partner",
        **fields,
    }
    return ok(partner.post("/api/v1/endorsements", json=body), 201)


def html(service: LiveService, url: str) -> str:
    response = service.http.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text
    return response.text


def did_documents(service: LiveService, *dids: str) -> dict[str, Any]:
    return {did_web_url(did): ok(service.http.get(did_web_url(did, scheme="http"))) for did in dids}


def node_verify(credential: dict[str, Any], documents: dict[str, Any]) -> dict[str, Any]:
    if node_executable() is None:
        pytest.skip("node is not on PATH")
    [result] = run_node_batch(
        [{"op": "di-verify", "credential": credential, "documents": documents}]
    )
    return result


# ---------------------------------------------------------------------- issuer profiles


def test_issuer_profile_endorses_an_award(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    made = award(api, achievement(api)["id"])
    endorsed = endorse(partner, "award", made["id"], language="en")
    credential = endorsed["credential"]
    assert credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert credential["credentialSubject"] == {
        "id": f"{service.base_url}/credentials/{made['id']}",
        "type": ["EndorsementSubject"],
        "endorsementComment": "Erinomainen mentori, joka kuuntelee ja haastaa.",
    }
    assert credential["issuer"]["id"] == endorsed["endorser"]["id"]
    assert credential["issuer"]["id"].startswith("did:web:")
    assert "(partner)" in credential["description"]
    assert_schema_valid(credential, ENDORSEMENT_SCHEMA)
    report = service.verify(credential)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.check("schema").code == "ok_schema"  # declared and enforced
    # the public URL serves the same signed credential
    public = ok(service.http.get(endorsed["url"], headers={"Accept": "application/ld+json"}))
    assert public == credential
    assert ok(service.http.get(f"{endorsed['url']}.json")) == credential
    page = service.http.get(endorsed["url"], headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Erinomainen mentori" in page.text
    # @digitalbazaar/vc verifies it with the endorser's did:web document from the app
    result = node_verify(credential, did_documents(service, credential["issuer"]["id"]))
    assert result["ok"], result
    assert result["verified"], result["errors"]
    # the award's organisation lists it
    listed = ok(api.get(f"/api/v1/awards/{made['id']}/endorsements"))
    assert [item["id"] for item in listed["items"]] == [endorsed["id"]]


def test_endorsement_requests_are_checked(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    made = award(api, achievement(api)["id"])
    body = {"issuer_id": partner.issuer_id, "target_type": "award"}
    too_long = {**body, "target_id": made["id"], "comment": "x" * 1001}
    problem(partner.post("/api/v1/endorsements", json=too_long), 422, "validation-error")
    bad_relation = {**body, "target_id": made["id"], "comment": "ok", "relation": "boss"}
    problem(partner.post("/api/v1/endorsements", json=bad_relation), 422, "validation-error")
    missing = {**body, "target_id": "no-such-award", "comment": "ok"}
    problem(partner.post("/api/v1/endorsements", json=missing), 404, "not-found")
    # an issuer does not endorse its own badges
    own = ok(api.get(f"/api/v1/awards/{made['id']}"))
    with service.client(scopes=SCOPES) as demo:
        selfish = {**body, "issuer_id": own["issuer_id"], "target_id": made["id"], "comment": "x"}
        problem(demo.post("/api/v1/endorsements", json=selfish), 409, "conflict")
    # the scope is needed
    problem(api.post("/api/v1/endorsements", json=missing), 403, "forbidden")


def test_organisations_are_isolated(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    made = award(api, achievement(api)["id"])
    endorsed = endorse(partner, "award", made["id"])
    # the partner cannot use the demo organisation's issuer, list or moderate its badges
    demo_issuer = ok(api.get(f"/api/v1/awards/{made['id']}"))["issuer_id"]
    body = {
        "issuer_id": demo_issuer,
        "target_type": "award",
        "target_id": made["id"],
        "comment": "x",
    }
    problem(partner.post("/api/v1/endorsements", json=body), 404, "not-found")
    problem(partner.get(f"/api/v1/awards/{made['id']}/endorsements"), 404, "not-found")
    problem(partner.post(f"/api/v1/endorsements/{endorsed['id']}/hide"), 404, "not-found")
    # a third organisation sees nothing of it
    slug = unique("muu")
    service.organization(slug)
    with service.client(scopes=SCOPES, org=slug) as other:
        problem(other.get(f"/api/v1/endorsements/{endorsed['id']}"), 404, "not-found")
    # both parties see it
    assert ok(partner.get(f"/api/v1/endorsements/{endorsed['id']}"))["id"] == endorsed["id"]
    assert ok(api.get(f"/api/v1/endorsements/{endorsed['id']}"))["id"] == endorsed["id"]


def test_hidden_endorsements_are_not_listed_shown_or_embedded(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    ach = achievement(api)
    made = award(api, ach["id"])
    endorsed = endorse(partner, "award", made["id"], comment="Piilotettava suositus")
    kept = endorse(partner, "achievement", ach["id"], comment="Piilotettava saavutukselle")
    assert "Piilotettava suositus" in html(service, made["urls"]["page"])
    ok(api.post(f"/api/v1/endorsements/{endorsed['id']}/hide"))
    assert api.delete(f"/api/v1/endorsements/{kept['id']}").status_code == 204
    assert ok(api.get(f"/api/v1/awards/{made['id']}/endorsements"))["items"] == []
    assert ok(api.get(f"/api/v1/achievements/{ach['id']}/endorsements"))["items"] == []
    hidden = ok(api.get(f"/api/v1/awards/{made['id']}/endorsements?include_hidden=true"))
    assert [(item["id"], item["hidden"]) for item in hidden["items"]] == [(endorsed["id"], True)]
    page = html(service, made["urls"]["page"])
    assert "Piilotettava" not in page
    later = award(api, ach["id"])
    assert "endorsement" not in later["credential"]["credentialSubject"]["achievement"]
    # it stays signed and valid at its URL
    public = service.http.get(endorsed["url"], headers={"Accept": "application/ld+json"})
    assert service.verify(public.json()).verdict is Verdict.VALID
    # shown again
    ok(api.post(f"/api/v1/endorsements/{endorsed['id']}/show"))
    assert "Piilotettava suositus" in html(service, made["urls"]["page"])


# ---------------------------------------------------------------------- embedding


def test_achievement_and_issuer_endorsements_are_embedded_in_new_badges(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    ach = achievement(api)
    before = award(api, ach["id"])
    of_achievement = endorse(partner, "achievement", ach["id"])
    demo_issuer = ach["issuer_id"]
    of_issuer = endorse(partner, "issuer", demo_issuer, comment="Luotettava myöntäjä.")
    made = award(api, ach["id"])
    credential = ok(service.http.get(f"/credentials/{made['id']}.json"))
    embedded = credential["credentialSubject"]["achievement"]["endorsement"]
    assert [e["id"] for e in embedded] == [of_achievement["url"]]
    assert embedded[0] == of_achievement["credential"]
    assert of_issuer["url"] in [e["id"] for e in credential["issuer"]["endorsement"]]
    assert "endorsement" not in before["credential"]["credentialSubject"]["achievement"]
    assert validate_credential(credential) == []  # a single outer proof counts as one item
    for embedded_one in [*embedded, *credential["issuer"]["endorsement"]]:
        assert_schema_valid(embedded_one, ENDORSEMENT_SCHEMA)
    report = service.verify(credential)
    assert report.verdict is Verdict.VALID, report.to_dict()
    check = report.check("endorsement")
    assert check.outcome is Outcome.PASSED, report.to_dict()
    assert {e.where for e in report.endorsements} == {"achievement", "issuer"}
    assert all(e.valid for e in report.endorsements)
    assert report.to_dict()["endorsements"][0]["valid"] is True
    # @digitalbazaar/vc canonicalizes and verifies the whole badge with its embedded ones
    status_url = credential["credentialStatus"]["statusListCredential"]
    documents = did_documents(
        service, credential["issuer"]["id"], of_achievement["credential"]["issuer"]["id"]
    )
    documents[status_url] = ok(
        service.http.get(status_url, headers={"Accept": "application/ld+json"})
    )
    result = node_verify(credential, documents)
    assert result["ok"], result
    assert result["verified"], result["errors"]
    # the API's verify answers the per-endorsement detail too
    answer = ok(service.http.post("/api/v1/verify", json={"credential": credential}))
    assert answer["verdict"] == "valid"
    assert len(answer["endorsements"]) == len(report.endorsements)


def test_a_renewed_award_embeds_the_achievements_endorsements(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    ach = achievement(api)
    old = award(api, ach["id"])
    assert "endorsement" not in old["credential"]["credentialSubject"]["achievement"]
    of_achievement = endorse(partner, "achievement", ach["id"], comment="Uusittu suositus.")
    new = ok(api.post(f"/api/v1/awards/{old['id']}/renew"), 201)
    credential = ok(service.http.get(f"/credentials/{new['id']}.json"))
    embedded = credential["credentialSubject"]["achievement"]["endorsement"]
    assert [e["id"] for e in embedded] == [of_achievement["url"]]
    report = service.verify(credential)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.check("endorsement").outcome is Outcome.PASSED


def test_a_tampered_embedded_endorsement_is_reported(
    service: LiveService, api: httpx.Client, partner: Partner
) -> None:
    ach = achievement(api)
    endorse(partner, "achievement", ach["id"], comment="Aito suositus.")
    made = award(api, ach["id"])
    credential = copy.deepcopy(made["credential"])
    credential["credentialSubject"]["achievement"]["endorsement"][0]["credentialSubject"][
        "endorsementComment"
    ] = "Väärennetty suositus."
    report = service.verify(credential)
    # the badge's own proof covers what it embeds ...
    assert report.check("proof").code == "invalid_signature"
    assert report.verdict is Verdict.INVALID
    # ... and the endorsement's own proof fails, reported on its own
    check = report.check("endorsement")
    assert check.outcome is Outcome.FAILED
    assert check.code == "endorsement_invalid"
    [result] = [e for e in report.endorsements if e.where == "achievement"]
    assert not result.valid
    assert all(e.valid for e in report.endorsements if e.where != "achievement")
    assert result.report.check("proof").code == "invalid_signature"
    assert any(w.code == "endorsement_not_valid" for w in report.warnings)
    assert "suositus" in check.message("fi").lower() or "suosituks" in check.message("fi")


# ---------------------------------------------------------------------- people, by e-mail


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def mail_to(service: LiveService, address: str) -> MailMessage:
    with service.session() as session:
        rows = session.scalars(
            select(MailMessage)
            .where(MailMessage.to_address == address, MailMessage.kind == "endorsement_confirm")
            .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        ).all()
        assert rows
        session.expunge_all()
        return rows[0]


def endorse_by_mail(
    service: LiveService, target_id: str, email: str, name: str, statement: str
) -> str:
    """The public flow; answers the new endorsement's path."""
    with httpx.Client(base_url=service.base_url, timeout=30) as browser:
        form = browser.get(f"/endorse/{target_id}?lang=fi")
        assert form.status_code == 200
        fields = {
            "csrf_token": csrf_of(form),
            "name": name,
            "email": email,
            "relation": "mentee",
            "statement": statement,
        }
        sent = browser.post(f"/endorse/{target_id}?lang=fi", data=fields)
        assert sent.status_code == 200, sent.text
        assert "Tarkista sähköpostisi" in sent.text
        message = mail_to(service, email.lower())  # sent to the normalised address
        assert message.subject.startswith("Vahvista suosituksesi")
        assert statement not in message.text_body  # the mail carries only the link
        link = re.search(r"https?://\S+/endorse/confirm/\S+", message.text_body)
        assert link, message.text_body
        path = link.group(0).removeprefix(service.base_url)
        confirm = browser.get(path)  # a GET (a mail scanner's) changes nothing
        assert confirm.status_code == 200
        assert statement in confirm.text
        done = browser.post(path, data={"csrf_token": csrf_of(confirm)})
        assert done.status_code == 303, done.text
        again = browser.post(path, data={"csrf_token": csrf_of(confirm)})
        assert again.status_code == 404  # single use
        return done.headers["location"].split("?")[0]


def test_a_person_endorses_by_e_mail(service: LiveService, api: httpx.Client) -> None:
    made = award(api, achievement(api)["id"], language="fi")
    path = endorse_by_mail(
        service, made["id"], "Mentee.One@Example.fi", "Mervi Mentoroitava", "Oppi paljon."
    )
    credential = ok(service.http.get(f"{path}.json"))
    assert_schema_valid(credential, ENDORSEMENT_SCHEMA)
    assert credential["issuer"]["name"] == "Mervi Mentoroitava"
    assert credential["issuer"]["id"].startswith("did:web:")
    assert ":endorsers:" in credential["issuer"]["id"]
    [identifier] = credential["issuer"]["otherIdentifier"]
    assert identifier["identifierType"] == "emailAddress"
    assert identifier["identifier"].startswith("sha256$")
    assert "example.fi" not in json.dumps(credential).lower()
    assert "(mentoroitava)" in credential["description"]
    report = service.verify(credential)
    assert report.verdict is Verdict.VALID, report.to_dict()
    result = node_verify(credential, did_documents(service, credential["issuer"]["id"]))
    assert result["verified"], result["errors"]
    page = html(service, made["urls"]["page"])
    assert "Oppi paljon." in page
    assert "Mervi Mentoroitava" in page
    assert f'href="/endorse/{made["id"]}' in page
    # the same person again: the same identity (DID)
    second = endorse_by_mail(
        service, made["id"], "mentee.one@example.fi", "Mervi Mentoroitava", "Ja lisää."
    )
    again = ok(service.http.get(f"{second}.json"))
    assert again["issuer"]["id"] == credential["issuer"]["id"]


def test_the_public_form_refuses_bad_input(service: LiveService, api: httpx.Client) -> None:
    made = award(api, achievement(api)["id"])
    with httpx.Client(base_url=service.base_url, timeout=30) as browser:
        form = browser.get(f"/endorse/{made['id']}?lang=en")
        token = csrf_of(form)
        bad = {
            "csrf_token": token,
            "name": "",
            "email": "not-an-address",
            "relation": "boss",
            "statement": "x" * 1001,
        }
        refused = browser.post(f"/endorse/{made['id']}?lang=en", data=bad)
        assert refused.status_code == 422
        for text in ("Give your name", "not valid", "Choose a relation", "at most 1000"):
            assert text in refused.text
        no_csrf = {**bad, "csrf_token": "forged"}
        assert browser.post(f"/endorse/{made['id']}", data=no_csrf).status_code == 403
    assert service.http.get("/endorse/confirm/not-a-token").status_code == 404
    assert service.http.get("/endorse/no-such-target").status_code == 404
