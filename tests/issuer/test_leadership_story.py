"""Issue 7's "Done when", as one story against the live demo service.

A supervisor applies for "Reverse mentoring — mentor" with evidence, a reviewer approves
at practitioner level, two mentees endorse the badge, the "Mentoring leader" pathway badge
arrives by itself with its last requirement, and all of it shows on the badge pages in
fi/sv/en and verifies.
"""

from __future__ import annotations

import httpx

from badges.report import Verdict
from tests.issuer.api.test_endorsements import endorse_by_mail
from tests.issuer.applying import apply, catalog_achievement, confirm, png
from tests.issuer.factories import ok
from tests.issuer.live import LiveService

SUPERVISOR = "esihenkilo.tarina@example.fi"
HTML = {"Accept": "text/html"}
TRANSLATED = {"fi": "myöntäjän omana käännöksenä", "sv": "utfärdarens egen översättning",
              "en": "the issuer's own translation"}  # fmt: skip
LEVEL_NAMES = {"fi": "Harjaantunut", "sv": "Erfaren", "en": "Practitioner"}


def _award(api: httpx.Client, key: str, service: LiveService, **fields: object) -> str:
    body = {
        "achievement_id": catalog_achievement(service, key),
        "recipient": {"email": SUPERVISOR},
        "language": "fi",
        **fields,
    }
    response = api.post("/api/v1/awards", json=body)
    assert response.status_code == 201, response.text
    award_id: str = response.json()["id"]
    return award_id


def test_apply_review_endorse_and_complete_a_pathway(service: LiveService) -> None:
    with service.client(service.token("award,read,review")) as api:
        _story(service, api)


def _story(service: LiveService, api: httpx.Client) -> None:
    # Two of the pathway's three requirements first (the facilitator badge needs evidence).
    _award(api, "peer-mentoring-participant", service)
    _award(
        api,
        "peer-mentoring-facilitator",
        service,
        evidence_urls=["https://intra.example.fi/mentorointi/ryhma-3"],
    )
    pathway_id = catalog_achievement(service, "mentoring-leader")
    before = ok(api.get("/api/v1/pathways/progress", params={"recipient": SUPERVISOR}))
    [leader] = [p for p in before if p["achievement_id"] == pathway_id]
    assert (leader["done"], leader["total"], leader["complete"]) == (2, 3, False)

    # The supervisor applies with evidence, confirms by e-mail; a reviewer approves.
    mentor_id = catalog_achievement(service, "reverse-mentoring-mentor")
    sent = apply(
        service,
        mentor_id,
        SUPERVISOR,
        level="practitioner",
        evidence_urls="https://intra.example.fi/kaanteinen-mentorointi/raportti",
        files=[("kuvakaappaus.png", png(), "image/png")],
    )
    assert sent.status_code in (200, 303), sent.text
    application_id, _ = confirm(service, SUPERVISOR)
    approved = ok(
        api.post(f"/api/v1/applications/{application_id}/approve", json={"level": "practitioner"})
    )
    award_id = approved["award_id"]
    assert award_id

    credential = ok(service.http.get(f"/credentials/{award_id}.json"))
    [result] = credential["credentialSubject"]["result"]
    assert result["achievedLevel"].endswith("practitioner")
    assert {e.get("genre") for e in credential["evidence"]} >= {"image/png"}
    assert service.verify(credential).verdict is Verdict.VALID

    # The pathway badge arrived with its last requirement, exactly once, and verifies.
    after = ok(api.get("/api/v1/pathways/progress", params={"recipient": SUPERVISOR}))
    [leader] = [p for p in after if p["achievement_id"] == pathway_id]
    assert leader["complete"]
    assert leader["award_id"]
    listed = ok(
        api.get("/api/v1/awards", params={"achievement_id": pathway_id, "recipient": SUPERVISOR})
    )
    assert [item["id"] for item in listed["items"]] == [leader["award_id"]]
    pathway_credential = ok(service.http.get(f"/credentials/{leader['award_id']}.json"))
    assert service.verify(pathway_credential).verdict is Verdict.VALID

    # Two mentees endorse the badge; each endorsement is a credential that verifies.
    mentees = [("Mikko Mentoroitava", "mikko@example.fi"), ("Sari Mentoroitava", "sari@example.fi")]
    for name, email in mentees:
        path = endorse_by_mail(service, award_id, email, name, f"{name}: opin paljon.")
        endorsement = ok(service.http.get(f"{path}.json"))
        assert "EndorsementCredential" in endorsement["type"]
        assert service.verify(endorsement).verdict is Verdict.VALID

    # Every language shows the level and both endorsements on the badge page, and the
    # pathway page names the pathway.
    for lang, level in LEVEL_NAMES.items():
        page = service.http.get(f"/credentials/{award_id}?lang={lang}", headers=HTML)
        assert page.status_code == 200
        assert level in page.text
        # the application was in English: other languages come from the issuer's catalog
        assert (TRANSLATED[lang] in page.text) is (lang != "en")
        assert all(name in page.text for name, _ in mentees)
        pathway_page = service.http.get(
            f"/pathways/{leader['pathway_id']}?lang={lang}", headers=HTML
        )
        assert pathway_page.status_code == 200, pathway_page.text[:300]
