"""Free-text fields (mission, goals, activities): heading-driven sections first, then phrase-driven sentences,
then the page's own description (meta, OpenGraph, JSON-LD) as weaker support."""

from __future__ import annotations

import lexicons

from ..page import Page
from . import Candidate, section_cache

TEXT_FIELDS = ("mission", "goals", "activities")
MAX_VALUE = 700
MIN_TEXT = 25


def _section_text(blocks: list) -> str:
    """The prose under a heading: its list items joined, or its first paragraph (two if the first is
    short)."""
    parts: list[str] = []
    items = False
    for block in blocks:
        if len(block.text) < 3 or block.link_ratio > 0.5:
            continue
        is_item = block.kind in ("item", "cell")
        if parts and (is_item != items or (not items and sum(map(len, parts)) >= 150)):
            break
        items = is_item
        parts.append(block.text.rstrip(";"))
        if sum(map(len, parts)) >= MAX_VALUE:
            break
    return ("; " if items else " ").join(parts)[:MAX_VALUE].strip()


def _one_objective(page: Page, heading: str) -> bool:
    """A heading in the singular ("Our objective", "Obiettivo"), from the lexicons' `objective_headings`."""
    text = heading.strip().rstrip(":").strip().casefold()
    return any(
        text == term for lang in page.langs for term in lexicons.load(lang).get("objective_headings", [])
    )


def extract(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    found = section_cache(page)
    for name in TEXT_FIELDS:
        for heading, blocks in found.get(name, []):
            value = _section_text(blocks)
            if len(value) >= MIN_TEXT:
                out.append(Candidate(name, value, 0.9, [page.evidence(value)], page.language))
                if name == "goals" and _one_objective(page, heading.text):
                    # marks the goals as one stated objective ("Nuestro objetivo"), see combine
                    out.append(Candidate("objective", value, 0.9, [], page.language))
                break
    for name in TEXT_FIELDS:
        for block in page.blocks:
            if block.kind in ("heading", "meta") or block.link_ratio > 0.5:
                continue
            hits = page.hits(block, "phrases", name)
            if not hits:
                continue
            sentence = page.sentence_at(block, hits[0].start).strip()
            if len(sentence) >= MIN_TEXT:
                out.append(Candidate(name, sentence, 0.75, [page.evidence(sentence)], page.language))
                break
    description = page.data.organisation.get("description") or page.data.description
    if description and len(description) >= 40:
        out.append(
            Candidate("mission", description[:MAX_VALUE], 0.45, [page.evidence(description)], page.language)
        )
    return out
