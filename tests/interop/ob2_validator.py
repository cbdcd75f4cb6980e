"""Run the IMS Open Badges 2.0 validator (PyPI ``openbadges`` 1.1.2) and print its report.

This script runs inside its own virtual environment, ``.venv-ob2`` (``make ob2validator``),
never in the project's: the validator pins old libraries. The tests call it through
:func:`tests.interop.ob2.validate`.

    .venv-ob2/bin/python tests/interop/ob2_validator.py --url URL [--recipient EMAIL]
    .venv-ob2/bin/python tests/interop/ob2_validator.py --jws FILE|- [--recipient EMAIL]
    .venv-ob2/bin/python tests/interop/ob2_validator.py --image FILE.png [--recipient EMAIL]

It prints ``{"valid": bool, "errorCount": n, "messages": [...], "graph": [...]}`` as JSON.

No network: the validator may fetch only from 127.0.0.1/localhost (the live service under
test); the Open Badges 2.0 JSON-LD context is answered from the copy pinned in
``badges/contexts`` and any other URL fails as a connection error.
"""

from __future__ import annotations

import collections
import collections.abc

# The validator's dependencies still use the aliases Python 3.10 removed.
for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Callable"):
    setattr(collections, _name, getattr(collections.abc, _name))

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import requests  # noqa: E402
import requests.adapters  # noqa: E402

CONTEXTS = Path(__file__).resolve().parents[2] / "badges" / "contexts"
PINNED = {
    "https://w3id.org/openbadges/v2": CONTEXTS / "w3id.org_openbadges_v2.jsonld",
    "https://openbadgespec.org/v2/context.json": CONTEXTS / "w3id.org_openbadges_v2.jsonld",
}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
_send = requests.adapters.HTTPAdapter.send


def _pinned(request: requests.PreparedRequest, path: Path) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response._content = path.read_bytes()  # a canned response: no public setter
    response.headers["Content-Type"] = "application/ld+json"
    response.url = str(request.url)
    response.request = request
    response.encoding = "utf-8"
    return response


def _send_offline(
    self: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any
) -> requests.Response:
    url = str(request.url)
    if url in PINNED:
        return _pinned(request, PINNED[url])
    if urlsplit(url).hostname in LOCAL_HOSTS:
        return _send(self, request, **kwargs)
    raise requests.ConnectionError(f"the validator may not fetch {url} (tests are offline)")


requests.adapters.HTTPAdapter.send = _send_offline  # type: ignore[method-assign]

from openbadges import verify  # type: ignore[import-not-found]  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--url", help="a hosted assertion URL")
    given.add_argument("--jws", help="a file with a signed assertion (JWS), or - for stdin")
    given.add_argument("--json", help="a file with an assertion's JSON, or - for stdin")
    given.add_argument("--image", help="a baked PNG")
    parser.add_argument("--recipient", help="the recipient's e-mail address")
    args = parser.parse_args()
    profile = {"email": args.recipient} if args.recipient else None
    options = {"use_cache": False, "cache_backend": None}
    if args.image:
        with open(args.image, "rb") as image:
            result = verify(image, profile, **options)
    else:
        source = args.jws or args.json
        if args.url:
            text = args.url
        elif source == "-":
            text = sys.stdin.read()
        else:
            text = Path(source).read_text(encoding="utf-8")
        result = verify(text.strip(), profile, **options)
    report = result["report"]
    out = {
        "valid": report["valid"],
        "errorCount": report["errorCount"],
        "warningCount": report["warningCount"],
        "messages": report["messages"],
        "graph": result["graph"],
    }
    json.dump(out, sys.stdout, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
