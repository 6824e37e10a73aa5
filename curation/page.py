"""One page as the extractors see it: main-text blocks, structured data, links, language and problems.

Built from whatever the caller has: a raw body (HTML or PDF), or only the main text the crawler stored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from . import html, language, pdf, structured
from .lexicon import Hit, find, languages_for

_BARRIER = "\n\nzqxblockzqx\n\n"  # a word no lexicon has, so no term spans two blocks
_SENTENCE = re.compile(r"(?<=[.!?;。])\s+(?=[^\s])")
MAX_SENTENCE = 600


@dataclass
class Page:
    url: str
    language: str = language.UNKNOWN
    title: str | None = None
    blocks: list[html.Block] = field(default_factory=list)
    data: structured.Structured = field(default_factory=structured.Structured)
    links: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fetched_at: str | None = None
    langs: tuple[str, ...] = ("en",)
    has_lexicon: bool = True
    footer: str = ""  # the footer's text (contact and address only; never read as main text)
    _hits: dict[int, list[Hit]] = field(default_factory=dict, repr=False)

    def hits(self, block: html.Block, section: str | None = None, key: str | None = None) -> list[Hit]:
        """Lexicon terms in a block (found once per block, then filtered by section and key)."""
        if not self._hits:
            self._find_all()
        found = self._hits.get(id(block))
        if found is None:
            found = self._hits[id(block)] = find(block.text, self.langs)
        return [
            h for h in found if (section is None or h.section == section) and (key is None or h.key == key)
        ]

    def _find_all(self) -> None:
        """One lexicon pass over the whole page (a barrier word between blocks), split back into blocks."""
        starts, parts, offset = [], [], 0
        for block in self.blocks:
            starts.append(offset)
            parts.append(block.text)
            offset += len(block.text) + len(_BARRIER)
        for block in self.blocks:
            self._hits[id(block)] = []
        for hit in find(_BARRIER.join(parts), self.langs):
            index = bisect_right(starts, hit.start) - 1
            base = starts[index]
            block = self.blocks[index]
            self._hits[id(block)].append(Hit(hit.section, hit.key, hit.start - base, hit.end - base))

    def sentence_at(self, block: html.Block, position: int) -> str:
        """The sentence of a block that holds a character position (the quote for a term found there)."""
        start = 0
        for sentence in sentences(block.text):
            index = block.text.find(sentence, start)
            if index <= position < index + len(sentence) + 1:
                return sentence
            start = max(start, index)
        return block.text[:MAX_SENTENCE]

    @property
    def chars(self) -> int:
        return sum(len(b.text) for b in self.blocks)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def quote_language(self, text: str) -> str:
        return language.block_language(text, self.language)

    def evidence(self, quote: str, limit: int = 500) -> dict[str, Any]:
        """Evidence for a value: the page URL, the verbatim quote (bounded) and its language."""
        text = " ".join(quote.split())
        if len(text) > limit:
            text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
        # The page's language for now; extract_site refines the language of the quotes it keeps.
        return {"url": self.url, "quote": text, "language": self.language}


def sentences(text: str) -> list[str]:
    return [s[:MAX_SENTENCE] for s in _SENTENCE.split(text) if s.strip()]


def _is_pdf(body: bytes | None, content_type: str | None, url: str) -> bool:
    if content_type and "pdf" in content_type.lower():
        return True
    return bool(body and body[:5] == b"%PDF-") or url.lower().endswith(".pdf") and body is None


def _drop_boilerplate(page: Page) -> list[html.Block]:
    """Remove cookie notices and similar blocks that markup did not mark (recognised by lexicon words)."""
    return [b for b in page.blocks if not (len(b.text) < 600 and page.hits(b, "boilerplate"))]


def build(raw: dict[str, Any]) -> Page:
    """A Page from a raw page dict: url, body (bytes or None), content_type, text, title, fetched_at."""
    url = raw.get("final_url") or raw.get("url") or ""
    page = Page(url=url, fetched_at=raw.get("fetched_at"))
    if raw.get("problem"):
        page.problems.append(str(raw["problem"]))
    body, ctype = raw.get("body"), raw.get("content_type")
    if _is_pdf(body, ctype, url):
        text = raw.get("text") or (pdf.text(body, page.problems) if body else "")
        page.blocks = pdf.blocks(text)
    elif body is not None and (body or not raw.get("text")):
        doc = html.document(body, ctype)
        page.problems.extend(doc.problems)
        page.blocks, page.links, page.footer = doc.blocks, doc.links, doc.footer
        if doc.tree is not None:
            page.data = structured.extract(doc.tree)
            page.problems.extend(page.data.problems)
    elif raw.get("text"):
        page.blocks = pdf.blocks(raw["text"])
    else:
        page.problems.append("no body and no text stored for this page")
    page.title = raw.get("title") or page.data.title
    description = page.data.organisation.get("description") or page.data.description
    if description and description[:60] not in page.text:
        # The site's own summary of itself: read by the extractors like text, quoted as such.
        page.blocks.append(html.Block("meta", description))
    page.language = language.page_language(
        [b.text for b in page.blocks if b.kind != "heading"] or [b.text for b in page.blocks], page.data.lang
    )
    if page.language == language.UNKNOWN and page.data.description:
        page.language = language.detect(page.data.description)
    page.langs, page.has_lexicon = languages_for(page.language)
    page.blocks = _drop_boilerplate(page)
    return page
