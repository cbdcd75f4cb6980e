"""Outbound HTTP done safely: the fetcher injected into the ``badges`` verifier.

Every hop (the first request and each redirect) is checked the same way:

- the scheme is ``http`` or ``https``;
- the host name is resolved once and the connection goes to that checked address
  (no second lookup an attacker could rebind); an address that is not globally
  routable is refused: loopback, RFC 1918 private, link-local (169.254/16, fe80::/10,
  so cloud metadata endpoints), CGNAT, multicast, reserved, unique-local fc00::/7,
  and IPv6 forms that embed such an IPv4 address (``::ffff:127.0.0.1``, 6to4, NAT64);
- except for hosts listed in ``allowed_hosts`` (``host`` or ``host:port``, e.g.
  ``MERKKI_FETCH_ALLOWED_HOSTS``) and the service's own public host (``own_url``), so
  it can verify its own badges (did:web documents, status lists) without opening
  loopback in general. When the service runs on plain ``http://`` (development), an
  ``https://`` URL on its own host is fetched over ``http://`` — did:web always says
  https.
- any port is allowed: the address check, not the port, is the guard (a public host
  on an odd port is no more dangerous than on 443).

At most ``max_redirects`` redirects, at most ``max_bytes`` of body (a larger
``Content-Length`` is refused before reading), one ``timeout`` for the whole fetch
(connect, headers and body together, so a server that drips bytes is cut off), and
the response's ``Content-Type`` must be in the allow-list of the use.

:class:`DocumentCache` keeps fetched documents (DID documents, keys, status lists,
issuer profiles — never verification results) for a short time, honouring
``Cache-Control: max-age`` and ``no-store`` up to a cap.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from badges.errors import FetchError

if TYPE_CHECKING:
    from issuer.settings import Settings

USER_AGENT = "Merkki-verifier/0.1 (+https://github.com/merkki)"

JSON_TYPES = frozenset(
    {
        "application/json",
        "application/ld+json",
        "application/did+json",
        "application/did+ld+json",
        "application/vc+ld+json",
        "application/vc",
        "application/vp",
    }
)
"""JSON documents: DID documents, keys, status lists, profiles, credentials."""
JWT_TYPES = frozenset({"application/vc+jwt", "application/jwt", "application/vp+jwt", "text/plain"})
"""A compact JWT or JWS (OB 2.0 signed assertions are often served as text/plain)."""
IMAGE_TYPES = frozenset({"image/png", "image/svg+xml"})
"""Baked badge images."""
CREDENTIAL_TYPES = JSON_TYPES | JWT_TYPES
VERIFY_INPUT_TYPES = CREDENTIAL_TYPES | IMAGE_TYPES

_REDIRECTS = (301, 302, 303, 307, 308)
_ACCEPT = {
    JSON_TYPES: "application/ld+json, application/json;q=0.9, */*;q=0.1",
    CREDENTIAL_TYPES: (
        "application/vc+ld+json, application/ld+json, application/json;q=0.9, "
        "application/vc+jwt;q=0.8, application/jwt;q=0.8, text/plain;q=0.5"
    ),
    VERIFY_INPUT_TYPES: (
        "application/vc+ld+json, application/ld+json, application/json;q=0.9, "
        "application/vc+jwt;q=0.8, image/png;q=0.8, image/svg+xml;q=0.8, text/plain;q=0.5"
    ),
}
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FetchedResource:
    """A fetched body with what the cache and the caller need to know about it."""

    url: str
    """The final URL, after redirects."""
    body: bytes
    content_type: str
    """The media type without parameters, lower case."""
    max_age: float | None = None
    """``Cache-Control: max-age`` in seconds; 0 for ``no-store``/``no-cache``; None: absent."""


def media_type(header: str | None) -> str:
    """``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    return (header or "").split(";", 1)[0].strip().lower()


def max_age(header: str | None) -> float | None:
    """Seconds a response may be reused for according to its ``Cache-Control``."""
    if not header:
        return None
    lowered = header.lower()
    if "no-store" in lowered or "no-cache" in lowered or "private" in lowered:
        return 0.0
    found = _MAX_AGE.search(header)
    return float(found.group(1)) if found else None


def _is_public(address: str) -> bool:
    """Globally routable, also when an IPv6 address carries an IPv4 one."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded: ipaddress.IPv4Address | None = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not _is_public(str(embedded)):
            return False
        if ip in _IPV4_COMPATIBLE:  # deprecated ::a.b.c.d
            return False
    return bool(ip.is_global) and not ip.is_multicast


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _host_keys(host: str, port: int) -> tuple[str, str]:
    host = host.lower().rstrip(".")
    shown = f"[{host}]" if ":" in host else host
    return host, f"{shown}:{port}"


def parse_hosts(value: str | None) -> frozenset[str]:
    """``"a.example, [::1]:8443, b.example:8080"`` → the normalised allow-list entries."""
    hosts: set[str] = set()
    for item in (value or "").split(","):
        entry = item.strip().lower().rstrip(".")
        if not entry:
            continue
        if entry.startswith("[") and entry.endswith("]"):
            entry = entry[1:-1]
        hosts.add(entry)
    return frozenset(hosts)


@dataclass(frozen=True)
class SafeFetcher:
    """A callable ``HttpFetcher`` with SSRF guards and limits (thread-safe, stateless)."""

    max_bytes: int = 1024 * 1024
    timeout: float = 10.0
    """Seconds for the whole fetch, redirects included."""
    max_redirects: int = 3
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    """Hosts (``name`` or ``name:port``, IPv6 in brackets with a port) that may resolve to
    non-public addresses, e.g. for tests and intranet issuers."""
    own_url: str | None = None
    """The service's public base URL: its host is allowed (and fetched over http when the
    base URL is http)."""
    content_types: frozenset[str] = CREDENTIAL_TYPES
    """What ``__call__`` (the ``HttpFetcher`` interface) accepts: JSON documents and
    VC-JWT-secured ones (e.g. the status lists of P-256 and RSA issuers)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> SafeFetcher:
        return cls(
            max_bytes=settings.fetch_max_bytes,
            timeout=settings.fetch_timeout,
            max_redirects=settings.fetch_max_redirects,
            allowed_hosts=parse_hosts(settings.fetch_allowed_hosts),
            own_url=settings.public_url,
        )

    def __call__(self, url: str) -> bytes:
        return self.fetch(url, self.content_types).body

    def fetch(self, url: str, accept: frozenset[str] | None = None) -> FetchedResource:
        """GET ``url`` following checked redirects; the body must be of an ``accept`` type."""
        allowed_types = self.content_types if accept is None else accept
        deadline = time.monotonic() + self.timeout
        current = url
        for _ in range(self.max_redirects + 1):
            status, headers, body = self._get_once(current, allowed_types, deadline)
            location = headers.get("location")
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                continue
            if status != 200:
                raise FetchError(f"{current} answered HTTP {status}", status=status)
            kind = media_type(headers.get("content-type"))
            if not _type_allowed(kind, allowed_types):
                raise FetchError(
                    f"{current} answered content type {kind or 'none'!r}, expected one of "
                    + ", ".join(sorted(allowed_types))
                )
            return FetchedResource(current, body, kind, max_age(headers.get("cache-control")))
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    # ------------------------------------------------------------------ one hop

    def _own_origin(self) -> tuple[str, str, int] | None:
        if not self.own_url:
            return None
        parts = urlsplit(self.own_url)
        if not parts.hostname:
            return None
        default = 443 if parts.scheme == "https" else 80
        return parts.scheme, parts.hostname.lower(), parts.port or default

    def _target(self, url: str) -> tuple[str, str, int, bool]:
        """(scheme, host, port, allowed without the address check) of a checked URL."""
        try:
            parts = urlsplit(url)
            port_given = parts.port
        except ValueError as exc:
            raise FetchError(f"cannot parse URL {url!r}") from exc
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise FetchError(f"only http(s) URLs can be fetched, got {url[:200]!r}")
        if parts.username or parts.password:
            raise FetchError("URLs with credentials are not fetched")
        scheme, host = parts.scheme, parts.hostname.lower().rstrip(".")
        port = port_given or (443 if scheme == "https" else 80)
        own = self._own_origin()
        if own is not None and host == own[1]:
            own_scheme, _, own_port = own
            if own_scheme == "http" and scheme == "https" and port_given in (None, own_port):
                return "http", host, own_port, True  # did:web on a development service
            if scheme == own_scheme and port == own_port:
                return scheme, host, port, True
        name, with_port = _host_keys(host, port)
        allowed = name in self.allowed_hosts or with_port in self.allowed_hosts
        return scheme, host, port, allowed

    def _address(self, host: str, port: int, allowed: bool) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host}") from exc
        for info in infos:
            address = str(info[4][0])
            if allowed or _is_public(address):
                return address
        raise FetchError(f"{host} resolves to a private or reserved address; refused")

    def _get_once(
        self, url: str, accept: frozenset[str], deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        scheme, host, port, allowed = self._target(url)
        address = self._address(host, port, allowed)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"fetching {url} took longer than {self.timeout:g} s")
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = _PinnedHTTPSConnection(host, address, port, timeout=remaining)
        else:
            conn = _PinnedHTTPConnection(host, address, port, timeout=remaining)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        netloc = host if port == (443 if scheme == "https" else 80) else f"{host}:{port}"
        if ":" in host:
            netloc = f"[{host}]" + ("" if netloc == host else f":{port}")
        try:
            conn.request(
                "GET",
                path,
                headers={
                    "Host": netloc,
                    "Accept": _ACCEPT.get(accept, "*/*"),
                    "Accept-Encoding": "identity",
                    "User-Agent": USER_AGENT,
                },
            )
            response = conn.getresponse()
            headers = {key.lower(): value for key, value in response.getheaders()}
            body = b""
            if response.status not in _REDIRECTS:
                body = self._read_body(response, url, deadline, conn)
        except TimeoutError as exc:
            raise FetchError(f"fetching {url} took longer than {self.timeout:g} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"fetching {url} failed: {exc}") from exc
        finally:
            conn.close()
        return response.status, headers, body

    def _read_body(
        self,
        response: http.client.HTTPResponse,
        url: str,
        deadline: float,
        conn: http.client.HTTPConnection,
    ) -> bytes:
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(f"{url} is larger than {self.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchError(f"fetching {url} took longer than {self.timeout:g} s")
            if conn.sock is not None:
                conn.sock.settimeout(remaining)
            chunk = response.read1(min(65536, self.max_bytes + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"{url} is larger than {self.max_bytes} bytes")


def _type_allowed(kind: str, allowed: frozenset[str]) -> bool:
    if kind in allowed:
        return True
    # Structured syntax suffixes (RFC 6839): any application/*+json is JSON.
    return kind.startswith("application/") and kind.endswith("+json") and bool(allowed & JSON_TYPES)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to an already checked address (no second DNS lookup)."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an already checked address, with SNI and certificate checks for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class DocumentCache:
    """A small thread-safe LRU of fetched documents with per-entry expiry.

    Entries live ``min(max-age, ttl)`` seconds (``ttl`` when the response set no
    ``max-age``; not at all for ``no-store``/``no-cache``); at most ``max_entries``
    entries and ``max_bytes`` bytes in all.
    """

    def __init__(
        self,
        ttl: float = 300.0,
        max_entries: int = 1024,
        max_bytes: int = 32 * 1024 * 1024,
        default_ttl: float = 60.0,
        clock: object = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.default_ttl = min(default_ttl, ttl)
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._clock = clock if callable(clock) else time.monotonic
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes | None:
        now = float(self._clock())
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            expires, body = entry
            if expires <= now:
                del self._entries[url]
                self._size -= len(body)
                return None
            self._entries.move_to_end(url)
            return body

    def put(self, url: str, body: bytes, max_age: float | None = None) -> None:
        lifetime = self.default_ttl if max_age is None else min(max_age, self.ttl)
        if lifetime <= 0 or len(body) > self.max_bytes // 4:
            return
        expires = float(self._clock()) + lifetime
        with self._lock:
            old = self._entries.pop(url, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[url] = (expires, body)
            self._size += len(body)
            while self._entries and (
                len(self._entries) > self.max_entries or self._size > self.max_bytes
            ):
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def discard(self, url: str) -> None:
        with self._lock:
            entry = self._entries.pop(url, None)
            if entry is not None:
                self._size -= len(entry[1])

    def expires(self, url: str) -> float | None:
        """When the entry for ``url`` expires (on this cache's clock), or None if absent."""
        with self._lock:
            entry = self._entries.get(url)
            return entry[0] if entry is not None else None

    def now(self) -> float:
        return float(self._clock())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)


def strip_fragment(url: str) -> str:
    """The URL without its ``#fragment`` (what goes over the wire)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


safe_fetch = SafeFetcher()
