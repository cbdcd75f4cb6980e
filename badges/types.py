"""Type aliases shared across the library."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

JSONObject = dict[str, Any]
"""A parsed JSON object (the credential, a context, a DID document...)."""

DocumentLoader = Callable[[str], JSONObject]
"""Returns the JSON document for a URL, or raises ``DocumentLoaderError``."""

HttpFetcher = Callable[[str], bytes]
"""Fetches a URL and returns the body; raises ``FetchError`` on any failure.

The library never opens a network connection itself: callers inject a fetcher
(the service injects one with SSRF guards, tests inject a dict lookup).
"""
