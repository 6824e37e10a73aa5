"""Per-site delays: AutoThrottle, never below robots.txt's `Crawl-delay`, which Scrapy does not apply itself.

Crawl-delay is read when Scrapy's robots.txt middleware has parsed a file (the `robots_parsed` signal) and
becomes a floor on the delay of the request's download slot (one slot per site).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.extensions.throttle import AutoThrottle

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class PoliteThrottle(AutoThrottle):
    """AutoThrottle (when AUTOTHROTTLE_ENABLED) plus the Crawl-delay floor (always, unless capped to 0)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.adaptive = settings.getbool("AUTOTHROTTLE_ENABLED")
        self.debug = settings.getbool("AUTOTHROTTLE_DEBUG")
        self.target_concurrency = settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY") or 1.0
        self.max_crawl_delay = settings.getfloat("CAHUB_MAX_CRAWL_DELAY", 60.0)
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.floors: dict[str, float] = {}
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed, weak=False)
        if self.adaptive:
            crawler.signals.connect(self._spider_opened, signal=signals.spider_opened, weak=False)
            crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded, weak=False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteThrottle:
        return cls(crawler)

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = None
        parser = getattr(robotparser, "rp", None)
        if parser is not None and hasattr(parser, "crawl_delay"):
            delay = parser.crawl_delay(self.user_agent)
        if not delay:
            return
        key = request.meta.get("download_slot") or request.meta.get("cahub_site")
        if not key:
            return
        floor = min(float(delay), self.max_crawl_delay)
        self.floors[key] = floor
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return
        # Slots are made (and remade after idling) from per-slot settings, so the floor goes there too.
        downloader.per_slot_settings[key] = {**downloader.per_slot_settings.get(key, {}), "delay": floor}
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay = max(slot.delay, floor)

    def crawl_delay(self, key: str) -> float:
        return self.floors.get(key, 0.0)

    def _response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        super()._response_downloaded(response, request, spider)
        key = request.meta.get("download_slot")
        if key in self.floors:
            slot = self.crawler.engine.downloader.slots.get(key) if self.crawler.engine else None
            if slot is not None and slot.delay < self.floors[key]:
                slot.delay = self.floors[key]
