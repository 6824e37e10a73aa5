"""Shared state of a distributed crawl on Redis: key names, the atomic lease scripts, the connection and
the encoding of items.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from ..run import CrawlError

if TYPE_CHECKING:
    import redis

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
