"""The HTTP download handler of the reactorless crawl: Scrapy's aiohttp handler.

Scrapy 2.19 labels it experimental and logs so on every start; this crawl depends on it by design
(Scrapy on asyncio without the Twisted reactor), so the notice is documented in docs/crawling.md instead.
"""

from __future__ import annotations

from typing import ClassVar

from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler


class AsyncioHttpHandler(AiohttpDownloadHandler):
    experimental: ClassVar[bool] = False
