"""IdentityHash creation and checking (OB 3.0 IdentityObject)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from badges.errors import InvalidInput
from badges.identity import (
    hash_email,
    hash_identity,
    identity_matches,
    looks_like_email,
    new_salt,
    normalize_email,
)

SPEC_HASH = "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"


def test_spec_vector() -> None:
    assert hash_identity("a@example.com", "Kosher") == SPEC_HASH


def test_ob2_spec_vector_unsalted() -> None:
    # OB 2.0 "IdentityHash": sha256 of "mayze"
    expected = "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
    assert hash_identity("mayze", None) == expected
    assert hash_identity("mayze", "") == expected
    assert identity_matches(expected, "mayze", None)


def test_matches_spec_vector_in_either_hex_case() -> None:
    assert identity_matches(SPEC_HASH, "a@example.com", "Kosher")
    upper = "sha256$" + SPEC_HASH.removeprefix("sha256$").upper()
    assert identity_matches(upper, "a@example.com", "Kosher")
    assert identity_matches("SHA256$" + upper.removeprefix("sha256$"), "a@example.com", "Kosher")


def test_wrong_salt_or_identity_does_not_match() -> None:
    assert not identity_matches(SPEC_HASH, "a@example.com", "kosher")
    assert not identity_matches(SPEC_HASH, "a@example.com", None)
    assert not identity_matches(SPEC_HASH, "b@example.com", "Kosher")


def test_md5_accepted_for_checking() -> None:
    digest = hashlib.md5(b"a@example.comKosher", usedforsecurity=False).hexdigest()
    assert identity_matches("md5$" + digest, "a@example.com", "Kosher")
    assert identity_matches("md5$" + digest.upper(), "a@example.com", "Kosher")
    assert not identity_matches("md5$" + digest, "a@example.com", "salt")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "sha256",
        "sha256$",
        "sha256$zz" + "0" * 62,
        "sha256$" + "0" * 63,
        "sha1$" + "0" * 40,
        "b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        "md5$" + "0" * 64,
    ],
)
def test_malformed_hashes_never_match(bad: str) -> None:
    assert not identity_matches(bad, "a@example.com", "Kosher")


def test_email_is_normalised_before_hashing() -> None:
    assert normalize_email("  A@Example.COM \n") == "a@example.com"
    assert hash_email(" A@Example.com", "Kosher") == SPEC_HASH


def test_matching_tolerates_case_and_spaces_of_emails() -> None:
    assert identity_matches(SPEC_HASH, " A@EXAMPLE.com ", "Kosher")


def test_matching_does_not_lowercase_non_emails() -> None:
    hashed = hash_identity("Student-42", "s")
    assert identity_matches(hashed, "Student-42", "s")
    assert not identity_matches(hashed, "student-42", "s")


def test_unnormalised_hashes_from_other_issuers_still_match() -> None:
    hashed = hash_identity("Maija.Meikalainen@Kunta.fi", "x")
    assert identity_matches(hashed, "Maija.Meikalainen@Kunta.fi", "x")


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@", "@b", "a@b@c", "a b@c.fi", "did:web:x"])
def test_normalize_email_rejects_non_addresses(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_email(bad)


def test_looks_like_email() -> None:
    assert looks_like_email("x@y.fi")
    assert not looks_like_email("did:example:123")
    assert not looks_like_email("https://example.com/u")


def test_new_salt_is_random_text() -> None:
    salts = {new_salt() for _ in range(50)}
    assert len(salts) == 50
    assert all(len(s) >= 16 and s.isascii() for s in salts)


@given(identity=st.text(), salt=st.one_of(st.none(), st.text()))
def test_round_trip(identity: str, salt: str | None) -> None:
    hashed = hash_identity(identity, salt)
    assert hashed.startswith("sha256$")
    assert len(hashed) == 7 + 64
    assert identity_matches(hashed, identity, salt)
    assert identity_matches(hashed.upper().replace("SHA256$", "sha256$"), identity, salt)
