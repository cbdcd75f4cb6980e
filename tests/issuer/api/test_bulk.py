"""Bulk awards from CSV: validation, jobs, the worker, resume after a crash, isolation.

The module's service runs without worker threads (``workers=0``): the tests drive
:func:`issuer.services.bulk_worker.run_pending_jobs` themselves, except the one that
starts a second service with a worker on the same database.
"""

from __future__ import annotations

import codecs
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from badges.report import Verdict
from issuer.services.bulk_worker import claim_job, process_job, run_pending_jobs
from issuer.store.base import utcnow
from issuer.store.tables import AuditEvent, Award, BulkJob
from tests.issuer.factories import achievement, ok, problem, unique
from tests.issuer.live import LiveService

HEADER = "email,name,level,language,narrative"


@pytest.fixture(scope="module")
def service(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    live = LiveService.start(database_url, tmp_path_factory.mktemp("data"), workers=0)
    try:
        yield live
    finally:
        live.stop()


def csv_rows(tag: str, start: int, stop: int) -> list[list[str]]:
    levels = ("basic", "Edistynyt", "")
    return [
        [
            f"henkilo{n}.{tag}@example.fi",
            f"Henkilö {n}",
            levels[n % 3],
            ("fi", "sv", "")[n % 3],
            f'"Vetänyt ryhmää, kausi {n}"',
        ]
        for n in range(start, stop)
    ]


def csv_file(rows: list[list[str]], *, sep: str = ",", bom: bool = False) -> bytes:
    lines = [HEADER.replace(",", sep), *(sep.join(cells) for cells in rows)]
    return (codecs.BOM_UTF8 if bom else b"") + ("\r\n".join(lines) + "\r\n").encode("utf-8")


def upload(api: httpx.Client, achievement_id: str, data: bytes) -> httpx.Response:
    return api.post(
        "/api/v1/awards/bulk",
        params={"achievement_id": achievement_id},
        content=data,
        headers={"Content-Type": "text/csv"},
    )


def run_jobs(service: LiveService, **kwargs: Any) -> int:
    return run_pending_jobs(service.app.state.sessions, service.app.state.context, **kwargs)


def awards_of(api: httpx.Client, achievement_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        params: dict[str, str | int] = {"achievement_id": achievement_id, "limit": 200}
        if cursor:
            params["cursor"] = cursor
        page = ok(api.get("/api/v1/awards", params=params))
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return found
    raise AssertionError("too many pages")


def wait_done(api: httpx.Client, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = ok(api.get(f"/api/v1/jobs/{job_id}"))
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def count_jobs(service: LiveService, achievement_id: str) -> int:
    with service.session() as session:
        stmt = select(func.count()).select_from(BulkJob)
        return session.scalar(stmt.where(BulkJob.achievement_id == achievement_id)) or 0


def test_a_bad_file_creates_nothing_and_a_good_one_is_issued(
    service: LiveService, api: httpx.Client
) -> None:
    mentor = achievement(api)
    rows = csv_rows("a", 0, 50)
    bad = list(rows)
    bad[3] = ["ei-osoite", "Nimi", "", "", ""]  # line 5
    bad[18] = ["toinen.a@example.fi", "Nimi", "mestari", "", ""]  # line 20: no such level
    body = problem(upload(api, mentor["id"], csv_file(bad)), 422, "invalid-csv")
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(5, "email"), (20, "level")]
    assert [e["code"] for e in body["errors"]] == ["invalid_email", "unknown_level"]
    assert all(e["reason"] for e in body["errors"])
    assert "5, 20" in body["detail"]
    assert count_jobs(service, mentor["id"]) == 0
    assert awards_of(api, mentor["id"]) == []

    response = upload(api, mentor["id"], csv_file(rows))
    job = ok(response, 202)
    assert response.headers["location"] == f"/api/v1/jobs/{job['id']}"
    assert (job["status"], job["done"], job["total"]) == ("queued", 0, 50)
    assert job["achievement_id"] == mentor["id"]
    assert run_jobs(service) == 50
    job = wait_done(api, job["id"])
    assert (job["status"], job["done"], job["errors"]) == ("done", 50, [])
    assert job["awards"]["issued"] == 50
    assert job["finished_at"] is not None
    made = awards_of(api, mentor["id"])
    assert len(made) == 50
    by_language = {award["language"] for award in made}
    assert by_language == {"fi", "sv"}  # empty language: the issuer's default (fi)
    for award in made[::17]:
        credential = ok(service.http.get(f"/credentials/{award['id']}.json"))
        assert service.verify(credential).verdict is Verdict.VALID
    levelled = [a for a in made if a["credential"]["credentialSubject"].get("result")]
    assert len(levelled) == 34

    again = upload(api, mentor["id"], csv_file(rows))
    assert ok(again, 200)["id"] == job["id"]
    assert run_jobs(service) == 0
    assert len(awards_of(api, mentor["id"])) == 50
    actions = ok(api.get("/api/v1/audit", params={"limit": 200}))["items"]
    mine = [e for e in actions if e["target_id"] == job["id"]]
    assert [e["action"] for e in mine] == ["bulk.create", "bulk.start", "bulk.finish"]


def test_an_overlapping_file_issues_only_the_new_rows(
    service: LiveService, api: httpx.Client
) -> None:
    mentor = achievement(api)
    first = ok(upload(api, mentor["id"], csv_file(csv_rows("b", 0, 30))), 202)
    run_jobs(service)
    assert wait_done(api, first["id"])["awards"]["issued"] == 30
    # rows 20..29 again (another separator, quoting and order), and 20 new ones
    second_rows = list(reversed(csv_rows("b", 20, 50)))
    second = ok(upload(api, mentor["id"], csv_file(second_rows, sep=";")), 202)
    assert second["id"] != first["id"]
    run_jobs(service)
    job = wait_done(api, second["id"])
    assert (job["done"], job["awards"]["issued"], job["awards"]["skipped"]) == (30, 20, 10)
    made = awards_of(api, mentor["id"])
    assert len(made) == 50
    with service.session() as session:
        keys = session.scalars(
            select(Award.idempotency_key).where(Award.achievement_id == mentor["id"])
        ).all()
    assert len(set(keys)) == 50


def test_a_crashed_worker_s_job_is_resumed_without_issuing_twice(
    service: LiveService, api: httpx.Client
) -> None:
    mentor = achievement(api)
    job = ok(upload(api, mentor["id"], csv_file(csv_rows("c", 0, 30))), 202)
    sessions, ctx = service.app.state.sessions, service.app.state.context
    assert run_jobs(service, worker="w1", batch_size=4, max_rows=10) == 10
    state = ok(api.get(f"/api/v1/jobs/{job['id']}"))
    assert (state["status"], state["done"]) == ("running", 10)
    assert run_jobs(service, worker="w2") == 0  # w1's lease holds: nothing to claim
    with service.session() as session:  # w1 crashed: its lease expires
        expired = utcnow() - timedelta(seconds=1)
        session.execute(update(BulkJob).where(BulkJob.id == job["id"]).values(lease_until=expired))
        session.commit()
    with sessions() as session:
        claimed = claim_job(session, "w2", timedelta(seconds=60))
    assert claimed is not None
    assert claimed.id == job["id"]
    assert process_job(sessions, ctx, job["id"], "w1") == 0  # w1 came back: not its job now
    assert process_job(sessions, ctx, job["id"], "w2", batch_size=7) == 20
    state = wait_done(api, job["id"])
    assert (state["status"], state["done"], state["awards"]["issued"]) == ("done", 30, 30)
    made = awards_of(api, mentor["id"])
    assert len(made) == 30
    with service.session() as session:
        keys = session.scalars(
            select(Award.idempotency_key).where(Award.achievement_id == mentor["id"])
        ).all()
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.target_id == job["id"])
        ).all()
    assert len(set(keys)) == 30
    assert list(actions) == ["bulk.create", "bulk.start", "bulk.resume", "bulk.finish"]


def test_another_organisation_sees_no_job(service: LiveService, api: httpx.Client) -> None:
    mentor = achievement(api)
    job = ok(upload(api, mentor["id"], csv_file(csv_rows("d", 0, 3))), 202)
    service.organization(unique("muu"))
    other_slug = unique("toinen")
    service.organization(other_slug)
    with service.client(org=other_slug) as other:
        problem(other.get(f"/api/v1/jobs/{job['id']}"), 404, "not-found")
        problem(upload(other, mentor["id"], csv_file(csv_rows("d", 0, 3))), 404, "not-found")
    problem(api.get("/api/v1/jobs/no-such-job"), 404, "not-found")
    with service.client(scopes="read") as reader:
        problem(upload(reader, mentor["id"], csv_file(csv_rows("d", 0, 3))), 403, "forbidden")
    run_jobs(service)


def test_semicolons_a_bom_and_a_multipart_upload(service: LiveService, api: httpx.Client) -> None:
    mentor = achievement(api)
    data = csv_file(csv_rows("e", 0, 5), sep=";", bom=True)
    job = ok(upload(api, mentor["id"], data), 202)
    assert job["total"] == 5
    form = api.post(
        "/api/v1/awards/bulk",
        params={"achievement_id": mentor["id"]},
        files={"file": ("merkit.csv", data, "text/csv")},
    )
    assert ok(form, 200)["id"] == job["id"]  # the same file
    other = csv_file(csv_rows("e", 5, 7))
    form = api.post(
        "/api/v1/awards/bulk",
        params={"achievement_id": mentor["id"]},
        files={"file": ("lisaa.csv", other, "text/csv")},
    )
    second = ok(form, 202)
    run_jobs(service)
    assert wait_done(api, job["id"])["awards"]["issued"] == 5
    assert wait_done(api, second["id"])["awards"]["issued"] == 2
    names = {
        award["credential"]["credentialSubject"]["identifier"][-1]["identityHash"]
        for award in awards_of(api, mentor["id"])
    }
    assert names == {f"Henkilö {n}" for n in range(7)}
    problem(
        api.post(
            "/api/v1/awards/bulk",
            params={"achievement_id": mentor["id"]},
            files={"upload": ("x.csv", data, "text/csv")},
        ),
        422,
        "validation-error",
    )
    body = problem(upload(api, mentor["id"], b""), 422, "invalid-csv")
    assert body["errors"][0]["line"] is None


def test_the_service_s_own_worker_issues_jobs(
    service: LiveService, api: httpx.Client, database_url: str, tmp_path: Path
) -> None:
    """A second service on the same database, with a worker thread: stateless workers."""
    mentor = achievement(api)
    job = ok(upload(api, mentor["id"], csv_file(csv_rows("f", 0, 20))), 202)
    second = LiveService.start(database_url, tmp_path, workers=1, seed_demo=False)
    try:
        assert wait_done(api, job["id"])["awards"]["issued"] == 20
        with second.client() as client:  # uploads to it are picked up at once
            made = ok(upload(client, mentor["id"], csv_file(csv_rows("f", 20, 25))), 202)
            assert wait_done(client, made["id"])["awards"]["issued"] == 5
    finally:
        second.stop()
    assert len(awards_of(api, mentor["id"])) == 25
