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

import asyncio
import base64
import json
import os
import socket
import time
import uuid
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import db
from db import crawl_store, hub, runs

from .frontier import SiteJob
from .links import extract, parse_html
from .run import CrawlError, _html_of, _in_loop, _resume, _start, _summary, seeds

if TYPE_CHECKING:
    import redis
    from scrapy.crawler import Crawler

RUNS_KEY = "cahub:crawl:runs"
LEASE_SECONDS = 30.0
REDIS_ERROR = "redis_error"
LEASE_LOST = "lease_lost"

# Take the first waiting site, lease it to the worker and mark it taken, atomically: a worker killed between
# two of these steps must not lose the site.
_CLAIM = """
local iid = redis.call('LPOP', KEYS[1])
if not iid then return false end
redis.call('SET', KEYS[3] .. iid, ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], iid)
return iid
"""
# Extend a lease only while it is still this worker's.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
# A site is finished by the worker holding its lease: done, no longer taken, lease released.
_FINISH = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('SREM', KEYS[3], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
"""
# Put back in the queue the taken sites whose lease expired (their worker died) and that are not done.
_REAP = """
local back = 0
for _, iid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', KEYS[4] .. iid) == 0 and redis.call('SISMEMBER', KEYS[2], iid) == 0 then
    redis.call('SREM', KEYS[1], iid)
    redis.call('RPUSH', KEYS[3], iid)
    back = back + 1
  end
end
return back
"""


class Keys:
    """The Redis keys of one distributed crawl run (all under `cahub:crawl:<run>:`)."""

    def __init__(self, run_id: int):
        self.prefix = f"cahub:crawl:{run_id}"
        self.meta = f"{self.prefix}:meta"
        self.todo = f"{self.prefix}:todo"
        self.taken = f"{self.prefix}:taken"
        self.done = f"{self.prefix}:done"
        self.items = f"{self.prefix}:items"
        self.writing = f"{self.prefix}:writing"  # items the collector took but has not committed yet
        self.lease_prefix = f"{self.prefix}:lease:"

    def job(self, iid: str) -> str:
        return f"{self.prefix}:job:{iid}"

    def lease(self, iid: str) -> str:
        return self.lease_prefix + iid

    def sent(self, iid: str) -> str:
        return f"{self.prefix}:sent:{iid}"

    def requests(self, iid: str) -> str:
        return f"{self.prefix}:requests:{iid}"

    def dupefilter(self, iid: str) -> str:
        return f"{self.prefix}:dupefilter:{iid}"

    def pace(self, iid: str) -> str:
        return f"{self.prefix}:pace:{iid}"


def _redis_now(client: redis.Redis) -> float:
    """Redis's clock: the one clock all workers share, whatever their machines' clocks say."""
    seconds, micros = client.time()
    return float(seconds) + float(micros) / 1e6


def connect(url: str, name: str | None = None) -> redis.Redis:
    """A Redis client that answers now, or a clear error; `name` shows in Redis's CLIENT LIST."""
    import redis as redis_lib

    client = redis_lib.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5, client_name=name)
    try:
        client.ping()
    except redis_lib.RedisError as exc:
        raise CrawlError(f"cannot reach Redis at {_safe(url)}: {exc}") from exc
    return client


def _safe(url: str) -> str:
    """The Redis URL without a password, for messages and run options."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _gone(url: str, exc: Exception, run_id: int | None) -> CrawlError:
    resume = (
        f"; run {run_id} is interrupted: start Redis again and continue with "
        f"`cahub crawl --redis {_safe(url)} --collect --resume {run_id}` "
        "(it queues the unfinished sites again)"
        if run_id is not None
        else ""
    )
    return CrawlError(f"Redis at {_safe(url)} went away ({exc}){resume}")


def _encode(item: dict[str, Any]) -> bytes:
    if item["kind"] == "page":
        record = dict(item["record"])
        if record.get("body") is not None:
            record["body"] = base64.b64encode(record["body"]).decode("ascii")
        item = {**item, "record": record}
    return json.dumps(item).encode("utf-8")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _decode(raw: bytes | str) -> dict[str, Any]:
    item: dict[str, Any] = json.loads(raw)
    if item["kind"] == "page" and item["record"].get("body") is not None:
        item["record"]["body"] = base64.b64decode(item["record"]["body"])
    return item


# -- enqueuer ---------------------------------------------------------------------------------------------


def _stored_entry(staging: Any, page: dict[str, Any]) -> dict[str, Any]:
    """What a worker needs of a page this run already stored: its URL, status, title and links."""
    entry = {k: page[k] for k in ("url", "final_url", "http_status", "title")}
    html = _html_of(staging, page)
    found = extract(parse_html(html), page.get("final_url") or page["url"]) if html else []
    entry["links"] = [[link.url, link.text, link.title, link.alternate] for link in found]
    return entry


def publish(staging: Any, client: redis.Redis, run_id: int, options: dict[str, Any], data_dir: Any) -> int:
    """Put on Redis every pending site of the run that Redis does not hold yet; return how many.

    Idempotent, so it also resumes a run after Redis lost its data: the sites still pending in staging.db
    are published again with the pages already stored, which are then neither fetched nor stored again.
    """
    keys = Keys(run_id)
    hub_db = db.open_hub(data_dir)
    try:
        records = {r["id"]: r for r in hub.initiatives(hub_db, options.get("initiative_ids") or None)}
    finally:
        hub_db.close()
    client.hset(
        keys.meta,
        mapping={
            "max_pages": int(options["max_pages"]),
            "allow_local": int(bool(options["allow_local"])),
            "settings": json.dumps(options.get("settings") or {}),
        },
    )
    published = 0
    for site in crawl_store.pending_sites(staging, run_id):
        iid = site["initiative_id"]
        site_seeds = seeds(records[iid].get("website")) if iid in records else []
        if not site_seeds or client.sismember(keys.done, iid) or client.exists(keys.job(iid)):
            continue
        job = {
            "seeds": site_seeds,
            "previous": crawl_store.previous_pages(staging, iid, run_id),
            "stored": [_stored_entry(staging, p) for p in crawl_store.run_pages(staging, run_id, iid)],
        }
        with client.pipeline(transaction=True) as pipe:
            pipe.set(keys.job(iid), json.dumps(job))
            pipe.delete(keys.sent(iid))
            pipe.rpush(keys.todo, iid)
            pipe.execute()
        published += 1
    client.sadd(RUNS_KEY, run_id)
    return published


def enqueue(
    data_dir: str | os.PathLike[str] | None,
    redis_url: str,
    initiative_ids: list[str] | None = None,
    max_pages: int = 40,
    allow_local: bool = False,
    resume_run: int | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Start a distributed crawl run (or re-publish a resumed one) and return {run_id, sites, published}.

    `settings` (JSON values) override the workers' Scrapy settings for this run.
    """
    import redis as redis_lib

    client = connect(redis_url)
    staging = db.open_staging(data_dir)
    try:
        if resume_run is not None:
            options = _resume(staging, resume_run)
            run_id = int(resume_run)
        else:
            options = {
                "initiative_ids": initiative_ids,
                "max_pages": max_pages,
                "allow_local": allow_local,
                "distributed": _safe(redis_url),
                "settings": settings or {},
            }
            json.dumps(options)  # settings must travel to the workers as JSON
            hub_db = db.open_hub(data_dir)
            try:
                records = list(hub.initiatives(hub_db, initiative_ids or None))
            finally:
                hub_db.close()
            missing = sorted(set(initiative_ids or []) - {r["id"] for r in records})
            if missing:
                raise CrawlError(f"no such initiative: {', '.join(missing)}")
            site_seeds = {r["id"]: seeds(r.get("website")) for r in records}
            run_id = _start(staging, records, site_seeds, options)
        try:
            published = publish(staging, client, run_id, options, data_dir)
        except redis_lib.RedisError as exc:
            runs.finish_run(staging, run_id, "interrupted", _summary(staging, run_id, 0.0))
            raise _gone(redis_url, exc, run_id) from exc
        return {"run_id": run_id, "sites": len(crawl_store.sites(staging, run_id)), "published": published}
    finally:
        staging.close()


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
    from .settings import SETTINGS

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
        ITEM_PIPELINES={"crawlers.distributed.RedisItemPipeline": 300},
        EXTENSIONS={**SETTINGS["EXTENSIONS"], "crawlers.distributed.SitePace": 10},  # type: ignore[dict-item]
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

        from .spiders.sites import SitesSpider

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

    from .pages import page_record
    from .spiders.sites import SitesSpider  # noqa: F401

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


# -- collector --------------------------------------------------------------------------------------------


def collect(
    data_dir: str | os.PathLike[str] | None,
    redis_url: str,
    run_id: int | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Write what the workers send into staging.db until every site of the run has its outcome.

    The only writer of staging.db in a distributed crawl. Without `run_id`, the latest crawl run that is not
    completed. Redis going away marks the run interrupted and raises a CrawlError saying how to resume.
    """
    import redis as redis_lib

    client = connect(redis_url)
    staging = db.open_staging(data_dir)
    started = time.monotonic()
    try:
        if run_id is None:
            latest = runs.latest_run(staging, "crawl")
            if latest is None or latest["status"] == "completed":
                raise CrawlError(
                    "no distributed crawl run to collect; start one with `cahub crawl --redis URL`"
                )
            run_id = int(latest["id"])
        run = runs.get_run(staging, run_id)
        if run is None or run["kind"] != "crawl":
            raise CrawlError(f"run {run_id} is not a crawl run")
        if run["status"] == "completed":
            raise CrawlError(f"run {run_id} is already completed; nothing to collect")
        options = dict(run["options"])
        if not options.get("distributed"):
            raise CrawlError(f"run {run_id} is not a distributed crawl run")
        crawl_store.reopen_run(staging, run_id, {**options, "collector_pid": os.getpid()})
        keys = Keys(run_id)
        total = len(crawl_store.sites(staging, run_id))
        counts = {"pages": 0, "errors": 0}
        reap = client.register_script(_REAP)
        try:
            publish(staging, client, run_id, options, data_dir)
            # Items a killed collector had taken go back first; a page it had already committed is then
            # skipped by the unique index.
            while client.lmove(keys.writing, keys.items, "RIGHT", "LEFT"):
                pass
            while True:
                raw = client.blmove(keys.items, keys.writing, 1, "LEFT", "RIGHT")
                if raw is None:
                    reap(keys=[keys.taken, keys.done, keys.todo, keys.lease_prefix])
                    if not crawl_store.pending_sites(staging, run_id) and not client.llen(keys.items):
                        break
                    continue
                _collect_one(staging, run_id, _decode(raw), counts, total, progress)
                client.lrem(keys.writing, 1, raw)  # type: ignore[arg-type]  # bytes work too
        except redis_lib.RedisError as exc:
            runs.finish_run(
                staging, run_id, "interrupted", _summary(staging, run_id, time.monotonic() - started)
            )
            raise _gone(redis_url, exc, run_id) from exc
        except KeyboardInterrupt:
            runs.finish_run(
                staging, run_id, "interrupted", _summary(staging, run_id, time.monotonic() - started)
            )
            raise
        summary = _summary(staging, run_id, time.monotonic() - started)
        runs.finish_run(staging, run_id, "completed", summary)
        _forget(client, run_id)
        return summary
    finally:
        staging.close()


def _collect_one(
    staging: Any,
    run_id: int,
    item: dict[str, Any],
    counts: dict[str, int],
    total: int,
    progress: Callable[[dict[str, Any]], None] | None,
) -> None:
    from .pipelines import store_item

    stored = store_item(staging, run_id, item)
    if item["kind"] == "warning" and item["level"] != "info":
        counts["errors"] += 1
    if progress is None:
        return
    if item["kind"] == "page" and stored is not None:
        counts["pages"] += 1
        event = {"event": "page", "initiative_id": stored["initiative_id"], "url": stored["url"]}
    elif item["kind"] == "site":
        event = {"event": "site", "initiative_id": item["initiative_id"], "outcome": item["outcome"]}
    else:
        return
    done = total - len(crawl_store.pending_sites(staging, run_id))
    progress({**event, "sites_done": done, "sites_total": total, **counts})


def _forget(client: redis.Redis, run_id: int) -> None:
    """Delete a completed run's keys; only the collector does this, once every site is stored."""
    client.srem(RUNS_KEY, run_id)
    batch = list(client.scan_iter(match=f"{Keys(run_id).prefix}:*", count=500))
    for start in range(0, len(batch), 500):
        client.delete(*batch[start : start + 500])
