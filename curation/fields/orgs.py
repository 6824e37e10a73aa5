"""Who takes part: facilitator (and its type), members, stakeholder groups and government involvement.

Organisation types come from lexicon words (ministry, chamber of commerce, foundation, university, company
suffixes); stakeholder groups from group words in sentences that say who is brought together.
"""

from __future__ import annotations

import re

import lexicons

from ..lexicon import keys_in, matchers, spans
from ..page import Page, sentences
from . import Candidate, section_cache

# The hub counts business associations and chambers of commerce under civil society (DESIGN.md).
TYPE_TO_GROUP = {
    "government_agency": "public_sector",
    "business": "private_sector",
    "business_association": "civil_society",
    "civil_society_organisation": "civil_society",
    "academic_organisation": "academia",
}
_NAME_END = re.compile(r"[,.;:()\[\]|]|\s[-–—]\s|\s(?:and|with|which|who|that|since|in order|y|e|et|und|und|и|который|que|qui|che|die|der)\s")
MAX_NAME_WORDS = 12
MAX_MEMBER_CHARS = 150


def org_type(name: str, langs: tuple[str, ...]) -> str | None:
    """The facilitator type an organisation's name shows (first match in lexicon priority order)."""
    found = keys_in("organisation_types", langs, name)
    return found[0] if found else None


def _name_after(text: str, end: int, langs: tuple[str, ...] = ()) -> str | None:
    rest = text[end:].lstrip(" :—–-")
    for article in sorted({a for lang in langs for a in lexicons.load(lang).get("articles", [])}, key=len,
                          reverse=True):
        if rest.lower().startswith(article) and (article.endswith("'") or rest[len(article):len(article) + 1] == " "):
            rest = rest[len(article):].lstrip()
            break
    cut = _NAME_END.search(rest)
    name = rest[: cut.start()] if cut else rest
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS:
        words = words[:MAX_NAME_WORDS]
    name = " ".join(words).strip(" '\"«»“”")
    return name if len(name) >= 3 and any(c.isupper() for c in name[:3] + name) else None


def facilitator(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    rx = dict(matchers("phrases", page.langs)).get("facilitator")
    if rx is None:
        return out
    for block in page.blocks:
        if block.kind == "heading":
            continue
        for match in rx.finditer(block.text):
            name = _name_after(block.text, match.end(), page.langs)
            if name is None:
                continue
            quote = next((s for s in sentences(block.text) if name in s), block.text)
            ev = [page.evidence(quote)]
            out.append(Candidate("facilitator", name, 0.8, ev, page.quote_language(quote)))
            kind = org_type(name, page.langs) or org_type(name, ("en", "es", "pt", "fr", "de", "it", "ru"))
            if kind:
                out.append(Candidate("facilitator_type", kind, 0.75, ev))
            return out
    return out


def members(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    for _heading, blocks in section_cache(page).get("members", []):
        names = [b.text.strip(" •·-–") for b in blocks
                 if b.kind in ("item", "cell", "para") and 2 <= len(b.text) <= MAX_MEMBER_CHARS
                 and len(b.text.split()) <= MAX_NAME_WORDS and not b.text.rstrip().endswith(":")
                 and not (b.text.rstrip().endswith(".") and len(b.text.split()) > 6)]
        if len(names) >= 2:
            quote = "; ".join(names)
            out.append(Candidate("members", names, 0.8, [page.evidence(quote, 1000)]))
            break
    listed = page.data.organisation.get("members")
    if listed:
        out.append(Candidate("members", listed, 0.6, [page.evidence("; ".join(listed), 1000)]))
    return out


def groups(page: Page, member_names: list[str]) -> list[Candidate]:
    out: list[Candidate] = []
    cue = dict(matchers("phrases", page.langs)).get("stakeholders")
    for block in page.blocks:
        if block.kind == "heading" or cue is None or not cue.search(block.text):
            continue
        for sentence in sentences(block.text):
            if not cue.search(sentence):
                continue
            for key in dict.fromkeys(k for k, _s, _e in spans("stakeholder_groups", page.langs, sentence)):
                out.append(Candidate("stakeholder_groups", [key], 0.75, [page.evidence(sentence)]))
    for name in member_names:
        kind = org_type(name, page.langs)
        if kind in TYPE_TO_GROUP:
            out.append(Candidate("stakeholder_groups", [TYPE_TO_GROUP[kind]], 0.7, [page.evidence(name)]))
    return out


def government(page: Page) -> list[Candidate]:
    """Explicit statements that a government body supports or takes part (the KPI's signal)."""
    rx = dict(matchers("phrases", page.langs)).get("government")
    if rx is None:
        return []
    for block in page.blocks:
        if block.kind != "heading" and rx.search(block.text):
            quote = next((s for s in sentences(block.text) if rx.search(s)), block.text)
            return [Candidate("government_involvement", True, 0.7, [page.evidence(quote)])]
    return []


def extract(page: Page) -> list[Candidate]:
    found_members = members(page)
    names = [n for c in found_members for n in c.value]
    return facilitator(page) + found_members + groups(page, names) + government(page)
