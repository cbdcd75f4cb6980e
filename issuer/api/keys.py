"""``/api/v1/issuers/{id}/keys``: rotation, compromise and re-issue of affected awards.

Listing needs ``read``; rotating, marking a key compromised and re-issuing need
``manage`` (the issuer's administrator). Responses carry public key material only.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from issuer.api import present
from issuer.api.deps import ContextDep, ManageToken, ReadToken, SessionDep
from issuer.models.issuers import KeyPublic
from issuer.models.keys import (
    KeyCompromise,
    KeyCompromised,
    KeyRotate,
    ReissuedAward,
    ReissueRequest,
    ReissueResult,
)
from issuer.services import keys as key_service
from issuer.services import renewal as renewal_service
from issuer.store import repo

router = APIRouter(prefix="/api/v1/issuers", tags=["keys"])

_409 = {409: {"description": "did:key issuer (its DID is its key), or a concurrent change"}}


@router.get("/{issuer_id}/keys", summary="The issuer's keys: public part, status and dates")
def list_keys(
    issuer_id: str, principal: ReadToken, session: SessionDep, ctx: ContextDep
) -> list[KeyPublic]:
    issuer = repo.issuer(session, principal.org, issuer_id)
    return [present.signing_key(ctx, issuer, key) for key in repo.keys_of(session, issuer.id)]


@router.post(
    "/{issuer_id}/keys/rotate",
    status_code=201,
    summary="Rotate: a new current key signs from now on",
    description="The current key becomes `retired` and stays in the DID document, so the "
    "credentials it signed keep verifying. did:key issuers cannot rotate (409).",
    responses=_409,  # type: ignore[arg-type]
)
def rotate_key(
    issuer_id: str,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
    body: KeyRotate | None = None,
) -> KeyPublic:
    key_type = body.type if body is not None else None
    key = key_service.rotate_key(session, ctx, principal, principal.org, issuer_id, key_type)
    issuer = repo.issuer(session, principal.org, issuer_id)
    response.headers["Location"] = f"/api/v1/issuers/{issuer_id}/keys"
    return present.signing_key(ctx, issuer, key)


@router.post(
    "/{issuer_id}/keys/{key_id}/compromise",
    summary="Mark a key compromised as of a time",
    description="Proofs the key made at or after `since` stop verifying (`key_revoked`); "
    "earlier ones stay valid. The DID document keeps the key with `revoked: since`. A "
    "current key is replaced by a new one. Marking it again may only move `since` "
    "earlier. Then re-issue the affected awards: `POST /api/v1/issuers/{id}/reissue`.",
    responses=_409,  # type: ignore[arg-type]
)
def compromise_key(
    issuer_id: str,
    key_id: str,
    body: KeyCompromise,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
) -> KeyCompromised:
    done = key_service.compromise_key(
        session, ctx, principal, principal.org, issuer_id, key_id, body.since, body.reason
    )
    issuer = repo.issuer(session, principal.org, issuer_id)
    return KeyCompromised(
        key=present.signing_key(ctx, issuer, done.key),
        rotated_to=present.signing_key(ctx, issuer, done.rotated_to) if done.rotated_to else None,
        affected_awards=done.affected,
    )


@router.post(
    "/{issuer_id}/reissue",
    summary="Re-issue the awards a compromised key signed after the compromise",
    description="Each active award the key signed at or after its `compromised_since` gets "
    "a new credential (same recipient, achievement, level and validity) signed by the "
    "current key; the old award is revoked (reason `key compromise`: its status list bit "
    "too) and linked to the new one. At most `limit` per call: repeat "
    "while `remaining` > 0.",
    responses={409: {"description": "The key is not marked compromised"}},
)
def reissue(
    issuer_id: str,
    body: ReissueRequest,
    principal: ManageToken,
    session: SessionDep,
    ctx: ContextDep,
) -> ReissueResult:
    done = renewal_service.reissue_compromised(
        session, ctx, principal, principal.org, issuer_id, body.key_id, body.limit
    )
    return ReissueResult(
        key_id=done.key_id,
        reissued=len(done.reissued),
        remaining=done.remaining,
        awards=[ReissuedAward(old=old, new=new) for old, new in done.reissued],
    )
