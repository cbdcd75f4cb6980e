"""``badges.verify`` dispatch: OB 3.0 and OB 2.0, JSON, JWT/JWS, baked images and URLs."""

from __future__ import annotations

import json
from typing import Any

import pytest

from badges.baking import bake_png, bake_svg
from badges.errors import FetchError
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair
from badges.report import Outcome, Verdict, VerificationReport
from badges.testing import FROZEN_NOW, did_key_identity, sample_credential
from badges.verify import verify
from tests.badges.ob2_factory import (
    EMAIL,
    HOSTED_ID,
    NOW,
    SVG,
    assertion,
    hosted_world,
    png,
    rsa_key,
    sign_jws,
    world,
)

KEY = KeyPair.from_seed(bytes(range(32)))
ISSUER, METHOD = did_key_identity(KEY)
OB3 = sign_credential(sample_credential(ISSUER), KEY, METHOD)
OB3_URL = "https://issuer.example/credentials/1"


def failing(report: VerificationReport) -> dict[str, str]:
    return {c.id: c.code for c in report.checks if c.outcome in (Outcome.FAILED, Outcome.ERROR)}


def counting(documents: dict[str, bytes]) -> tuple[Any, list[str]]:
    calls: list[str] = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        if url not in documents:
            raise FetchError(f"{url} answered HTTP 404", status=404)
        return documents[url]

    return fetch, calls


# ------------------------------------------------------------------ OB 3.0 unchanged


@pytest.mark.parametrize("form", ["dict", "text", "bytes", "jwt"])
def test_ob3_inputs_keep_their_pipeline(form: str) -> None:
    raw: Any = {
        "dict": OB3,
        "text": json.dumps(OB3),
        "bytes": json.dumps(OB3).encode(),
        "jwt": sign_credential_jwt(sample_credential(ISSUER), KEY, METHOD),
    }[form]
    report = verify(raw, now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == ("jwt" if form == "jwt" else "ldp")
    assert [c.id for c in report.checks][:3] == ["parse", "context", "schema"]
    assert report.baked is None


def test_ob3_text_that_mentions_assertion_is_still_ob3() -> None:
    credential = sample_credential(ISSUER)
    credential["credentialSubject"]["achievement"]["description"] = "Assertion openbadges/v2"
    report = verify(json.dumps(sign_credential(credential, KEY, METHOD)), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID
    assert report.format == "ldp"


def test_garbage_is_reported_as_before() -> None:
    assert failing(verify("not json at all")) == {"parse": "not_json"}
    assert failing(verify(b"\xff\xfe")) == {"parse": "not_json"}


# ------------------------------------------------------------------ OB 2.0 recognised


@pytest.mark.parametrize("form", ["dict", "text", "bytes"])
def test_ob2_assertions_go_to_the_ob2_pipeline(form: str) -> None:
    w, doc = hosted_world()
    raw: Any = {"dict": doc, "text": json.dumps(doc), "bytes": json.dumps(doc).encode()}[form]
    report = verify(raw, now=NOW, fetch=w.fetcher(), recipient=EMAIL)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-hosted"
    assert report.check("recipient").code == "ok_recipient"


def test_ob2_jws_goes_to_the_ob2_pipeline() -> None:
    token = sign_jws(assertion("signed"), rsa_key())
    report = verify(token, now=NOW, fetch=world().fetcher())
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-signed"


def test_facts_have_the_same_keys_for_both_versions() -> None:
    w, doc = hosted_world()
    ob2 = verify(doc, now=NOW, fetch=w.fetcher()).to_dict()["facts"]
    ob3 = verify(OB3, now=FROZEN_NOW).to_dict()["facts"]
    assert set(ob2) == set(ob3)
    assert set(ob2["achievement"]) == set(ob3["achievement"])
    assert set(ob2["recipient"]) == set(ob3["recipient"])
    assert ob3["recipient"] == {"type": "id", "identity": "did:example:earner-1", "hashed": False}


# ------------------------------------------------------------------ URLs


def test_url_of_an_ob3_credential() -> None:
    fetch, calls = counting({OB3_URL: json.dumps(OB3).encode()})
    report = verify(OB3_URL, now=FROZEN_NOW, fetch=fetch)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ldp"
    assert calls == [OB3_URL]


def test_url_of_a_hosted_ob2_assertion_is_fetched_once() -> None:
    w, _ = hosted_world()
    report = verify(HOSTED_ID, now=NOW, fetch=w.fetcher())
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-hosted"
    assert w.fetched.count(HOSTED_ID) == 1


def test_url_of_a_signed_ob2_assertion() -> None:
    w = world()
    url = "https://issuer.example/assertions/signed.jws"
    body = sign_jws(assertion("signed"), rsa_key()).encode()
    fetch = w.fetcher()
    report = verify(url, now=NOW, fetch=lambda u: body if u == url else fetch(u))
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.format == "ob2-signed"


def test_url_without_a_fetcher_is_indeterminate() -> None:
    report = verify(OB3_URL, now=FROZEN_NOW)
    assert report.verdict is Verdict.INDETERMINATE
    assert failing(report) == {"parse": "document_unreachable"}


def test_unreachable_url_is_indeterminate() -> None:
    fetch, _ = counting({})
    report = verify(OB3_URL, now=FROZEN_NOW, fetch=fetch)
    assert report.verdict is Verdict.INDETERMINATE
    assert "404" in report.check("parse").message("fi")


def test_url_answering_410_gone_is_revoked() -> None:
    w, _ = hosted_world()
    w.gone.add(HOSTED_ID)
    report = verify(HOSTED_ID, now=NOW, fetch=w.fetcher())
    assert report.verdict is Verdict.REVOKED


# ------------------------------------------------------------------ baked images


def test_baked_png_ob3() -> None:
    report = verify(bake_png(png(), OB3), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.baked == "image/png"
    assert report.warnings[0].code == "baked_image"
    data = report.to_dict("fi")
    assert data["facts"]["baked"] == "image/png"
    assert "PNG" in data["warnings"][0]


def test_baked_svg_ob3_jwt() -> None:
    token = sign_credential_jwt(sample_credential(ISSUER), KEY, METHOD)
    report = verify(bake_svg(SVG, token), now=FROZEN_NOW)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert (report.baked, report.format) == ("image/svg+xml", "jwt")


def test_baked_svg_ob2_signed() -> None:
    token = sign_jws(assertion("signed"), rsa_key())
    report = verify(bake_svg(SVG, token, kind="ob2"), now=NOW, fetch=world().fetcher())
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert (report.baked, report.format) == ("image/svg+xml", "ob2-signed")


@pytest.mark.parametrize("payload", ["json", "url"])
def test_baked_png_ob2_hosted(payload: str) -> None:
    w, doc = hosted_world()
    image = bake_png(png(), doc if payload == "json" else HOSTED_ID, kind="ob2")
    report = verify(image, now=NOW, fetch=w.fetcher())
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert (report.baked, report.format) == ("image/png", "ob2-hosted")


def test_tampered_baked_ob3_is_invalid() -> None:
    tampered = json.loads(json.dumps(OB3))
    tampered["name"] = "Something else"
    report = verify(bake_png(png(), tampered), now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID
    assert report.baked == "image/png"


@pytest.mark.parametrize("image", [png(), SVG])
def test_image_without_a_badge(image: bytes) -> None:
    report = verify(image, now=FROZEN_NOW)
    assert report.verdict is Verdict.INVALID
    assert failing(report) == {"parse": "baked_invalid"}
    assert report.check("parse").message("sv").startswith("Inget märke")


def test_url_of_a_baked_image() -> None:
    url = "https://issuer.example/badge.png"
    fetch, _ = counting({url: bake_png(png(), OB3)})
    report = verify(url, now=FROZEN_NOW, fetch=fetch)
    assert report.verdict is Verdict.VALID, report.to_dict()
    assert report.baked == "image/png"
