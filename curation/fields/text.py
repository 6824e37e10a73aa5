"""Free-text fields (mission, goals, activities): heading-driven sections first, then phrase-driven sentences,
then the page's own description (meta, OpenGraph, JSON-LD) as weaker support."""

from __future__ import annotations

from ..page import Page
from . import Candidate, section_cache

TEXT_FIELDS = ("mission", "goals", "activities")
MAX_VALUE = 700
MIN_TEXT = 25


def _section_text(blocks: list) -> str:
    """The prose under a heading: its paragraphs, or its list items joined, bounded."""
    parts: list[str] = []
    size = 0
    for block in blocks:
        if len(block.text) < 3 or block.link_ratio > 0.5:
            continue
        if block.kind == "para" and parts and size > 200:
            break
        parts.append(block.text)
        size += len(block.text)
        if size >= MAX_VALUE:
            break
    joined = (
        "; ".join(p.rstrip(";") for p in parts)
        if all(len(p) < 200 for p in parts) and len(parts) > 1
        else " ".join(parts)
    )
    return joined[:MAX_VALUE].strip()


def extract(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    found = section_cache(page)
    for name in TEXT_FIELDS:
        for _heading, blocks in found.get(name, []):
            value = _section_text(blocks)
            if len(value) >= MIN_TEXT:
                out.append(Candidate(name, value, 0.9, [page.evidence(value)], page.language))
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
