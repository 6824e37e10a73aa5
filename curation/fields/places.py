"""Where an initiative works and is hosted: country names in the page's language (CLDR via db.countries),
host-country phrases and addresses, and scope words (global, regional, national)."""

from __future__ import annotations

import re
from functools import lru_cache

import lexicons
from db.countries import _fold, names_index

from ..lexicon import inflections
from ..page import Page, sentences
from . import Candidate, section_cache

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)  # apostrophes split words: "dell'Austria", "Africa's"
MAX_NGRAM = 4


@lru_cache(maxsize=64)
def _index(langs: tuple[str, ...]) -> dict[str, str]:
    """CLDR names in these languages, keyed as the words of a text are read ("côte d ivoire")."""
    index = names_index(tuple(sorted(set(langs) | {"en"})))
    return {" ".join(_WORD.findall(name)): code for name, code in index.items()}


@lru_cache(maxsize=64)
def _first_words(langs: tuple[str, ...], lang: str) -> frozenset[str]:
    """First words of every country name (and of their inflected forms' stems), to skip most tokens at
    once."""
    words = {key.split(" ")[0] for key in _index(langs)}
    return frozenset(words)


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    """Region, province and city names (ISO 3166-2, from pycountry) -> the country they are in; names
    shared by two countries or by a country are left out. A weaker signal than a country's own name."""
    import pycountry

    countries = names_index(("en",))
    seen: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        key = " ".join(_WORD.findall(_fold(sub.name)))
        if len(key) >= 4 and key not in countries:
            seen.setdefault(key, set()).add(sub.country_code)
    return {name: next(iter(codes)) for name, codes in seen.items() if len(codes) == 1}


def regions_in(text: str) -> list[tuple[str, str]]:
    """(country code, region name) for capitalised region or city names of ISO 3166-2 in the text."""
    index = _subdivisions()
    tokens = [m.group(0) for m in _WORD.finditer(text)]
    out = []
    for i, token in enumerate(tokens):
        if token[:1].islower():
            continue
        for n in (3, 2, 1):
            key = " ".join(_fold_word(t) for t in tokens[i : i + n])
            if key in index:
                out.append((index[key], " ".join(tokens[i : i + n])))
                break
    return out


@lru_cache(maxsize=50_000)
def _fold_word(word: str) -> str:
    return _fold(word)


def countries_in(text: str, lang: str, langs: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, matched words) for every country name in the text, longest names first, in order of appearance.

    Names are read in the page's own language (CLDR) even when that language has no lexicon."""
    if lang != "unknown" and lang not in langs:
        langs = (*langs, lang)
    index = _index(langs)
    undo = inflections(lang)
    starts = _first_words(langs, lang)
    if not undo and not any(_fold_word(w) in starts for w in set(_WORD.findall(text))):
        return []
    tokens = [(m.group(0), m.start()) for m in _WORD.finditer(text)]
    folded = [_fold_word(t) for t, _ in tokens]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        matched = 0
        if folded[i] not in starts and not undo:
            i += 1
            continue
        for n in range(min(MAX_NGRAM, len(tokens) - i), 0, -1):
            key = " ".join(folded[i : i + n])
            code = index.get(key)
            if code is None and n == 1 and undo:
                code = next(
                    (index[k] for a, b in undo if key.endswith(a) and (k := key[: -len(a)] + b) in index),
                    None,
                )
            if code is None:
                continue
            original = tokens[i][0]
            if original[:1].islower():
                continue  # proper names are capitalised where the script has case: `reunião` is not Réunion
            if _sea_before(text[max(0, tokens[i][1] - 16) : tokens[i][1]], langs):
                continue  # the Gulf of Guinea is a sea, not Guinea
            out.append((code, " ".join(t for t, _ in tokens[i : i + n])))
            matched = n
            break
        i += matched or 1
    return out


@lru_cache(maxsize=64)
def _sea_words(langs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for lang in langs for w in lexicons.load(lang).get("not_country_after", []))


def _sea_before(before: str, langs: tuple[str, ...]) -> bool:
    """A country name right after "Gulf of", "Golfo de", ... (lexicon `not_country_after`) names a sea."""
    tail = before.casefold().rstrip()
    return any(tail.endswith(w) for w in _sea_words(langs))


MAX_SCANNED = 15_000  # characters of main text read for country names: long news lists add only noise


def extract(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[str] = set()
    scanned = 0
    # "Niger Delta Tankers Plc", "Banco de Chile S.A.": a listed member's name is not where it works
    members = section_cache(page).get("members", [])
    listed = {id(b) for _h, blocks in members for b in blocks if b.kind in ("item", "cell")}
    for block in page.blocks:
        if block.link_ratio > 0.5 or id(block) in listed:
            continue
        scanned += len(block.text)
        if scanned > MAX_SCANNED and block.kind != "meta":
            continue
        for code, words in countries_in(block.text, page.language, page.langs):
            if code in seen:
                continue
            seen.add(code)
            quote = next((s for s in sentences(block.text) if words in s), block.text)
            out.append(Candidate("countries", [code], 0.7, [page.evidence(quote)]))
    if not seen:
        out.extend(_regions(page))
        out.extend(_demonyms(page, "region_countries"))
    out.extend(_host(page))
    out.extend(_scope(page))
    return out


_ADDRESS = re.compile(r"@|\+\d|\b(?!(?:19|20)\d\d\b)\d{4,6}\b")  # e-mail, phone, postcode (not a year)


def _footer_lines(page: Page) -> list[str]:
    """The footer's lines, joined where an address was cut by markup ("Via Toledo 200, Napoli" then an
    e-mail link): a line and its neighbours make one address."""
    lines = page.footer.split("\n")
    return [" ".join(lines[i : i + 3])[:300] for i in range(len(lines))]


def _regions(page: Page) -> list[Candidate]:
    """Countries from region and city names (used by combine only if no page names a country). A region name
    alone is a weak sign ("Centre", "Aurora" are regions somewhere): it counts in an address or after "based
    in", or when two regions of the same country are named."""
    names: dict[str, set[str]] = {}
    quotes: dict[str, str] = {}
    sure: set[str] = set()
    footer = [line for line in _footer_lines(page) if _ADDRESS.search(line)]
    texts = [(b.text, b) for b in page.blocks[:80]] + [(part, None) for part in footer]
    for text, block in texts:
        found = regions_in(text)
        if not found:
            continue
        located = (len(text) < 300 and _ADDRESS.search(text)) or (
            block is not None and page.hits(block, "phrases", "host")
        )
        for code, words in found:
            names.setdefault(code, set()).add(words)
            quotes.setdefault(code, next((s for s in sentences(text) if words in s), text))
            if located:
                sure.add(code)
    return [
        Candidate("region_countries", [code], 0.55, [page.evidence(quotes[code])])
        for code in names
        if code in sure or len(names[code]) >= 2
    ]


DEMONYM_GAP = 30  # characters between "Swiss" and "foundation", "empresas" and "portuguesas"
_ORG_KINDS = {  # company suffixes are left out: "Deutsche Hochbau AG" is a member, not a seat
    "civil_society_organisation",
    "business_association",
    "academic_organisation",
    "international_organisation",
    "government_agency",
}


def _demonyms(page: Page, field: str) -> list[Candidate]:
    """Nationality words beside an organisation ("a Swiss foundation", "une ONG sénégalaise") give the host;
    beside participants ("empresas portuguesas", "österreichische Banken") a country where it works. CLDR
    has no nationality adjectives, so they are lexicon data (`demonyms`)."""
    members = section_cache(page).get("members", [])
    listed = {id(b) for _h, blocks in members for b in blocks}
    for block in page.blocks:
        if block.kind == "heading" or id(block) in listed:
            continue
        found = page.hits(block, "demonyms")
        if not found:
            continue
        if field == "host_country":
            near = [h for h in page.hits(block, "organisation_types") if h.key in _ORG_KINDS]
        else:
            near = page.hits(block, "stakeholder_groups")
        for hit in found:
            for other in near:
                gap = block.text[min(hit.end, other.end) : max(hit.start, other.start)]
                if len(gap) <= DEMONYM_GAP and not any(c in gap for c in ".;:!?()"):
                    value = hit.key if field == "host_country" else [hit.key]
                    quote = page.sentence_at(block, hit.start)
                    return [
                        Candidate(
                            field, value, 0.6 if field == "host_country" else 0.55, [page.evidence(quote)]
                        )
                    ]
    return []


def _host(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    declared = page.data.organisation.get("addressCountry")
    if declared:
        code = next((c for c, _ in countries_in(declared, page.language, page.langs)), None)
        if code is None and len(declared) == 2 and declared.isalpha():
            code = declared.upper()
        if code:
            out.append(
                Candidate(
                    "host_country",
                    code,
                    0.8,
                    [page.evidence(page.data.organisation.get("address") or declared)],
                )
            )
    for block in page.blocks:
        if block.kind == "heading":
            continue
        for hit in page.hits(block, "phrases", "host"):
            after = block.text[hit.end : hit.end + 80]
            found = countries_in(after, page.language, page.langs) or regions_in(after[:40])
            if found:
                out.append(
                    Candidate(
                        "host_country", found[0][0], 0.8, [page.evidence(page.sentence_at(block, hit.start))]
                    )
                )
                return out
    for _heading, blocks in section_cache(page).get("contact", []):
        for block in blocks:
            found = countries_in(block.text, page.language, page.langs)
            if found and len(block.text) < 300:
                out.append(Candidate("host_country", found[-1][0], 0.6, [page.evidence(block.text)]))
                return out
    # the footer's address ("Av. Javier Prado 1200, Lima, Perú"): a weaker sign than a stated seat
    for part in _footer_lines(page):
        if _ADDRESS.search(part):
            found = countries_in(part, page.language, page.langs)
            if found:
                out.append(Candidate("host_country", found[-1][0], 0.55, [page.evidence(part)]))
                return out
    return out or _demonyms(page, "host_country")


MIN_CONTINENTS = 3  # "companies from Europe, North America and Asia": global in practice


def _scope(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[str] = set()
    continents: dict[str, str] = {}
    for block in page.blocks:
        for hit in page.hits(block, "continents"):
            continents.setdefault(hit.key, page.sentence_at(block, hit.start))
    if len(continents) >= MIN_CONTINENTS:
        quotes = list(dict.fromkeys(continents.values()))[:2]
        out.append(Candidate("geographic_scope", "global", 0.7, [page.evidence(q) for q in quotes]))
    for block in page.blocks:
        if (
            block.kind == "heading"
            or block.link_ratio > 0.5
            or (block.kind == "item" and len(block.text) < 80)
        ):
            continue
        for hit in page.hits(block, "scope"):
            if hit.key not in seen:
                seen.add(hit.key)
                out.append(
                    Candidate(
                        "geographic_scope", hit.key, 0.75, [page.evidence(page.sentence_at(block, hit.start))]
                    )
                )
    return out
