"""Parked and for-sale domains: a placeholder page is not the initiative's site, so it is not read as one.

The phrases and parking hosts are data (`data/parked.json`); a page is parked when its text says so or it
lives on a parking service.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from .sites import host_key

# A real site that merely mentions "domain for sale" somewhere says much more than a parking page does.
MAX_PARKED_TEXT = 3000


@lru_cache(maxsize=1)
def _data() -> tuple[re.Pattern[str], frozenset[str]]:
    raw = json.loads(resources.files(__package__).joinpath("data/parked.json").read_text(encoding="utf-8"))
    words = sorted((p.casefold() for p in raw["phrases"]), key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words))
    return pattern, frozenset(raw["hosts"])


def parked_reason(url: str, text: str) -> str | None:
    """Why the page looks like a parked or for-sale domain, or None."""
    pattern, hosts = _data()
    host = host_key(url).split(":")[0]
    for parking in hosts:
        if host == parking or host.endswith("." + parking):
            return f"served by the parking service {parking}"
    sample = " ".join(text.split())
    if len(sample) <= MAX_PARKED_TEXT:
        match = pattern.search(sample.casefold())
        if match:
            return f"the page says {match.group(0)!r}"
    return None
