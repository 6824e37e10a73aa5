"""The crawl stage: polite, multilingual Scrapy crawls of every initiative's website into staging.db.

`crawl()` is the Python API that `cahub crawl`, `cahub run` and the demo call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import crawl as crawl

__all__ = ["crawl"]


def __getattr__(name: str) -> Any:
    # Scrapy is imported only when a crawl starts, so helpers such as `crawlers.sites` stay light.
    if name == "crawl":
        from .run import crawl

        return crawl
    raise AttributeError(name)
