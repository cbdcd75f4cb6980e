"""Who is signed in: :class:`WebUser`, the signed-in person in their active organisation.

Roles are per organisation. :meth:`WebUser.principal` turns the person into the
:class:`issuer.auth.Principal` the services take (the audit log records
``user:<id>`` and the e-mail address), with the scopes of the role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal, get_args

from issuer.auth import SCOPES, Principal

Role = Literal["owner", "issuer", "reviewer", "viewer"]
ROLES: Final[tuple[Role, ...]] = get_args(Role)

_ROLE_SCOPES: Final[dict[str, frozenset[str]]] = {
    "issuer": frozenset({"award", "revoke", "read"}),
    "reviewer": frozenset({"review", "read"}),
    "viewer": frozenset({"read"}),
}


def role_scopes(role: str) -> frozenset[str]:
    """The API scopes a role acts with: an owner has every scope there is."""
    if role == "owner":
        return frozenset(SCOPES).union(*_ROLE_SCOPES.values())
    return _ROLE_SCOPES.get(role, frozenset())


@dataclass(frozen=True)
class WebUser:
    """A signed-in user acting in one organisation (the session's active one)."""

    user_id: str
    email: str
    name: str
    org_id: str
    org_slug: str
    role: Role
    lang: str
    org_name: str = ""
    session_id: str = field(default="", repr=False)
    """The session's stored id (SHA-256 of the cookie's token): binds CSRF tokens."""

    def principal(self) -> Principal:
        """The actor the services record: ``user:<id>``, with the role's scopes."""
        return Principal(
            actor_id=f"user:{self.user_id}",
            actor_name=self.email,
            org_id=self.org_id,
            scopes=role_scopes(self.role),
        )

    def has(self, *roles: Role) -> bool:
        return self.role in roles
