"""Dependencies, as ``Annotated`` aliases the routes declare.

``SessionDep`` is one session per request (closed, and rolled back unless a service
committed, when the request ends). ``ReadToken``/``AwardToken``/``ManageToken``
authenticate the bearer token and require its scope: no token or a bad one → 401,
a valid token without the scope → 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker

from issuer.auth import Principal, Scope, authenticate
from issuer.errors import Forbidden, Unauthenticated
from issuer.models.common import MAX_LIMIT
from issuer.services import ServiceContext


def get_session(request: Request) -> Iterator[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    with sessions() as session:
        yield session


def get_context(request: Request) -> ServiceContext:
    context: ServiceContext = request.app.state.context
    return context


def get_templates(request: Request) -> Environment:
    templates: Environment = request.app.state.templates
    return templates


SessionDep = Annotated[Session, Depends(get_session)]
ContextDep = Annotated[ServiceContext, Depends(get_context)]
TemplatesDep = Annotated[Environment, Depends(get_templates)]

bearer = HTTPBearer(
    auto_error=False,
    bearerFormat="mk_<id>_<secret>",
    description="An API token from `merkki token create --org ORG --scopes …`",
)


def current_principal(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        raise Unauthenticated("send an API token: `Authorization: Bearer mk_…`")
    return authenticate(session, credentials.credentials)


def _scoped(scope: Scope) -> Callable[[Principal], Principal]:
    def require_scope(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.has(scope):
            raise Forbidden(f"this token lacks the {scope!r} scope")
        return principal

    return require_scope


ReadToken = Annotated[Principal, Depends(_scoped("read"))]
AwardToken = Annotated[Principal, Depends(_scoped("award"))]
ManageToken = Annotated[Principal, Depends(_scoped("manage"))]

Cursor = Annotated[str | None, Query(description="`next_cursor` of the previous page")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
