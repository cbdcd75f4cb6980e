"""``/api/v1/achievements`` and the public ``/achievements/{id}``: versions, search, archive."""

from __future__ import annotations

import httpx

from badges.schema import validate_achievement
from tests.issuer.factories import RUBRIC, achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService


def test_create_multilingual(service: LiveService, api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/achievements",
        json={
            "name": {
                "fi": "Sisäinen kehittäjä",
                "sv": "Intern utvecklare",
                "en": "Internal developer",
            },
            "description": {"fi": "Kehittää", "sv": "Utvecklar", "en": "Develops"},
            "criteria": {"fi": "Kriteerit", "sv": "Kriterier", "en": "Criteria"},
            "criteria_url": "https://esimerkkila.example/kriteerit",
            "image": "https://esimerkkila.example/badge.png",
            "tags": {"fi": ["kehittäminen"], "sv": ["utveckling"], "en": ["development"]},
            "alignments": [
                {
                    "targetName": {"fi": "Kehittää", "sv": "Utveckla", "en": "Develop"},
                    "targetUrl": "http://data.europa.eu/esco/skill/abc",
                    "targetFramework": "ESCO",
                }
            ],
            "result_description": RUBRIC,
            "evidence_required": True,
            "default_validity_days": 730,
        },
    )
    made = ok(response, 201)
    assert response.headers["location"] == f"/api/v1/achievements/{made['id']}"
    assert made["version"] == 1
    assert made["languages"] == ["fi", "sv", "en"]
    assert made["archived"] is False
    assert made["evidence_required"] is True
    assert made["default_validity_days"] == 730
    assert made["alignments"][0]["type"] == ["Alignment"]
    assert made["urls"]["public"] == f"{service.base_url}/achievements/{made['id']}"
    assert ok(api.get(f"/api/v1/achievements/{made['id']}")) == made

    public = ok(service.http.get(f"/achievements/{made['id']}", params={"lang": "sv"}))
    assert public["id"] == made["urls"]["public"]
    assert public["name"] == "Intern utvecklare"
    assert public["inLanguage"] == "sv"
    assert public["tag"] == ["utveckling"]
    assert public["criteria"] == {
        "id": "https://esimerkkila.example/kriteerit",
        "narrative": "Kriterier",
    }
    assert public["resultDescription"][0]["id"] == f"{public['id']}#level"
    assert (
        public["resultDescription"][0]["rubricCriterionLevel"][1]["id"]
        == f"{public['id']}#level-advanced"
    )
    body = {key: value for key, value in public.items() if key != "@context"}
    assert [issue for issue in validate_achievement(body) if issue.is_error] == []
    assert ok(service.http.get(f"/achievements/{made['id']}"))["inLanguage"] == "fi"


def test_plain_strings_are_in_the_given_language(service: LiveService, api: httpx.Client) -> None:
    plain = {"result_description": [], "tags": ["lean"]}
    made = achievement(
        api,
        name="Lean-valmentaja",
        description="Valmentaa",
        criteria="Kurssi",
        language="fi",
        **plain,
    )
    assert made["languages"] == ["fi"]
    problem(
        service.http.get(f"/achievements/{made['id']}", params={"lang": "en"}), 404, "not-found"
    )
    english = achievement(
        api, name="Coach", description="Coaches", criteria="Course", language="en", **plain
    )
    assert english["languages"] == ["en"]
    default = achievement(api, name="Coach", description="Coaches", criteria="Course", **plain)
    assert default["languages"] == ["fi"]  # the issuer's default language
    shared = achievement(api, name="Lean", description="x", criteria="x")  # with a fi/sv/en rubric
    assert shared["languages"] == ["fi", "sv", "en"]  # plain texts are the same in each


def test_texts_need_a_common_language(api: httpx.Client) -> None:
    body = problem(
        api.post(
            "/api/v1/achievements",
            json={"name": {"fi": "Nimi"}, "description": {"sv": "Beskrivning"}, "criteria": "x"},
        ),
        422,
        "validation-error",
    )
    assert "common language" in body["detail"]


def test_invalid_ob_content_is_reported_by_field(api: httpx.Client) -> None:
    before = ok(api.get("/api/v1/achievements", params={"q": "rikki"}))["items"]
    body = problem(
        api.post(
            "/api/v1/achievements",
            json={
                "name": "Rikki",
                "description": "x",
                "criteria": "x",
                "alignments": [{"targetName": "ESCO"}],
            },
        ),
        422,
        "validation-error",
    )
    assert any("alignment" in error["field"] for error in body["errors"])
    assert ok(api.get("/api/v1/achievements", params={"q": "rikki"}))["items"] == before
    body = problem(api.post("/api/v1/achievements", json={"name": "x"}), 422, "validation-error")
    assert {"body.description", "body.criteria"} <= {error["field"] for error in body["errors"]}


def test_patch_makes_a_version_and_awards_keep_theirs(
    service: LiveService, api: httpx.Client
) -> None:
    made = achievement(api)
    first = award(api, made["id"])
    patched = ok(
        api.patch(
            f"/api/v1/achievements/{made['id']}",
            json={
                "name": {"fi": "Uusi nimi", "sv": "Nytt namn", "en": "New name"},
                "default_validity_days": 30,
            },
        )
    )
    assert patched["version"] == 2
    assert patched["name"]["fi"] == "Uusi nimi"
    assert patched["description"] == made["description"]
    assert patched["result_description"] == made["result_description"]
    assert patched["default_validity_days"] == 30
    second = award(api, made["id"])
    assert first["achievement_version"] == 1
    assert second["achievement_version"] == 2
    assert first["credential"]["credentialSubject"]["achievement"]["name"] == made["name"]["fi"]
    assert second["credential"]["credentialSubject"]["achievement"]["name"] == "Uusi nimi"
    assert second["credential"]["validUntil"] is not None
    old = ok(service.http.get(f"/achievements/{made['id']}", params={"version": 1}))
    assert old["name"] == made["name"]["fi"]
    # the same content again is no new version
    same = ok(api.patch(f"/api/v1/achievements/{made['id']}", json={"name": patched["name"]}))
    assert same["version"] == 2
    problem(
        api.patch(f"/api/v1/achievements/{made['id']}", json={"name": None}),
        422,
        "validation-error",
    )


def test_archive_and_restore(api: httpx.Client) -> None:
    made = achievement(api)
    archived = ok(api.patch(f"/api/v1/achievements/{made['id']}", json={"archived": True}))
    assert archived["archived"] is True
    assert archived["version"] == 1
    problem(
        api.post(
            "/api/v1/awards", json={"achievement_id": made["id"], "recipient": {"email": "a@b.fi"}}
        ),
        409,
        "conflict",
    )
    listed = ok(api.get("/api/v1/achievements", params={"archived": True, "limit": 200}))["items"]
    assert made["id"] in [item["id"] for item in listed]
    active = ok(api.get("/api/v1/achievements", params={"archived": False, "limit": 200}))["items"]
    assert made["id"] not in [item["id"] for item in active]
    restored = ok(api.patch(f"/api/v1/achievements/{made['id']}", json={"archived": False}))
    assert restored["archived"] is False
    award(api, made["id"])


def test_search_and_pages(service: LiveService) -> None:
    org = unique("search")
    service.organization(org)
    with service.client(org=org) as client:
        problem(
            client.post(
                "/api/v1/achievements", json={"name": "x", "description": "x", "criteria": "x"}
            ),
            409,
            "conflict",
        )  # no issuer yet
        issuer(client)
        made = [
            achievement(
                client,
                name={"fi": f"Äänikirja {i}", "en": f"Audiobook {i}"},
                description={"fi": "x", "en": "x"},
                criteria={"fi": "x", "en": "x"},
            )
            for i in range(3)
        ]
        achievement(client, name="Jotain muuta", description="x", criteria="x")
        found = ok(client.get("/api/v1/achievements", params={"q": "ÄÄNIKIRJA"}))["items"]
        assert [item["id"] for item in found] == [item["id"] for item in made]
        assert (
            len(ok(client.get("/api/v1/achievements", params={"q": "audiobook 1"}))["items"]) == 1
        )
        assert ok(client.get("/api/v1/achievements", params={"q": "100%_"}))["items"] == []
        page = ok(client.get("/api/v1/achievements", params={"limit": 3}))
        rest = ok(
            client.get("/api/v1/achievements", params={"limit": 3, "cursor": page["next_cursor"]})
        )
        assert len(page["items"]) == 3
        assert len(rest["items"]) == 1
        assert rest["next_cursor"] is None


def test_achievement_of_a_given_issuer(api: httpx.Client) -> None:
    other = issuer(api)
    made = achievement(api, issuer_id=other["id"])
    assert made["issuer_id"] == other["id"]
    given = award(api, made["id"])
    assert given["credential"]["issuer"]["id"] == other["did"]
    problem(
        api.post(
            "/api/v1/achievements",
            json={"issuer_id": "nope", "name": "x", "description": "x", "criteria": "x"},
        ),
        404,
        "not-found",
    )


def test_unknown_achievement(service: LiveService, api: httpx.Client) -> None:
    problem(api.get("/api/v1/achievements/nope"), 404, "not-found")
    problem(api.patch("/api/v1/achievements/nope", json={"archived": True}), 404, "not-found")
    problem(service.http.get("/achievements/nope"), 404, "not-found")
