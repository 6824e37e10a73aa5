"""Lexicon terms (lexicons/*.json) found in text by word tokens: one pass over a text finds every term of
every section at once, which is what keeps extraction faster than a regex per term or per section.

A term is matched word by word, case-insensitively; a word ending in `*` matches any word it begins (stems
for inflected languages: `министерств*`); a term written in capitals (NGO, ООО, S.A.) only matches capitals.
A page is read with its own language's lexicon plus English, since sites everywhere mix English terms in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import lexicons

FALLBACK = "en"
_TOKEN = re.compile(r"\w+\*?", re.UNICODE)  # lexicon terms: a trailing * marks a stem
_WORD = re.compile(r"\w+", re.UNICODE)
_SPLIT = re.compile(r"(\w+)", re.UNICODE)
_FLAT_SECTIONS = ("boilerplate",)  # sections that are a plain list of terms; their key is the section name


@dataclass(frozen=True)
class Hit:
    section: str
    key: str
    start: int
    end: int


@dataclass(frozen=True)
class _Term:
    section: str
    key: str
    parts: tuple[tuple[str, bool], ...]  # (word, is_stem)
    upper: bool


def languages_for(lang: str) -> tuple[tuple[str, ...], bool]:
    """Lexicons to read a page in `lang` with, and whether `lang` has a lexicon of its own."""
    has_own = lang in lexicons.available()
    langs = (lang, FALLBACK) if has_own and lang != FALLBACK else (FALLBACK,)
    return langs, has_own


def _term(section: str, key: str, word: str) -> _Term | None:
    parts = tuple((t.rstrip("*"), t.endswith("*")) for t in _TOKEN.findall(word.casefold()))
    if not parts or not parts[0][0]:
        return None
    letters = [c for c in word if c.isalpha()]
    return _Term(section, key, parts, bool(letters) and len(letters) <= 5 and word.upper() == word)


@dataclass(frozen=True)
class _Index:
    single: dict[str, list[_Term]]  # by first word
    pairs: dict[str, list[_Term]]  # by "first second" when both are whole words: `de`, `la` start too many
    stems: dict[str, list[_Term]]  # by first word's stem
    lengths: tuple[int, ...]  # the lengths of those stems
    firsts: frozenset[str]


@lru_cache(maxsize=64)
def _index(langs: tuple[str, ...]) -> _Index:
    single: dict[str, list[_Term]] = defaultdict(list)
    pairs: dict[str, list[_Term]] = defaultdict(list)
    stems: dict[str, list[_Term]] = defaultdict(list)
    for lang in langs:
        for section, body in lexicons.load(lang).items():
            if section == "page_signals":
                continue
            if isinstance(body, dict):
                entries = [(key, w) for key, words in body.items() if isinstance(words, list) for w in words]
            elif section in _FLAT_SECTIONS and isinstance(body, list):
                entries = [(section, w) for w in body]
            else:
                continue
            for key, word in entries:
                term = _term(section, key, word) if isinstance(word, str) else None
                if term is None:
                    continue
                (first, first_stem), second = term.parts[0], term.parts[1] if len(term.parts) > 1 else None
                if first_stem:
                    stems[first].append(term)
                elif second is not None and not second[1]:
                    pairs[f"{first} {second[0]}"].append(term)
                else:
                    single[first].append(term)
    firsts = frozenset(single) | frozenset(k.split(" ")[0] for k in pairs)
    return _Index(dict(single), dict(pairs), dict(stems), tuple(sorted({len(s) for s in stems})), firsts)


def find(text: str, langs: tuple[str, ...], sections: tuple[str, ...] | None = None) -> list[Hit]:
    """Every lexicon term in the text, longest first where terms of one section overlap."""
    if not text:
        return []
    index = _index(langs)
    folded = text.lower()
    if len(folded) != len(text):  # a rare letter whose lower case is longer: keep offsets aligned
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    distinct = set(_WORD.findall(folded))
    live = distinct & index.firsts
    if index.stems:
        live |= {w for w in distinct if any(w[:n] in index.stems for n in index.lengths if n <= len(w))}
    if not live:
        return []
    # Splitting keeps separators, so offsets are running sums computed in C, not one match object per word.
    parts = _SPLIT.split(folded)
    words = parts[1::2]
    offsets = list(accumulate(map(len, parts)))
    found: list[Hit] = []
    for i in [k for k, w in enumerate(words) if w in live]:
        word = words[i]
        start = offsets[2 * i]
        candidates = list(index.single.get(word, ()))
        if i + 1 < len(words):
            candidates.extend(index.pairs.get(f"{word} {words[i + 1]}", ()))
        for n in index.lengths:
            if n > len(word):
                break
            candidates.extend(index.stems.get(word[:n], ()))
        for term in candidates:
            if sections is not None and term.section not in sections:
                continue
            size = len(term.parts)
            if i + size > len(words):
                continue
            if all(
                words[i + k] == p or (s and words[i + k].startswith(p)) for k, (p, s) in enumerate(term.parts)
            ):
                end = offsets[2 * (i + size - 1) + 1]
                if term.upper and any(c.islower() for c in text[start:end]):
                    continue
                found.append(Hit(term.section, term.key, start, end))
    # Left to right, the longest term at each start wins; a term inside one already taken is dropped.
    found.sort(key=lambda h: (h.start, h.start - h.end))
    reach: dict[str, int] = {}
    last: dict[str, Hit] = {}
    taken: list[Hit] = []
    for hit in found:
        previous = last.get(hit.section)
        same_span = (
            previous is not None
            and (previous.start, previous.end, previous.key) != (hit.start, hit.end, hit.key)
            and (previous.start, previous.end) == (hit.start, hit.end)
        )
        if hit.start >= reach.get(hit.section, -1) or same_span:
            taken.append(hit)
            reach[hit.section] = hit.end
            last[hit.section] = hit
    return taken


@lru_cache(maxsize=256)
def _key_order(section: str, langs: tuple[str, ...]) -> dict[str, int]:
    order: dict[str, int] = {}
    for lang in (FALLBACK, *langs):
        for key in lexicons.load(lang).get(section, {}) or {}:
            order.setdefault(key, len(order))
    return order


def keys_in(section: str, langs: tuple[str, ...], text: str) -> list[str]:
    """The keys of a section found in the text, in lexicon order (the order is a priority)."""
    order = _key_order(section, langs)
    keys = {h.key for h in find(text, langs, (section,))}
    return sorted(keys, key=lambda k: order.get(k, 999))


def first_key(section: str, langs: tuple[str, ...], text: str) -> str | None:
    """The key of the first term of a section in the text."""
    hits = find(text, langs, (section,))
    return hits[0].key if hits else None


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
