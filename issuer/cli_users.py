"""``merkki user …``: the people who sign in to the admin pages::

    merkki user create --org ORG --email E --role owner|issuer|reviewer|viewer
                       [--password P] [--name N] [--lang fi|sv|en]
    merkki user list --org ORG
    merkki user password --email E [--password P]

Without ``--password`` the password is asked twice (not echoed). Passwords shorter
than 12 characters are refused. ``user create`` for an existing account adds the
membership of ``ORG`` (its password stays as it is).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from issuer.auth import CLI
from issuer.cli_service import EXIT_OK, CommandError, _database, _err, _out, load_settings
from issuer.services import users
from issuer.store import repo
from issuer.store.db import make_sessionmaker
from issuer.web.session import ROLES


def _password(given: str | None) -> str:
    if given is not None:
        users.check_new_password(given)
        return given
    if not sys.stdin.isatty():
        raise CommandError("no --password and no terminal to ask it from")
    first = getpass.getpass("Password (at least 12 characters): ")
    users.check_new_password(first)
    second = getpass.getpass("The same password again: ")
    users.check_new_password(first, second)
    return first


def cmd_user_create(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            org = repo.org_by_slug(session, args.org)
            existing = users.user_by_email(session, args.email)
            if existing is not None:
                users.add_membership(session, CLI, existing, org.id, args.role)
                session.commit()
                _out(f"{existing.email} {existing.id} is now {args.role} of {org.slug}")
                return EXIT_OK
            password = _password(args.password)
            user = users.create_user(
                session,
                CLI,
                email=args.email,
                password=password,
                name=args.name or "",
                org_id=org.id,
                role=args.role,
                lang=args.lang,
            )
            _out(f"{user.email} {user.id} {args.role} of {org.slug}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            org = repo.org_by_slug(session, args.org)
            for member in users.members(session, org.id):
                last = f"{member.last_login_at:%Y-%m-%d}" if member.last_login_at else "never"
                state = "disabled" if member.disabled else last
                _out(f"{member.email:<40} {member.role:<9} {state:<10} {member.name}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_user_password(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            user = users.user_by_email(session, args.email)
            if user is None:
                raise CommandError(f"no user {args.email!r}")
            users.set_password(session, CLI, user, _password(args.password))
            _err(f"password changed for {user.email}; every session of the user ended")
    finally:
        engine.dispose()
    return EXIT_OK


def add_user_commands(commands: Any) -> None:
    """Register ``merkki user create|list|password``."""
    user = commands.add_parser("user", help="people who sign in").add_subparsers(
        dest="user_command", required=True
    )
    create = user.add_parser("create", help="add a user (or a membership) to an organisation")
    create.add_argument("--org", required=True, help="organisation slug, e.g. demo")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--password", help="asked twice when absent (at least 12 characters)")
    create.add_argument("--name", help="the person's name")
    create.add_argument("--lang", choices=("fi", "sv", "en"), help="language of e-mails")
    create.set_defaults(handler=cmd_user_create)
    listing = user.add_parser("list", help="list an organisation's users and roles")
    listing.add_argument("--org", required=True)
    listing.set_defaults(handler=cmd_user_list)
    password = user.add_parser("password", help="set a user's password (ends their sessions)")
    password.add_argument("--email", required=True)
    password.add_argument("--password", help="asked twice when absent")
    password.set_defaults(handler=cmd_user_password)
