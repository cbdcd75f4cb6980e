"""Open Badges 2.0 public documents (no auth): hosted and signed Assertions, BadgeClasses,
issuer Profiles, CryptographicKeys and RevocationLists (``issuer.services.ob2``).

JSON-LD is served as ``application/ld+json``, or ``application/json`` when that is the
only JSON type the client accepts (OB 2.0 "Setting Content-Type"). A revoked hosted
Assertion answers ``410 Gone`` with ``{id, revoked: true, revocationReason}``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from badges.types import JSONObject
from issuer.api.deps import ContextDep, SessionDep
from issuer.models.common import Language
from issuer.services import ob2

router = APIRouter(prefix="/ob2", tags=["open badges 2.0"])

LD_JSON = "application/ld+json"
JWS_TYPE = "application/jws"
PUBLIC = {"Access-Control-Allow-Origin": "*", "Vary": "Accept"}
Accept = Annotated[str | None, Header()]
_JSON: dict[int | str, dict[str, Any]] = {200: {"content": {LD_JSON: {}, "application/json": {}}}}


def _media_type(accept: str | None) -> str:
    wanted = (accept or "").lower()
    if "application/json" in wanted and LD_JSON not in wanted and "*/*" not in wanted:
        return "application/json"
    return LD_JSON


def _document(
    data: JSONObject, accept: str | None, status: int = 200, cache: int = 300
) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    headers = {**PUBLIC, "Cache-Control": f"public, max-age={cache}"}
    return Response(body, status_code=status, media_type=_media_type(accept), headers=headers)


@router.get(
    "/assertions/{award_id}.jws",
    summary="The signed OB 2.0 Assertion (compact JWS, RS256), when the issuer signs them",
    response_class=Response,
    responses={200: {"content": {JWS_TYPE: {"schema": {"type": "string"}}}}},
)
def signed_assertion(award_id: str, session: SessionDep, ctx: ContextDep) -> Response:
    jws = ob2.signed(ctx, session, award_id)
    return Response(jws, media_type=JWS_TYPE, headers={"Access-Control-Allow-Origin": "*"})


@router.get(
    "/assertions/{award_id}",
    summary="The hosted OB 2.0 Assertion of an award (410 when revoked)",
    response_class=Response,
    responses={**_JSON, 410: {"description": "Revoked: `{id, revoked: true, revocationReason}`"}},
)
def hosted_assertion(
    award_id: str, session: SessionDep, ctx: ContextDep, accept: Accept = None
) -> Response:
    status, data = ob2.hosted(ctx, session, award_id)
    return _document(data, accept, status, cache=60)


@router.get(
    "/badges/{achievement_id}",
    summary="The OB 2.0 BadgeClass of one version of an achievement in one language",
    response_class=Response,
    responses=_JSON,
)
def badge_class(
    achievement_id: str,
    session: SessionDep,
    ctx: ContextDep,
    version: Annotated[int | None, Query(ge=1, description="Default: the current")] = None,
    lang: Annotated[Language | None, Query(description="Default: the issuer's")] = None,
    accept: Accept = None,
) -> Response:
    return _document(ob2.badge_class(ctx, session, achievement_id, version, lang), accept)


@router.get(
    "/issuers/{issuer_id}/revocations",
    summary="The issuer's OB 2.0 RevocationList",
    response_class=Response,
    responses=_JSON,
)
def revocation_list(
    issuer_id: str, session: SessionDep, ctx: ContextDep, accept: Accept = None
) -> Response:
    return _document(ob2.revocation_list(ctx, session, issuer_id), accept, cache=60)


@router.get(
    "/issuers/{issuer_id}/keys/{key_id}",
    summary="An OB 2.0 CryptographicKey of the issuer (RSA public key, PEM)",
    response_class=Response,
    responses=_JSON,
)
def crypto_key(
    issuer_id: str, key_id: str, session: SessionDep, ctx: ContextDep, accept: Accept = None
) -> Response:
    return _document(ob2.crypto_key(ctx, session, issuer_id, key_id), accept)


@router.get(
    "/issuers/{issuer_id}",
    summary="The issuer's OB 2.0 Profile",
    response_class=Response,
    responses=_JSON,
)
def issuer_profile(
    issuer_id: str, session: SessionDep, ctx: ContextDep, accept: Accept = None
) -> Response:
    return _document(ob2.issuer_profile(ctx, session, issuer_id), accept)
