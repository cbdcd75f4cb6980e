"""The service's commands of ``merkki``::

    merkki serve [--host H] [--port P]
    merkki db upgrade
    merkki org create SLUG [--name NAME]
    merkki token create --org ORG --scopes award,read[,manage,revoke] [--name N]
    merkki token list --org ORG
    merkki token revoke ID

Settings come from the ``MERKKI_*`` environment (``issuer.settings``); invalid or
unsafe settings stop the command with exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from issuer.auth import CLI, SCOPES, parse_scopes
from issuer.services import ServiceContext
from issuer.services import tokens as token_service
from issuer.services.seed import seed_demo
from issuer.settings import Settings
from issuer.store.db import current_revision, make_engine, make_sessionmaker, upgrade

EXIT_OK, EXIT_USAGE = 0, 2


class CommandError(Exception):
    """The command cannot run (exit status 2)."""


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except ValidationError as exc:
        problems = "; ".join(
            str(error["msg"]).removeprefix("Value error, ") for error in exc.errors()
        )
        raise CommandError(f"invalid settings: {problems}") from exc


def _database(settings: Settings) -> Engine:
    """The migrated database, with the demo organisation when seeding is on."""
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    if settings.seed_demo:
        with make_sessionmaker(engine)() as session:
            seed_demo(session, ServiceContext.from_settings(settings))
    return engine


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from issuer.app import create_app

    settings = load_settings(host=args.host, port=args.port)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    _err(
        f"merkki: serving {settings.public_url} (database {settings.sqlalchemy_url.split('@')[-1]})"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        server_header=False,
        access_log=False,
        log_level="info",
    )
    return EXIT_OK


def cmd_db_upgrade(_args: argparse.Namespace) -> int:
    engine = make_engine(load_settings().sqlalchemy_url)
    try:
        upgrade(engine)
        _out(f"database at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_org_create(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            org = token_service.create_organization(session, CLI, args.slug, args.name or args.slug)
        _out(f"{org.slug} {org.id}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_token_create(args: argparse.Namespace) -> int:
    try:
        scopes = parse_scopes(args.scopes)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            token, text = token_service.create_token(session, CLI, args.org, scopes, args.name)
        _err(f"token {token.id} for {args.org} ({token.scopes}); it is shown only now:")
        _out(text)
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_token_list(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            for token in token_service.list_tokens(session, args.org):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                _out(f"{token.id}  {token.scopes:<24} {state:<18} {token.name}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_token_revoke(args: argparse.Namespace) -> int:
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            token = token_service.revoke_token(session, CLI, args.token_id)
        _out(f"revoked {token.id}")
    finally:
        engine.dispose()
    return EXIT_OK


def add_commands(commands: Any) -> None:
    """Register the service commands on the ``merkki`` sub-command parser."""
    serve = commands.add_parser("serve", help="run the issuer service (HTTP API)")
    serve.add_argument("--host", help="listen address (default 127.0.0.1, MERKKI_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000, MERKKI_PORT)")
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply every migration").set_defaults(handler=cmd_db_upgrade)

    org = commands.add_parser("org", help="organisations").add_subparsers(
        dest="org_command", required=True
    )
    org_create = org.add_parser("create", help="add an organisation")
    org_create.add_argument("slug")
    org_create.add_argument("--name")
    org_create.set_defaults(handler=cmd_org_create)

    token = commands.add_parser("token", help="API tokens").add_subparsers(
        dest="token_command", required=True
    )
    create = token.add_parser("create", help="create a token and print it (shown once)")
    create.add_argument("--org", required=True, help="organisation slug, e.g. demo")
    create.add_argument("--scopes", required=True, help=f"comma-separated: {','.join(SCOPES)}")
    create.add_argument("--name", default="api token", help="a label for the audit log")
    create.set_defaults(handler=cmd_token_create)
    listing = token.add_parser("list", help="list an organisation's tokens")
    listing.add_argument("--org", required=True)
    listing.set_defaults(handler=cmd_token_list)
    revoke = token.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("token_id")
    revoke.set_defaults(handler=cmd_token_revoke)
