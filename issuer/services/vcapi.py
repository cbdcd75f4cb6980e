"""W3C VC-API "Issue Credential" (VC-API §3.2.1): sign a credential the caller built.

The credential's ``issuer`` must be the DID of one of the caller's organisation's
issuers; it is validated against the OB 3.0 JSON Schema and signed exactly as given
(eddsa-rdfc-2022, the issuer's current key). Nothing is stored but an audit entry:
such credentials are not awards of this service's achievements.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from badges.errors import BadgesError
from badges.issue import sign_credential
from badges.schema import validate_credential
from badges.types import JSONObject
from issuer.auth import Principal
from issuer.errors import CredentialRejected, FieldError
from issuer.services import ServiceContext, audit
from issuer.services import issuers as issuer_service
from issuer.store import repo


def issue(
    session: Session,
    ctx: ServiceContext,
    actor: Principal,
    credential: JSONObject,
    options: dict[str, Any],
) -> JSONObject:
    if options:
        raise CredentialRejected(f"unsupported options: {', '.join(sorted(options))}")
    if "proof" in credential:
        raise CredentialRejected("the credential already has a proof; send it unsigned")
    given = credential.get("issuer")
    issuer_id = given.get("id") if isinstance(given, dict) else given
    issuers = repo.issuers_of(session, actor.org)
    keys = repo.keys_by_issuer(session, [issuer.id for issuer in issuers])
    found = [i for i in issuers if issuer_service.did_of(ctx, i, keys[i.id]) == issuer_id]
    if not found:
        raise CredentialRejected(
            f"the credential's issuer {issuer_id!r} is not one of your issuers' DIDs",
            [FieldError(("body", "credential", "issuer"), "not one of your issuers")],
        )
    issuer = found[0]
    issues = [issue for issue in validate_credential(credential) if issue.is_error]
    if issues:
        raise CredentialRejected(
            "the credential does not match the Open Badges 3.0 schema",
            [FieldError(("body", "credential", issue.path), issue.message) for issue in issues],
        )
    key = repo.current_key(session, issuer.id)
    if key.key_type != "Ed25519":
        raise CredentialRejected(
            f"the issuer's current key is {key.key_type}; eddsa-rdfc-2022 needs Ed25519"
        )
    method = issuer_service.verification_method(ctx, issuer, key)
    try:
        signed = sign_credential(credential, issuer_service.key_pair(ctx, key), method)
    except BadgesError as exc:
        raise CredentialRejected(f"the credential cannot be signed: {exc}") from exc
    audit.record(
        session,
        actor,
        "credential.issue",
        "credential",
        str(credential.get("id", ""))[:64],
        issuer_id=issuer.id,
        credential_id=credential.get("id"),
    )
    session.commit()
    return signed
