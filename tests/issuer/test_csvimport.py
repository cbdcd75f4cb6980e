"""Bulk-award CSV parsing (``issuer.csvimport``): the files spreadsheets export, every
error code with its line, limits, idempotency keys, and arbitrary bytes never raising."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import hashlib
import io
import unicodedata
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issuer.csvimport import (
    COLUMNS,
    MAX_ERRORS,
    AwardRow,
    CsvParseResult,
    ErrorCode,
    RowError,
    parse_award_csv,
)

TODAY = date(2026, 1, 15)
LEVELS = {
    "foundation": ["Perustaso", "Grundnivå", "Foundation level"],
    "practitioner": ["Taitaja", "Praktiker"],
    "expert": "Asiantuntija",
}
FULL = ["email", "name", "narrative", "evidence_url", "level", "valid_until", "language"]


def parse(data: bytes, **kwargs: Any) -> CsvParseResult:
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("levels", LEVELS)
    return parse_award_csv(data, **kwargs)


def make_csv(
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    newline: str = "\r\n",
    bom: bool = False,
    encoding: str = "utf-8",
    quoting: int = csv.QUOTE_MINIMAL,
) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows(rows)
    data = out.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def lines_of(result: CsvParseResult) -> list[int | None]:
    return [error.line for error in result.errors]


def only_error(result: CsvParseResult) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


SAMPLE_HEADER = ["email", "did", "url", *FULL[1:]]
SAMPLE_ROWS = [
    SAMPLE_HEADER,
    [
        "Maija.Meikalainen@Example.FI",
        "",
        "",
        "Maija Meikäläinen",
        "Veti tiimin; kehityskeskustelut\nja palautteen",
        "https://evidence.example.fi/a | https://evidence.example.fi/b",
        "perustaso",
        "31.12.2030",
        "fi",
    ],
    ["", "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "", "Åsa Öberg", "", "",
     "", "", "sv"],
    ["", "", "https://people.example.fi/~jussi", "", "", "", "Expert",
     "2030-06-30T12:00:00+03:00", ""],
]  # fmt: skip


def sample_expectation() -> list[AwardRow]:
    rows = parse(make_csv(SAMPLE_ROWS)).rows
    assert len(rows) == 3
    return rows


# -- reading what spreadsheets write --------------------------------------------------


def test_a_minimal_file() -> None:
    result = parse(b"email\nmaija@example.fi\n")
    assert result.ok
    assert result.delimiter == ","
    [row] = result.rows
    assert row == AwardRow(
        line=2,
        recipient_kind="email",
        recipient="maija@example.fi",
        name="",
        narrative="",
        evidence_urls=(),
        level="",
        valid_until=None,
        language="",
        idempotency_key=row.idempotency_key,
    )
    assert len(row.idempotency_key) == 64
    assert int(row.idempotency_key, 16) >= 0


def test_the_sample_rows_are_normalised() -> None:
    first, second, third = sample_expectation()
    assert first.line == 2
    assert first.recipient_kind == "email"
    assert first.recipient == "maija.meikalainen@example.fi"
    assert first.name == "Maija Meikäläinen"
    assert first.narrative == "Veti tiimin; kehityskeskustelut\nja palautteen"
    assert first.evidence_urls == (
        "https://evidence.example.fi/a",
        "https://evidence.example.fi/b",
    )
    assert first.level == "foundation"
    assert first.valid_until == datetime(2030, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert first.language == "fi"
    assert (second.line, second.recipient_kind, second.name, second.language) == (
        3,
        "did",
        "Åsa Öberg",
        "sv",
    )
    assert (third.recipient_kind, third.recipient, third.level) == (
        "url",
        "https://people.example.fi/~jussi",
        "expert",
    )
    assert third.valid_until == datetime(2030, 6, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
def test_encodings_separators_line_ends_and_quoting_read_alike(
    bom: bool, delimiter: str, newline: str, quoting: int
) -> None:
    data = make_csv(SAMPLE_ROWS, delimiter=delimiter, newline=newline, bom=bom, quoting=quoting)
    result = parse(data)
    assert result.ok, result.errors
    assert result.delimiter == delimiter
    assert result.rows == sample_expectation()
    assert result.file_sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_utf16_with_tabs(encoding: str) -> None:
    bom = {"utf-16": b"", "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    data = bom[encoding] + make_csv(SAMPLE_ROWS, delimiter="\t", encoding=encoding)
    result = parse(data)
    assert result.ok, result.errors
    assert result.rows == sample_expectation()


# What Finnish Excel writes for "CSV UTF-8 (puolipisteellä erotettu)": BOM, ";", CRLF,
# quotes only where needed, the dates as the cells show them, trailing empty cells.
EXCEL_FI = (
    "\ufeffemail;name;narrative;evidence_url;level;valid_until;language\r\n"
    "aino.aaltonen@kunta.fi;Aino Äijälä;Johti muutosta, ja sai tiimin mukaan;;Perustaso;"
    "31.12.2027;fi\r\n"
    'bjorn.ostergard@kommun.fi;Björn Östergård;"Ledde ""Framtid 2030""-projektet;\r\n'
    'fick med alla";https://intra.kommun.fi/bevis/17;grundnivå;1.6.2027;sv\r\n'
    ";;;;;;\r\n"
    "ülle.ämmälä@kunta.fi;Ülle;;;;;\r\n"
    "PEKKA.Pöllö@kunta.fi;Pekka Pöllö;;;taitaja;;\r\n"
    "pekka.pollo@kunta.fi;Pekka Pöllö;;;ASIANTUNTIJA;30.02.2027;en\r\n"
).encode()


def test_excel_finnish_export() -> None:
    result = parse(EXCEL_FI)
    assert result.delimiter == ";"
    aino, bjorn = result.rows
    assert (aino.line, aino.recipient, aino.name, aino.level, aino.language) == (
        2,
        "aino.aaltonen@kunta.fi",
        "Aino Äijälä",
        "foundation",
        "fi",
    )
    assert aino.narrative == "Johti muutosta, ja sai tiimin mukaan"
    assert aino.valid_until == datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert bjorn.line == 3
    assert bjorn.narrative == 'Ledde "Framtid 2030"-projektet;\nfick med alla'
    assert bjorn.evidence_urls == ("https://intra.kommun.fi/bevis/17",)
    assert bjorn.level == "foundation"
    assert bjorn.valid_until == datetime(2027, 6, 1, 23, 59, 59, tzinfo=UTC)
    assert [(e.line, e.column, e.code) for e in result.errors] == [
        (5, "email", ErrorCode.INVALID_EMAIL),  # ü and ä before the @
        (6, "email", ErrorCode.INVALID_EMAIL),  # ö before the @
        (7, "valid_until", ErrorCode.INVALID_DATE),  # 30 February
    ]
    assert "30.02.2027" in result.errors[2].reason


def test_a_quoted_line_break_keeps_one_spreadsheet_line() -> None:
    data = make_csv(
        [
            ["email", "narrative"],
            ["a@example.fi", "first\nsecond\nthird"],
            ["b@example.fi", "x\r\ny"],
            ["not an address", ""],
        ]
    )
    result = parse(data)
    assert [row.line for row in result.rows] == [2, 3]
    assert result.rows[1].narrative == "x\ny"
    assert lines_of(result) == [4]


def test_old_mac_line_ends() -> None:
    data = b'email;name;narrative\rmaija@example.fi;Maija;"a\rb"\rmatti@example.fi;;\r'
    result = parse(data)
    assert result.ok, result.errors
    assert [(row.line, row.narrative) for row in result.rows] == [(2, "a\nb"), (3, "")]


def test_a_separator_only_first_line_does_not_decide_the_separator() -> None:
    result = parse(b";;;;\nemail,name\nmaija@example.fi,Maija\n")
    assert result.delimiter == ","
    assert [(row.line, row.name) for row in result.rows] == [(3, "Maija")]


def test_empty_lines_count_but_are_skipped() -> None:
    result = parse(b"\r\n\r\nemail\r\n\r\na@example.fi\r\n , \t\r\n,\r\nb@\r\n\r\n")
    assert [row.line for row in result.rows] == [5]
    assert lines_of(result) == [8]


def test_header_names_are_case_insensitive_and_trimmed() -> None:
    data = " E-Mail ;Valid Until; EVIDENCE-URL ;Language\nmaija@example.fi;1.2.2030;;SV\n"
    result = parse(data.encode())
    assert result.ok, result.errors
    assert result.rows[0].valid_until == datetime(2030, 2, 1, 23, 59, 59, tzinfo=UTC)
    assert result.rows[0].language == "sv"


def test_a_column_without_a_name_is_ignored_while_empty() -> None:
    result = parse(b"email;name;;\nmaija@example.fi;Maija;;\nmatti@example.fi;Matti;;x;\n")
    assert [row.recipient for row in result.rows] == ["maija@example.fi"]
    error = only_error(result)
    assert (error.line, error.column, error.code) == (3, None, ErrorCode.EXTRA_VALUE)
    assert error.reason == ('Column D has a value "x" but no column name on the header line.')


def test_short_rows_are_padded_and_long_ones_checked() -> None:
    result = parse(b"email,name,language\na@example.fi\nb@example.fi,B,fi,,\n")
    assert result.ok, result.errors
    assert [row.language for row in result.rows] == ["", "fi"]
    cells = ["a@example.fi", "A", *[""] * 27, "zz"]  # zz in the 30th column: AD
    result = parse(("email,name\n" + ",".join(cells) + "\n").encode())
    assert "Column AD" in only_error(result).reason


def test_formula_like_cells_are_kept_as_written() -> None:
    data = make_csv([["email", "name", "narrative"], ["a@example.fi", "=1+1", "@SUM(A1)"]])
    row = parse(data).rows[0]
    assert (row.name, row.narrative) == ("=1+1", "@SUM(A1)")


def test_text_is_nfc_and_whitespace_is_tidied() -> None:
    name = unicodedata.normalize("NFD", "  Jyväskylän\u00a0 Åke \t Öhman ")
    narrative = unicodedata.normalize("NFD", "\u200b rivi 1\r\n\trivi 2 \n")
    data = make_csv([["email", "name", "narrative"], ["a@example.fi", name, narrative]])
    row = parse(data).rows[0]
    assert row.name == "Jyväskylän Åke Öhman"
    assert row.narrative == "rivi 1\n\trivi 2"
    assert unicodedata.is_normalized("NFC", row.name)


# -- recipients, URLs, levels, dates ----------------------------------------------------


@pytest.mark.parametrize(
    ("column", "written", "normalised"),
    [
        ("email", "Maija@Example.FI", "maija@example.fi"),
        ("email", "mailto:maija@example.fi", "maija@example.fi"),
        ("email", "first.last+badge@sub.example.co.uk", "first.last+badge@sub.example.co.uk"),
        ("email", "o'neil@example.com", "o'neil@example.com"),
        ("email", "maija@äänekoski.fi", "maija@äänekoski.fi"),
        ("email", "maija@xn--nekoski-cxaa.fi", "maija@xn--nekoski-cxaa.fi"),
        ("did", "did:web:example.fi", "did:web:example.fi"),
        ("did", "DID:web:example.fi%3A8443:users:alice", "did:web:example.fi%3A8443:users:alice"),
        ("did", "did:key:z6MkhaXgBZDvotDkL5257", "did:key:z6MkhaXgBZDvotDkL5257"),
        ("url", "HTTPS://Example.FI/Profiles/Maija?x=1#Top", "https://example.fi/Profiles/Maija?x=1#Top"),
        ("url", "http://192.0.2.7:8080/p", "http://192.0.2.7:8080/p"),
        ("url", "https://[2001:db8::1]/p", "https://[2001:db8::1]/p"),
        ("url", "https://intranet/p", "https://intranet/p"),
        ("url", "https://example.fi./p", "https://example.fi./p"),
    ],
)  # fmt: skip
def test_recipients_are_accepted_and_normalised(column: str, written: str, normalised: str) -> None:
    result = parse(make_csv([[column], [written]]))
    assert result.ok, result.errors
    assert (result.rows[0].recipient_kind, result.rows[0].recipient) == (column, normalised)


def test_evidence_urls_split_on_spaces_and_bars_and_drop_duplicates() -> None:
    cell = (
        " https://a.example.fi/1\n|https://B.example.fi/2 ||  https://a.example.fi/1"
        "\thttp://c.example.fi "
    )
    row = parse(make_csv([["email", "evidence_url"], ["a@example.fi", cell]])).rows[0]
    assert row.evidence_urls == (
        "https://a.example.fi/1",
        "https://b.example.fi/2",
        "http://c.example.fi",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2030-12-31", datetime(2030, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("31.12.2030", datetime(2030, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("1.2.2030", datetime(2030, 2, 1, 23, 59, 59, tzinfo=UTC)),
        ("01.02.2030.", datetime(2030, 2, 1, 23, 59, 59, tzinfo=UTC)),
        ("2030-12-31T10:00:00Z", datetime(2030, 12, 31, 10, tzinfo=UTC)),
        ("2030-12-31t10:00z", datetime(2030, 12, 31, 10, tzinfo=UTC)),
        ("2030-12-31 10:00", datetime(2030, 12, 31, 10, tzinfo=UTC)),
        ("2030-12-31T10:00:00.5+02:00", datetime(2030, 12, 31, 8, 0, 0, 500000, tzinfo=UTC)),
        ("2030-12-31T10:00:00,123456789-0130",
         datetime(2030, 12, 31, 11, 30, 0, 123456, tzinfo=UTC)),
        ("2030-01-01T01:00:00+02", datetime(2029, 12, 31, 23, tzinfo=UTC)),
        ("2026-01-16", datetime(2026, 1, 16, 23, 59, 59, tzinfo=UTC)),  # tomorrow
        ("2026-01-16T00:00:00Z", datetime(2026, 1, 16, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_valid_until_formats(written: str, expected: datetime) -> None:
    result = parse(make_csv([["email", "valid_until"], ["a@example.fi", written]]))
    assert result.ok, result.errors
    assert result.rows[0].valid_until == expected
    assert result.rows[0].valid_until.tzinfo is UTC


@pytest.mark.parametrize(
    ("written", "level"),
    [
        ("foundation", "foundation"),
        ("FOUNDATION", "foundation"),
        ("  Perustaso ", "foundation"),
        ("grundnivå", "foundation"),
        ("foundation   LEVEL", "foundation"),
        ("taitaja", "practitioner"),
        ("asiantuntija", "expert"),
        ("", ""),
    ],
)
def test_levels_match_keys_and_names(written: str, level: str) -> None:
    result = parse(make_csv([["email", "level"], ["a@example.fi", written]]))
    assert result.ok, result.errors
    assert result.rows[0].level == level


def test_levels_as_plain_keys_and_without_levels() -> None:
    data = make_csv([["email", "level"], ["a@example.fi", "Expert"], ["b@example.fi", "x"]])
    result = parse(data, levels=["foundation", "expert"])
    assert [row.level for row in result.rows] == ["expert"]
    assert "use one of: foundation, expert" in only_error(result).reason
    # without levels the value is kept as written
    assert [row.level for row in parse(data, levels=()).rows] == ["Expert", "x"]


def test_level_names_may_be_translations() -> None:
    levels = {
        "foundation": {"fi": "Perustaso", "sv": "Grundnivå", "en": "Foundation"},
        "expert": {"fi": "Asiantuntija", "sv": "Expert", "en": "Expert"},
    }
    data = make_csv([["email", "level"], ["a@x.fi", "grundnivå"], ["b@x.fi", "EXPERT"]])
    assert [row.level for row in parse(data, levels=levels).rows] == ["foundation", "expert"]
    data = make_csv([["email", "level"], ["a@x.fi", "fi"]])  # a language is no level name
    assert only_error(parse(data, levels=levels)).code == ErrorCode.UNKNOWN_LEVEL


def test_non_ascii_digits_are_no_date() -> None:
    data = make_csv([["email", "valid_until"], ["a@x.fi", "٢٠٣٠-١٢-٣١"]])
    assert only_error(parse(data)).code == ErrorCode.INVALID_DATE


def test_bad_arguments_raise() -> None:
    with pytest.raises(TypeError, match="single string"):
        parse(b"email\n", levels="foundation")
    with pytest.raises(ValueError, match="two levels"):
        parse(b"email\n", levels={"a": "Same", "b": "same"})
    with pytest.raises(ValueError, match="positive"):
        parse(b"email\n", max_rows=0)
    with pytest.raises(ValueError, match="positive"):
        parse(b"email\n", max_errors=0)


def test_today_defaults_to_the_current_utc_date() -> None:
    data = make_csv([["email", "valid_until"], ["a@example.fi", "2000-01-01"]])
    error = only_error(parse_award_csv(data))
    assert error.code == ErrorCode.DATE_NOT_IN_FUTURE
    assert datetime.now(UTC).date().isoformat() in error.reason


# -- every error code, with its line --------------------------------------------------

HEADER = ",".join(FULL)
GOOD = "ok@example.fi,,,,,,"


def file_with(row: str) -> bytes:
    """The header, a good row (line 2) and ``row`` (line 3)."""
    return f"{HEADER}\r\n{GOOD}\r\n{row}\r\n".encode()


ROW_ERRORS: list[tuple[str, ErrorCode, str | None]] = [
    (",Maija,,,,,", ErrorCode.MISSING_RECIPIENT, "email"),
    ("ok@example.fi,,,,,,", ErrorCode.DUPLICATE_RECIPIENT, "email"),
    ("OK@EXAMPLE.FI,,,,,,", ErrorCode.DUPLICATE_RECIPIENT, "email"),
    ("maija,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("a@b@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija meikäläinen@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("Maija <maija@example.fi>,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija..m@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    (".maija@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@example,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@example.f,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@example.123,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@-example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@exa_mple.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("maija@example..fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("a" * 65 + "@example.fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ("a@" + "b" * 250 + ".fi,,,,,,", ErrorCode.INVALID_EMAIL, "email"),
    ('"a@example.fi\nb@example.fi",,,,,,', ErrorCode.INVALID_EMAIL, "email"),
    ("ok2@example.fi,,,ftp://example.fi/x,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,,example.fi/x,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,,https:///x,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,,https://u:p@example.fi/,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,,https://example.fi:99999/,,,", ErrorCode.INVALID_EVIDENCE_URL,
     "evidence_url"),
    ("ok2@example.fi,,,https://[::1/,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,,https://exa mple.fi/,,,", ErrorCode.INVALID_EVIDENCE_URL, "evidence_url"),
    ("ok2@example.fi,,," + " ".join(f"https://e.fi/{i}" for i in range(21)) + ",,,",
     ErrorCode.TOO_MANY_EVIDENCE_URLS, "evidence_url"),
    ("ok2@example.fi,,,,master,,", ErrorCode.UNKNOWN_LEVEL, "level"),
    ("ok2@example.fi,,,,,tomorrow,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,12/31/2030,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,31.12.30,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,2030-02-30,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,2030-12-31T25:00,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,2030-12-31T10:00+24:00,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,46022,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,2030-W01-1,", ErrorCode.INVALID_DATE, "valid_until"),
    ("ok2@example.fi,,,,,2026-01-15,", ErrorCode.DATE_NOT_IN_FUTURE, "valid_until"),
    ("ok2@example.fi,,,,,15.1.2026,", ErrorCode.DATE_NOT_IN_FUTURE, "valid_until"),
    ("ok2@example.fi,,,,,2026-01-15T23:59:59Z,", ErrorCode.DATE_NOT_IN_FUTURE, "valid_until"),
    ("ok2@example.fi,,,,,2026-01-16T01:00:00+02:00,", ErrorCode.DATE_NOT_IN_FUTURE, "valid_until"),
    ("ok2@example.fi,,,,,1999-01-01,", ErrorCode.DATE_NOT_IN_FUTURE, "valid_until"),
    ("ok2@example.fi,,,,,,de", ErrorCode.INVALID_LANGUAGE, "language"),
    ("ok2@example.fi,,,,,,suomi", ErrorCode.INVALID_LANGUAGE, "language"),
    ("ok2@example.fi," + "x" * 201 + ",,,,,", ErrorCode.TOO_LONG, "name"),
    ("ok2@example.fi,," + "x" * 10_001 + ",,,,", ErrorCode.TOO_LONG, "narrative"),
    ("ok2@example.fi,Ma\x07ija,,,,,", ErrorCode.INVALID_CHARACTER, "name"),
    ("ok2@example.fi,,rivi\x0bvaihto\x7f,,,,", ErrorCode.INVALID_CHARACTER, "narrative"),
    ("ok2@example.fi,,,,,,,surplus", ErrorCode.EXTRA_VALUE, None),
]  # fmt: skip


@pytest.mark.parametrize(("row", "code", "column"), ROW_ERRORS)
def test_row_errors(row: str, code: ErrorCode, column: str | None) -> None:
    result = parse(file_with(row))
    error = only_error(result)
    assert (error.line, error.column, error.code) == (3, column, code)
    assert error.reason.endswith(".")
    assert [row.line for row in result.rows] == [2]


RECIPIENT_ERRORS: list[tuple[str, str, ErrorCode, str | None]] = [
    ("email,did,name", ",,Maija", ErrorCode.MISSING_RECIPIENT, "email"),
    ("name,did,url", "Maija,,", ErrorCode.MISSING_RECIPIENT, "did"),
    ("email,did", "a@example.fi,did:web:example.fi", ErrorCode.MULTIPLE_RECIPIENTS, "did"),
    ("email,url,did", "a@example.fi,https://x.fi,", ErrorCode.MULTIPLE_RECIPIENTS, "url"),
    ("did", "did:example", ErrorCode.INVALID_DID, "did"),
    ("did", "did:Web:example.fi", ErrorCode.INVALID_DID, "did"),
    ("did", "did:web:exa mple.fi", ErrorCode.INVALID_DID, "did"),
    ("did", "did:web:example.fi#key-1", ErrorCode.INVALID_DID, "did"),
    ("did", "did:web:example.fi%zz", ErrorCode.INVALID_DID, "did"),
    ("did", "did:key:" + "z" * 2050, ErrorCode.INVALID_DID, "did"),
    ("did", "maija@example.fi", ErrorCode.INVALID_DID, "did"),
    ("url", "www.example.fi/maija", ErrorCode.INVALID_URL, "url"),
    ("url", "javascript:alert(1)", ErrorCode.INVALID_URL, "url"),
    ("url", "https://example.fi:0/", ErrorCode.INVALID_URL, "url"),
    ("url", "https://" + "a" * 2050 + ".fi/", ErrorCode.INVALID_URL, "url"),
    ("url", "https://ex!ample.fi/", ErrorCode.INVALID_URL, "url"),
]


@pytest.mark.parametrize(("header", "row", "code", "column"), RECIPIENT_ERRORS)
def test_recipient_errors(header: str, row: str, code: ErrorCode, column: str | None) -> None:
    error = only_error(parse(f"{header}\n\n{row}\n".encode()))
    assert (error.line, error.column, error.code) == (3, column, code)


def test_duplicates_are_reported_on_the_later_lines() -> None:
    data = make_csv(
        [
            ["email", "did", "valid_until"],
            ["maija@example.fi", "", "1.1.2000"],  # invalid row, valid recipient
            ["", "did:web:example.fi", ""],
            ["MAIJA@example.fi", "", ""],
            ["", "did:web:example.fi", ""],
            ["maija@EXAMPLE.fi", "", ""],
        ]
    )
    result = parse(data)
    assert [row.line for row in result.rows] == [3]
    assert [(e.line, e.code) for e in result.errors] == [
        (2, ErrorCode.DATE_NOT_IN_FUTURE),
        (4, ErrorCode.DUPLICATE_RECIPIENT),
        (5, ErrorCode.DUPLICATE_RECIPIENT),
        (6, ErrorCode.DUPLICATE_RECIPIENT),
    ]
    assert "already on line 2" in result.errors[1].reason
    assert "already on line 3" in result.errors[2].reason
    assert "already on line 2" in result.errors[3].reason


def test_a_row_reports_all_of_its_problems() -> None:
    result = parse(file_with("bad,,,notaurl,nolevel,yesterday,xx"))
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "email"),
        (3, "evidence_url"),
        (3, "level"),
        (3, "valid_until"),
        (3, "language"),
    ]


HEADER_ERRORS: list[tuple[bytes, ErrorCode, str | None, str]] = [
    (b"email,name,grade\n", ErrorCode.UNKNOWN_COLUMN, "grade", "Allowed columns: email, did"),
    (b"\xef\xbb\xbfSahkoposti;Nimi\n", ErrorCode.UNKNOWN_COLUMN, "Sahkoposti", "evidence_url"),
    (b"maija@example.fi,Maija\n", ErrorCode.UNKNOWN_COLUMN, "maija@example.fi", "must name"),
    (b"email,name,Name\n", ErrorCode.DUPLICATE_COLUMN, "name", "twice"),
    (b"email,E-mail\n", ErrorCode.DUPLICATE_COLUMN, "email", "twice"),
    (b"name,narrative\n", ErrorCode.MISSING_RECIPIENT_COLUMN, None, "email, did or url"),
]


@pytest.mark.parametrize(("header", "code", "column", "text"), HEADER_ERRORS)
def test_header_errors_stop_before_the_rows(
    header: bytes, code: ErrorCode, column: str | None, text: str
) -> None:
    result = parse(header + b"a@example.fi,x\nb@example.fi,y\n")
    error = result.errors[0]
    assert (error.line, error.column, error.code) == (1, column, code)
    assert text in error.reason
    assert result.rows == []


def test_every_header_problem_is_listed() -> None:
    result = parse(b"\n\nfoo;name;bar;name\n")
    assert [(e.line, e.column, e.code) for e in result.errors] == [
        (3, "foo", ErrorCode.UNKNOWN_COLUMN),
        (3, "bar", ErrorCode.UNKNOWN_COLUMN),
        (3, "name", ErrorCode.DUPLICATE_COLUMN),
        (3, None, ErrorCode.MISSING_RECIPIENT_COLUMN),
    ]


FILE_ERRORS: list[tuple[bytes, ErrorCode, int | None]] = [
    (b"", ErrorCode.EMPTY_FILE, None),
    (codecs.BOM_UTF8 + b" \r\n\t\r\n", ErrorCode.EMPTY_FILE, None),
    (codecs.BOM_UTF16_LE, ErrorCode.EMPTY_FILE, None),
    (b",,,\r\n,,\r\n", ErrorCode.EMPTY_FILE, None),
    (b"email\r\n", ErrorCode.NO_ROWS, None),
    (b"email\r\n,\r\n\r\n", ErrorCode.NO_ROWS, None),
    ("email;name\r\nmaija@example.fi;Mäkelä\r\n".encode("cp1252"), ErrorCode.ENCODING, 2),
    (b"email\r\n\xff\xfe", ErrorCode.ENCODING, 2),
    (b"email\x00,name\n", ErrorCode.ENCODING, None),
    ("email\n".encode("utf-16-le"), ErrorCode.ENCODING, None),
    (codecs.BOM_UTF16_LE + b"e\x00m\x00\x00\xd8", ErrorCode.ENCODING, None),
    (b'email,name\na@example.fi,"Maija\nb@example.fi,Matti\n', ErrorCode.MALFORMED_CSV, 2),
    (b'email,name\na@example.fi,x\nb@example.fi,"Matti" M\n', ErrorCode.MALFORMED_CSV, 3),
]


@pytest.mark.parametrize(("data", "code", "line"), FILE_ERRORS)
def test_file_errors(data: bytes, code: ErrorCode, line: int | None) -> None:
    result = parse(data)
    error = only_error(result)
    assert (error.line, error.column, error.code) == (line, None, code)
    assert result.rows == []
    assert result.delimiter == ""
    assert result.file_sha256 == hashlib.sha256(data).hexdigest()


def test_malformed_files_say_where_and_why() -> None:
    error = only_error(parse(b'email,name\na@example.fi,"Maija\nb@example.fi,Matti\n'))
    assert "Line 2" in error.reason
    assert "not closed" in error.reason
    error = only_error(parse(b"email,name\na@example.fi,x\nb@example.fi," + b"y" * 200_000))
    assert (error.line, error.code) == (3, ErrorCode.MALFORMED_CSV)
    assert "longer than 131072 characters" in error.reason


def test_encoding_errors_explain_what_to_do() -> None:
    reason = only_error(parse("email\nä@x.fi\n".encode("cp1252"))).reason
    assert "not UTF-8" in reason
    assert "CSV UTF-8" in reason


def test_every_error_code_is_covered() -> None:
    codes = {code for _, code, _ in ROW_ERRORS}
    codes |= {code for _, _, code, _ in RECIPIENT_ERRORS}
    codes |= {code for _, code, _, _ in HEADER_ERRORS}
    codes |= {code for _, code, _ in FILE_ERRORS}
    codes |= {ErrorCode.FILE_TOO_LARGE, ErrorCode.TOO_MANY_ROWS}  # test_limits
    codes |= {ErrorCode.TOO_MANY_ERRORS}  # test_errors_stop_at_max_errors
    assert codes == set(ErrorCode)


def test_fifty_rows_with_two_bad_ones() -> None:
    rows = [["email", "name", "level", "valid_until"]]
    for number in range(1, 51):
        rows.append([f"person{number}@example.fi", f"Henkilö {number}", "foundation", ""])
    rows[17][0] = "person17(at)example.fi"  # line 18
    rows[42][3] = "31.13.2030"  # line 43
    result = parse(make_csv(rows, delimiter=";"))
    assert [(e.line, e.code) for e in result.errors] == [
        (18, ErrorCode.INVALID_EMAIL),
        (43, ErrorCode.INVALID_DATE),
    ]
    assert len(result.rows) == 48
    assert 18 not in {row.line for row in result.rows}
    assert len({row.idempotency_key for row in result.rows}) == 48


# -- limits ---------------------------------------------------------------------------


def test_limits() -> None:
    data = b"email\n" + b"".join(f"p{n}@example.fi\n".encode() for n in range(10))
    assert len(parse(data, max_bytes=len(data)).rows) == 10
    error = only_error(parse(data, max_bytes=len(data) - 1))
    assert (error.line, error.code) == (None, ErrorCode.FILE_TOO_LARGE)
    assert f"{len(data)} bytes" in error.reason

    assert len(parse(data, max_rows=10).rows) == 10
    result = parse(data, max_rows=9)
    error = only_error(result)
    assert (error.line, error.code) == (11, ErrorCode.TOO_MANY_ROWS)
    assert result.rows == []
    # empty lines do not count
    spaced = data.replace(b"\n", b"\n\n")
    assert len(parse(spaced, max_rows=10).rows) == 10


def test_the_default_limits() -> None:
    big = b"email\n" + b"x" * (5 * 1024 * 1024)
    error = only_error(parse(big))
    assert error.code == ErrorCode.FILE_TOO_LARGE
    assert "5.0 MiB is allowed" in error.reason

    rows = b"".join(b"p%d@e.fi\n" % n for n in range(50_001))
    assert only_error(parse(b"email\n" + rows)).code == ErrorCode.TOO_MANY_ROWS
    assert len(parse(b"email\n" + rows[: rows.rindex(b"p50000")]).rows) == 50_000


def test_errors_stop_at_max_errors() -> None:
    data = b"email,language\n" + b"".join(b"p%d@e.fi,xx\n" % n for n in range(20))
    assert len(parse(data).errors) == 20
    result = parse(data, max_errors=5)
    assert [(e.line, e.code) for e in result.errors] == [
        *[(line, ErrorCode.INVALID_LANGUAGE) for line in range(2, 7)],
        (6, ErrorCode.TOO_MANY_ERRORS),
    ]
    assert "Stopped after 5 errors" in result.errors[-1].reason
    assert result.rows == []
    assert len(parse(data, max_errors=20).errors) == 21


def test_hostile_files_stay_small_and_fast() -> None:
    # ~2.6 million cells in one row, 600,000 distinct column names, or a million
    # duplicated ones: a few errors, in well under a second each.
    many_cells = b"email\na@example.fi" + b",x" * 2_600_000
    error = only_error(parse(many_cells))
    assert error.code == ErrorCode.EXTRA_VALUE
    assert "Columns B, C, D and 2599997 more have values" in error.reason
    names = b",".join(b"c%d" % n for n in range(600_000))
    result = parse(b"email," + names + b"\na@example.fi\n")
    assert len(result.errors) == MAX_ERRORS + 1
    assert result.errors[-1].code == ErrorCode.TOO_MANY_ERRORS
    result = parse(b"email" + b",name" * 1_000_000 + b"\na@example.fi\n")
    assert len(result.errors) == MAX_ERRORS + 1
    spaces = b"email,name\na@example.fi,x" + b" " * 130_000 + b"y\n"
    assert parse(spaces).rows[0].name == "x y"


def test_results_are_immutable() -> None:
    result = parse(b"email\na@example.fi\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.rows[0].recipient = "b@example.fi"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.errors = []  # type: ignore[misc]


# -- idempotency keys -----------------------------------------------------------------


def keys(data: bytes) -> list[str]:
    result = parse(data)
    assert result.ok, result.errors
    return [row.idempotency_key for row in result.rows]


def test_keys_ignore_how_the_file_is_written() -> None:
    base = keys(make_csv(SAMPLE_ROWS))
    assert len(set(base)) == 3
    variants = [
        make_csv(SAMPLE_ROWS, delimiter=";", bom=True),
        make_csv(SAMPLE_ROWS, delimiter="\t", newline="\n", quoting=csv.QUOTE_ALL),
        codecs.BOM_UTF16_LE + make_csv(SAMPLE_ROWS, delimiter="\t", encoding="utf-16-le"),
        make_csv(
            [
                [f"  {name.upper()} " for name in SAMPLE_HEADER],
                *[
                    [f" {unicodedata.normalize('NFD', cell)}\t" for cell in row]
                    for row in SAMPLE_ROWS[1:]
                ],
            ]
        ),
        make_csv([[""] * 9, *SAMPLE_ROWS[:2], [""] * 9, *SAMPLE_ROWS[2:]]),  # moved lines
    ]
    for data in variants:
        assert keys(data) == base


def test_keys_ignore_equivalent_spellings() -> None:
    head = ["email", "level", "valid_until", "evidence_url", "language", "name"]
    one = [
        "maija@example.fi",
        "foundation",
        "2030-12-31",
        "https://e.fi/1 https://e.fi/2",
        "fi",
        "A  B",
    ]
    two = [
        "mailto:MAIJA@Example.fi",
        "Perustaso",
        "31.12.2030",
        "HTTPS://E.FI/1|https://e.fi/2 | https://e.fi/1",
        "FI",
        " A B",
    ]
    assert keys(make_csv([head, one])) == keys(make_csv([head, two]))
    same_time = [
        "2030-12-31T12:00:00Z",
        "2030-12-31T14:00:00+02:00",
        "2030-12-31 12:00",
        "2030-12-31T12:00:00.000Z",
    ]
    found = {keys(make_csv([["email", "valid_until"], ["a@example.fi", t]]))[0] for t in same_time}
    assert len(found) == 1
    assert keys(b"url\nhttps://Example.fi/P\n") == keys(b"url\nhttps://example.fi/P\n")
    assert keys(b"did\nDID:web:example.fi\n") == keys(b"did\ndid:web:example.fi\n")
    assert keys(b"email\na@example.fi\n") == keys(b"email,level\na@example.fi,\n")
    assert keys(b"email\na@example.fi\n") == keys(b"email,valid_until\na@example.fi,\n")
    assert keys(b"email,language\na@example.fi,\n") == keys(b"email\na@example.fi\n")
    assert keys(b'email,narrative\na@example.fi,"x\r\ny"\n') == keys(
        b'email,narrative\na@example.fi,"x\ny"\n'
    )
    # no levels given: the level is kept as written and keyed as written
    assert (
        parse(b"email,level\na@x.fi,A\n", levels=()).rows[0].idempotency_key
        != parse(b"email,level\na@x.fi,a\n", levels=()).rows[0].idempotency_key
    )


BASE_ROW = {
    "email": "maija@example.fi",
    "name": "Maija",
    "narrative": "Hyvin tehty",
    "evidence_url": "https://e.fi/1",
    "level": "foundation",
    "valid_until": "2030-12-31",
    "language": "fi",
}
CHANGES = [
    ("email", "matti@example.fi"),
    ("email", "maija@example.com"),
    ("name", "Maija M"),
    ("name", ""),
    ("narrative", "Hyvin tehty!"),
    ("narrative", ""),
    ("evidence_url", "https://e.fi/2"),
    ("evidence_url", "https://e.fi/1 https://e.fi/2"),
    ("evidence_url", "https://e.fi/1/"),
    ("evidence_url", ""),
    ("level", "expert"),
    ("level", ""),
    ("valid_until", "2030-12-30"),
    ("valid_until", "2030-12-31T23:59:58Z"),
    ("valid_until", ""),
    ("language", "sv"),
    ("language", ""),
]  # fmt: skip


def test_keys_change_with_the_content() -> None:
    def key(row: dict[str, str]) -> str:
        return keys(make_csv([list(row), list(row.values())]))[0]

    base = key(BASE_ROW)
    found = {base}
    for column, value in CHANGES:
        changed = key({**BASE_ROW, column: value})
        assert changed != base, (column, value)
        found.add(changed)
    assert len(found) == len(CHANGES) + 1
    assert key({**BASE_ROW, "evidence_url": "https://e.fi/2 https://e.fi/1"}) != key(
        {**BASE_ROW, "evidence_url": "https://e.fi/1 https://e.fi/2"}
    )
    # the same text in another field is another row
    assert keys(make_csv([["did", "name"], ["did:web:x.fi", "a"]])) != keys(
        make_csv([["did", "narrative"], ["did:web:x.fi", "a"]])
    )
    assert keys(b"did\ndid:web:x.fi\n") != keys(b"url\nhttps://x.fi\n")


def test_keys_use_the_level_key() -> None:
    by_name = parse(b"email,level\na@example.fi,Perustaso\n").rows[0]
    by_key = parse(b"email,level\na@example.fi,foundation\n", levels=["foundation"]).rows[0]
    assert by_name.idempotency_key == by_key.idempotency_key


# -- robustness -----------------------------------------------------------------------


FILE_LEVEL = {
    ErrorCode.FILE_TOO_LARGE,
    ErrorCode.ENCODING,
    ErrorCode.EMPTY_FILE,
    ErrorCode.MALFORMED_CSV,
    ErrorCode.TOO_MANY_ROWS,
    ErrorCode.NO_ROWS,
}


def check_invariants(result: CsvParseResult, data: bytes) -> None:
    assert isinstance(result, CsvParseResult)
    assert result.file_sha256 == hashlib.sha256(data).hexdigest()
    for error in result.errors:
        assert isinstance(error.code, ErrorCode)
        assert error.reason
        if error.line is None or error.code in FILE_LEVEL:
            assert result.errors == [error]
            assert result.rows == []
            assert result.delimiter == ""
        if error.code == ErrorCode.TOO_MANY_ERRORS:
            assert result.errors[-1] == error
            assert result.rows == []
    assert result.rows or result.errors
    lines = [row.line for row in result.rows]
    assert lines == sorted(set(lines))
    error_lines = {error.line for error in result.errors}
    assert not error_lines & set(lines)
    assert len({(row.recipient_kind, row.recipient) for row in result.rows}) == len(lines)
    for row in result.rows:
        assert row.valid_until is None or row.valid_until.tzinfo is UTC
        assert row.language in ("", "fi", "sv", "en")
        assert len(row.idempotency_key) == 64


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    check_invariants(parse(data), data)


CELL = st.one_of(
    st.sampled_from(
        ["", "a@example.fi", "did:web:x.fi", "https://x.fi/", "foundation", "fi", "1.1.2030",
         '"', '""', ";", ",", "\t", "\r\n", "\n", "\r", " ", "\ufeff", "=1", "\x00", "é"]
    ),
    st.text(max_size=12),
)  # fmt: skip
HEADER_CELL = st.sampled_from([*COLUMNS, "", "EMAIL", " Name ", "other", "valid until"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(HEADER_CELL, min_size=1, max_size=5),
    body=st.lists(st.lists(CELL, max_size=6), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    junk=st.lists(CELL, max_size=4).map("".join),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_arbitrary_tables_never_raise(
    header: list[str], body: list[list[str]], delimiter: str, junk: str, encoding: str
) -> None:
    text = delimiter.join(header) + "\n" + "\n".join(delimiter.join(r) for r in body) + junk
    data = text.encode(encoding)
    check_invariants(parse(data), data)


# No control characters (refused) nor format characters (a zero-width space or BOM at
# either end is trimmed).
NAME_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf")), max_size=30)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(st.tuples(NAME_TEXT, NAME_TEXT), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\r\n", "\n"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    bom=st.booleans(),
)
def test_written_tables_read_back(
    people: list[tuple[str, str]], delimiter: str, newline: str, quoting: int, bom: bool
) -> None:
    rows = [["email", "name", "narrative"]]
    rows += [[f"p{n}@example.fi", name, story] for n, (name, story) in enumerate(people)]
    result = parse(make_csv(rows, delimiter=delimiter, newline=newline, quoting=quoting, bom=bom))
    assert result.ok, result.errors
    for row, (name, story) in zip(result.rows, people, strict=True):
        assert row.name == " ".join(unicodedata.normalize("NFC", name).split())
        assert row.narrative == unicodedata.normalize("NFC", story).strip()
