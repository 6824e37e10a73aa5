"""Downloader middlewares: keep to the initiative's site, never reach private addresses, name robots.txt
refusals, and back off before retrying."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from .outcomes import BlockedAddress, HostNotFound, OffsiteRedirect, RobotsBlocked
from .sites import host_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class SiteScopeMiddleware:
    """Drop a request for another site, e.g. a redirect off the initiative's domain, before it connects.

    Requests without a download slot (robots.txt) get their site's, so they share its delay and concurrency.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteScopeMiddleware:
        return cls()

    def process_request(self, request: Request) -> None:
        request.meta.setdefault("download_slot", host_key(request.url))
        hosts = request.meta.get("cahub_hosts")
        if hosts and host_key(request.url) not in hosts:
            raise OffsiteRedirect(f"leaves the site for {request.url}")


def forbidden_reason(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for label, flag in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("unspecified", ip.is_unspecified),
    ):
        if flag:
            return f"{label} address {ip}"
    return None


class AddressGuardMiddleware:
    """Refuse any host that resolves to a private, loopback or link-local address (CAHUB_ALLOW_LOCAL off).

    Checked before each request, redirects included, and again on the address the response came from, so
    a DNS answer that changes between the check and the connection is still caught.
    """

    def __init__(self, crawler: Crawler):
        self.allow_local = crawler.settings.getbool("CAHUB_ALLOW_LOCAL")
        # Exact addresses let through even with allow_local off (a demo host, or a test's one loopback site).
        self.allowed = {
            str(ipaddress.ip_address(a)) for a in crawler.settings.getlist("CAHUB_ALLOW_ADDRESSES")
        }
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(crawler)

    async def _addresses(self, host: str, port: int) -> list[str]:
        if host not in self._cache:
            try:
                ipaddress.ip_address(host)
                self._cache[host] = [host]
            except ValueError:
                loop = asyncio.get_running_loop()
                try:
                    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
                except (socket.gaierror, UnicodeError) as exc:
                    raise HostNotFound(f"cannot resolve {host}: {exc}") from exc
                self._cache[host] = sorted({str(info[4][0]) for info in infos})
        return self._cache[host]

    async def process_request(self, request: Request) -> None:
        parsed = urlparse_cached(request)
        host = (parsed.hostname or "").strip("[]")
        if not host:
            return
        addresses = await self._addresses(host, parsed.port or (443 if parsed.scheme == "https" else 80))
        if self.allow_local:
            return
        for address in addresses:
            reason = None if address in self.allowed else forbidden_reason(address)
            if reason:
                raise BlockedAddress(
                    f"refused: {host} resolves to a {reason} (only allowed with --allow-local)"
                )

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            not self.allow_local
            and response.ip_address is not None
            and str(response.ip_address) not in self.allowed
        ):
            reason = forbidden_reason(str(response.ip_address))
            if reason:
                raise BlockedAddress(f"refused: the response came from a {reason}")
        return response


class NamedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, raising `RobotsBlocked` so a refused site gets its own outcome."""

    def process_request_2(self, rp: Any, request: Request) -> None:
        try:
            super().process_request_2(rp, request)
        except RobotsBlocked:
            raise
        except IgnoreRequest as exc:
            raise RobotsBlocked(str(exc)) from exc


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting `RETRY_BACKOFF_BASE * 2**n` seconds (at most RETRY_BACKOFF_MAX) first.

    The wait holds only the retried request, and with it its site: other sites go on downloading.
    """

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def _wait(self, result: Any) -> Any:
        if isinstance(result, Request):
            times = int(result.meta.get("retry_times", 1))
            await asyncio.sleep(min(self.cap, self.base * 2 ** (times - 1)))
        return result

    async def process_response(self, request: Request, response: Response) -> Any:  # type: ignore[override]
        return await self._wait(super().process_response(request, response))

    async def process_exception(self, request: Request, exception: Exception) -> Any:  # type: ignore[override]
        return await self._wait(super().process_exception(request, exception))
