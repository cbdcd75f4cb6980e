"""`merkki key new`, `merkki issue` and `merkki verify` on the examples, as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from badges.verify import verify
from tests.conftest import REPO

EXAMPLES = REPO / "examples"


def merkki(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "issuer.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "key.json"
    result = merkki("key", "new", "-o", path)
    assert result.returncode == 0, result.stderr
    return path


def issue(key: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return merkki(
        "issue",
        "--key", key,
        "--issuer", EXAMPLES / "issuer.json",
        "--achievement", EXAMPLES / "achievement.json",
        "-o", out,
        *extra,
    )  # fmt: skip


def test_key_new_writes_a_private_key_file(key_file: Path) -> None:
    data = json.loads(key_file.read_text())
    assert data["keyType"] == "Ed25519"
    assert data["publicKeyMultibase"].startswith("z6Mk")
    assert data["id"] == f"{data['controller']}#{data['publicKeyMultibase']}"
    assert key_file.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("key_type", ["p256", "rsa"])
def test_key_new_other_types(tmp_path: Path, key_type: str) -> None:
    result = merkki("key", "new", "--type", key_type, "-o", tmp_path / "k.json")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "k.json").read_text())
    assert data["keyType"] == {"p256": "P-256", "rsa": "RSA"}[key_type]


def test_issue_and_verify_ldp(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "badge.json"
    result = issue(key_file, out, "--recipient", "maija@example.fi", "--valid-until", "2031-12-31")
    assert result.returncode == 0, result.stderr
    credential = json.loads(out.read_text())
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["validUntil"] == "2031-12-31T00:00:00Z"
    assert verify(credential, recipient="maija@example.fi").valid

    checked = merkki("verify", out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "VALID" in checked.stdout
    report = json.loads(merkki("verify", out, "--json", "--lang", "fi").stdout)
    assert report["verdict"] == "valid"
    assert report["facts"]["achievement"]["name"]


def test_issue_and_verify_jwt(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "badge.jwt"
    result = issue(key_file, out, "--recipient", "did:example:earner", "--format", "jwt")
    assert result.returncode == 0, result.stderr
    assert out.read_text().count(".") == 2
    checked = merkki("verify", out, "--json")
    assert checked.returncode == 0, checked.stdout
    assert json.loads(checked.stdout)["format"] == "jwt"


def test_verify_tampered_exits_1(key_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "badge.json"
    assert issue(key_file, out, "--recipient", "maija@example.fi").returncode == 0
    credential = json.loads(out.read_text())
    credential["credentialSubject"]["achievement"]["name"] = "Forged"
    out.write_text(json.dumps(credential))
    checked = merkki("verify", out)
    assert checked.returncode == 1
    assert "✗ proof" in checked.stdout


def test_verify_unusable_input_exits_2(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not a badge")
    assert merkki("verify", junk).returncode == 2
    assert merkki("verify", tmp_path / "missing.json").returncode == 2


def test_issue_with_bad_key_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "key.json"
    bad.write_text('{"keyType": "Ed25519", "publicKeyMultibase": "z6MkNOPE"}')
    result = issue(bad, tmp_path / "out.json", "--recipient", "a@example.fi")
    assert result.returncode == 2
    assert "merkki:" in result.stderr
