"""The ``merkki`` command line: keys, issuing and verifying credentials.

    merkki key new [--type ed25519|p256|rsa] -o KEY.json
    merkki issue --key KEY.json --issuer ISSUER.json --achievement ACH.json
                 --recipient EMAIL|DID [--format ldp|jwt] [--valid-until DATE] -o OUT
    merkki verify FILE [--json] [--lang en|fi|sv] [--offline] [--dev-host HOST:PORT]
    merkki serve | db upgrade | org create | token create/list/revoke   (issuer.cli_service)
    merkki key list|rotate|compromise|reissue --issuer ID …              (issuer.cli_service)

``verify`` exits 0 when the credential is valid, 1 when it is not, 2 on unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from badges.did import DidResolver, did_key, did_key_verification_method_id
from badges.errors import BadgesError
from badges.issue import sign_credential, sign_credential_jwt
from badges.keys import KeyPair, KeyType
from badges.model import Recipient, build_credential
from badges.report import Outcome, VerificationReport
from badges.status_list import BitstringStatusListResolver
from badges.types import HttpFetcher
from badges.verify import verify
from issuer.cli_service import CommandError, add_commands, add_key_commands
from issuer.errors import ServiceError
from issuer.fetch import SafeFetcher, safe_fetch

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
KEY_TYPES = {"ed25519": KeyType.ED25519, "p256": KeyType.P256, "rsa": KeyType.RSA}
_MARKS = {Outcome.PASSED: "✓", Outcome.FAILED: "✗", Outcome.ERROR: "!", Outcome.SKIPPED: "–"}


class UsageError(Exception):
    """Input the command cannot work with (exit status 2)."""


def _read_json(path: str, what: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise UsageError(f"{what} {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise UsageError(f"{what} {path} must hold a JSON object")
    return data


def _write(path: str, text: str) -> None:
    if path == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def cmd_key_new(args: argparse.Namespace) -> int:
    key = KeyPair.generate(KEY_TYPES[args.type])
    data = key.to_json_dict()
    if key.type is not KeyType.RSA:
        data["controller"] = did_key(key.public)
        data["id"] = did_key_verification_method_id(key.public)
    _write(args.output, json.dumps(data, indent=2) + "\n")
    if args.output != "-":
        Path(args.output).chmod(0o600)
        print(f"wrote {key.type} key {data.get('id', '')} to {args.output}", file=sys.stderr)
    return EXIT_VALID


def _signing_identity(key_file: dict[str, Any], key: KeyPair, issuer: dict[str, Any]) -> str:
    """The verification method id; the issuer's id is set to the key's controller."""
    controller = key_file.get("controller")
    method = key_file.get("id")
    if not controller and key.type is not KeyType.RSA:
        controller, method = did_key(key.public), did_key_verification_method_id(key.public)
    if not isinstance(controller, str) or not isinstance(method, str):
        raise UsageError('the key file needs "id" and "controller" (a did:web key id) for RSA keys')
    if issuer.get("id", controller) != controller:
        raise UsageError(
            f"the issuer id {issuer['id']} does not control this key ({controller}); "
            "remove the issuer id or use that issuer's key"
        )
    issuer["id"] = controller
    return method


def _parse_date(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise UsageError(
            f"--valid-until must be an ISO 8601 date or date-time, got {text!r}"
        ) from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def cmd_issue(args: argparse.Namespace) -> int:
    key_file = _read_json(args.key, "key file")
    try:
        key = KeyPair.from_json_dict(key_file)
    except BadgesError as exc:
        raise UsageError(f"key file {args.key}: {exc}") from exc
    issuer = _read_json(args.issuer, "issuer profile")
    achievement = _read_json(args.achievement, "achievement")
    method = _signing_identity(key_file, key, issuer)
    recipient = args.recipient.strip()
    who = (
        Recipient(email=recipient)
        if "@" in recipient and ":" not in recipient
        else Recipient(id=recipient)
    )
    credential = build_credential(
        issuer=issuer,
        achievement=achievement,
        recipient=who,
        valid_from=datetime.now(UTC).replace(microsecond=0),
        valid_until=_parse_date(args.valid_until) if args.valid_until else None,
    )
    if args.format == "jwt":
        _write(args.output, sign_credential_jwt(credential, key, method) + "\n")
    else:
        signed = sign_credential(credential, key, method)
        _write(args.output, json.dumps(signed, indent=2, ensure_ascii=False) + "\n")
    if args.output != "-":
        print(f"issued {credential['id']} to {args.output}", file=sys.stderr)
    return EXIT_VALID


def render_report(report: VerificationReport, lang: str) -> str:
    lines = [f"verdict: {report.verdict.value.upper()}"]
    facts = report.to_dict(lang)["facts"] or {}
    if facts:
        lines.append(f"badge:   {facts['achievement']['name'] or facts['name'] or '?'}")
        lines.append(
            f"issuer:  {facts['issuer']['name'] or ''} {facts['issuer']['id'] or ''}".rstrip()
        )
        lines.append(f"valid:   {facts['valid_from'] or '?'} – {facts['valid_until'] or ''}")
    for check in report.checks:
        lines.append(f"  {_MARKS[check.outcome]} {check.id:<12} {check.message(lang)}")
    lines.extend(f"  warning: {w.message(lang)}" for w in report.warnings)
    return "\n".join(lines) + "\n"


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes() if args.file != "-" else sys.stdin.buffer.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from exc
    fetch: HttpFetcher | None = None
    if args.offline:
        resolver = DidResolver(None)
    elif args.dev_host:
        # Local development: a did:web on this host is read over plain HTTP.
        fetch = SafeFetcher(allowed_hosts=frozenset(args.dev_host))
        resolver = DidResolver(fetch, web_scheme="http")
    else:
        fetch = safe_fetch
        resolver = DidResolver(fetch)
    status = BitstringStatusListResolver(fetch, resolver=resolver) if fetch else None
    report = verify(
        data, resolver=resolver, fetch=fetch, status_resolver=status, recipient=args.recipient
    )
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(args.lang), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_report(report, args.lang))
    if report.check("parse").outcome is not Outcome.PASSED:
        return EXIT_USAGE
    return EXIT_VALID if report.valid else EXIT_INVALID


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="merkki", description="Open Badges issuer and verifier")
    commands = parser.add_subparsers(dest="command", required=True)

    key = commands.add_parser("key", help="manage signing keys").add_subparsers(
        dest="key_command", required=True
    )
    key_new = key.add_parser("new", help="create a key pair file")
    key_new.add_argument("--type", choices=sorted(KEY_TYPES), default="ed25519")
    key_new.add_argument("-o", "--output", required=True, help="KEY.json (- for stdout)")
    key_new.set_defaults(handler=cmd_key_new)
    add_key_commands(key)

    issue = commands.add_parser("issue", help="issue a signed Open Badges 3.0 credential")
    issue.add_argument("--key", required=True, help="KEY.json from `merkki key new`")
    issue.add_argument("--issuer", required=True, help="ISSUER.json, an OB 3.0 Profile")
    issue.add_argument("--achievement", required=True, help="ACH.json, an OB 3.0 Achievement")
    issue.add_argument("--recipient", required=True, help="the earner's e-mail, DID or URL")
    issue.add_argument("--format", choices=("ldp", "jwt"), default="ldp")
    issue.add_argument("--valid-until", help="expiry, ISO 8601 (UTC if no zone)")
    issue.add_argument("-o", "--output", required=True, help="output file (- for stdout)")
    issue.set_defaults(handler=cmd_issue)

    check = commands.add_parser("verify", help="verify a credential (JSON or JWT)")
    check.add_argument("file", help="credential file (- for stdin)")
    check.add_argument("--json", action="store_true", help="print the JSON report")
    check.add_argument("--lang", choices=("en", "fi", "sv"), default="en")
    check.add_argument("--recipient", help="check that the badge was awarded to this e-mail/DID")
    check.add_argument("--offline", action="store_true", help="never fetch keys (did:key only)")
    check.add_argument(
        "--dev-host",
        action="append",
        metavar="HOST:PORT",
        help="development only: resolve did:web over http:// and allow this local host",
    )
    check.set_defaults(handler=cmd_verify)
    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (UsageError, CommandError, ServiceError) as exc:
        print(f"merkki: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BadgesError as exc:
        print(f"merkki: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
