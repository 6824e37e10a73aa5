"""Distributed crawling on Redis: one enqueuer, many workers on any machine, one collector writing SQLite.

- `enqueue()` (`cahub crawl --redis URL`) writes the run and its `sites` rows into staging.db, as a
  single-process crawl does, and publishes one job per site on Redis.
- `work()` (`cahub crawl-worker --redis URL`) takes a site under a lease (a Redis key with an expiry, renewed
  while the worker crawls it), so a domain is never fetched by two workers at once and its delay holds
  overall. The site is crawled by the same spider, with scrapy-redis's scheduler and its persisted queue
  (`SCHEDULER_PERSIST`: one worker finishing never clears another's work), and every item goes back through
  Redis. A worker that dies stops renewing; its lease expires and another worker takes the site over,
  restarting the frontier from the pages already sent (nothing fetched twice, nothing lost).
- `collect()` (`cahub crawl --redis URL --collect`) is the only writer of staging.db: it stores the items
  with `crawlers.pipelines.store_item`, the function the single-process pipeline uses, so the rows are the
  same; the unique index on pages drops a page sent twice.
"""

from __future__ import annotations

from .collect import collect
from .enqueue import enqueue
from .state import connect
from .worker import work

__all__ = ["collect", "connect", "enqueue", "work"]
