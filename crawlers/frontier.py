"""One site's crawl state: the links waiting, best first, and what was already fetched within the budget."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from typing import Any

from . import signals
from .links import Link
from .sites import host_key, url_key

SEED_SCORE = 1000
ALTERNATE_BONUS = 5


@dataclass
class SiteJob:
    """What the crawl must do for one initiative: its seeds, the hosts that are its site, earlier pages."""

    initiative_id: str
    seeds: list[str]
    previous: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> etag, last_modified, title
    stored: list[dict[str, Any]] = field(default_factory=list)  # pages this run already stored (resume)

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host_key(u) for u in self.seeds)


@dataclass
class SiteState:
    job: SiteJob
    budget: int
    scheduled: int = 0
    inflight: int = 0
    ok_pages: int = 0
    parked: str | None = None
    failure: tuple[str, str, int | None] | None = None  # outcome, detail, http status of the first seed
    final_url: str | None = None
    http_status: int | None = None
    done: bool = False
    answered: bool = False  # some request of this site got an HTTP response
    down: bool = False  # a seed failed at connection level before any response: the rest is dropped
    seen: set[str] = field(default_factory=set)
    _heap: list[tuple[int, int, int, str, int]] = field(default_factory=list)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    def add(self, url: str, score: int, depth: int) -> bool:
        """Queue a URL of this site unless it is another site's or already seen."""
        if host_key(url) not in self.job.hosts:
            return False
        key = url_key(url)
        if key in self.seen:
            return False
        self.seen.add(key)
        heapq.heappush(self._heap, (-score, depth, next(self._order), url, score))
        return True

    def add_links(self, found: list[Link], depth: int, page_score: int) -> None:
        for link in found:
            score = signals.score(link.url, link.text, link.title)
            if link.alternate:
                score = max(score, page_score) + ALTERNATE_BONUS
            self.add(link.url, score, depth)

    def mark_stored(self, url: str, ok: bool = True) -> None:
        """Count a page this run already stored (a resumed run): seen, within the budget, fetched if ok."""
        self.seen.add(url_key(url))
        self.scheduled += 1
        self.ok_pages += int(ok)

    def next(self) -> tuple[str, int, int] | None:
        """The best waiting URL with its score and depth, while the budget lasts."""
        if self.parked or self.scheduled >= self.budget or not self._heap:
            return None
        _, depth, _, url, score = heapq.heappop(self._heap)
        self.scheduled += 1
        return url, score, depth

    def clear(self) -> None:
        self._heap.clear()

    def drop_host(self, url: str) -> int:
        """Forget the queued URLs on `url`'s host except other seeds (depth 0); return how many went."""
        host = host_key(url)
        kept = [entry for entry in self._heap if entry[1] == 0 or host_key(entry[3]) != host]
        dropped = len(self._heap) - len(kept)
        heapq.heapify(kept)
        self._heap[:] = kept
        return dropped

    @property
    def finished(self) -> bool:
        return self.inflight == 0 and (
            self.parked is not None or self.scheduled >= self.budget or not self._heap
        )

    def outcome(self) -> tuple[str, str | None, int | None]:
        if self.parked:
            return "parked", self.parked, self.http_status
        if self.ok_pages:
            return "fetched", None, self.http_status
        if self.failure:
            return self.failure
        return "unreachable", "no page could be fetched", self.http_status
