"""Public documents: issuer Profiles, did:web documents and achievements (no auth).

Credentials point here: the issuer's did:web resolves to ``/issuers/{id}/did.json``
(did:web §3.2: ``did:web:host%3Aport:issuers:<id>`` → ``https://host:port/issuers/<id>/did.json``)
and the achievement id ``{base}/achievements/{id}`` dereferences to its JSON.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from badges.types import JSONObject
from issuer.api.deps import ContextDep, SessionDep
from issuer.models.common import Language
from issuer.services import achievements as achievement_service
from issuer.services import issuers as issuer_service
from issuer.store import repo

router = APIRouter(tags=["public documents"])

PUBLIC = {"Access-Control-Allow-Origin": "*"}
Lang = Annotated[Language | None, Query(description="Language (default: the issuer's)")]


def _document(data: JSONObject, media_type: str) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, media_type=media_type, headers=PUBLIC)


_JSON: dict[int | str, dict[str, Any]] = {200: {"content": {"application/ld+json": {}}}}


@router.get(
    "/issuers/{issuer_id}/did.json",
    summary="The issuer's did:web DID document",
    response_class=Response,
    responses={200: {"content": {"application/did+json": {}}}},
)
def did_document(issuer_id: str, session: SessionDep, ctx: ContextDep) -> Response:
    issuer = repo.public_issuer(session, issuer_id)
    return _document(issuer_service.did_document(ctx, session, issuer), "application/did+json")


@router.get(
    "/issuers/{issuer_id}",
    summary="The issuer's Open Badges Profile (JSON-LD)",
    response_class=Response,
    responses=_JSON,
)
def issuer_profile(
    issuer_id: str, session: SessionDep, ctx: ContextDep, lang: Lang = None
) -> Response:
    issuer = repo.public_issuer(session, issuer_id)
    return _document(
        issuer_service.profile_document(ctx, session, issuer, lang), "application/ld+json"
    )


@router.get(
    "/achievements/{achievement_id}",
    summary="An Open Badges Achievement (JSON-LD), one language of one version",
    response_class=Response,
    responses=_JSON,
)
def achievement(
    achievement_id: str,
    session: SessionDep,
    ctx: ContextDep,
    lang: Lang = None,
    version: Annotated[int | None, Query(ge=1, description="Default: the current")] = None,
) -> Response:
    data = achievement_service.public_document(ctx, session, achievement_id, lang, version)
    return _document(data, "application/ld+json")
