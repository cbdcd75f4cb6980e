"""Outbound HTTP done safely: the fetcher injected into the ``badges`` verifier.

http(s) only; every target address is checked after DNS resolution and the
connection goes to that checked address (no second lookup to rebind); private,
loopback, link-local and other non-global addresses are refused unless the
host is explicitly allowed; bounded redirects, body size and time.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from badges.errors import FetchError

USER_AGENT = "Merkki-verifier/0.1 (+https://github.com/merkki)"


@dataclass(frozen=True)
class SafeFetcher:
    """A callable ``HttpFetcher`` with SSRF guards and limits."""

    max_bytes: int = 1024 * 1024
    timeout: float = 10.0
    max_redirects: int = 3
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    """Hosts (name or name:port) that may resolve to non-public addresses, e.g. for tests."""
    accept: str = "application/ld+json, application/json;q=0.9, */*;q=0.1"

    def __call__(self, url: str) -> bytes:
        for _ in range(self.max_redirects + 1):
            status, location, body = self._get_once(url)
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if status != 200:
                raise FetchError(f"{url} answered HTTP {status}")
            return body
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _address(self, host: str, port: int) -> str:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(f"cannot resolve {host}") from exc
        allowed = host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts
        for info in infos:
            address = str(info[4][0])
            if allowed or ipaddress.ip_address(address).is_global:
                return address
        raise FetchError(f"{host} resolves to a private or reserved address; refused")

    def _get_once(self, url: str) -> tuple[int, str | None, bytes]:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise FetchError(f"only http(s) URLs can be fetched, got {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = self._address(parts.hostname, port)
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = _PinnedHTTPSConnection(parts.hostname, address, port, timeout=self.timeout)
        else:
            conn = http.client.HTTPConnection(address, port, timeout=self.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(
                "GET",
                path,
                headers={"Host": parts.netloc, "Accept": self.accept, "User-Agent": USER_AGENT},
            )
            response = conn.getresponse()
            body = response.read(self.max_bytes + 1)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"fetching {url} failed: {exc}") from exc
        finally:
            conn.close()
        if len(body) > self.max_bytes:
            raise FetchError(f"{url} is larger than {self.max_bytes} bytes")
        return response.status, response.getheader("Location"), body


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an already checked address, with SNI and certificate checks for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


safe_fetch = SafeFetcher()
