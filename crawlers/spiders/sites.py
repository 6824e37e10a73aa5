"""One spider for all the initiatives' sites: each site is crawled best-link-first within its page budget."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from db.hub import now

from .. import signals
from ..frontier import SEED_SCORE, SiteJob, SiteState
from ..links import Link, extract, parse_html
from ..outcomes import RobotsBlocked, classify
from ..pages import page_record
from ..parked import parked_reason
from ..sites import host_key, url_key

# Statuses the spider sees itself (to record 304 as unchanged, 404/410 as gone, errors as outcomes);
# redirects are still followed, and 5xx still retried first, by the downloader middlewares.
HANDLED_STATUSES = [304, *range(400, 600)]
# Failures that say the host does not answer at all (not a page's problem): a site whose start page fails
# this way before anything answered is down, and its other known pages are not tried one by one.
CONNECTION_OUTCOMES = frozenset({"unreachable", "dns_failure", "tls_error", "timeout"})


def _headers(response: Response) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, values in response.headers.items():
        if values:
            found[name.decode("latin-1").lower()] = values[0].decode("latin-1")
    return found


def _warning(state: SiteState, message: str, url: str | None, level: str = "warning") -> dict[str, Any]:
    return {
        "kind": "warning",
        "initiative_id": state.job.initiative_id,
        "message": message,
        "url": url,
        "level": level,
    }


class SitesSpider(scrapy.Spider):
    name = "cahub_sites"

    def __init__(self, jobs: list[SiteJob], max_pages: int = 40, **kwargs: Any):
        super().__init__(**kwargs)
        self.jobs = jobs
        self.max_pages = max_pages
        self.states: dict[str, SiteState] = {}

    async def start(self) -> AsyncIterator[Any]:
        self.body_cap = self.settings.getint("CAHUB_BODY_CAP")
        self.window = max(1, self.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        for job in self.jobs:
            state = SiteState(job, self.max_pages)
            self.states[job.initiative_id] = state
            self._restore(state)
            for index, seed in enumerate(job.seeds):
                state.add(seed, SEED_SCORE - index, 0)
            for url, info in job.previous.items():
                state.add(url, signals.score(url, info.get("title") or ""), 1)
            for output in self._fill(state):
                yield output

    def _restore(self, state: SiteState) -> None:
        """On resume, count the pages already stored and queue their links again."""
        for page in state.job.stored:
            ok = bool(page.get("http_status")) and page["http_status"] < 400
            state.mark_stored(page["url"], ok)
            if ok:
                state.final_url = state.final_url or page.get("final_url")
                state.http_status = state.http_status or page.get("http_status")
        for page in state.job.stored:
            html = page.get("html")
            found = [Link(*link) for link in page.get("links") or []]  # a distributed crawl sends links
            if html:
                found = extract(parse_html(html), page.get("final_url") or page["url"])
            if found:
                state.add_links(found, 1, signals.score(page["url"], "", page.get("title") or ""))

    def _request(self, state: SiteState, url: str, score: int, depth: int) -> scrapy.Request:
        job = state.job
        headers = {}
        previous = job.previous.get(url)
        if previous:
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
        meta = {
            "cahub_site": job.initiative_id,
            "cahub_hosts": job.hosts,
            "cahub_url": url,
            "cahub_score": score,
            "cahub_depth": depth,
            "cahub_seed": depth == 0,
            "download_slot": host_key(job.seeds[0]),
            "handle_httpstatus_list": HANDLED_STATUSES,
        }
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.on_failure,
            priority=min(score, 999),
            meta=meta,
            headers=headers,
            dont_filter=True,
        )

    def _fill(self, state: SiteState) -> Iterator[Any]:
        while state.inflight < self.window:
            chosen = state.next()
            if chosen is None:
                break
            state.inflight += 1
            yield self._request(state, *chosen)
        if state.finished and not state.done:
            state.done = True
            outcome, detail, status = state.outcome()
            yield {
                "kind": "site",
                "initiative_id": state.job.initiative_id,
                "outcome": outcome,
                "detail": detail,
                "final_url": state.final_url,
                "http_status": status,
            }

    def parse_page(self, response: Response) -> Iterator[Any]:
        state = self.states[response.meta["cahub_site"]]
        state.inflight -= 1
        try:
            yield from self._handle(state, response)
        except Exception as exc:  # one odd page must not stall its site
            yield _warning(
                state, f"page could not be processed: {type(exc).__name__}: {exc}", response.url, "error"
            )
        yield from self._fill(state)

    def _handle(self, state: SiteState, response: Response) -> Iterator[Any]:
        meta = response.meta
        url, seed, status = meta["cahub_url"], meta["cahub_seed"], response.status
        state.answered = True
        result = page_record(
            initiative_id=state.job.initiative_id,
            url=url,
            final_url=response.url,
            status=status,
            headers=_headers(response),
            body=response.body,
            fetched_at=now(),
            body_cap=self.body_cap,
        )
        for message in result.warnings:
            yield _warning(state, message, response.url)
        state.seen.add(url_key(response.url))  # a redirect's target is not fetched again under its own URL
        if seed and state.final_url is None and status < 400:
            state.final_url, state.http_status = response.url, status
        if status >= 400:
            if url in state.job.previous and status in (404, 410):
                yield {"kind": "page", "record": result.record}
            yield _warning(state, f"HTTP {status}", response.url, "error" if seed else "warning")
            if seed and state.failure is None:
                state.failure = ("http_error", f"HTTP {status} at {response.url}", status)
            return
        if result.record is None:
            if seed and state.failure is None:
                state.failure = ("http_error", "the start page is not a web page", status)
            return
        state.ok_pages += 1
        yield {"kind": "page", "record": result.record, "links": result.links}
        if seed and status != 304 and state.parked is None:
            reason = parked_reason(response.url, result.record.get("text") or "")
            if reason:
                state.parked = reason
                state.clear()
                return
        page_score = signals.score(url, "", result.record.get("title") or "")
        state.add_links(result.links, meta["cahub_depth"] + 1, page_score)

    def on_failure(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        state = self.states[request.meta["cahub_site"]]
        state.inflight -= 1
        exc = failure.value
        status = None
        if isinstance(exc, HttpError):
            status = exc.response.status
            outcome, detail = "http_error", f"HTTP {status} at {exc.response.url}"
        else:
            outcome, detail = classify(exc)
        seed = request.meta.get("cahub_seed")
        if seed and state.failure is None:
            state.failure = (outcome, detail, status)
        if state.down and outcome in CONNECTION_OUTCOMES:
            yield from self._fill(state)  # already reported once for the site
            return
        message = f"{outcome}: {detail}"
        if seed and not state.answered and outcome in CONNECTION_OUTCOMES and status is None:
            state.down = True
            dropped = state.drop_host(request.url)
            if dropped:
                message += f" (site down: {dropped} other known pages not tried)"
        level = "error" if seed else ("info" if isinstance(exc, RobotsBlocked) else "warning")
        yield _warning(state, message, request.url, level)
        yield from self._fill(state)
