"""The bulk award pages (``/admin/bulk…``) over real HTTP: upload → preview (every row's
check, nothing issued) → confirm (CSRF) → job → progress JSON → summary and report CSV;
roles and organisations kept apart."""

from __future__ import annotations

import codecs
import csv
import io
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import func, select

from issuer.services.bulk_preview import ReportRow, report_csv
from issuer.store.base import utcnow
from issuer.store.tables import Award, BulkJob
from tests.issuer.factories import achievement, unique
from tests.issuer.live import LiveService
from tests.issuer.web import create_user, csrf, login

GOOD = "email,name,level\n{a}@example.fi,Aino Aalto,basic\n{b}@example.fi,Bertil Berg,\n"


@pytest.fixture(scope="module")
def owner(service: LiveService) -> Iterator[httpx.Client]:
    email, password = create_user(service, role="owner")
    with closing(login(service, email, password)) as client:
        yield client


def made(api: httpx.Client) -> str:
    return str(achievement(api)["id"])


def upload(
    client: httpx.Client, achievement_id: str, data: bytes, *, token: str | None = None
) -> httpx.Response:
    token = csrf(client, "/admin/bulk") if token is None else token
    return client.post(
        "/admin/bulk",
        data={"csrf_token": token, "achievement": achievement_id},
        files={"file": ("people.csv", data, "text/csv")},
    )


def preview_of(client: httpx.Client, achievement_id: str, data: bytes) -> tuple[str, str]:
    """Upload ``data``; the preview page's URL and HTML."""
    response = upload(client, achievement_id, data)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/admin/bulk/preview?")
    page = client.get(location)
    assert page.status_code == 200, page.text
    return location, page.text


def confirm(client: httpx.Client, location: str, token: str | None = None) -> httpx.Response:
    query = parse_qs(urlsplit(location).query)
    token = csrf(client, "/admin/bulk") if token is None else token
    return client.post(
        "/admin/bulk/confirm",
        data={
            "csrf_token": token,
            "achievement": query["achievement"][0],
            "file": query["file"][0],
        },
    )


def wait_done(client: httpx.Client, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        response = client.get(f"{job_url}/progress.json")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert 0 <= body["done"] <= body["total"]
        if body["finished"]:
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def awards_of(service: LiveService, achievement_id: str) -> int:
    with service.session() as session:
        stmt = select(func.count()).select_from(Award).where(Award.achievement_id == achievement_id)
        return int(session.scalar(stmt) or 0)


def jobs_of(service: LiveService, achievement_id: str) -> int:
    with service.session() as session:
        stmt = select(func.count()).select_from(BulkJob)
        return int(session.scalar(stmt.where(BulkJob.achievement_id == achievement_id)) or 0)


def report(client: httpx.Client, job_url: str) -> list[dict[str, str]]:
    response = client.get(f"{job_url}/report.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# ---------------------------------------------------------------------- the preview


def test_the_preview_shows_every_bad_row_and_issues_nothing(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    data = (
        "email,name,level\n"
        "ok.one@example.fi,Okko Yksi,basic\n"
        "not-an-address,Huono Osoite,\n"
        "ok.two@example.fi,Okko Kaksi,\n"
        "bad.level@example.fi,Väärä Taso,grandmaster\n"
    ).encode()
    location, page = preview_of(owner, achievement_id, data)
    assert 'id="line-3"' in page
    assert 'id="line-5"' in page
    assert 'id="line-2"' in page
    assert 'id="line-4"' in page
    assert "not-an-address" in page
    assert "grandmaster" in page
    assert "bulk-row-bad" in page
    assert "2 valid, 2 with errors" in page
    assert "/admin/bulk/confirm" not in page  # no way to confirm a file with bad rows
    assert awards_of(service, achievement_id) == 0
    assert jobs_of(service, achievement_id) == 0

    finnish = owner.get(location + "&lang=fi").text
    assert "Sähköpostiosoite ei kelpaa." in finnish
    assert "Tuntematon taso" in finnish
    swedish = owner.get(location + "&lang=sv").text
    assert "E-postadressen är inte giltig." in swedish
    owner.get("/admin/bulk?lang=en")

    # confirming the bad file anyway (a forged form) creates nothing
    assert confirm(owner, location).status_code == 422
    assert jobs_of(service, achievement_id) == 0


def test_file_problems_and_the_size_limit(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    _, page = preview_of(owner, achievement_id, b"osoite,nimi\nmaija@example.fi,Maija\n")
    assert "The file cannot be used" in page
    assert "Unknown column" in page
    _, page = preview_of(owner, achievement_id, "email\nmäijä@example.fi\n".encode("latin-1"))
    assert "not UTF-8" in page

    too_large = b"email\n" + b"x@example.fi\n" * (5 * 1024 * 1024 // 13 + 10)
    response = upload(owner, achievement_id, too_large)
    assert response.status_code == 413
    assert "at most 5.0 MiB" in response.text

    response = upload(owner, "", GOOD.format(a="a", b="b").encode())
    assert response.status_code == 422
    assert "Choose the badge" in response.text
    assert jobs_of(service, achievement_id) == 0


def test_the_template_names_the_columns(api: httpx.Client, owner: httpx.Client) -> None:
    response = owner.get("/admin/bulk/template.csv", params={"achievement": made(api)})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["email", "name", "level"]
    assert rows[1][2] == "basic"  # a level of this achievement


# ---------------------------------------------------------------------- confirm → job → report


def test_confirm_queues_a_job_whose_progress_and_report_tell_each_row(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    a, b, c = unique("aino"), unique("bertil"), unique("cecilia")
    # Excel's "CSV UTF-8" with semicolons and a byte order mark
    data = codecs.BOM_UTF8 + f"email;name\n{a}@example.fi;Aino\n{b}@example.fi;Bertil\n".encode()
    location, page = preview_of(owner, achievement_id, data)
    assert "Award 2 badges" in page
    assert awards_of(service, achievement_id) == 0

    response = confirm(owner, location)
    assert response.status_code == 303, response.text
    job_url = response.headers["location"]
    assert job_url.startswith("/admin/bulk/")
    progress = wait_done(owner, job_url)
    assert progress["status"] == "done"
    assert (progress["issued"], progress["skipped"], progress["failed"]) == (2, 0, 0)
    assert progress["percent"] == 100
    assert awards_of(service, achievement_id) == 2

    page = owner.get(job_url).text
    assert "<progress" in page
    assert 'data-count="issued">2<' in page
    assert 'http-equiv="refresh"' not in page  # finished: no more reloading
    rows = report(owner, job_url)
    assert [(r["line"], r["recipient"], r["status"]) for r in rows] == [
        ("2", f"{a}@example.fi", "issued"),
        ("3", f"{b}@example.fi", "issued"),
    ]
    for row in rows:
        assert row["badge_url"] == f"{service.base_url}/credentials/{row['award_id']}"
        assert (
            httpx.get(row["badge_url"], headers={"Accept": "application/json"}).status_code == 200
        )

    # confirming again (back button) opens the same job
    again = confirm(owner, location)
    assert again.status_code == 303
    assert again.headers["location"] == job_url
    assert owner.get(location).headers["location"] == job_url
    # the same people again plus one: two skipped, one issued
    more = data + f"{c}@example.fi;Cecilia\n".encode()
    location, page = preview_of(owner, achievement_id, more)
    second = confirm(owner, location)
    assert second.status_code == 303
    second_url = second.headers["location"]
    assert second_url != job_url
    progress = wait_done(owner, second_url)
    assert (progress["issued"], progress["skipped"]) == (1, 2)
    statuses = [row["status"] for row in report(owner, second_url)]
    assert statuses == ["skipped", "skipped", "issued"]
    assert awards_of(service, achievement_id) == 3

    listing = owner.get("/admin/bulk").text
    assert job_url in listing
    assert second_url in listing


def test_a_running_job_page_reloads_itself(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    location, _ = preview_of(
        owner, achievement_id, GOOD.format(a=unique("r"), b=unique("s")).encode()
    )
    job_url = confirm(owner, location).headers["location"]
    wait_done(owner, job_url)
    job_id = job_url.rsplit("/", 1)[1]
    with service.session() as session:  # seen while another worker holds it
        job = session.get(BulkJob, job_id)
        assert job is not None
        job.status, job.done, job.worker = "running", 1, "elsewhere"
        job.lease_until = utcnow() + timedelta(hours=1)
        session.commit()
    progress = owner.get(f"{job_url}/progress.json").json()
    assert (progress["finished"], progress["done"], progress["total"]) == (False, 1, 2)
    assert progress["text"] == "1 / 2 rows handled"
    page = owner.get(job_url).text
    assert '<noscript><meta http-equiv="refresh"' in page
    assert 'value="1"' in page
    assert "admin-bulk.js" in page
    script = owner.get(page.split('<script src="', 1)[1].split('"', 1)[0])
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    with service.session() as session:
        job = session.get(BulkJob, job_id)
        assert job is not None
        job.status, job.done, job.lease_until = "done", 2, None
        session.commit()


# ---------------------------------------------------------------------- CSRF, roles, organisations


def test_forms_without_the_csrf_token_are_refused(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    data = GOOD.format(a=unique("x"), b=unique("y")).encode()
    assert upload(owner, achievement_id, data, token="").status_code == 403
    assert upload(owner, achievement_id, data, token="forged").status_code == 403
    location, _ = preview_of(owner, achievement_id, data)
    assert confirm(owner, location, token="").status_code == 403
    assert jobs_of(service, achievement_id) == 0
    assert awards_of(service, achievement_id) == 0


def test_only_owners_and_issuers_award(service: LiveService, api: httpx.Client) -> None:
    with httpx.Client(base_url=service.base_url) as anonymous:
        response = anonymous.get("/admin/bulk")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    for role in ("viewer", "reviewer"):
        with closing(login(service, *create_user(service, role=role))) as client:
            assert client.get("/admin/bulk").status_code == 403
            assert client.get("/admin/bulk/template.csv").status_code == 403
    achievement_id = made(api)
    data = GOOD.format(a=unique("i"), b=unique("j")).encode()
    with closing(login(service, *create_user(service, role="issuer"))) as issuer:
        location, _ = preview_of(issuer, achievement_id, data)
        response = confirm(issuer, location)
        assert response.status_code == 303
        job_url = response.headers["location"]
        wait_done(issuer, job_url)
    with closing(login(service, *create_user(service, role="viewer"))) as viewer:
        assert viewer.get(f"{job_url}/progress.json").status_code == 403
        assert viewer.get(f"{job_url}/report.csv").status_code == 403


def test_another_organisation_sees_nothing(
    service: LiveService, api: httpx.Client, owner: httpx.Client
) -> None:
    achievement_id = made(api)
    data = GOOD.format(a=unique("o"), b=unique("p")).encode()
    location, _ = preview_of(owner, achievement_id, data)
    job_url = confirm(owner, location).headers["location"]
    wait_done(owner, job_url)

    org = unique("muu-kunta")
    service.organization(org)
    with closing(login(service, *create_user(service, org=org, role="owner"))) as other:
        for path in (job_url, f"{job_url}/progress.json", f"{job_url}/report.csv"):
            assert other.get(path).status_code == 404, path
        assert job_url not in other.get("/admin/bulk").text
        # nor can it use (or even preview) the demo organisation's achievement
        data = GOOD.format(a=unique("q"), b=unique("r")).encode()
        assert upload(other, achievement_id, data).status_code == 422
        location, _ = preview_of(owner, achievement_id, data)
        assert other.get(location).status_code == 404
        assert confirm(other, location).status_code == 404
    assert jobs_of(service, achievement_id) == 1


def test_a_file_that_is_not_kept_is_asked_for_again(api: httpx.Client, owner: httpx.Client) -> None:
    achievement_id = made(api)
    for file in ("0" * 64, "../../../../etc/passwd", "A" * 64):
        response = owner.get(
            "/admin/bulk/preview", params={"achievement": achievement_id, "file": file}
        )
        assert response.status_code == 410
        assert "Upload it again" in response.text


def test_the_report_never_hands_a_spreadsheet_a_formula() -> None:
    rows = [
        ReportRow(2, '=HYPERLINK("http://evil")@example.fi', "error", "", "", "+bad"),
        ReportRow(3, "maija@example.fi", "issued", "a1", "https://x/credentials/a1", ""),
    ]
    text = report_csv(rows)
    assert text.startswith("\ufeffline,recipient,status,award_id,badge_url,reason\r\n")
    parsed = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert parsed[1][1].startswith("'=")
    assert parsed[1][5] == "'+bad"
    assert parsed[2] == ["3", "maija@example.fi", "issued", "a1", "https://x/credentials/a1", ""]
