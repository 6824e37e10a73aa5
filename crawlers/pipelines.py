"""The item pipeline: the one place the crawl writes staging.db, through `db.crawl_store`.

Items are plain dicts: `page` (a record from `crawlers.pages`), `warning`, and `site` (a site's outcome).
A Redis-distributed crawl would run this same pipeline in its single collector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import db
from db import crawl_store, runs

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class StagingPipeline:
    def __init__(self, crawler: Crawler):
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
        kind = item["kind"]
        if kind == "page":
            row = crawl_store.save_page(self.db, self.run_id, item["record"])
            if row is not None:
                self.pages += 1
                self._report("page", initiative_id=row["initiative_id"], url=row["url"], change=row["change"])
        elif kind == "warning":
            if item["level"] != "info":
                self.errors += 1
            runs.add_warning(
                self.db,
                self.run_id,
                "crawl",
                item["message"],
                initiative_id=item["initiative_id"],
                level=item["level"],
                url=item["url"],
            )
        elif kind == "site":
            count = crawl_store.finish_site(
                self.db,
                self.run_id,
                item["initiative_id"],
                item["outcome"],
                detail=item["detail"],
                final_url=item["final_url"],
                http_status=item["http_status"],
            )
            self.sites_done += 1
            self._report(
                "site", initiative_id=item["initiative_id"], outcome=item["outcome"], site_pages=count
            )
        return item
