"""The service's commands of ``merkki``::

    merkki serve [--host H] [--port P] [--workers N]
    merkki db upgrade
    merkki org create SLUG [--name NAME]
    merkki token create --org ORG --scopes award,read[,manage,revoke] [--name N]
    merkki token list --org ORG
    merkki token revoke ID
    merkki key list|rotate|compromise|reissue --issuer ID …   (an issuer's signing keys)
    merkki catalog import|export FILE [--org ORG]            (the badge catalog, JSON or YAML)
    merkki user create|list|password …   (people who sign in: issuer.cli_users)

Settings come from the ``MERKKI_*`` environment (``issuer.settings``); invalid or
unsafe settings stop the command with exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import socket
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from issuer.auth import CLI, SCOPES, parse_scopes
from issuer.services import ServiceContext
from issuer.services import keys as key_service
from issuer.services import renewal as renewal_service
from issuer.services import tokens as token_service
from issuer.services.mail_worker import SmtpConfig, deliver_due
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


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket the worker processes share. Made here rather than by uvicorn:
    its socket has protocol 0, and asyncio sets ``TCP_NODELAY`` on accepted connections
    only when the protocol is TCP — without it Nagle's algorithm and delayed ACKs add
    ~40 ms to each kept-alive response."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
    sock.set_inheritable(True)
    return sock


def _serve_processes(settings: Settings) -> None:
    """``uvicorn --workers N`` on a socket with TCP_NODELAY (see ``_listen``)."""
    import inspect

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "issuer.app:app_from_environment",
        factory=True,
        workers=settings.http_workers,
        timeout_worker_healthcheck=60,  # a busy machine can take seconds to import
        host=settings.host,
        port=settings.port,
        server_header=False,
        access_log=False,
        log_level="info",
    )
    sock = _listen(settings.host, settings.port)
    _err(f"merkki: {settings.http_workers} worker processes")
    if "target" in inspect.signature(Multiprocess).parameters:  # uvicorn < 0.30
        supervisor = Multiprocess(config, target=uvicorn.Server(config).run, sockets=[sock])  # type: ignore[call-arg]
    else:
        supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from issuer.app import create_app

    settings = load_settings(host=args.host, port=args.port, http_workers=args.workers)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    _err(
        f"merkki: serving {settings.public_url} (database {settings.sqlalchemy_url.split('@')[-1]})"
    )
    if settings.http_workers > 1:
        # Migrate and seed once here, before the processes start, so they do not race;
        # each process then finds the database at head and the demo organisation present.
        _database(settings).dispose()
        os.environ.update(MERKKI_HOST=settings.host, MERKKI_PORT=str(settings.port))
        _serve_processes(settings)
        return EXIT_OK
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


def cmd_mail_send(_args: argparse.Namespace) -> int:
    """Deliver the outbox's due messages now (the service's worker does it by itself)."""
    settings = load_settings()
    config = SmtpConfig.from_settings(settings)
    if config is None:
        raise CommandError("MERKKI_SMTP_HOST is not set: there is no mail server to send to")
    engine = _database(settings)
    try:
        sent = deliver_due(make_sessionmaker(engine), config)
        _out(f"{sent} message(s) sent")
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


def _issuer_org(session: Any, issuer_id: str) -> str:
    from issuer.store import repo

    return repo.public_issuer(session, issuer_id).org_id


def _since(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise CommandError(f"--since: expected an ISO 8601 date-time, got {text!r}") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _key_line(key: Any) -> str:
    created = key_service.revoked_stamp(key.created_at)
    line = f"{key.id}  {key.key_type:<8} {key.status:<12} created {created}"
    if key.compromised_since is not None:
        line += f" compromised since {key_service.revoked_stamp(key.compromised_since)}"
    return line


def cmd_key_list(args: argparse.Namespace) -> int:
    from issuer.store import repo

    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            repo.public_issuer(session, args.issuer)
            for key in repo.keys_of(session, args.issuer):
                _out(_key_line(key))
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_key_rotate(args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = _database(settings)
    try:
        with make_sessionmaker(engine)() as session:
            org_id = _issuer_org(session, args.issuer)
            context = ServiceContext.from_settings(settings)
            key = key_service.rotate_key(session, context, CLI, org_id, args.issuer, args.type)
            _err(f"new current key of issuer {args.issuer}; the old one is retired:")
            _out(_key_line(key))
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_key_compromise(args: argparse.Namespace) -> int:
    settings = load_settings()
    since = _since(args.since)
    engine = _database(settings)
    try:
        with make_sessionmaker(engine)() as session:
            org_id = _issuer_org(session, args.issuer)
            context = ServiceContext.from_settings(settings)
            done = key_service.compromise_key(
                session, context, CLI, org_id, args.issuer, args.key, since, args.reason
            )
            _out(_key_line(done.key))
            if done.rotated_to is not None:
                _err("it was the current key; the new current key:")
                _out(_key_line(done.rotated_to))
            _err(
                f"{done.affected} active award(s) signed with it since then; re-issue them: "
                f"merkki key reissue --issuer {args.issuer} --key {done.key.id}"
            )
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_key_reissue(args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = _database(settings)
    total = 0
    try:
        with make_sessionmaker(engine)() as session:
            org_id = _issuer_org(session, args.issuer)
            context = ServiceContext.from_settings(settings)
            while True:
                done = renewal_service.reissue_compromised(
                    session, context, CLI, org_id, args.issuer, args.key
                )
                for old, new in done.reissued:
                    _err(f"{old} -> {new}")
                total += len(done.reissued)
                if not done.reissued or not done.remaining:
                    break
            _out(f"re-issued {total} award(s); {done.remaining} left")
    finally:
        engine.dispose()
    return EXIT_OK


def add_key_commands(key: Any) -> None:
    """Register ``key list|rotate|compromise|reissue`` on the ``merkki key`` sub-parser."""
    listing = key.add_parser("list", help="an issuer's signing keys (public info)")
    listing.add_argument("--issuer", required=True, help="issuer id")
    listing.set_defaults(handler=cmd_key_list)
    rotate = key.add_parser("rotate", help="a new current key for an issuer; the old is retired")
    rotate.add_argument("--issuer", required=True, help="issuer id")
    rotate.add_argument(
        "--type", choices=sorted(key_service.KEY_TYPES), help="default: the current key's"
    )
    rotate.set_defaults(handler=cmd_key_rotate)
    compromise = key.add_parser(
        "compromise", help="mark a key compromised: its proofs from --since on stop verifying"
    )
    compromise.add_argument("--issuer", required=True, help="issuer id")
    compromise.add_argument("--key", required=True, help="key id (merkki key list)")
    compromise.add_argument("--since", required=True, help="ISO 8601 date-time (UTC if no zone)")
    compromise.add_argument("--reason", help="for the audit log")
    compromise.set_defaults(handler=cmd_key_compromise)
    reissue = key.add_parser(
        "reissue", help="re-issue with the current key what a compromised key signed"
    )
    reissue.add_argument("--issuer", required=True, help="issuer id")
    reissue.add_argument("--key", required=True, help="the compromised key's id")
    reissue.set_defaults(handler=cmd_key_reissue)


def cmd_catalog_import(args: argparse.Namespace) -> int:
    from issuer.catalog.files import format_for, read_catalog
    from issuer.services import catalog_io
    from issuer.store import repo

    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    catalog = read_catalog(text, format_for(path), str(path))
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            org = repo.org_by_slug(session, args.org)
            done = catalog_io.import_catalog(session, CLI, org.id, catalog, issuer_id=args.issuer)
        _out(
            f"achievements: {len(done.created)} created, {len(done.updated)} updated, "
            f"{len(done.unchanged)} unchanged; pathways: {len(done.pathways_created)} "
            f"created, {len(done.pathways_updated)} updated"
        )
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_catalog_export(args: argparse.Namespace) -> int:
    from issuer.catalog.files import format_for
    from issuer.services import catalog_io
    from issuer.store import repo

    path = Path(args.file)
    fmt = format_for(path)
    engine = _database(load_settings())
    try:
        with make_sessionmaker(engine)() as session:
            org = repo.org_by_slug(session, args.org)
            text = catalog_io.export_text(session, org.id, fmt)
        path.write_text(text, encoding="utf-8")
        _err(f"wrote the catalog of {args.org} to {path}")
    finally:
        engine.dispose()
    return EXIT_OK


def add_catalog_commands(commands: Any) -> None:
    """``merkki catalog import|export FILE [--org ORG]`` (JSON or YAML by extension)."""
    catalog = commands.add_parser(
        "catalog", help="import or export the badge catalog"
    ).add_subparsers(dest="catalog_command", required=True)
    load = catalog.add_parser("import", help="create or update achievements and pathways")
    load.add_argument("file", help="catalog.yaml, .yml or .json")
    load.add_argument("--org", default="demo", help="organisation slug (default demo)")
    load.add_argument("--issuer", help="issuer id of new achievements (default: the first)")
    load.set_defaults(handler=cmd_catalog_import)
    dump = catalog.add_parser("export", help="write the catalog as import reads it")
    dump.add_argument("file", help="catalog.yaml, .yml or .json")
    dump.add_argument("--org", default="demo", help="organisation slug (default demo)")
    dump.set_defaults(handler=cmd_catalog_export)


def add_commands(commands: Any) -> None:
    """Register the service commands on the ``merkki`` sub-command parser."""
    add_catalog_commands(commands)
    serve = commands.add_parser("serve", help="run the issuer service (HTTP API)")
    serve.add_argument("--host", help="listen address (default 127.0.0.1, MERKKI_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000, MERKKI_PORT)")
    serve.add_argument(
        "--workers", type=int, help="HTTP worker processes (default 1, MERKKI_HTTP_WORKERS)"
    )
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database migrations").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("upgrade", help="apply every migration").set_defaults(handler=cmd_db_upgrade)

    mail = commands.add_parser("mail", help="the e-mail outbox").add_subparsers(
        dest="mail_command", required=True
    )
    mail.add_parser("send", help="deliver due messages now").set_defaults(handler=cmd_mail_send)

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

    from issuer.cli_users import add_user_commands  # here: cli_users imports this module

    add_user_commands(commands)
