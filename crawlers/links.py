"""Links out of an HTML page: anchors with their text and title, and `hreflang` alternates."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from . import signals

SKIPPED_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp svg ico bmp tif tiff mp3 mp4 m4a avi mov wmv webm ogg zip gz tgz rar 7z exe dmg "
    "msi iso css js json xml rss atom woff woff2 ttf eot doc docx xls xlsx ppt pptx odt ods csv".split()
)
MAX_LINKS = 2000


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    title: str
    alternate: bool  # an hreflang alternate or a language switcher


def _clean(url: str, base: str) -> str | None:
    url = url.strip()
    if not url or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    extension = parts.path.rsplit(".", 1)[-1].lower() if "." in parts.path.rsplit("/", 1)[-1] else ""
    if extension in SKIPPED_EXTENSIONS:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def parse_html(text: str) -> etree._Element | None:
    """An lxml tree of (possibly malformed) HTML; None when there is nothing to parse."""
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def extract(tree: etree._Element | None, base_url: str) -> list[Link]:
    """The page's outgoing links, with `<base href>` honoured; scripts are never looked at, only markup."""
    if tree is None:
        return []
    base = base_url
    for href in tree.xpath("//base/@href")[:1]:
        base = urljoin(base_url, str(href))
    found: list[Link] = []
    for element in tree.xpath("//link[@rel and @hreflang and @href]"):
        if "alternate" in str(element.get("rel", "")).lower().split():
            url = _clean(str(element.get("href")), base)
            if url:
                found.append(Link(url, "", "", True))
    for element in tree.xpath("//a[@href]"):
        url = _clean(str(element.get("href")), base)
        if not url:
            continue
        text = " ".join(element.text_content().split())[:300]
        title = str(element.get("title") or "")[:300]
        alternate = signals.is_language_switch(text, element.get("hreflang"))
        found.append(Link(url, text, title, alternate))
        if len(found) >= MAX_LINKS:
            break
    return found
