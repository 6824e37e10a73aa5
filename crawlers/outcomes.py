"""Why a request failed, in the words of `sites.outcome`, from whatever exception Scrapy handed back."""

from __future__ import annotations

import re
import ssl

from scrapy.exceptions import IgnoreRequest

_NOISE = re.compile(r" ssl:(?:<[^>]*>|default|None|False|True)")


class BlockedAddress(IgnoreRequest):
    """The host resolves to a private, loopback or link-local address and `--allow-local` is off."""


class OffsiteRedirect(IgnoreRequest):
    """A request (usually a redirect) leaves the initiative's site."""


class RobotsBlocked(IgnoreRequest):
    """robots.txt forbids the URL for our User-Agent."""


class HostNotFound(IgnoreRequest):
    """The host name does not resolve."""


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def classify(exc: BaseException) -> tuple[str, str]:
    """(outcome, detail) for a failed request."""
    from scrapy.exceptions import CannotResolveHostError, DownloadCancelledError, DownloadTimeoutError

    # aiohttp's messages carry the repr of an SSL context ("ssl:<ssl.SSLContext object at 0x...>"): noise.
    detail = _NOISE.sub("", f"{type(exc).__name__}: {exc}")[:500]
    chain = _chain(exc)
    names = " ".join(type(e).__name__ for e in chain)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, RobotsBlocked):
        return "robots_blocked", "robots.txt forbids this URL"
    if isinstance(exc, OffsiteRedirect):
        return "offsite_redirect", str(exc)
    if isinstance(exc, BlockedAddress):
        return "unreachable", str(exc)
    if isinstance(exc, HostNotFound | CannotResolveHostError) or "DNSError" in names:
        return "dns_failure", detail
    if any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in chain) or (
        "SSL" in names or "Certificate" in names
    ):
        return "tls_error", detail
    if any(isinstance(e, DownloadTimeoutError | TimeoutError) for e in chain) or "timeout" in names.lower():
        return "timeout", detail
    if isinstance(exc, DownloadCancelledError):
        return "http_error", detail
    if isinstance(exc, IgnoreRequest) and "redirect" in text:
        return "http_error", f"redirect loop or too many redirects: {exc}"
    return "unreachable", detail
