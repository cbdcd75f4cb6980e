"""``issuer.fetch``: every refusal of the SSRF-guarded fetcher, its limits and the cache.

A local HTTP server plays the remote side. Its origin is explicitly allowed
(``allowed_hosts``), so each test shows that the *target* of a redirect is checked
again, not just the first URL. No network except localhost.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from badges.errors import FetchError
from issuer.fetch import (
    IMAGE_TYPES,
    JSON_TYPES,
    VERIFY_INPUT_TYPES,
    DocumentCache,
    SafeFetcher,
    _is_public,
    max_age,
    parse_hosts,
)
from issuer.settings import Settings

_STOP = threading.Event()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        port = self.server.server_address[1]  # type: ignore[index]
        path, _, query = self.path.partition("?")
        json_type = {"Content-Type": "application/json"}
        if path == "/doc.json":
            self._send(200, b'{"ok": true}', {**json_type, "Cache-Control": "max-age=30"})
        elif path == "/did.json":
            self._send(200, b'{"id": "x"}', {"Content-Type": "application/did+ld+json"})
        elif path == "/host":
            self._send(200, self.headers["Host"].encode(), json_type)
        elif path == "/html":
            self._send(200, b"<html></html>", {"Content-Type": "text/html"})
        elif path == "/png":
            self._send(200, b"\x89PNG\r\n\x1a\n", {"Content-Type": "image/png"})
        elif path == "/no-type":
            self._send(200, b"{}", {})
        elif path == "/big":
            self._send(200, b"x" * 5000, json_type)
        elif path == "/big-chunked":  # no Content-Length: the cap applies while reading
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            self.close_connection = True
        elif path == "/stall":  # headers never come
            _STOP.wait(5)
        elif path == "/drip":  # a byte at a time, each within the socket timeout
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                if _STOP.wait(0.1):
                    return
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the client gave up, as it should
                    return
        elif path == "/redirect":
            target = query.removeprefix("to=")
            self._send(302, b"", {"Location": target})
        elif path == "/loop":
            self._send(302, b"", {"Location": f"http://127.0.0.1:{port}/loop"})
        elif path == "/missing":
            self._send(404, b"no", json_type)
        else:
            self._send(404, b"", {})


@pytest.fixture(scope="module")
def origin() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        _STOP.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def fetcher(origin: str) -> SafeFetcher:
    """The origin's host:port is allowed; nothing else on loopback is."""
    return SafeFetcher(allowed_hosts=frozenset({origin}), max_bytes=1000, timeout=2.0)


def _refused(fetcher: SafeFetcher, url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        fetcher(url)


# ---------------------------------------------------------------------- first URL


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/badge.json",
        "gopher://example.org/",
        "data:application/json,{}",
        "javascript:alert(1)",
        "//example.org/badge.json",
        "http:///no-host",
    ],
)
def test_only_http_urls(url: str) -> None:
    _refused(SafeFetcher(), url, "only http")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://10.255.255.254/x",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://[::1]/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::127.0.0.1]/",
        "http://[::]/",
        "https://[::1]:8443/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f000001/",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    _refused(SafeFetcher(), url, "private or reserved|cannot resolve")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("169.254.1.1", False),
        ("::1", False),
        ("fc00::1", False),
        ("fe80::1%1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("2002:7f00:1::1", False),  # 6to4 wrapping 127.0.0.1
        ("2002:0a00:0001::1", False),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::7f00:1", False),  # NAT64 of 127.0.0.1
        ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),  # Teredo to 10.0.0.1
        ("ff02::1", False),
        ("not an address", False),
    ],
)
def test_address_classification(address: str, public: bool) -> None:
    assert _is_public(address) is public


def test_credentials_in_urls_are_refused() -> None:
    _refused(SafeFetcher(), "http://user:pw@example.org/", "credentials")


def test_allowed_host_needs_the_same_port(origin: str) -> None:
    host, port = origin.split(":")
    fetcher = SafeFetcher(allowed_hosts=frozenset({f"{host}:{int(port) + 1}"}))
    _refused(fetcher, f"http://{origin}/doc.json", "private or reserved")
    by_name = SafeFetcher(allowed_hosts=frozenset({host}))
    assert by_name(f"http://{origin}/doc.json") == b'{"ok": true}'


# ---------------------------------------------------------------------- allowed origin


def test_allowed_origin_fetches(fetcher: SafeFetcher, origin: str) -> None:
    resource = fetcher.fetch(f"http://{origin}/doc.json")
    assert resource.body == b'{"ok": true}'
    assert resource.content_type == "application/json"
    assert resource.max_age == 30
    assert fetcher(f"http://{origin}/did.json") == b'{"id": "x"}'


def test_host_header_names_the_host(fetcher: SafeFetcher, origin: str) -> None:
    assert fetcher(f"http://{origin}/host") == origin.encode()


def test_http_errors(fetcher: SafeFetcher, origin: str) -> None:
    _refused(fetcher, f"http://{origin}/missing", "HTTP 404")


# ---------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2/doc.json",
        "http://10.0.0.1/doc.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/doc.json",
        "http://[::ffff:127.0.0.1]/doc.json",
        "http://localhost/doc.json",
    ],
)
def test_redirect_to_a_private_address_is_refused(
    fetcher: SafeFetcher, origin: str, target: str
) -> None:
    _refused(fetcher, f"http://{origin}/redirect?to={target}", "private or reserved")


def test_redirect_to_another_port_of_the_allowed_host_is_refused(
    fetcher: SafeFetcher, origin: str
) -> None:
    host, port = origin.split(":")
    target = f"http://{host}:{int(port) + 1}/doc.json"
    _refused(fetcher, f"http://{origin}/redirect?to={target}", "private or reserved")


def test_redirect_to_another_scheme_is_refused(fetcher: SafeFetcher, origin: str) -> None:
    _refused(fetcher, f"http://{origin}/redirect?to=file:///etc/passwd", "only http")


def test_redirect_within_the_allowed_origin_is_followed(fetcher: SafeFetcher, origin: str) -> None:
    resource = fetcher.fetch(f"http://{origin}/redirect?to=/doc.json")
    assert resource.body == b'{"ok": true}'
    assert resource.url == f"http://{origin}/doc.json"


def test_too_many_redirects(fetcher: SafeFetcher, origin: str) -> None:
    _refused(fetcher, f"http://{origin}/loop", "more than 3 redirects")
    none = SafeFetcher(allowed_hosts=fetcher.allowed_hosts, max_redirects=0)
    _refused(none, f"http://{origin}/redirect?to=/doc.json", "more than 0 redirects")


# ---------------------------------------------------------------------- size, time, type


def test_too_big(fetcher: SafeFetcher, origin: str) -> None:
    _refused(fetcher, f"http://{origin}/big", "larger than 1000 bytes")
    _refused(fetcher, f"http://{origin}/big-chunked", "larger than 1000 bytes")


def test_too_slow(origin: str) -> None:
    fetcher = SafeFetcher(allowed_hosts=frozenset({origin}), timeout=0.3)
    _refused(fetcher, f"http://{origin}/stall", "longer than 0.3 s")


def test_a_server_that_drips_is_cut_off_by_the_total_time(origin: str) -> None:
    """Each byte comes well within the timeout, but the whole body does not."""
    fetcher = SafeFetcher(allowed_hosts=frozenset({origin}), timeout=0.5)
    _refused(fetcher, f"http://{origin}/drip", "longer than 0.5 s")


def test_wrong_content_type(fetcher: SafeFetcher, origin: str) -> None:
    _refused(fetcher, f"http://{origin}/html", "content type 'text/html'")
    _refused(fetcher, f"http://{origin}/no-type", "content type 'none'")
    _refused(fetcher, f"http://{origin}/png", "content type 'image/png'")
    assert fetcher.fetch(f"http://{origin}/png", IMAGE_TYPES).content_type == "image/png"
    assert fetcher.fetch(f"http://{origin}/png", VERIFY_INPUT_TYPES).body.startswith(b"\x89PNG")
    with pytest.raises(FetchError, match="content type"):
        fetcher.fetch(f"http://{origin}/doc.json", IMAGE_TYPES)
    assert fetcher.fetch(f"http://{origin}/doc.json", JSON_TYPES).body


# ---------------------------------------------------------------------- own host


def test_own_host_is_allowed_and_https_falls_back_to_http(origin: str) -> None:
    """did:web always says https; a development service on http:// answers over http."""
    fetcher = SafeFetcher(own_url=f"http://{origin}")
    assert fetcher(f"https://{origin}/doc.json") == b'{"ok": true}'
    assert fetcher(f"http://{origin}/doc.json") == b'{"ok": true}'
    host, port = origin.split(":")
    _refused(fetcher, f"http://{host}:{int(port) + 1}/doc.json", "private or reserved")
    _refused(fetcher, f"http://{origin}/redirect?to=http://10.0.0.1/", "private or reserved")


def test_from_settings(origin: str) -> None:
    settings = Settings(
        base_url="https://merkki.example.fi",
        fetch_allowed_hosts=f"intranet.example, {origin}, [fd00::1]:8443",
        fetch_timeout=3,
        fetch_max_bytes=4096,
        fetch_max_redirects=2,
    )
    fetcher = SafeFetcher.from_settings(settings)
    assert fetcher.allowed_hosts == {"intranet.example", origin, "fd00::1:8443"} - {
        "fd00::1:8443"
    } | {"[fd00::1]:8443"}
    assert (fetcher.timeout, fetcher.max_bytes, fetcher.max_redirects) == (3, 4096, 2)
    assert fetcher.own_url == "https://merkki.example.fi"
    assert fetcher(f"http://{origin}/doc.json") == b'{"ok": true}'


def test_parse_hosts() -> None:
    assert parse_hosts(" A.example. ,b.example:8080,, [::1] ,[fd00::1]:8443") == {
        "a.example",
        "b.example:8080",
        "::1",
        "[fd00::1]:8443",
    }
    assert parse_hosts("") == frozenset()


def test_settings_refuse_a_bad_rate() -> None:
    with pytest.raises(ValueError, match="120/minute"):
        Settings(verify_rate="lots")
    assert Settings(verify_rate="10/second").verify_rate == "10/second"


# ---------------------------------------------------------------------- cache


def test_max_age_header() -> None:
    assert max_age("public, max-age=600") == 600
    assert max_age('max-age="30"') == 30
    assert max_age("no-store") == 0
    assert max_age("no-cache, max-age=60") == 0
    assert max_age("private, max-age=60") == 0
    assert max_age("public") is None
    assert max_age(None) is None


def test_cache_expiry_and_cap() -> None:
    now = [1000.0]
    cache = DocumentCache(ttl=300, default_ttl=60, clock=lambda: now[0])
    cache.put("a", b"A", max_age=10)
    cache.put("b", b"B", max_age=10_000)  # capped at 300 s
    cache.put("c", b"C")  # no max-age: 60 s
    cache.put("d", b"D", max_age=0)  # no-store: not kept
    assert (cache.get("a"), cache.get("b"), cache.get("c"), cache.get("d")) == (
        b"A",
        b"B",
        b"C",
        None,
    )
    now[0] += 11
    assert cache.get("a") is None
    assert cache.get("c") == b"C"
    now[0] += 60
    assert cache.get("c") is None
    assert cache.get("b") == b"B"
    now[0] += 300
    assert cache.get("b") is None


def test_cache_is_bounded() -> None:
    cache = DocumentCache(max_entries=3, max_bytes=4000)
    for name in "abcd":
        cache.put(name, name.encode())
    assert len(cache) == 3
    assert cache.get("a") is None  # least recently used went first
    assert cache.get("b") == b"b"
    cache.put("e", b"e")
    assert cache.get("c") is None  # b was used, c was not
    cache.put("huge", b"x" * 2000)  # over a quarter of the byte budget: not kept
    assert cache.get("huge") is None
    for index in range(3):
        cache.put(f"k{index}", b"y" * 900)
    assert sum(len(cache.get(f"k{i}") or b"") for i in range(3)) <= 4000


def test_cache_is_thread_safe() -> None:
    cache = DocumentCache(max_entries=50)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        try:
            for index in range(2000):
                key = f"{(seed * 7 + index) % 80}"
                cache.put(key, key.encode())
                value = cache.get(key)
                assert value in (None, key.encode())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(cache) <= 50


def test_no_second_dns_lookup(monkeypatch: pytest.MonkeyPatch, origin: str) -> None:
    """The connection goes to the address that was checked (no rebinding window)."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def counting(host: str, *args: object, **kwargs: object) -> object:
        calls.append(host)
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", counting)
    port = origin.split(":")[1]
    fetcher = SafeFetcher(allowed_hosts=frozenset({f"localhost:{port}"}))
    try:
        body = fetcher(f"http://localhost:{port}/doc.json")
    except FetchError:  # localhost resolved to ::1 first, where the origin does not listen
        body = None
    assert calls[0] == "localhost"
    assert all(ipaddress.ip_address(host) for host in calls[1:])  # literals only, no lookup
    assert body in (None, b'{"ok": true}')
