"""Field extractors: each reads one Page and returns candidate values with evidence; `combine` merges
them per site."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ..html import Block
from ..lexicon import first_key
from ..page import Page

MAX_SECTION_BLOCKS = 14
MAX_HEADING_WORDS = 8


@dataclass
class Candidate:
    field: str
    value: Any
    confidence: float
    evidence: list[dict[str, Any]] = dc_field(default_factory=list)
    language: str | None = None


def heading_key(page: Page, block: Block) -> str | None:
    """The section a heading opens (mission, goals, members, ...), for real headings and heading-like
    lines."""
    text = block.text.strip().rstrip(":").strip()
    if not text or len(text.split()) > MAX_HEADING_WORDS or len(text) > 80:
        return None
    if block.kind != "heading" and (text[-1:] in ".!," or block.kind != "para"):
        return None
    return first_key("headings", page.langs, text)


def is_heading(block: Block) -> bool:
    return block.kind == "heading"


def sections(page: Page) -> dict[str, list[tuple[Block, list[Block]]]]:
    """Blocks under each recognised heading, up to the next heading of the same or a higher rank."""
    out: dict[str, list[tuple[Block, list[Block]]]] = {}
    blocks = page.blocks
    for i, block in enumerate(blocks):
        key = heading_key(page, block)
        if key is None:
            continue
        level = block.level if block.kind == "heading" else 7
        body: list[Block] = []
        for nxt in blocks[i + 1 : i + 1 + MAX_SECTION_BLOCKS]:
            if nxt.kind == "heading" and (nxt.level <= level or level == 7):
                break
            if heading_key(page, nxt) is not None:
                break
            body.append(nxt)
        if body:
            out.setdefault(key, []).append((block, body))
    return out


def section_cache(page: Page) -> dict[str, list[tuple[Block, list[Block]]]]:
    cached = getattr(page, "_sections", None)
    if cached is None:
        cached = sections(page)
        page._sections = cached  # type: ignore[attr-defined]
    return cached
