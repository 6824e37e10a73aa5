"""Which links are worth the page budget: words from every lexicon's `page_signals` in a link's URL, text
or title, and language switchers named in any language that has a lexicon.

All languages' words are matched on every site (a Spanish site may say "About us"), so adding a lexicon
file is all a new language needs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import lexicons

_URL_SEPARATORS = re.compile(r"[-_/.+=?&%,;:~]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _category_patterns() -> dict[str, re.Pattern[str]]:
    terms: dict[str, set[str]] = {}
    for sections in lexicons.section("page_signals").values():
        for category, words in sections.items():
            for word in words:
                normal = _SPACES.sub(" ", _URL_SEPARATORS.sub(" ", word.casefold())).strip()
                if normal:
                    terms.setdefault(category, set()).add(normal)
    patterns = {}
    for category, words in terms.items():
        alternation = "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
        )
        patterns[category] = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return patterns


def _url_words(url: str) -> str:
    parts = urlsplit(url)
    return _URL_SEPARATORS.sub(" ", unquote(f"{parts.path} {parts.query}").casefold())


def _words(text: str) -> str:
    return _SPACES.sub(" ", _URL_SEPARATORS.sub(" ", text.casefold()))


def categories(url: str = "", text: str = "", title: str = "") -> set[str]:
    """The page-signal categories (about, mission, members, ...) that a link's URL, text or title names."""
    haystack = " | ".join([_url_words(url), _words(text), _words(title)])
    return {name for name, pattern in _category_patterns().items() if pattern.search(haystack)}


def score(url: str = "", text: str = "", title: str = "") -> int:
    """How much a link signals a page that matters: ten points per category named."""
    return 10 * len(categories(url, text, title))


@lru_cache(maxsize=1)
def language_labels() -> frozenset[str]:
    """Link texts that name a language: codes and native or English names of every lexicon language."""
    from babel import Locale, UnknownLocaleError

    labels: set[str] = set()
    for code in lexicons.available():
        labels.add(code)
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        for name in (locale.get_display_name(code), locale.english_name, locale.get_language_name("en")):
            if name:
                labels.add(name.casefold())
    return frozenset(labels)


def is_language_switch(text: str, hreflang: str | None = None) -> bool:
    """A link to the same content in another language: it carries `hreflang` or its text names a language."""
    if hreflang:
        return True
    return _SPACES.sub(" ", text.casefold()).strip(" |/[]()") in language_labels()
