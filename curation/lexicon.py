"""Compiled lexicon sections: per-language words and phrases (lexicons/*.json) as case-insensitive regexes.

A term ending in `*` matches any word continuing it (stems for inflected languages such as Russian). A page is
read with its own language's lexicon plus English, since sites everywhere mix English terms into their text.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lexicons

FALLBACK = "en"


def languages_for(lang: str) -> tuple[tuple[str, ...], bool]:
    """Lexicons to read a page in `lang` with, and whether `lang` has a lexicon of its own."""
    has_own = lang in lexicons.available()
    langs = (lang, FALLBACK) if has_own and lang != FALLBACK else (FALLBACK,)
    return langs, has_own


def _pattern(term: str) -> str:
    stem = term.endswith("*")
    word = term.rstrip("*")
    body = r"\w*".join(re.escape(part).replace(r"\ ", r"\s+") for part in word.split("*"))
    if len(word) <= 5 and word.upper() == word and any(c.isalpha() for c in word):
        body = f"(?-i:{body})"  # abbreviations (NGO, ООО, S.A.) only in capitals: `sa` or `ag` are words too
    tail = r"\w*" if stem else (r"(?!\w)" if word[-1:].isalnum() else "")
    return r"(?<!\w)" + body + tail


@lru_cache(maxsize=512)
def matchers(section: str, langs: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """One regex per key of a section (e.g. headings -> mission, goals, ...), over the given languages."""
    terms: dict[str, list[str]] = {}
    for lang in langs:
        for key, words in lexicons.load(lang).get(section, {}).items():
            terms.setdefault(key, []).extend(w for w in words if isinstance(w, str) and w.strip())
    out = []
    for key, words in terms.items():
        ordered = sorted(set(words), key=len, reverse=True)
        out.append((key, re.compile("|".join(_pattern(w) for w in ordered), re.IGNORECASE)))
    return tuple(out)


@lru_cache(maxsize=128)
def words(section: str, langs: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a flat list section (e.g. boilerplate), over the given languages."""
    terms = []
    for lang in langs:
        value = lexicons.load(lang).get(section, [])
        terms.extend(value if isinstance(value, list) else [])
    if not terms:
        return None
    return re.compile("|".join(_pattern(w) for w in sorted(set(terms), key=len, reverse=True)), re.IGNORECASE)


def keys_in(section: str, langs: tuple[str, ...], text: str) -> list[str]:
    """The keys of a section whose terms occur in the text, in lexicon order."""
    return [key for key, rx in matchers(section, langs) if rx.search(text)]


def first_key(section: str, langs: tuple[str, ...], text: str) -> str | None:
    found = keys_in(section, langs, text)
    return found[0] if found else None


@lru_cache(maxsize=64)
def months(langs: tuple[str, ...]) -> dict[str, int]:
    """Month names (all forms listed in the lexicons) to month numbers."""
    out: dict[str, int] = {}
    for lang in langs:
        for number, forms in enumerate(lexicons.load(lang).get("months", []), start=1):
            for form in forms:
                out[form.casefold()] = number
    return out


@lru_cache(maxsize=64)
def inflections(lang: str) -> tuple[tuple[str, str], ...]:
    """Case endings to undo before looking a word up as a country name (e.g. Russian `России` -> `Россия`)."""
    return tuple((a, b) for a, b in lexicons.load(lang).get("inflections", []))


def spans(section: str, langs: tuple[str, ...], text: str) -> list[tuple[str, int, int]]:
    """Non-overlapping (key, start, end) matches, longest first, so `chamber of commerce` is not also `commerce`."""
    found = [(key, m.start(), m.end()) for key, rx in matchers(section, langs) for m in rx.finditer(text)]
    found.sort(key=lambda s: (s[1] - s[2], s[1]))
    taken: list[tuple[str, int, int]] = []
    for key, start, end in found:
        if all(end <= s or start >= e for _k, s, e in taken):
            taken.append((key, start, end))
    return sorted(taken, key=lambda s: s[1])
