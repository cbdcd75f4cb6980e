"""Catalog import/export over HTTP and on the command line: exact round trips, no new
versions for unchanged content, a version for changed content, all-or-nothing errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from issuer.catalog import load_catalog
from issuer.catalog.files import catalog_text
from issuer.cli import main
from tests.issuer.factories import issuer, ok, problem, unique
from tests.issuer.live import LiveService

CATALOG = load_catalog()
YAML = "application/yaml"


@pytest.fixture
def org(service: LiveService) -> Iterator[httpx.Client]:
    slug = unique("katalogi")
    service.organization(slug)
    with service.client(org=slug) as client:
        issuer(client)
        yield client


def put(api: httpx.Client, body: bytes | str, media_type: str = YAML) -> httpx.Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return api.post("/api/v1/catalog/import", content=data, headers={"Content-Type": media_type})


def export(api: httpx.Client, fmt: str) -> str:
    response = api.get("/api/v1/catalog/export", params={"format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == f'attachment; filename="catalog.{fmt}"'
    return response.content.decode("utf-8")


def versions(api: httpx.Client) -> dict[str, int]:
    items = ok(api.get("/api/v1/achievements", params={"limit": 200}))["items"]
    return {item["catalog_key"]: item["version"] for item in items if item["catalog_key"]}


@pytest.mark.parametrize(("fmt", "media_type"), [("yaml", YAML), ("json", "application/json")])
def test_import_export_round_trips_exactly(org: httpx.Client, fmt: str, media_type: str) -> None:
    shipped = catalog_text(CATALOG, fmt)  # type: ignore[arg-type]
    done = ok(put(org, shipped, media_type))
    assert len(done["created"]) == len(CATALOG.achievements)
    assert len(done["pathways_created"]) == len(CATALOG.pathways)
    first = export(org, fmt)
    assert first == shipped  # import → export: the same bytes
    again = ok(put(org, first, media_type))  # export → import: nothing changes
    assert again["created"] == again["updated"] == again["pathways_updated"] == []
    assert len(again["unchanged"]) == len(CATALOG.achievements)
    assert set(versions(org).values()) == {1}
    assert export(org, fmt) == first  # export → import → export: the same bytes
    other = "json" if fmt == "yaml" else "yaml"
    assert export(org, other) == catalog_text(CATALOG, other)  # type: ignore[arg-type]


def test_changed_content_makes_a_new_version(org: httpx.Client) -> None:
    ok(put(org, catalog_text(CATALOG, "yaml")))
    text = export(org, "yaml")
    old = "      en: Peer Mentoring Participant\n"
    assert text.count(old) == 1
    changed = text.replace(old, "      en: Peer Mentoring Participant (2025)\n")
    changed = changed.replace("  family: mentoring\n", "  family: mentors\n", 1)
    done = ok(put(org, changed))
    assert done["updated"] == ["peer-mentoring-participant"]
    assert versions(org)["peer-mentoring-participant"] == 2
    assert versions(org)["peer-mentoring-facilitator"] == 1  # family alone: no version
    assert export(org, "yaml") == changed
    ok(put(org, changed))
    assert versions(org)["peer-mentoring-participant"] == 2
    pathways = text.replace("  any_count: 2\n", "  any_count: 3\n")
    assert ok(put(org, pathways))["pathways_updated"] == ["people-developer"]


def test_bad_files_change_nothing(org: httpx.Client) -> None:
    text = catalog_text(CATALOG, "yaml")
    bad = text.replace("- key: internal-developer\n", "- key: Internal Developer\n")
    line = bad[: bad.index("Internal Developer")].count("\n") + 1
    body = problem(put(org, bad), 422, "validation-error")
    assert "catalog.yaml" in body["detail"]
    first = body["errors"][0]
    assert first["loc"] == ["body", "achievements", 4, "key"]
    assert first["message"].startswith(f"line {line}: (Internal Developer) ")
    assert versions(org) == {}
    problem(put(org, "achievements: [\n"), 422, "validation-error")
    problem(put(org, text, "text/plain"), 415, "unsupported-media-type")
    problem(put(org, b"\xff\xfe\x00"), 400, "malformed-request")
    problem(put(org, b"x" * (2 * 1024 * 1024 + 1)), 413, "payload-too-large")
    assert versions(org) == {}


def test_scopes(service: LiveService) -> None:
    with service.client(scopes="read") as reader:
        problem(put(reader, catalog_text(CATALOG, "yaml")), 403, "forbidden")
        assert export(reader, "json")  # reading is enough to export


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("MERKKI_"):
            monkeypatch.delenv(name)
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("MERKKI_DATABASE_URL", url)
    monkeypatch.setenv("MERKKI_SECRET_KEY", "cli-test-secret-0123456789-0123456789")
    return url


@pytest.mark.usefixtures("database")
def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo.yml"
    assert main(["catalog", "export", str(out)]) == 0  # the seeded demo organisation
    assert out.read_text(encoding="utf-8") == catalog_text(CATALOG, "yaml")
    capsys.readouterr()
    assert main(["catalog", "import", str(out), "--org", "demo"]) == 0
    assert capsys.readouterr().out == (
        f"achievements: 0 created, 0 updated, {len(CATALOG.achievements)} unchanged; "
        "pathways: 0 created, 0 updated\n"
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"achievements": [{"key": 1}]}', encoding="utf-8")
    assert main(["catalog", "import", str(bad)]) == 2
    assert f"{bad}:1: achievements[0]: missing" in capsys.readouterr().err
    assert main(["catalog", "export", str(tmp_path / "x.txt")]) == 2
    assert main(["catalog", "import", str(out), "--org", "nobody"]) == 2


@pytest.mark.parametrize(
    ("lang", "name", "level"),
    [
        ("fi", "Vertaismentoroinnin ohjaaja", "Harjaantunut"),
        ("sv", "Handledare för kamratmentorering", "Erfaren"),
        ("en", "Peer Mentoring Facilitator", "Practitioner"),
    ],
)
def test_each_language_travels_in_the_credential_and_renders(
    service: LiveService, api: httpx.Client, lang: str, name: str, level: str
) -> None:
    items = ok(api.get("/api/v1/achievements", params={"limit": 200}))["items"]
    (facilitator,) = [i for i in items if i["catalog_key"] == "peer-mentoring-facilitator"]
    body = {
        "achievement_id": facilitator["id"],
        "recipient": {"email": "kielet@example.fi"},
        "level": "practitioner",
        "language": lang,
        "evidence_urls": ["https://ohjelma.example/ohjaajapaivakirja"],
    }
    award = ok(api.post("/api/v1/awards", json=body), 201)
    achievement = award["credential"]["credentialSubject"]["achievement"]
    assert (achievement["inLanguage"], achievement["name"]) == (lang, name)
    esco = [a for a in achievement["alignment"] if a["targetFramework"] == "ESCO"]
    assert esco[0]["targetUrl"] == "http://data.europa.eu/esco/skill/T4.4"
    assert service.verify(award["credential"], recipient="kielet@example.fi").valid
    page = service.http.get(f"/credentials/{award['id']}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert name in page.text
    assert level in page.text
