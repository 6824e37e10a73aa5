"""Language of pages and text blocks: the shared seeded detector, applied to main text only.

A page is attributed to the language of its main text (menus and footers removed first), so a Spanish page
with an English menu is Spanish. Short blocks say too little to detect reliably and inherit the page's
language.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import lexicons

UNKNOWN = lexicons.UNKNOWN
PAGE_SAMPLE = 800  # characters of main text read to detect a page's language (enough for langdetect)
MIN_BLOCK = 60  # blocks shorter than this take the page's language


@lru_cache(maxsize=20_000)
def detect(text: str) -> str:
    """ISO 639-1 code or `unknown`; never raises."""
    try:
        return lexicons.detect_language(text, max_chars=PAGE_SAMPLE)
    except Exception:  # noqa: BLE001 - a detector failure must never stop a run
        return UNKNOWN


def page_language(texts: list[str], declared: str | None = None) -> str:
    """The language of a page from its main-text blocks; the declared `<html lang>` only when there is no
    text."""
    sample, size = [], 0
    for text in sorted(texts, key=len, reverse=True):
        if size >= PAGE_SAMPLE:
            break
        sample.append(text)
        size += len(text)
    found = detect(" \n".join(sample)) if sample else UNKNOWN
    if found == UNKNOWN and declared and declared in lexicons.available():
        return declared
    return found


def block_language(text: str, page_lang: str, *, force: bool = False) -> str:
    """A quote's language: detected when the quote is long enough (or `force`d), else the page's."""
    if len(text) < MIN_BLOCK and not force:
        return page_lang
    found = detect(text[:600])
    return page_lang if found == UNKNOWN else found


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LETTERS = re.compile(r"[^\W\d_]")


def script(text: str) -> str | None:
    """The writing system of most of a text's letters (LATIN, CYRILLIC, ... as Unicode names them), or None
    without letters; two regex counts, cheap enough for every quote."""
    sample = text[:300]
    letters = _LETTERS.findall(sample)
    if not letters:
        return None
    if 2 * len(_LATIN.findall(sample)) >= len(letters):
        return "LATIN"
    other = next(c for c in letters if not _LATIN.match(c))
    return unicodedata.name(other, "UNKNOWN").split(" ")[0]


def site_language(pages: list[tuple[str, int]]) -> str:
    """The language of a site: the language holding the most main text over its pages ((language, chars)
    pairs)."""
    weights: Counter[str] = Counter()
    for lang, chars in pages:
        if lang != UNKNOWN:
            weights[lang] += chars
    return weights.most_common(1)[0][0] if weights else UNKNOWN
