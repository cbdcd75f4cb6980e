"""People who sign in: accounts, argon2id passwords, roles, throttled sign-in, password
reset links and invitations.

Passwords are hashed with argon2id (``argon2-cffi``'s RFC 9106 defaults, PHC string
format ``$argon2id$v=19$m=…``). A sign-in for an unknown, disabled or password-less
account verifies the password against a dummy hash all the same, so the answer takes
as long as for a real account. Failed sign-ins are counted per e-mail address and per
client address (:data:`EMAIL_FAILURES` / :data:`IP_FAILURES` within :data:`WINDOW`);
above that, :class:`Throttled` says how long to wait. Reset and invitation links carry
256 random bits; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from issuer.auth import Principal
from issuer.errors import Conflict, InvalidRequest, NotFound
from issuer.services import audit
from issuer.store.base import new_id, utcnow
from issuer.store.tables import (
    Invitation,
    LoginAttempt,
    Membership,
    Organization,
    PasswordResetToken,
    User,
    WebSession,
)
from issuer.web.session import ROLES

MIN_PASSWORD: Final = 12
MAX_PASSWORD: Final = 1024
WINDOW: Final = timedelta(minutes=15)
EMAIL_FAILURES: Final = 5
IP_FAILURES: Final = 30
RESET_TTL: Final = timedelta(hours=1)
RESETS_PER_HOUR: Final = 3
INVITATION_TTL: Final = timedelta(days=7)

_hasher = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4 (RFC 9106 second choice)


def set_hash_cost(*, time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Hash new passwords with other argon2id costs (tests use cheap ones to stay fast;
    hashes keep their own parameters, so existing passwords still verify)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    _dummy_hash.cache_clear()


class Throttled(Exception):
    """Too many failed sign-ins; retry after ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; retry after {retry_after} s")
        self.retry_after = retry_after


class PasswordRejected(InvalidRequest):
    """The new password does not meet the rules (too short, too long, not repeated)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(stored: str | None, password: str) -> bool:
    """``password`` matches ``stored`` (a dummy hash is checked when there is none)."""
    try:
        return _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_new_password(password: str, repeated: str | None = None) -> None:
    """Raise :class:`PasswordRejected` unless ``password`` is acceptable."""
    if len(password) < MIN_PASSWORD:
        raise PasswordRejected(
            f"the password must be at least {MIN_PASSWORD} characters", "too_short"
        )
    if len(password) > MAX_PASSWORD:
        raise PasswordRejected(f"the password must be at most {MAX_PASSWORD} characters", "long")
    if repeated is not None and repeated != password:
        raise PasswordRejected("the two passwords differ", "mismatch")


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased; raises :class:`InvalidRequest` unless it looks like one."""
    value = email.strip().lower()
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or len(value) > 320
        or any(char.isspace() or ord(char) < 0x20 for char in value)
    ):
        raise InvalidRequest.field(("email",), "not an e-mail address")
    return value


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- accounts


def user_by_email(session: Session, email: str) -> User | None:
    try:
        normalized = normalize_email(email)
    except InvalidRequest:
        return None
    return session.scalar(select(User).where(User.email == normalized))


def create_user(
    session: Session,
    actor: Principal,
    *,
    email: str,
    password: str,
    name: str = "",
    org_id: str | None = None,
    role: str | None = None,
    lang: str | None = None,
) -> User:
    """A new account (and its membership of ``org_id`` with ``role``), committed."""
    check_new_password(password)
    normalized = normalize_email(email)
    if session.scalar(select(User).where(User.email == normalized)) is not None:
        raise Conflict(f"a user {normalized!r} exists already")
    user = User(
        id=new_id(),
        email=normalized,
        name=name.strip()[:200],
        password_hash=hash_password(password),
        lang=lang,
        created_at=utcnow(),
        disabled=False,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "user.create", "user", user.id, org_id=org_id, email=normalized)
    if org_id is not None and role is not None:
        add_membership(session, actor, user, org_id, role)
    session.commit()
    return user


def add_membership(
    session: Session, actor: Principal, user: User, org_id: str, role: str
) -> Membership:
    """Give ``user`` ``role`` in ``org_id`` (not committed)."""
    if role not in ROLES:
        raise InvalidRequest.field(("role",), f"must be one of {', '.join(ROLES)}")
    existing = membership(session, user.id, org_id)
    if existing is not None:
        raise Conflict(f"{user.email} is a member already")
    member = Membership(id=new_id(), user_id=user.id, org_id=org_id, role=role, created_at=utcnow())
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor,
        "membership.add",
        "user",
        user.id,
        org_id=org_id,
        email=user.email,
        role=role,
    )
    return member


def membership(session: Session, user_id: str, org_id: str) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.org_id == org_id)
    )


def set_password(session: Session, actor: Principal, user: User, password: str) -> None:
    """A new password; every session of the user ends (committed)."""
    check_new_password(password)
    user.password_hash = hash_password(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    audit.record(session, actor, "user.password", "user", user.id, org_id=actor.org_id)
    session.commit()


@dataclass(frozen=True)
class Member:
    user_id: str
    email: str
    name: str
    role: str
    last_login_at: datetime | None
    disabled: bool


def members(session: Session, org_id: str) -> list[Member]:
    rows = session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.org_id == org_id)
        .order_by(User.email)
    ).all()
    return [
        Member(user.id, user.email, user.name, role, user.last_login_at, user.disabled)
        for user, role in rows
    ]


def _owners(session: Session, org_id: str) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.org_id == org_id, Membership.role == "owner")
    )
    return int(count or 0)


def change_role(session: Session, actor: Principal, org_id: str, user_id: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidRequest.field(("role",), f"must be one of {', '.join(ROLES)}")
    member = membership(session, user_id, org_id)
    if member is None:
        raise NotFound("member", user_id)
    if member.role == role:
        return
    if member.role == "owner" and _owners(session, org_id) <= 1:
        raise Conflict("the organisation must keep at least one owner")
    before = member.role
    member.role = role
    audit.record(
        session, actor, "membership.role", "user", user_id, org_id=org_id, before=before, role=role
    )
    session.commit()


def remove_member(session: Session, actor: Principal, org_id: str, user_id: str) -> None:
    member = membership(session, user_id, org_id)
    if member is None:
        raise NotFound("member", user_id)
    if member.role == "owner" and _owners(session, org_id) <= 1:
        raise Conflict("the organisation must keep at least one owner")
    session.delete(member)
    session.execute(
        delete(WebSession).where(WebSession.user_id == user_id, WebSession.org_id == org_id)
    )
    audit.record(session, actor, "membership.remove", "user", user_id, org_id=org_id)
    session.commit()


# ---------------------------------------------------------------------- signing in


def _failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> list[datetime]:
    return list(
        session.scalars(
            select(LoginAttempt.at)
            .where(column == value, LoginAttempt.at > since)
            .order_by(LoginAttempt.at)
        ).all()
    )


def check_throttle(session: Session, email: str, ip: str, now: datetime | None = None) -> None:
    """Raise :class:`Throttled` when ``email`` or ``ip`` has failed too often lately."""
    now = now or utcnow()
    since = now - WINDOW
    for column, value, limit in (
        (LoginAttempt.email, email.strip().lower()[:320], EMAIL_FAILURES),
        (LoginAttempt.ip, ip[:64], IP_FAILURES),
    ):
        times = _failures(session, column, value, since)
        if len(times) >= limit:
            oldest = times[len(times) - limit]
            wait = int((oldest + WINDOW - now).total_seconds()) + 1
            raise Throttled(max(1, wait))


def authenticate(session: Session, email: str, password: str, ip: str) -> User | None:
    """The user ``email``/``password`` signs in as, or ``None`` (the failure is counted).

    Raises :class:`Throttled` (before checking the password) after too many failures."""
    key = email.strip().lower()[:320]
    now = utcnow()
    check_throttle(session, key, ip, now)
    user = user_by_email(session, email)
    usable = user is not None and not user.disabled
    matched = verify_password(
        user.password_hash if user is not None else None, password[:MAX_PASSWORD]
    )
    if user is None or not usable or not matched:
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - WINDOW))
        session.add(LoginAttempt(email=key, ip=ip[:64], at=now))
        session.commit()
        return None
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == key))
    user.last_login_at = now
    session.commit()
    return user


# ---------------------------------------------------------------------- password reset


def request_reset(session: Session, email: str) -> tuple[User, str] | None:
    """A reset token for ``email``'s account (``None`` for no account, a disabled one or
    too many requests within an hour); the caller mails the link and commits."""
    user = user_by_email(session, email)
    if user is None or user.disabled:
        return None
    now = utcnow()
    recent = session.scalar(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(
            PasswordResetToken.user_id == user.id,
            PasswordResetToken.created_at > now - timedelta(hours=1),
        )
    )
    if int(recent or 0) >= RESETS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordResetToken(
            id=token_hash(token), user_id=user.id, created_at=now, expires_at=now + RESET_TTL
        )
    )
    return user, token


def reset_user(session: Session, token: str) -> User | None:
    """The account a still-usable reset ``token`` is for."""
    if not token or len(token) > 200:
        return None
    row = session.get(PasswordResetToken, token_hash(token))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and not user.disabled else None


def reset_password(session: Session, token: str, password: str, repeated: str) -> User | None:
    """Set the password through a reset link: the link and every other open one of the
    user are used up, every session ends. ``None`` if the link is not usable."""
    user = reset_user(session, token)
    if user is None:
        return None
    check_new_password(password, repeated)
    now = utcnow()
    for row in session.scalars(
        select(PasswordResetToken).where(
            PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None)
        )
    ):
        row.used_at = now
    actor = Principal(f"user:{user.id}", user.email, None, frozenset())
    set_password(session, actor, user, password)
    return user


# ---------------------------------------------------------------------- invitations


def invite(
    session: Session, actor: Principal, org_id: str, email: str, role: str
) -> tuple[Invitation, str]:
    """A new invitation (not committed: the caller queues the e-mail first)."""
    if role not in ROLES:
        raise InvalidRequest.field(("role",), f"must be one of {', '.join(ROLES)}")
    normalized = normalize_email(email)
    existing = user_by_email(session, normalized)
    if existing is not None and membership(session, existing.id, org_id) is not None:
        raise Conflict(f"{normalized} is a member already")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    invitation = Invitation(
        id=new_id(),
        token_hash=token_hash(token),
        org_id=org_id,
        email=normalized,
        role=role,
        invited_by=actor.actor_id,
        created_at=now,
        expires_at=now + INVITATION_TTL,
    )
    session.add(invitation)
    audit.record(
        session,
        actor,
        "membership.invite",
        "invitation",
        invitation.id,
        org_id=org_id,
        email=normalized,
        role=role,
    )
    return invitation, token


def open_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation of ``token`` if it is neither used nor expired."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    if row is None or row.accepted_at is not None or row.expires_at <= utcnow():
        return None
    return row


def pending_invitations(session: Session, org_id: str) -> Sequence[Invitation]:
    return session.scalars(
        select(Invitation)
        .where(
            Invitation.org_id == org_id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at)
    ).all()


def accept_invitation(
    session: Session,
    invitation: Invitation,
    user: User | None,
    *,
    name: str = "",
    password: str = "",
    repeated: str = "",
    lang: str | None = None,
) -> User:
    """Accept: a new account with ``password`` (``user`` None), or the membership of the
    signed-in ``user`` whose address the invitation was sent to. Committed."""
    if user is None:
        if user_by_email(session, invitation.email) is not None:
            raise Conflict("an account with this address exists; sign in first")
        check_new_password(password, repeated)
        user = User(
            id=new_id(),
            email=invitation.email,
            name=name.strip()[:200],
            password_hash=hash_password(password),
            lang=lang,
            created_at=utcnow(),
            disabled=False,
        )
        session.add(user)
        session.flush()
    elif user.email != invitation.email:
        raise Conflict("the invitation was sent to another address")
    actor = Principal(f"user:{user.id}", user.email, invitation.org_id, frozenset())
    add_membership(session, actor, user, invitation.org_id, invitation.role)
    invitation.accepted_at = utcnow()
    audit.record(
        session, actor, "invitation.accept", "invitation", invitation.id, org_id=invitation.org_id
    )
    session.commit()
    return user


def organization(session: Session, org_id: str) -> Organization:
    org = session.get(Organization, org_id)
    if org is None:
        raise NotFound("organisation", org_id)
    return org
