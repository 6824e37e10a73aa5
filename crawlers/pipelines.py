"""The item pipeline: the one place the crawl writes staging.db, through `db.crawl_store`.

Items are plain dicts: `page` (a record from `crawlers.pages`), `warning`, and `site` (a site's outcome).
The Redis-distributed crawl's single collector writes with the same `store_item`.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

import db
from db import crawl_store, runs

# The finish reason of a crawl stopped because staging.db could not be written.
STORAGE_ERROR = "storage_error"

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StagingPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.data_dir = settings.get("CAHUB_DATA_DIR")
        self.run_id = settings.getint("CAHUB_RUN_ID")
        self.progress: Callable[[dict[str, Any]], None] | None = settings.get("CAHUB_PROGRESS")
        self.sites_total = settings.getint("CAHUB_SITES_TOTAL")
        self.sites_done = settings.getint("CAHUB_SITES_DONE")
        self.pages = 0
        self.errors = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StagingPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.db = db.open_staging(self.data_dir)

    def close_spider(self) -> None:
        self.db.close()

    def _report(self, event: str, **extra: Any) -> None:
        if self.progress is not None:
            self.progress(
                {
                    "event": event,
                    "sites_done": self.sites_done,
                    "sites_total": self.sites_total,
                    "pages": self.pages,
                    "errors": self.errors,
                    **extra,
                }
            )

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._store(item)
        except sqlite3.Error as exc:
            # A page that cannot be written must not be lost quietly: stop the crawl, leaving the run
            # resumable (`crawl()` reports the reason), instead of finishing it without the page.
            logger.error("staging.db write failed, stopping the crawl: %s", exc)
            if self.crawler.engine is not None and self.crawler.engine.running:
                asyncio.ensure_future(self.crawler.engine.close_spider_async(reason=STORAGE_ERROR))
            raise DropItem(f"not stored: {exc}") from exc

    def _store(self, item: dict[str, Any]) -> dict[str, Any]:
        stored = store_item(self.db, self.run_id, item)
        kind = item["kind"]
        if kind == "page" and stored is not None:
            self.pages += 1
            self._report(
                "page", initiative_id=stored["initiative_id"], url=stored["url"], change=stored["change"]
            )
        elif kind == "warning" and item["level"] != "info":
            self.errors += 1
        elif kind == "site" and stored is not None:
            self.sites_done += 1
            self._report(
                "site",
                initiative_id=item["initiative_id"],
                outcome=item["outcome"],
                site_pages=stored["pages"],
            )
        return item


def store_item(database: Any, run_id: int, item: dict[str, Any]) -> dict[str, Any] | None:
    """Write one crawl item into staging.db: the stored page row (None if this run had it already), or for a
    site its outcome and page count. The single-process pipeline and the Redis collector both call this."""
    kind = item["kind"]
    if kind == "page":
        return crawl_store.save_page(database, run_id, item["record"])
    if kind == "warning":
        runs.add_warning(
            database,
            run_id,
            "crawl",
            item["message"],
            initiative_id=item["initiative_id"],
            level=item["level"],
            url=item["url"],
        )
        return None
    if kind == "site":
        count = crawl_store.finish_site(
            database,
            run_id,
            item["initiative_id"],
            item["outcome"],
            detail=item["detail"],
            final_url=item["final_url"],
            http_status=item["http_status"],
        )
        return {"initiative_id": item["initiative_id"], "pages": count}
    raise ValueError(f"unknown crawl item kind {kind!r}")
