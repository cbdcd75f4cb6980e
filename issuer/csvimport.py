"""Bulk-award CSV files, parsed and validated as spreadsheets export them (pure: no
database, no web).

:func:`parse_award_csv` takes the uploaded bytes and returns a :class:`CsvParseResult`:
the valid rows as :class:`AwardRow`, every problem as a :class:`RowError` and the file's
SHA-256. It never raises on bad input (only on bad arguments); a file it cannot read at
all gives a single file-level error and no rows. After ``max_errors`` errors it stops:
the last error is ``too_many_errors`` and there are no rows.

The file
    UTF-8 with or without a byte order mark, or UTF-16 with one (Excel's "Unicode text");
    separated by ``,``, ``;`` or a tab, whichever splits the header line into the most
    known column names; fields quoted with ``"`` may hold separators, doubled quotes and
    line breaks; CRLF, LF or CR line ends. At most ``max_bytes`` bytes and ``max_rows``
    award rows; rows whose cells are all empty are skipped.

The header (the first row that is not empty)
    Column names are matched case-insensitively, trimmed, with spaces and hyphens read
    as ``_``: ``email``, ``did``, ``url`` (the recipient columns: at least one of them),
    ``name``, ``narrative``, ``evidence_url``, ``level``, ``valid_until``, ``language``.
    An unknown or repeated column is an error of line 1 (the header's line) and no rows
    are read. A column without a name is allowed if all of its cells are empty.

Each row
    * exactly one recipient cell: an e-mail address (pragmatic syntax check, no DNS;
      lower-cased; a ``mailto:`` prefix is dropped), a DID ``did:<method>:<id>`` or an
      ``http(s)`` URL with a host (scheme and host lower-cased);
    * ``name``: inner whitespace collapsed; ``narrative``: line breaks kept (as LF);
    * ``evidence_url``: any number (up to 20) of http(s) URLs separated by whitespace or
      ``|``; duplicates are dropped;
    * ``level``: if ``levels`` are given, one of them, matched case-insensitively to a
      level key or, ``levels`` being a mapping, to one of the key's names (a string, a
      collection of strings, or translations ``{"fi": "Perustaso", ...}``); the key is
      returned. Without ``levels`` the value is kept as written;
    * ``valid_until``: ``YYYY-MM-DD``, ``D.M.YYYY`` (Finnish), or an ISO date-time (no
      zone means UTC); a date means the end of that day, 23:59:59 UTC. It must lie after
      ``today``, i.e. on a later day;
    * ``language``: ``fi``, ``sv``, ``en`` or empty (the service default).

    Cells are trimmed and Unicode-normalised (NFC); empty optional cells are ``""``
    (``valid_until`` ``None``). Control characters (other than line breaks and tabs in
    ``narrative``) are refused. A recipient already given on an earlier line is an error
    of the later line. Cells starting with ``=``, ``+``, ``-`` or ``@`` are accepted as
    written: whoever exports them to a spreadsheet again must escape them against formula
    injection. Evidence URLs are only checked for syntax: whoever fetches them must guard
    against internal addresses.

Line numbers are the row numbers a spreadsheet shows for the file: the header is line 1,
a quoted cell with line breaks still counts as one line, empty lines count.

Every valid row carries an ``idempotency_key``: the SHA-256 of its normalised content
(recipient kind and value, name, narrative, evidence URLs, level, valid_until, language),
independent of separator, encoding, quoting, line ends, surrounding whitespace and the
case of an e-mail address. The service combines it with the achievement id so that
uploading the same file again issues nothing twice.
"""

from __future__ import annotations

import codecs
import csv
import functools
import hashlib
import io
import ipaddress
import json
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Final, Literal
from urllib.parse import SplitResult, urlsplit

RecipientKind = Literal["email", "did", "url"]

MAX_BYTES: Final = 5 * 1024 * 1024
MAX_ROWS: Final = 50_000
MAX_NAME: Final = 200
MAX_NARRATIVE: Final = 10_000
MAX_URL: Final = 2048
MAX_EMAIL: Final = 254
MAX_EVIDENCE_URLS: Final = 20
MAX_ERRORS: Final = 1000

RECIPIENT_COLUMNS: Final[tuple[RecipientKind, ...]] = ("email", "did", "url")
COLUMNS: Final = (
    *RECIPIENT_COLUMNS,
    "name",
    "narrative",
    "evidence_url",
    "level",
    "valid_until",
    "language",
)
LANGUAGES: Final = ("fi", "sv", "en")
"""Same as ``badges.model.LANGUAGES``; kept here so the module stays dependency-free."""
DELIMITERS: Final = (",", ";", "\t")

_KEY_VERSION: Final = "merkki.csv-award.v1"


class ErrorCode(StrEnum):
    """Stable error codes (the values never change; messages may)."""

    # the whole file (line None) or its structure
    FILE_TOO_LARGE = "file_too_large"
    ENCODING = "encoding"
    EMPTY_FILE = "empty_file"
    MALFORMED_CSV = "malformed_csv"
    TOO_MANY_ROWS = "too_many_rows"
    NO_ROWS = "no_rows"
    TOO_MANY_ERRORS = "too_many_errors"
    # the header (line 1)
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_RECIPIENT_COLUMN = "missing_recipient_column"
    # a row
    EXTRA_VALUE = "extra_value"
    MISSING_RECIPIENT = "missing_recipient"
    MULTIPLE_RECIPIENTS = "multiple_recipients"
    DUPLICATE_RECIPIENT = "duplicate_recipient"
    INVALID_EMAIL = "invalid_email"
    INVALID_DID = "invalid_did"
    INVALID_URL = "invalid_url"
    INVALID_EVIDENCE_URL = "invalid_evidence_url"
    TOO_MANY_EVIDENCE_URLS = "too_many_evidence_urls"
    UNKNOWN_LEVEL = "unknown_level"
    INVALID_DATE = "invalid_date"
    DATE_NOT_IN_FUTURE = "date_not_in_future"
    INVALID_LANGUAGE = "invalid_language"
    TOO_LONG = "too_long"
    INVALID_CHARACTER = "invalid_character"


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem. ``line``: the spreadsheet row (header = 1), ``None`` for the whole
    file; ``column``: the column's name (as matched, or as written when unknown) or
    ``None``; ``reason``: an English sentence for people; ``code``: for programs."""

    line: int | None
    column: str | None
    code: ErrorCode
    reason: str


@dataclass(frozen=True, slots=True)
class AwardRow:
    """A valid row, normalised; empty optional cells are ``""``."""

    line: int
    recipient_kind: RecipientKind
    recipient: str
    name: str
    narrative: str
    evidence_urls: tuple[str, ...]
    level: str
    valid_until: datetime | None
    language: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class CsvParseResult:
    """The valid ``rows`` and all ``errors`` (in line order); ``delimiter`` as detected
    (``""`` if the file could not be read)."""

    rows: list[AwardRow]
    errors: list[RowError]
    file_sha256: str
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        """No errors at all (then every non-empty row is in ``rows``)."""
        return not self.errors


class _Stop(Exception):
    """``max_errors`` reached."""


class _FileError(Exception):
    def __init__(self, code: ErrorCode, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.error = RowError(line, None, code, reason)


def parse_award_csv(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    levels: Collection[str] | Mapping[str, str | Collection[str]] = (),
    today: date | None = None,
    max_errors: int = MAX_ERRORS,
) -> CsvParseResult:
    """Parse and validate a bulk-award CSV file (see the module docstring)."""
    if min(max_bytes, max_rows, max_errors) < 1:
        raise ValueError("max_bytes, max_rows and max_errors must be positive")
    level_index = _level_index(levels)
    sha256 = hashlib.sha256(data).hexdigest()
    if today is None:
        today = datetime.now(UTC).date()
    try:
        if len(data) > max_bytes:
            raise _FileError(
                ErrorCode.FILE_TOO_LARGE,
                f"The file is {_size(len(data))}; at most {_size(max_bytes)} is allowed. "
                "Split it into smaller files.",
            )
        text = _decode(data)
        delimiter = _sniff(text)
        parser = _Parser(level_index, today, max_rows, max_errors)
        parser.parse(text, delimiter)
    except _FileError as exc:
        return CsvParseResult([], [exc.error], sha256)
    except _Stop:
        return CsvParseResult([], parser.errors, sha256, delimiter)
    return CsvParseResult(parser.rows, parser.errors, sha256, delimiter)


# -- the file ---------------------------------------------------------------------------


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")  # reads and drops the byte order mark
        except UnicodeDecodeError as exc:
            raise _FileError(
                ErrorCode.ENCODING,
                "The file starts like UTF-16 text but is not valid UTF-16. "
                "Save it as CSV UTF-8 and try again.",
            ) from exc
    else:
        body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = body[: exc.start].count(b"\n") + 1
            raise _FileError(
                ErrorCode.ENCODING,
                f"The file is not UTF-8 text (the first invalid byte is on line {line}). "
                'In Excel, save it as "CSV UTF-8 (comma delimited)"; in other programs '
                "choose the UTF-8 character set when exporting.",
                line,
            ) from exc
    if "\x00" in text:
        raise _FileError(
            ErrorCode.ENCODING,
            "The file contains NUL characters: it is not a text file, or it is UTF-16 "
            "without a byte order mark. Save it as CSV UTF-8.",
        )
    if not _clean(text):
        raise _FileError(ErrorCode.EMPTY_FILE, "The file is empty.")
    return text


_CONTENT: Final = re.compile(r"[^\s,;\u200b\ufeff]")


def _sniff(text: str) -> str:
    """The separator that splits the first non-empty line into the most known names."""
    found = _CONTENT.search(text)
    at = found.start() if found else 0
    start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    ends = [end for end in (text.find("\n", at), text.find("\r", at)) if end >= 0]
    first = text[start : min(ends, default=len(text))]

    def score(delimiter: str) -> tuple[int, int]:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            return (0, 0)
        return (sum(_column_name(cell) in COLUMNS for cell in cells), len(cells))

    return max(DELIMITERS, key=score)


# -- cells ------------------------------------------------------------------------------

_NEWLINE: Final = re.compile(r"\r\n?")
_HEADER_JOIN: Final = re.compile(r"[\s_-]+")
_ALIASES: Final = {"e_mail": "email"}


def _clean(cell: str) -> str:
    """Line breaks as LF, NFC, no whitespace (nor zero-width space or BOM) around."""
    if "\r" in cell:
        cell = _NEWLINE.sub("\n", cell)
    cell = unicodedata.normalize("NFC", cell)
    while (trimmed := cell.strip().strip("\u200b\ufeff")) != cell:  # str.strip: linear
        cell = trimmed
    return cell


_NO_SEPARATORS: Final = str.maketrans("", "", "".join(DELIMITERS))


def _blank(cells: list[str]) -> bool:
    """Only whitespace and separators (say ``;;;`` in a ``,`` file): an empty row."""
    return not any(cells) or not _clean("".join(cells).translate(_NO_SEPARATORS))


def _column_name(cell: str) -> str:
    name = _HEADER_JOIN.sub("_", _clean(cell).casefold()).strip("_")
    return _ALIASES.get(name, name)


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message, shortened and with control characters escaped."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    return json.dumps(short, ensure_ascii=False)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
_CONTROL_NOT_TAB_LF: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_OR_CONTROL: Final = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def _level_index(
    levels: Collection[str] | Mapping[str, str | Collection[str]],
) -> dict[str, str] | None:
    if isinstance(levels, str):
        raise TypeError("levels must be a collection of level keys, not a single string")
    if not levels:
        return None
    index: dict[str, str] = {}
    for key in levels:
        names: list[str] = [key]
        if isinstance(levels, Mapping):
            more = levels[key]
            if isinstance(more, str):
                names.append(more)
            else:  # names, or translations like {"fi": "Perustaso", "sv": "Grundnivå"}
                names += more.values() if isinstance(more, Mapping) else more
        for name in names:
            folded = _fold(name)
            if index.setdefault(folded, key) != key:
                raise ValueError(f"level name {name!r} belongs to two levels")
    return index


# -- recipients and URLs ----------------------------------------------------------------

_ATOM: Final = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_PART: Final = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TLD: Final = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
# DID Core §3.1 (as badges.did): did = "did:" method-name ":" method-specific-id
_DID: Final = re.compile(
    r"did:[a-z0-9]+:(?:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})*:)*"
    r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+"
)


@functools.lru_cache(maxsize=4096)  # files repeat the same few domains
def _hostname_problem(host: str, *, need_dot: bool) -> str | None:
    """Why ``host`` (lower case, no trailing dot) is not a usable DNS name, or ``None``."""
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"has a domain {_shown(host)} that is not valid"
    labels = ascii_host.split(".")
    if len(ascii_host) > 253:
        return "has a domain that is too long"
    bad = next((label for label in labels if not _LABEL.fullmatch(label)), None)
    if bad is not None:
        return f"has a domain part {_shown(bad)} that is not valid"
    if need_dot and len(labels) < 2:
        return "has a domain without a dot (expected one like example.fi)"
    if len(labels) > 1 and not _TLD.fullmatch(labels[-1]):
        return f"has a domain ending {_shown(labels[-1])} that is not valid"
    return None


def _check_email(value: str) -> tuple[str, str | None]:
    """(normalised address, problem or None)."""
    address = value[7:] if value[:7].casefold() == "mailto:" else value
    address = address.lower()
    if len(address) > MAX_EMAIL:
        return address, f"is longer than {MAX_EMAIL} characters"
    if _SPACE_OR_CONTROL.search(address):
        return address, "contains spaces or line breaks; give one address per row"
    if "<" in address or ">" in address:
        return address, "must be the bare address, like maija.meikalainen@example.fi"
    if address.count("@") != 1:
        what = "has no @" if "@" not in address else "has more than one @"
        return address, f"{what}; expected an address like maija.meikalainen@example.fi"
    local, domain = address.split("@")
    if not local or not domain:
        return address, "is missing the part before or after the @"
    if len(local) > 64:
        return address, "has more than 64 characters before the @"
    if not _LOCAL_PART.fullmatch(local):
        return address, "has characters or dots before the @ that e-mail addresses cannot have"
    if problem := _hostname_problem(domain, need_dot=True):
        return address, problem
    return address, None


def _check_did(value: str) -> tuple[str, str | None]:
    did = "did:" + value[4:] if value[:4].casefold() == "did:" else value
    if len(did) > MAX_URL:
        return did, f"is longer than {MAX_URL} characters"
    if not _DID.fullmatch(did):
        return did, (
            "is not a DID: expected did:<method>:<identifier> with a lower-case method, "
            "like did:key:z6Mk… or did:web:example.fi"
        )
    return did, None


def _check_url(value: str) -> tuple[str, str | None]:
    """(normalised URL, problem or None) for an http(s) URL with a host."""
    if len(value) > MAX_URL:
        return value, f"is longer than {MAX_URL} characters"
    if _SPACE_OR_CONTROL.search(value):
        return value, "contains spaces or line breaks"
    try:
        parts: SplitResult = urlsplit(value)
        port = parts.port
    except ValueError:
        return value, "is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        return value, "must start with https:// (or http://)"
    host = parts.hostname or ""
    if not host:
        return value, "has no host name, like https://example.fi/…"
    if parts.username is not None or parts.password is not None:
        return value, "must not contain a user name or password"
    if port == 0:
        return value, "has an invalid port"
    try:
        if ":" not in host and not host[-1:].isdigit():
            raise ValueError(host)  # a name, not an address: skip the slow check
        ipaddress.ip_address(host)
    except ValueError:
        if problem := _hostname_problem(host.rstrip("."), need_dot=False):
            return value, problem
    normalised = parts._replace(scheme=scheme, netloc=parts.netloc.lower()).geturl()
    return normalised, None


_RECIPIENT_CHECKS: Final = {
    "email": (_check_email, ErrorCode.INVALID_EMAIL, "E-mail address"),
    "did": (_check_did, ErrorCode.INVALID_DID, "DID"),
    "url": (_check_url, ErrorCode.INVALID_URL, "URL"),
}

# -- dates ------------------------------------------------------------------------------

_ISO_DATE: Final = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_FINNISH_DATE: Final = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?", re.ASCII)
_ISO_DATE_TIME: Final = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hm>\d{2}:\d{2})(?P<s>:\d{2})?(?:[.,](?P<frac>\d+))?"
    r"\s?(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?",
    re.ASCII,
)
_DATE_FORMATS: Final = (
    "use YYYY-MM-DD (2026-12-31), D.M.YYYY (31.12.2026) or an ISO date and time "
    "(2026-12-31T12:00:00Z)"
)
_END_OF_DAY: Final = time(23, 59, 59, tzinfo=UTC)


def _zone(text: str) -> timezone:
    if text in ("Z", "z"):
        return UTC
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-offset if text[0] == "-" else offset)  # ValueError beyond 24 h


def _parse_valid_until(value: str) -> datetime | str:
    """A UTC datetime, or the reason the value is not a date."""
    try:
        if match := _ISO_DATE.fullmatch(value):
            year, month, day = (int(part) for part in match.groups())
            return datetime.combine(date(year, month, day), _END_OF_DAY)
        if match := _FINNISH_DATE.fullmatch(value):
            day, month, year = (int(part) for part in match.groups())
            return datetime.combine(date(year, month, day), _END_OF_DAY)
        if match := _ISO_DATE_TIME.fullmatch(value):
            frac = (match["frac"] or "")[:6]
            text = f"{match['date']}T{match['hm']}{match['s'] or ':00'}"
            parsed = datetime.fromisoformat(text + (f".{frac:0<6}" if frac else ""))
            return parsed.replace(tzinfo=_zone(match["tz"] or "Z")).astimezone(UTC)
    except (ValueError, OverflowError):
        return f"{_shown(value)} is not a real date or time"
    if re.fullmatch(r"[0-9]{1,2}[./-][0-9]{1,2}[./-][0-9]{2}", value):
        return f"{_shown(value)} has a two-digit year; {_DATE_FORMATS}"
    return f"{_shown(value)} is not a date; {_DATE_FORMATS}"


# -- rows -------------------------------------------------------------------------------


def _idempotency_key(
    kind: str,
    recipient: str,
    name: str,
    narrative: str,
    evidence: tuple[str, ...],
    level: str,
    valid_until: datetime | None,
    language: str,
) -> str:
    payload = [
        _KEY_VERSION,
        kind,
        recipient,
        name,
        narrative,
        list(evidence),
        level,
        valid_until.isoformat() if valid_until else "",
        language,
    ]
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def _read_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every record, empty ones included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 0
    try:
        for line, cells in enumerate(reader, 1):
            yield line, cells
    except csv.Error as exc:
        line += 1
        problem = (
            f"a cell is longer than {csv.field_size_limit()} characters, or a quotation "
            "mark is not closed"
            if "field limit" in str(exc)
            else "a quotation mark is misplaced or not closed"
        )
        raise _FileError(
            ErrorCode.MALFORMED_CSV,
            f"Line {line} cannot be read as CSV: {problem}. Quote a whole cell "
            '("like, this") and write a quotation mark inside quotes twice ("").',
            line,
        ) from exc


class _Parser:
    def __init__(
        self, levels: dict[str, str] | None, today: date, max_rows: int, max_errors: int
    ) -> None:
        self.levels = levels
        self.today = today
        self.max_rows = max_rows
        self.max_errors = max_errors
        self.rows: list[AwardRow] = []
        self.errors: list[RowError] = []
        self.columns: list[str | None] = []  # per header position; None: no name
        self.recipients: dict[tuple[str, str], int] = {}
        self.line = 0

    def parse(self, text: str, delimiter: str) -> None:
        rows: list[tuple[int, list[str]]] = []
        header = False
        for line, cells in _read_records(text, delimiter):
            if _blank(cells):
                continue
            if not header:
                header = True
                self.line = line
                self._header(cells)
                if self.errors:
                    return
                continue
            if len(rows) == self.max_rows:
                raise _FileError(
                    ErrorCode.TOO_MANY_ROWS,
                    f"The file has more than {self.max_rows} rows (line {line} is the first "
                    "one too many). Split it into smaller files.",
                    line,
                )
            rows.append((line, cells))
        if not header:
            raise _FileError(ErrorCode.EMPTY_FILE, "The file is empty.")
        if not rows:
            raise _FileError(
                ErrorCode.NO_ROWS, "The file has a header line but no recipients below it."
            )
        for self.line, cells in rows:
            self._row(cells)

    def _error(self, column: str | None, code: ErrorCode, reason: str) -> None:
        self.errors.append(RowError(self.line, column, code, reason))
        if len(self.errors) == self.max_errors:
            self.errors.append(
                RowError(
                    self.line,
                    None,
                    ErrorCode.TOO_MANY_ERRORS,
                    f"Stopped after {self.max_errors} errors on line {self.line}: fix "
                    "these and upload the file again.",
                )
            )
            raise _Stop

    def _header(self, cells: list[str]) -> None:
        allowed = ", ".join(COLUMNS)
        seen: set[str] = set()
        for cell in cells:
            name = _column_name(cell)
            if not name:
                self.columns.append(None)
                continue
            written = _clean(cell)
            if name not in COLUMNS:
                hint = (
                    " The first line must name the columns; it seems to hold a recipient."
                    if "@" in written or ":" in written
                    else ""
                )
                self._error(
                    written,
                    ErrorCode.UNKNOWN_COLUMN,
                    f"Unknown column {_shown(written)}. Allowed columns: {allowed}.{hint}",
                )
            elif name in seen:
                self._error(name, ErrorCode.DUPLICATE_COLUMN, f"The column {name} appears twice.")
            seen.add(name)
            self.columns.append(name)
        if not any(kind in self.columns for kind in RECIPIENT_COLUMNS):
            self._error(
                None,
                ErrorCode.MISSING_RECIPIENT_COLUMN,
                "There is no recipient column: add a column email, did or url "
                f"(allowed columns: {allowed}).",
            )

    def _row(self, cells: list[str]) -> None:
        errors_before = len(self.errors)
        values: dict[str, str] = {}
        extra: list[int] = []
        for index, cell in enumerate(cells):
            column = self.columns[index] if index < len(self.columns) else None
            if column is not None:
                values[column] = _clean(cell)
            elif _clean(cell):
                extra.append(index)
        if extra:
            letters = ", ".join(_column_letter(index) for index in extra[:3])
            if len(extra) > 3:
                letters += f" and {len(extra) - 3} more"
            first = _shown(_clean(cells[extra[0]]))
            self._error(
                None,
                ErrorCode.EXTRA_VALUE,
                f"Column {letters} has a value {first} but no column name on the header line."
                if len(extra) == 1
                else f"Columns {letters} have values (the first: {first}) but no column "
                "names on the header line.",
            )
        recipient = self._recipient(values)
        name = self._name(values.get("name", ""))
        narrative = self._narrative(values.get("narrative", ""))
        evidence = self._evidence(values.get("evidence_url", ""))
        level = self._level(values.get("level", ""))
        valid_until = self._valid_until(values.get("valid_until", ""))
        language = self._language(values.get("language", ""))
        if len(self.errors) > errors_before or recipient is None:
            return
        kind, address = recipient
        key = _idempotency_key(
            kind, address, name, narrative, evidence, level, valid_until, language
        )
        self.rows.append(
            AwardRow(
                self.line,
                kind,
                address,
                name,
                narrative,
                evidence,
                level,
                valid_until,
                language,
                key,
            )
        )

    def _recipient(self, values: dict[str, str]) -> tuple[RecipientKind, str] | None:
        present = [kind for kind in RECIPIENT_COLUMNS if values.get(kind)]
        if not present:
            columns = [kind for kind in RECIPIENT_COLUMNS if kind in self.columns]
            self._error(
                columns[0],
                ErrorCode.MISSING_RECIPIENT,
                f"No recipient: fill in {' or '.join(columns)}.",
            )
            return None
        if len(present) > 1:
            self._error(
                present[1],
                ErrorCode.MULTIPLE_RECIPIENTS,
                f"Give one recipient per row: {' and '.join(present)} are both filled in.",
            )
            return None
        kind = present[0]
        value = values[kind]
        check, code, what = _RECIPIENT_CHECKS[kind]
        normalised, problem = check(value)
        if problem:
            self._error(kind, code, f"{what} {_shown(value)} {problem}.")
            return None
        first = self.recipients.setdefault((kind, normalised), self.line)
        if first != self.line:
            self._error(
                kind,
                ErrorCode.DUPLICATE_RECIPIENT,
                f"The recipient {_shown(normalised)} is already on line {first}.",
            )
            return None
        return kind, normalised

    def _name(self, value: str) -> str:
        name = " ".join(value.split())
        if _CONTROL.search(name):
            self._error("name", ErrorCode.INVALID_CHARACTER, "The name has control characters.")
        elif len(name) > MAX_NAME:
            self._error(
                "name",
                ErrorCode.TOO_LONG,
                f"The name has {len(name)} characters; at most {MAX_NAME} are allowed.",
            )
        return name

    def _narrative(self, value: str) -> str:
        if _CONTROL_NOT_TAB_LF.search(value):
            self._error(
                "narrative",
                ErrorCode.INVALID_CHARACTER,
                "The narrative has control characters (other than line breaks and tabs).",
            )
        elif len(value) > MAX_NARRATIVE:
            self._error(
                "narrative",
                ErrorCode.TOO_LONG,
                f"The narrative has {len(value)} characters; at most {MAX_NARRATIVE} are allowed.",
            )
        return value

    def _evidence(self, value: str) -> tuple[str, ...]:
        urls = [part for part in re.split(r"[\s|]+", value) if part]
        if len(urls) > MAX_EVIDENCE_URLS:
            self._error(
                "evidence_url",
                ErrorCode.TOO_MANY_EVIDENCE_URLS,
                f"There are {len(urls)} evidence URLs; at most {MAX_EVIDENCE_URLS} are allowed.",
            )
            return ()
        found: dict[str, None] = {}
        for url in urls:
            normalised, problem = _check_url(url)
            if problem:
                self._error(
                    "evidence_url",
                    ErrorCode.INVALID_EVIDENCE_URL,
                    f"Evidence URL {_shown(url)} {problem}. Separate several URLs with "
                    "spaces or |.",
                )
            else:
                found[normalised] = None
        return tuple(found)

    def _level(self, value: str) -> str:
        if not value or self.levels is None:
            return value
        level = self.levels.get(_fold(value))
        if level is None:
            keys = ", ".join(dict.fromkeys(self.levels.values()))
            self._error(
                "level",
                ErrorCode.UNKNOWN_LEVEL,
                f"Unknown level {_shown(value)}; use one of: {keys}.",
            )
            return ""
        return level

    def _valid_until(self, value: str) -> datetime | None:
        if not value:
            return None
        parsed = _parse_valid_until(value)
        if isinstance(parsed, str):
            self._error("valid_until", ErrorCode.INVALID_DATE, f"valid_until {parsed}.")
            return None
        try:
            tomorrow = datetime.combine(self.today + timedelta(days=1), time(tzinfo=UTC))
        except OverflowError:
            tomorrow = datetime.max.replace(tzinfo=UTC)
        if parsed < tomorrow:
            self._error(
                "valid_until",
                ErrorCode.DATE_NOT_IN_FUTURE,
                f"valid_until {_shown(value)} is not after today ({self.today.isoformat()}): "
                "the badge would never be valid. Leave it empty for no end date.",
            )
            return None
        return parsed

    def _language(self, value: str) -> str:
        language = value.casefold()
        if language and language not in LANGUAGES:
            self._error(
                "language",
                ErrorCode.INVALID_LANGUAGE,
                f"Unknown language {_shown(value)}; use fi, sv or en, or leave it empty "
                "for the service default.",
            )
            return ""
        return language
