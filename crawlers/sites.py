"""What counts as one site: `www.` and the bare domain, and http and https, are the same site."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def host_key(url: str) -> str:
    """The site identity of a URL: its host without `www.`, plus a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port is not None and port not in (80, 443):
        return f"{host}:{port}"
    return host


def url_key(url: str) -> str:
    """A URL with scheme, `www.` and fragment erased, so the same page is fetched once per site."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return urlunsplit(("", host_key(url), path, parts.query, ""))


def is_http(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")
