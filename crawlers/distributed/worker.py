"""A worker of a distributed crawl: takes sites under a lease and crawls them with the same spider, sending
every item back through Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import uuid
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..frontier import SiteJob
from ..run import _in_loop
from .state import (
    _CLAIM,
    _FINISH,
    _REAP,
    _RENEW,
    LEASE_LOST,
    LEASE_SECONDS,
    REDIS_ERROR,
    RUNS_KEY,
    Keys,
    _encode,
    _gone,
    _redis_now,
    _text,
    connect,
)

if TYPE_CHECKING:
    import redis
    from scrapy.crawler import Crawler

# -- worker -----------------------------------------------------------------------------------------------


class RedisItemPipeline:
    """The workers' item pipeline: send each item to the collector through Redis instead of writing SQLite.

    A page goes out together with what a worker taking the site over needs to know of it (URL, status,
    title, links), in one transaction, so the two never disagree.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.url = crawler.settings.get("CAHUB_REDIS_URL")
        self.keys = Keys(crawler.settings.getint("CAHUB_RUN_ID"))
        self.error: Exception | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.client = connect(self.url)

    def close_spider(self) -> None:
        self.client.close()

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        import redis as redis_lib
        from scrapy.exceptions import DropItem

        links = item.pop("links", None)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(self.keys.items, _encode(item))
                if item["kind"] == "page":
                    record = item["record"]
                    entry = {k: record.get(k) for k in ("url", "final_url", "http_status", "title")}
                    entry["links"] = [[x.url, x.text, x.title, x.alternate] for x in links or []]
                    pipe.rpush(self.keys.sent(record["initiative_id"]), json.dumps(entry))
                pipe.execute()
        except redis_lib.RedisError as exc:
            self.error = exc
            engine = self.crawler.engine
            if engine is not None and engine.running:
                asyncio.ensure_future(engine.close_spider_async(reason=REDIS_ERROR))
            raise DropItem(f"not sent: {exc}") from exc
        return item


class SitePace:
    """Record on Redis when the site's last request left the downloader and the slot's delay then, so a
    worker taking the site over waits out the delay the previous worker started (`Worker._wait_pace`)."""

    def __init__(self, crawler: Crawler):
        from scrapy import signals

        self.crawler = crawler
        self.client = connect(crawler.settings.get("CAHUB_REDIS_URL"))
        self.keys = Keys(crawler.settings.getint("CAHUB_RUN_ID"))
        crawler.signals.connect(self._left, signal=signals.request_left_downloader, weak=False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SitePace:
        return cls(crawler)

    def _left(self, request: Any, spider: Any = None) -> None:
        import redis as redis_lib

        site = request.meta.get("cahub_site")
        engine = self.crawler.engine
        slot = engine.downloader.slots.get(request.meta.get("download_slot")) if engine else None
        if not site or slot is None:
            return
        try:
            self.client.set(self.keys.pace(site), json.dumps([_redis_now(self.client), slot.delay]))
        except redis_lib.RedisError:
            pass  # the lease renewal notices Redis going away and stops the crawl


def _settings(client: redis.Redis, url: str, run_id: int, iid: str, meta: dict[str, Any]) -> dict[str, Any]:
    from ..settings import SETTINGS

    keys = Keys(run_id)
    merged: dict[str, Any] = {**SETTINGS, **json.loads(meta.get("settings") or "{}")}
    merged.update(
        SCHEDULER="scrapy_redis.scheduler.Scheduler",
        SCHEDULER_PERSIST=True,
        SCHEDULER_QUEUE_CLASS="scrapy_redis.queue.PriorityQueue",
        SCHEDULER_QUEUE_KEY=keys.requests(iid),
        SCHEDULER_DUPEFILTER_KEY=keys.dupefilter(iid),
        DUPEFILTER_CLASS="scrapy_redis.dupefilter.RFPDupeFilter",
        REDIS_URL=url,
        ITEM_PIPELINES={"crawlers.distributed.worker.RedisItemPipeline": 300},
        EXTENSIONS={**SETTINGS["EXTENSIONS"], "crawlers.distributed.worker.SitePace": 10},  # type: ignore[dict-item]
        CAHUB_REDIS_URL=url,
        CAHUB_RUN_ID=run_id,
        CAHUB_ALLOW_LOCAL=bool(int(meta.get("allow_local") or 0)),
    )
    return merged


class Worker:
    """Crawls leased sites, `sites` at once, until stopped or (`exit_when_idle`) no run has work left."""

    def __init__(
        self,
        url: str,
        sites: int = 4,
        lease_seconds: float = LEASE_SECONDS,
        exit_when_idle: bool = False,
        log: Callable[[str], None] | None = None,
    ):
        _warm_up()
        self.url = url
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.client = connect(url, name=f"cahub-worker:{self.id}")
        self.sites = max(1, sites)
        self.lease_ms = int(lease_seconds * 1000)
        self.exit_when_idle = exit_when_idle
        self.log = log or (lambda message: None)
        # scrapy-redis 0.9.1 passes `spider=` to the stats collector, which Scrapy 2.19 deprecates: noise.
        warnings.filterwarnings("ignore", message="Passing a 'spider' argument", module="scrapy_redis")
        self.claims = 0
        self.claim = self.client.register_script(_CLAIM)
        self.renew = self.client.register_script(_RENEW)
        self.finish = self.client.register_script(_FINISH)
        self.reap = self.client.register_script(_REAP)
        self.crawled = 0
        self.failure: Exception | None = None

    def _runs(self) -> list[int]:
        return sorted(int(r) for r in self.client.smembers(RUNS_KEY))

    def _reap_and_claim(self) -> tuple[int, str, str] | None:
        """A site to crawl: (run, initiative id, lease token); each claim its own token, so a lease that
        expired and came back to this worker is not mistaken for the old one."""
        for run_id in self._runs():
            keys = Keys(run_id)
            self.reap(keys=[keys.taken, keys.done, keys.todo, keys.lease_prefix])
            self.claims += 1
            token = f"{self.id}:{self.claims}"
            iid = self.claim(keys=[keys.todo, keys.taken, keys.lease_prefix], args=[token, self.lease_ms])
            if iid:
                return run_id, _text(iid), token
        return None

    def _work_left(self) -> bool:
        for run_id in self._runs():
            keys = Keys(run_id)
            if self.client.llen(keys.todo) or self.client.scard(keys.taken):
                return True
        return False

    async def run(self) -> int:
        import redis as redis_lib

        tasks: dict[asyncio.Task[None], tuple[int, str, str]] = {}
        try:
            while True:
                while len(tasks) < self.sites and self.failure is None:
                    claimed = self._reap_and_claim()
                    if claimed is None:
                        break
                    self.log(f"worker {self.id}: site {claimed[1]} of run {claimed[0]}")
                    tasks[asyncio.ensure_future(self._crawl_site(*claimed))] = claimed
                if self.failure is not None and not tasks:
                    raise self.failure
                if not tasks:
                    if self.exit_when_idle and not self._work_left():
                        return self.crawled
                    await asyncio.sleep(0.25)
                    continue
                finished, _ = await asyncio.wait(tasks, timeout=0.25, return_when=asyncio.FIRST_COMPLETED)
                for task in finished:
                    tasks.pop(task)
                    if task.exception() is not None and self.failure is None:
                        self.failure = task.exception()  # type: ignore[assignment]
        except redis_lib.RedisError as exc:
            raise _gone(self.url, exc, None) from exc
        finally:
            for task in tasks:
                task.cancel()

    async def _crawl_site(self, run_id: int, iid: str, token: str) -> None:
        import redis as redis_lib
        from scrapy.crawler import AsyncCrawlerRunner

        from ..spiders.sites import SitesSpider

        keys = Keys(run_id)
        job = json.loads(self.client.get(keys.job(iid)) or b"null")
        if job is None:  # the collector finished the run meanwhile
            return
        sent = [json.loads(raw) for raw in self.client.lrange(keys.sent(iid), 0, -1)]
        # The frontier, rebuilt from the pages already sent, is the site's truth; requests a dead worker left
        # in the scheduler's queue would be fetched twice and upset the frontier's in-flight count.
        self.client.delete(keys.requests(iid))
        meta = {_text(k): _text(v) for k, v in self.client.hgetall(keys.meta).items()}
        held: dict[str, Any] = {"crawler": None, "lost": None}
        renewal = asyncio.ensure_future(self._keep_lease(held, keys.lease(iid), token))  # also while waiting
        try:
            await self._wait_pace(keys.pace(iid))
            if held["lost"] == REDIS_ERROR:
                raise _gone(self.url, self.failure or RuntimeError("lost"), None)
            if held["lost"]:
                return
            site_job = SiteJob(iid, job["seeds"], job["previous"], job["stored"] + sent)
            runner = AsyncCrawlerRunner(_settings(self.client, self.url, run_id, iid, meta))
            crawler = held["crawler"] = runner.create_crawler(SitesSpider)
            await runner.crawl(crawler, jobs=[site_job], max_pages=int(meta.get("max_pages") or 40))
        finally:
            renewal.cancel()
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
        pipeline_error = next(
            (p.error for p in _pipelines(crawler) if getattr(p, "error", None) is not None), None
        )
        if pipeline_error is not None or reason == REDIS_ERROR:
            raise _gone(self.url, pipeline_error or RuntimeError("lost"), None)
        if reason != "finished":
            return  # lease lost or stopped: the site stays taken, its lease expires, another worker goes on
        spider: Any = crawler.spider
        state = spider.states.get(iid) if spider is not None else None
        if state is not None and not state.done:
            item = {
                "kind": "site",
                "initiative_id": iid,
                "outcome": "unreachable",
                "detail": "the crawl ended before this site finished",
                "final_url": None,
                "http_status": None,
            }
            self.client.rpush(keys.items, _encode(item))
        try:
            if self.finish(keys=[keys.lease(iid), keys.done, keys.taken], args=[token, iid]):
                self.crawled += 1
        except redis_lib.RedisError as exc:
            raise _gone(self.url, exc, None) from exc

    async def _wait_pace(self, pace_key: str) -> None:
        """A site taken over from a dead worker: wait until its delay after the last request has passed."""
        raw = self.client.get(pace_key)
        if raw:
            last, delay = json.loads(raw)
            wait = float(last) + float(delay) - _redis_now(self.client)
            if wait > 0:
                await asyncio.sleep(min(wait, 120.0))

    async def _keep_lease(self, held: dict[str, Any], lease_key: str, token: str) -> None:
        """Renew the site's lease until cancelled; when it is lost, stop the site's crawler (`held`)."""
        import redis as redis_lib

        reason = None
        while reason is None:
            await asyncio.sleep(self.lease_ms / 3000)
            try:
                if not self.renew(keys=[lease_key], args=[token, self.lease_ms]):
                    reason = LEASE_LOST
            except redis_lib.RedisError as exc:
                self.failure = self.failure or exc
                reason = REDIS_ERROR
        held["lost"] = reason
        crawler = held["crawler"]
        if crawler is not None and crawler.engine is not None and crawler.engine.running:
            await crawler.engine.close_spider_async(reason=reason)


def _warm_up() -> None:
    """Import Scrapy and the page parsing stack before taking a lease: their first use blocks the event
    loop for a second or more, which would hold up lease renewals."""
    from scrapy.crawler import AsyncCrawlerRunner  # noqa: F401

    import lexicons

    from ..pages import page_record
    from ..spiders.sites import SitesSpider  # noqa: F401

    body = b"<html><head><title>warm</title></head><body><p>warming the text extractor</p></body></html>"
    page_record(
        initiative_id="warm",
        url="http://warm.invalid/",
        final_url="http://warm.invalid/",
        status=200,
        headers={"content-type": "text/html"},
        body=body,
        fetched_at="",
        body_cap=len(body),
    )
    lexicons.detect_language("warming the language detector up before any lease is taken")


def _pipelines(crawler: Crawler) -> list[Any]:
    engine = crawler.engine
    scraper = getattr(engine, "scraper", None) if engine is not None else None
    manager = getattr(scraper, "itemproc", None)
    return list(getattr(manager, "middlewares", []) or [])


def work(
    redis_url: str,
    sites: int = 4,
    lease_seconds: float = LEASE_SECONDS,
    exit_when_idle: bool = False,
    log: Callable[[str], None] | None = None,
) -> int:
    """Run a crawl worker; return how many sites it finished. Raises CrawlError when Redis goes away."""
    worker = Worker(redis_url, sites, lease_seconds, exit_when_idle, log)
    result: list[int] = []

    async def main() -> None:
        result.append(await worker.run())

    _in_loop(main())
    return result[0] if result else 0
