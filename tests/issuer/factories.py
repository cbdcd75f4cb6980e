"""Factories for the API tests: each call makes a new object through the API."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

_counter = itertools.count(1)

PROBLEM = "application/problem+json"


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem of this status and type; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["type"] == f"https://merkki.fi/problems/{code}", body
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert "Traceback" not in response.text
    return body


def issuer(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body = {
        "name": {"fi": unique("Testikaupunki"), "sv": "Teststad", "en": "Test city"},
        "url": "https://testikaupunki.example",
        "email": "merkit@testikaupunki.example",
        **fields,
    }
    return ok(api.post("/api/v1/issuers", json=body), 201)  # type: ignore[no-any-return]


RUBRIC = [
    {
        "id": "#level",
        "name": {"fi": "Taso", "sv": "Nivå", "en": "Level"},
        "resultType": "RubricCriterionLevel",
        "rubricCriterionLevel": [
            {"id": "#level-basic", "name": {"fi": "Perus", "sv": "Grund", "en": "Basic"}},
            {
                "id": "#level-advanced",
                "name": {"fi": "Edistynyt", "sv": "Avancerad", "en": "Advanced"},
            },
        ],
    }
]


def achievement(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    name = unique("Mentori")
    body = {
        "name": {"fi": name, "sv": f"{name} sv", "en": f"{name} en"},
        "description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
        "criteria": {"fi": "Kriteerit", "sv": "Kriterier", "en": "Criteria"},
        "tags": ["mentoring"],
        "result_description": RUBRIC,
        **fields,
    }
    return ok(api.post("/api/v1/achievements", json=body), 201)  # type: ignore[no-any-return]


def award(api: httpx.Client, achievement_id: str, **fields: Any) -> dict[str, Any]:
    body = {"achievement_id": achievement_id, "recipient": {"email": "maija@example.fi"}, **fields}
    return ok(api.post("/api/v1/awards", json=body), 201)  # type: ignore[no-any-return]
