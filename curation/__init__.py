"""Curation: turn the pages of a crawl into what each initiative's website says about it (with evidence),
what it does not say (transparency gaps), and proposed changes to the hub's records.

    extract_pages(pages, base_url=None) -> dict   # one site from in-memory pages (`cahub extract FILE`)
    extract_run(data_dir, run_id=None, progress=None) -> dict   # a crawl run's pages -> findings + gaps
    propose(data_dir, run_id=None) -> dict   # findings vs hub records -> proposals
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .extract import extract_site, read_source
from .pipeline import extract_run
from .propose import propose

__all__ = ["extract_pages", "extract_run", "propose", "extract_files"]


def extract_pages(pages: Iterable[dict[str, Any]], base_url: str | None = None) -> dict[str, Any]:
    """Extract one site from pages given as dicts (url, body bytes or text, content_type, title)."""
    prepared = []
    for index, page in enumerate(pages):
        page = dict(page)
        if not page.get("url"):
            page["url"] = f"{(base_url or 'page:').rstrip('/')}/{index}"
        if isinstance(page.get("body"), str):
            page["body"] = page["body"].encode("utf-8")
        prepared.append(page)
    return extract_site(prepared)


def extract_files(sources: list[str], base_url: str | None = None) -> dict[str, Any]:
    """`cahub extract FILE_OR_URL ...`: local HTML/PDF files or URLs as the pages of one site."""
    return extract_site(read_source(s, base_url) for s in sources)
