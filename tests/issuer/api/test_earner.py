"""``/my``: magic links, the earner session, "My badges" across organisations, the
privacy switch, wallet downloads and CSRF, on a live service with a real SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from issuer.services import earner as earner_service
from issuer.store.base import utcnow
from issuer.store.tables import Award, EarnerLink, MailMessage
from tests.issuer.factories import achievement, award, issuer, ok, problem, unique
from tests.issuer.live import LiveService
from tests.issuer.smtp import SmtpSink

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"]+/my/link/[A-Za-z0-9_-]+")


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def service(
    database_url: str, sink: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    live = LiveService.start(
        database_url,
        tmp_path_factory.mktemp("data"),
        earner_link_rate="1000/hour",
        **sink.settings(),
    )
    try:
        yield live
    finally:
        live.stop()


def _email() -> str:
    return f"{unique('ansaitsija')}@example.fi"


def _csrf(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found is not None, page.text
    return found.group(1)


_open: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def _client(service: LiveService) -> httpx.Client:
    client = httpx.Client(base_url=service.base_url, timeout=30)
    _open.append(client)
    return client


def _latest_link(sink: SmtpSink, to: str, count: int = 1) -> str:
    received = sink.wait_for(to, count)[count - 1]
    text = received.message.get_body(("plain",))
    assert text is not None
    found = LINK.search(str(text.get_content()))
    assert found is not None
    return found.group(0)


def _sign_in(service: LiveService, link: str) -> httpx.Client:
    client = _client(service)
    page = client.get(link)
    assert page.status_code == 200, page.text
    used = client.post(link, data={"csrf_token": _csrf(page)})
    assert used.status_code == 303
    assert used.headers["location"] == "/my"
    cookie = used.headers["set-cookie"]
    assert "merkki_earner=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    return client


def _awarded(
    api: httpx.Client, sink: SmtpSink, to: str, **fields: Any
) -> tuple[dict[str, Any], str]:
    made = achievement(api)
    count = len(sink.to(to)) + 1
    issued = award(api, made["id"], recipient={"email": to}, **fields)
    return issued, _latest_link(sink, to, count)


# ---------------------------------------------------------------------- magic links


def test_a_magic_link_opens_my_badges_once(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    to = _email()
    issued, link = _awarded(api, sink, to, language="fi")
    anonymous = _client(service)
    assert "/my/link" in anonymous.get(link).text  # opening it does not use it
    client = _sign_in(service, link)
    mine = client.get("/my")
    assert mine.status_code == 200
    assert issued["id"] in mine.text
    assert mine.headers["cache-control"] == "no-store"
    # used: neither showing nor using it works again
    again = anonymous.get(link)
    assert again.status_code == 410
    assert 'method="post"' not in again.text
    refused = anonymous.post(link, data={"csrf_token": _csrf(anonymous.get("/my"))})
    assert refused.status_code == 410
    assert "merkki_earner" not in refused.headers.get("set-cookie", "")


def test_using_a_link_needs_the_forms_csrf_token(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    _, link = _awarded(api, sink, _email())
    client = _client(service)
    client.get(link)
    forged = client.post(link, data={"csrf_token": "forged"})
    assert forged.status_code == 403
    assert "merkki_earner" not in forged.headers.get("set-cookie", "")
    _sign_in(service, link)  # the link was not spent by the refused attempt


def test_an_expired_link_no_longer_works(service: LiveService, api: httpx.Client) -> None:
    to = _email()
    award(api, achievement(api)["id"], recipient={"email": to})
    with service.session() as session:
        ref = service.app.state.context.box.recipient_hash(to)
        secret = earner_service.new_link(
            session, ref, purpose="request", lang="en", now=utcnow() - timedelta(minutes=31)
        )
        session.commit()
    page = _client(service).get(f"/my/link/{secret}")
    assert page.status_code == 410
    assert "no longer works" in page.text


def test_asking_for_a_link_answers_the_same_for_any_address(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    known, unknown = _email(), _email()
    award(api, achievement(api)["id"], recipient={"email": known}, language="sv")
    sink.wait_for(known)
    answers = []
    for address in (known.upper(), unknown):
        client = _client(service)
        form = client.get("/my?lang=en")
        answer = client.post("/my/link?lang=en", data={"csrf_token": _csrf(form), "email": address})
        assert answer.status_code == 200
        answers.append(CSRF.sub("", answer.text))
    assert answers[0] == answers[1]
    assert "If badges were awarded to this address" in answers[0]
    link = _latest_link(sink, known, 2)
    assert _client(service).get(link).status_code == 200
    with service.session() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(MailMessage)
                .where(MailMessage.to_address == unknown)
            )
            == 0
        )
    # asking again at once: the same answer, but no second e-mail (throttled per address)
    client = _client(service)
    form = client.get("/my")
    again = client.post("/my/link", data={"csrf_token": _csrf(form), "email": known})
    assert again.status_code == 200
    with service.session() as session:
        ref = service.app.state.context.box.recipient_hash(known)
        requested = session.scalar(
            select(func.count())
            .select_from(EarnerLink)
            .where(EarnerLink.recipient_ref == ref, EarnerLink.purpose == "request")
        )
    assert requested == 1


def test_asking_for_a_link_refuses_a_bad_address_and_a_missing_token(
    service: LiveService,
) -> None:
    client = _client(service)
    form = client.get("/my?lang=fi")
    bad = client.post("/my/link", data={"csrf_token": _csrf(form), "email": "ei osoite"})
    assert bad.status_code == 422
    assert "Anna sähköpostiosoite" in bad.text
    forged = _client(service).post("/my/link", data={"email": "x@example.fi"})
    assert forged.status_code == 403


def test_each_client_may_ask_for_links_only_so_often(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("limited")
    live = LiveService.start(f"sqlite:///{folder / 'm.db'}", folder, earner_link_rate="2/hour")
    try:
        client = _client(live)
        statuses = []
        for _ in range(3):
            form = client.get("/my")
            answer = client.post("/my/link", data={"csrf_token": _csrf(form), "email": _email()})
            statuses.append(answer.status_code)
        assert statuses == [200, 200, 429]
        assert int(answer.headers["retry-after"]) > 0
    finally:
        live.stop()


# ---------------------------------------------------------------------- the list


def test_my_badges_lists_every_organisations_badges_to_that_address_only(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    to = _email()
    first, link = _awarded(api, sink, to, language="en")
    other_org = unique("kunta")
    service.organization(other_org)
    with service.client(org=other_org) as other:
        made = achievement(other, issuer_id=issuer(other)["id"])
        second = award(other, made["id"], recipient={"email": to}, language="en")
    someone_else = award(api, achievement(api)["id"], recipient={"email": _email()})
    client = _sign_in(service, link)
    page = client.get("/my?lang=en").text
    assert first["id"] in page
    assert second["id"] in page
    assert someone_else["id"] not in page
    assert "Badges: 2" in page
    assert "Test city" in page  # the other organisation's issuer
    for path in (
        f"/credentials/{first['id']}.png",
        f"/credentials/{first['id']}/qr.svg",
        f"/my/badges/{first['id']}/wallet.json",
        f"/my/badges/{first['id']}/credential.json",
        "https://www.linkedin.com/profile/add?",
    ):
        assert path in page


def test_revoked_badges_show_their_status(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    to = _email()
    issued, link = _awarded(api, sink, to, language="en")
    ok(api.post(f"/api/v1/awards/{issued['id']}/revoke", json={"reason": "virhe"}))
    page = _sign_in(service, link).get("/my?lang=en").text
    assert "status-revoked" in page
    assert "Revoked" in page


# ---------------------------------------------------------------------- privacy switch


def test_the_privacy_switch_hides_only_the_html_page(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    issued, link = _awarded(api, sink, _email())
    client = _sign_in(service, link)
    page_url = f"/credentials/{issued['id']}"
    anonymous = _client(service)
    html = {"Accept": "text/html"}
    assert anonymous.get(page_url, headers=html).status_code == 200
    token = _csrf(client.get("/my"))
    assert (
        client.post(f"/my/badges/{issued['id']}/privacy", data={"public": "0"}).status_code == 303
    )
    assert anonymous.get(page_url, headers=html).status_code == 200  # no token: nothing changed
    hidden = client.post(
        f"/my/badges/{issued['id']}/privacy", data={"csrf_token": token, "public": "0"}
    )
    assert hidden.status_code == 303
    problem(anonymous.get(page_url, headers=html), 404, "not-found")
    assert client.get(page_url, headers=html).status_code == 200  # the earner still sees it
    assert anonymous.get(f"{page_url}.json").status_code == 200  # machines still verify
    assert anonymous.get(page_url, headers={"Accept": "application/ld+json"}).status_code == 200
    assert anonymous.get(f"{page_url}.png").status_code == 200
    assert "Hidden: only you can see the page" in client.get("/my?lang=en").text
    shown = client.post(
        f"/my/badges/{issued['id']}/privacy", data={"csrf_token": token, "public": "1"}
    )
    assert shown.status_code == 303
    assert anonymous.get(page_url, headers=html).status_code == 200


def test_nobody_else_can_switch_or_download_a_badge(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    mine, _ = _awarded(api, sink, _email())
    _, other_link = _awarded(api, sink, _email())
    other = _sign_in(service, other_link)
    token = _csrf(other.get("/my"))
    switched = other.post(
        f"/my/badges/{mine['id']}/privacy", data={"csrf_token": token, "public": "0"}
    )
    assert switched.status_code == 404
    with service.session() as session:
        row = session.get(Award, mine["id"])
        assert row is not None
        assert row.public_page
    for path in ("wallet.json", "credential.json"):
        problem(other.get(f"/my/badges/{mine['id']}/{path}"), 404, "not-found")
        problem(_client(service).get(f"/my/badges/{mine['id']}/{path}"), 404, "not-found")


# ---------------------------------------------------------------------- downloads


def test_wallet_downloads_hold_the_signed_credential(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    to = _email()
    issued, link = _awarded(api, sink, to)
    client = _sign_in(service, link)
    credential = client.get(f"/my/badges/{issued['id']}/credential.json")
    assert credential.status_code == 200
    assert credential.headers["content-disposition"].startswith("attachment; filename=")
    assert credential.headers["content-type"].startswith("application/vc+ld+json")
    signed = credential.json()
    assert signed == service.http.get(f"/credentials/{issued['id']}.json").json()
    report = service.verify(signed, recipient=to)
    assert report.valid, report
    wallet = client.get(f"/my/badges/{issued['id']}/wallet.json")
    assert wallet.status_code == 200
    presentation = wallet.json()
    assert presentation["type"] == ["VerifiablePresentation"]
    assert presentation["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert presentation["verifiableCredential"] == [signed]


def test_a_jwt_only_badge_downloads_as_jwt_and_an_enveloped_credential(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    made_issuer = issuer(api, format="jwt")
    ok(api.post(f"/api/v1/issuers/{made_issuer['id']}/keys", json={"type": "p256"}), 201)
    made = achievement(api, issuer_id=made_issuer["id"])
    to = _email()
    issued = award(api, made["id"], recipient={"email": to}, format="jwt")
    client = _sign_in(service, _latest_link(sink, to))
    page = client.get("/my").text
    assert f"/my/badges/{issued['id']}/credential.jwt" in page
    jwt = client.get(f"/my/badges/{issued['id']}/credential.jwt")
    assert jwt.status_code == 200
    assert jwt.text.count(".") == 2
    held = client.get(f"/my/badges/{issued['id']}/wallet.json").json()["verifiableCredential"]
    assert held[0]["type"] == ["EnvelopedVerifiableCredential"]
    assert held[0]["id"] == f"data:application/vc+jwt,{jwt.text}"


# ---------------------------------------------------------------------- signing out


def test_signing_out_ends_the_session(
    service: LiveService, api: httpx.Client, sink: SmtpSink
) -> None:
    issued, link = _awarded(api, sink, _email())
    client = _sign_in(service, link)
    cookie = client.cookies["merkki_earner"]
    page = client.get("/my")
    assert client.post("/my/logout", data={}).status_code == 303  # no token: still signed in
    assert issued["id"] in client.get("/my").text
    out = client.post("/my/logout", data={"csrf_token": _csrf(page)})
    assert out.status_code == 303
    assert out.headers["location"] == "/my?signed_out=1"
    replayed = _client(service)
    replayed.cookies.set("merkki_earner", cookie)
    after = replayed.get("/my?lang=en")
    assert issued["id"] not in after.text
    assert 'name="email"' in after.text
