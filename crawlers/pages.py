"""Turn one HTTP response into a page record (title, main text, language, hash, raw body), without storing it.

Kept apart from the writing (`db.crawl_store.save_page`) so that a distributed crawl's workers can build
records and send them to one collector that writes staging.db.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

import lexicons

from . import charset, links, pdf
from .links import Link

MAX_TEXT_CHARS = 200_000
# langdetect's cost grows with the sample and it dominated the crawl's CPU time; 1,500 characters of main
# text name a page's language as reliably for our purposes (benchmarks/README.md has the figures).
LANGUAGE_SAMPLE = 1500
_MAGIC = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"MZ",
    b"\x00\x00\x01\x00",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x7fELF",
    b"BZh",
    b"\xd0\xcf\x11\xe0",
)


@dataclass
class PageResult:
    """A page record ready for `save_page` (None when the body is not a page), its links and its problems."""

    record: dict[str, Any] | None
    links: list[Link] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_pdf(body: bytes, content_type: str) -> bool:
    return body[:1024].lstrip().startswith(b"%PDF-") or "application/pdf" in content_type


def looks_binary(body: bytes) -> bool:
    """Bytes that no HTML page starts with: NULs (outside UTF-16) or a known file signature."""
    head = body[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return head.startswith(_MAGIC) or b"\x00" in head


def _main_text(html: str, tree: Any) -> str:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    text = None
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, fast=True)
    except (ValueError, TypeError, AttributeError):
        text = None
    if not text and tree is not None:
        for bad in tree.xpath("//script|//style|//noscript|//template"):
            bad.drop_tree()
        body = tree.find("body")
        text = (body if body is not None else tree).text_content()
        text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return (text or "")[:MAX_TEXT_CHARS]


def page_record(
    *,
    initiative_id: str,
    url: str,
    final_url: str,
    status: int,
    headers: dict[str, str],
    body: bytes,
    fetched_at: str,
    body_cap: int,
) -> PageResult:
    """Build the page record of a response; headers are lower-cased names to values."""
    content_type = headers.get("content-type", "")
    record: dict[str, Any] = {
        "initiative_id": initiative_id,
        "url": url,
        "final_url": final_url,
        "http_status": status,
        "content_type": content_type or None,
        "fetched_at": fetched_at,
        "etag": headers.get("etag"),
        "last_modified": headers.get("last-modified"),
    }
    if status == 304 or status >= 400:
        return PageResult(record)
    result = PageResult(record)
    truncated = len(body) > body_cap
    kept = body[:body_cap]
    record.update(
        content_hash=hashlib.sha256(body).hexdigest(),
        body=kept,
        body_size=len(body),
        truncated=int(truncated),
    )
    if truncated:
        result.warnings.append(f"body of {len(body)} bytes cut to {body_cap} bytes")
    if is_pdf(body, content_type):
        text, title, problem = pdf.pdf_text(body if not truncated else kept)
        if problem:
            result.warnings.append(problem)
        language = lexicons.detect_language(text, max_chars=LANGUAGE_SAMPLE)
        record.update(content_type="application/pdf", title=title, text=text, language=language)
        return result
    if looks_binary(body):
        result.record = None
        result.warnings.append(f"binary content served as {content_type or 'an unknown type'}; not stored")
        return result
    if not body.strip():
        result.warnings.append("empty body")
    html, encoding, note = charset.decode(kept, content_type)
    if note:
        result.warnings.append(note)
    base_type = content_type.split(";")[0].strip() or "text/html"
    record["content_type"] = f"{base_type}; charset={encoding}"
    tree = links.parse_html(html)
    title = None
    if tree is not None:
        found = tree.findtext(".//title")
        title = " ".join(found.split())[:500] if found else None
        result.links = links.extract(tree, final_url)
    text = _main_text(html, tree) if base_type in ("text/html", "application/xhtml+xml") else html
    record.update(title=title, text=text, language=lexicons.detect_language(text, max_chars=LANGUAGE_SAMPLE))
    return result
