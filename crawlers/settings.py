"""Scrapy settings of the crawl: polite by default; `crawl(settings=...)` overrides any of them."""

from __future__ import annotations

import os

CONTACT_URL = os.environ.get("CAHUB_CRAWLER_CONTACT", "https://github.com/cahub/cahub#crawler")


def user_agent(contact: str = CONTACT_URL) -> str:
    """A descriptive User-Agent with a contact URL, as site owners expect of a research crawler."""
    return f"cahub-crawler/0.1 (+{contact}; Collective Action Hub curation, robots.txt obeyed)"


SETTINGS: dict[str, object] = {
    "BOT_NAME": "cahub",
    "USER_AGENT": os.environ.get("CAHUB_USER_AGENT") or user_agent(),
    "ROBOTSTXT_OBEY": True,
    # Politeness: one request at a time per site, at least DOWNLOAD_DELAY apart, slower when the site is.
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "DOWNLOAD_DELAY": 1.0,
    "DOWNLOAD_DELAY_JITTER": 0.0,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "CAHUB_MAX_CRAWL_DELAY": 60.0,
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 8 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 4 * 1024 * 1024,
    "DOWNLOAD_VERIFY_CERTIFICATES": True,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RETRY_BACKOFF_BASE": 2.0,
    "RETRY_BACKOFF_MAX": 30.0,
    "REDIRECT_MAX_TIMES": 10,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
    # Scrapy without the Twisted reactor, on asyncio, downloading with aiohttp.
    "TWISTED_REACTOR_ENABLED": False,
    "DOWNLOAD_HANDLERS": {
        "ftp": None,
        "http": "crawlers.download.AsyncioHttpHandler",
        "https": "crawlers.download.AsyncioHttpHandler",
    },
    "DOWNLOADER_MIDDLEWARES": {
        "crawlers.middlewares.SiteScopeMiddleware": 40,
        "crawlers.middlewares.AddressGuardMiddleware": 50,
        "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
        "crawlers.middlewares.NamedRobotsTxtMiddleware": 100,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawlers.middlewares.BackoffRetryMiddleware": 550,
    },
    "EXTENSIONS": {
        "scrapy.extensions.throttle.AutoThrottle": None,
        "crawlers.throttle.PoliteThrottle": 0,
    },
    "ITEM_PIPELINES": {"crawlers.pipelines.StagingPipeline": 300},
    # Stored bodies are capped; the crawler's own caps.
    "CAHUB_BODY_CAP": 1024 * 1024,
    "CAHUB_ALLOW_LOCAL": False,
}
