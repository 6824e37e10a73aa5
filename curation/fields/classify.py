"""Identifiers read from words: industries (sector words), initiative type and mission focus.

Each match keeps the sentence it came from; `combine` weighs how often and how prominently a key was seen.
Overlapping terms resolve to the longest (`integrity pact` is not also a plain `pact`).
"""

from __future__ import annotations

from ..lexicon import find
from ..page import Page
from . import Candidate, section_cache

MAX_HITS_PER_KEY = 3
# Types that most initiatives mention in passing (workshops, a training for suppliers) and that only describe
# the initiative when said where it defines itself: its mission or goals, its description, its opening lines.
DEFINING_ONLY = {"education_training"}
OPENING_BLOCKS = 3
MAX_OPENING_CHARS = 400  # an opening line, not a whole PDF read as one block


def _hits(
    page: Page, section: str, field: str, confidence: float, as_list: bool, prominent_only: bool = False
) -> list[Candidate]:
    out: list[Candidate] = []
    keys = ("mission", "goals") if prominent_only else ("mission", "goals", "about", "activities")
    prominent = {id(b) for key in keys for _h, blocks in section_cache(page).get(key, []) for b in blocks}
    sections = section_cache(page)
    defining_blocks = {id(b) for _h, bs in sections.get("mission", []) for b in bs}
    counts: dict[str, int] = {}
    for index, block in enumerate(page.blocks):
        if block.link_ratio > 0.5:
            continue
        found = page.hits(block, section)
        if not found:
            continue
        if prominent_only and id(block) not in prominent:
            continue
        defining = (
            id(block) in defining_blocks
            or block.kind == "meta"
            or (index < OPENING_BLOCKS and block.kind == "para" and len(block.text) <= MAX_OPENING_CHARS)
        )
        boost = 0.3 if id(block) in prominent or index < 4 or block.kind in ("heading", "meta") else 0.0
        for key in dict.fromkeys(h.key for h in found):
            if key in DEFINING_ONLY and not defining:
                continue
            if counts.get(key, 0) >= MAX_HITS_PER_KEY:
                continue
            counts[key] = counts.get(key, 0) + 1
            start = next(h.start for h in found if h.key == key)
            quote = page.sentence_at(block, start)
            if field == "mission_focus" and key == "business_environment" and _names_sector(page, quote):
                key = "industry"  # fair competition *in construction* is about that industry
            out.append(
                Candidate(field, [key] if as_list else key, confidence + boost, [page.evidence(quote)])
            )
    return out


def _names_sector(page: Page, text: str) -> bool:
    return any(
        h.key not in ("multi_industry", "public_procurement") for h in find(text, page.langs, ("industries",))
    )


def _sector_mission(page: Page) -> list[Candidate]:
    """A mission that names a sector ("bribery in road construction") is about that industry, whatever its
    goals say about member companies: companies take part in nearly every initiative."""
    for _heading, blocks in section_cache(page).get("mission", []):
        for block in blocks:
            if block.kind == "heading" or page.hits(block, "mission_focus"):
                continue  # a mission that says its focus itself ("in our own companies") is read as said
            if _names_sector(page, block.text):
                return [Candidate("mission_focus", "industry", 0.85, [page.evidence(block.text)])]
    return []


def extract(page: Page) -> list[Candidate]:
    return (
        _hits(page, "industries", "industries", 0.6, True)
        + _hits(page, "initiative_types", "initiative_type", 0.6, False)
        + _hits(page, "mission_focus", "mission_focus", 0.5, False, prominent_only=True)
        + _sector_mission(page)
    )
