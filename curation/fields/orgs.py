"""Who takes part: facilitator (and its type), members, stakeholder groups and government involvement.

Organisation types come from lexicon words (ministry, chamber of commerce, foundation, university, company
suffixes); stakeholder groups from group words in sentences that say who is brought together.
"""

from __future__ import annotations

import re
from functools import lru_cache

import lexicons

from ..lexicon import find, keys_in
from ..page import Page
from . import Candidate, section_cache
from .places import countries_in, regions_in

# The hub counts business associations and chambers of commerce under civil society (DESIGN.md).
TYPE_TO_GROUP = {
    "government_agency": "public_sector",
    "business": "private_sector",
    "business_association": "civil_society",
    "civil_society_organisation": "civil_society",
    "academic_organisation": "academia",
}
_CONJUNCTION = re.compile(r"\s(?:and|y|e|et|und|и|&)\s(?=\S)")
_NAME_END = re.compile(
    r"[,.;:()\[\]|]|\s[-–—]\s|\s(?:with|which|who|that|since|in order|который|которая|que|qui|che|die|der|mit"
    r"|con|com|avec|à|in|en|em|dal|desde|seit|в|с)\s"
)
MAX_NAME_WORDS = 12
_DATE = re.compile(r"\b(19|20)\d\d\b|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
MAX_MEMBER_CHARS = 150
# "Constructora X S.A.C. (firmante desde 2018)": the dated note is about the membership, the name is before it
_DATED_NOTE = re.compile(r"\s*\([^()]*\b(?:19|20)\d\d\b[^()]*\)\s*\.?\s*$")


ALL_LANGS = ("en", "es", "pt", "fr", "de", "it", "ru")


def org_type(name: str, langs: tuple[str, ...]) -> str | None:
    """The facilitator type an organisation's name shows (first match in lexicon priority order)."""
    hits = find(name, langs, ("organisation_types",))
    if not hits:
        return None
    order = keys_in("organisation_types", langs, name)
    return min(hits, key=lambda h: (h.start - h.end, order.index(h.key))).key


_PLACE_PREPOSITIONS = {"in", "en", "em"}


def _topic_follows(text: str, cut: re.Match[str], langs: tuple[str, ...]) -> bool:
    """ "Stiftung für Ethik in der Medizin", "Centre for Integrity in the Extractive Industries": "in" + an
    article + a word that is no place is part of the name; "in Lima", "in the Netherlands" end it."""
    if cut.group(0).strip() not in _PLACE_PREPOSITIONS:
        return False
    words = text[cut.end() :].split()
    articles = {a for lang in langs for a in lexicons.load(lang).get("articles", [])}
    if len(words) < 2 or words[0].casefold() not in articles or not words[1][:1].isupper():
        return False
    following = " ".join(words[1:4])
    lang = langs[0] if langs else "en"
    return not countries_in(following, lang, langs) and not regions_in(words[1])


def _name_after(text: str, end: int, langs: tuple[str, ...] = ()) -> str | None:
    rest = text[end:].lstrip(" :—–-")
    for article in sorted(
        {a for lang in langs for a in lexicons.load(lang).get("articles", [])}, key=len, reverse=True
    ):
        if rest.lower().startswith(article) and (
            article.endswith("'") or rest[len(article) : len(article) + 1] == " "
        ):
            rest = rest[len(article) :].lstrip()
            break
    cut = _NAME_END.search(rest)
    while cut is not None and _topic_follows(rest, cut, langs):
        article = rest[cut.end() :].split(maxsplit=1)[0]
        cut = _NAME_END.search(rest, rest.index(article, cut.end()) + len(article))
    name = rest[: cut.start()] if cut else rest
    # "X and Y Foundation" is one name; "X and the ministry" is not
    for conj in _CONJUNCTION.finditer(name):
        if not name[conj.end() : conj.end() + 1].isupper():
            name = name[: conj.start()]
            break
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS:
        words = words[:MAX_NAME_WORDS]
    name = " ".join(words).strip(" '\"«»“”")
    return name if len(name) >= 3 and any(c.isupper() for c in name[:3] + name) else None


def _stems(text: str) -> set[str]:
    return {w[:5].casefold() for w in re.findall(r"\w+", text) if len(w) > 3}


def _is_site_name(name: str, title: str) -> bool:
    """The initiative's own name (in the page title, any case ending) is not its facilitator."""
    words = _stems(name)
    shared = len(words & _stems(title))
    return shared >= 2 and shared >= 0.9 * len(words)


def facilitator(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    for block in page.blocks:
        if block.kind == "heading":
            continue
        for hit in page.hits(block, "phrases", "facilitator"):
            name = _name_after(block.text, hit.end, page.langs)
            if name is None or _is_site_name(name, page.title or ""):
                continue
            quote = page.sentence_at(block, hit.start)
            ev = [page.evidence(quote)]
            out.append(Candidate("facilitator", name, 0.8, ev, page.language))
            # "X, an international organisation based in ..." : the apposition says what X is
            after = quote[quote.find(name) + len(name) :][:80] if name in quote else ""
            apposition = after[1:].strip() if after.startswith(",") else ""
            articles = {a for lang in page.langs for a in lexicons.load(lang).get("articles", [])}
            if apposition.split(" ", 1)[0].casefold() not in articles:
                apposition = ""
            kind = (
                (org_type(apposition, page.langs) if apposition else None)
                or org_type(name, page.langs)
                or org_type(name, ALL_LANGS)
            )
            if kind:
                out.append(Candidate("facilitator_type", kind, 0.75, ev))
            return out
    return out


@lru_cache(maxsize=64)
def _around_patterns(langs: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Facilitator phrases that wrap the name ("wird vom … getragen"): German and other languages put the verb
    after the name, so the words before and after it are matched with the name in between."""
    out = []
    for lang in langs:
        for term in lexicons.load(lang).get("phrases", {}).get("facilitator_around", []):
            before, _, after = term.partition("…")
            if before.strip() and after.strip():
                out.append(
                    re.compile(
                        rf"\b{re.escape(before.strip())}\s+(.{{3,100}}?)\s+{re.escape(after.strip())}\b",
                        re.IGNORECASE,
                    )
                )
    return tuple(out)


def _facilitator_around(page: Page) -> list[Candidate]:
    patterns = _around_patterns(page.langs)
    if not patterns:
        return []
    for block in page.blocks:
        if block.kind == "heading":
            continue
        for pattern in patterns:
            match = pattern.search(block.text)
            if not match:
                continue
            name = _name_after(match.group(1), 0, page.langs)
            if name is None or _is_site_name(name, page.title or ""):
                continue
            ev = [page.evidence(page.sentence_at(block, match.start()))]
            out = [Candidate("facilitator", name, 0.75, ev, page.language)]
            kind = org_type(name, page.langs) or org_type(name, ALL_LANGS)
            if kind:
                out.append(Candidate("facilitator_type", kind, 0.7, ev))
            return out
    return []


def _member_name(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return (
        not text[:1].isdigit()  # "27 contracts monitored" is a figure, not a member
        and 2 <= len(text) <= MAX_MEMBER_CHARS
        and letters >= 3
        and letters > len(text) / 2
        and len(text.split()) <= MAX_NAME_WORDS
        and not text.rstrip().endswith(":")
        and not (text.rstrip().endswith(".") and len(text.split()) > 6)
        and not _DATE.search(text)
    )


def members(page: Page) -> list[Candidate]:
    """Names listed under a members/signatories heading: its list items or table cells (else short lines)."""
    out: list[Candidate] = []
    for _heading, blocks in section_cache(page).get("members", []):
        listed = [b for b in blocks if b.kind in ("item", "cell")] or [b for b in blocks if b.kind == "para"]
        if any(b.kind == "head" for b in blocks):
            # a table with a header row is one record per row (name, segment, year): the names are its
            # first column; a table without one is a grid of names
            listed = [b for b in listed if b.kind != "cell" or b.level == 0]
        texts = [_DATED_NOTE.sub("", b.text).strip(" •·-–") for b in listed]
        names = [t for t in texts if _member_name(t)]
        if len(names) >= 2:
            quote = "; ".join(names)
            out.append(Candidate("members", names, 0.8, [page.evidence(quote, 1000)], page.language))
            break
    listed_ld = page.data.organisation.get("members")
    if listed_ld:
        out.append(Candidate("members", listed_ld, 0.6, [page.evidence("; ".join(listed_ld), 1000)]))
    return out


def groups(page: Page, member_names: list[str]) -> list[Candidate]:
    """Group words in sentences that say who takes part ("brings together companies and ministries")."""
    out: list[Candidate] = []
    for block in page.blocks:
        if block.kind == "heading":
            continue
        cues = page.hits(block, "phrases", "stakeholders")
        if not cues:
            continue
        found = page.hits(block, "stakeholder_groups")
        for cue in cues:
            sentence = page.sentence_at(block, cue.start)
            start = block.text.find(sentence)
            for key in dict.fromkeys(h.key for h in found if start <= h.start < start + len(sentence)):
                out.append(Candidate("stakeholder_groups", [key], 0.75, [page.evidence(sentence)]))
    for name in member_names:
        kind = org_type(name, page.langs)
        if kind in TYPE_TO_GROUP:
            out.append(Candidate("stakeholder_groups", [TYPE_TO_GROUP[kind]], 0.7, [page.evidence(name)]))
    return out


def government(page: Page) -> list[Candidate]:
    """Explicit statements that a government body supports or takes part (the KPI's signal)."""
    for block in page.blocks:
        hits = page.hits(block, "phrases", "government") if block.kind != "heading" else []
        if hits:
            return [
                Candidate(
                    "government_involvement",
                    True,
                    0.7,
                    [page.evidence(page.sentence_at(block, hits[0].start))],
                )
            ]
    return []


def extract(page: Page) -> list[Candidate]:
    found_members = members(page)
    names = [n for c in found_members for n in c.value]
    convener = facilitator(page) or _facilitator_around(page)
    return convener + found_members + groups(page, names) + government(page)
