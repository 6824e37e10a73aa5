"""A public contact: an e-mail address (mailto links or text), a phone link, or a contact page."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

import lexicons

from ..page import Page
from . import Candidate, section_cache

EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,200}\.[A-Za-z]{2,24}\b")
_IMAGE = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


@lru_cache(maxsize=1)
def _contact_words() -> re.Pattern[str]:
    words = []
    for lang in lexicons.available():
        words.extend(lexicons.load(lang).get("page_signals", {}).get("contact", []))
    return re.compile("|".join(re.escape(w.casefold()) for w in sorted(set(words), key=len, reverse=True)))


def _around(text: str, match: re.Match[str], reach: int = 120) -> str:
    return text[max(0, match.start() - reach) : match.end() + reach].strip()


def extract(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    for href, text in page.links:
        if href.lower().startswith("mailto:"):
            email = href[7:].split("?")[0].strip()
            if EMAIL.fullmatch(email):
                out.append(Candidate("contact", email, 0.9, [page.evidence(text or email)]))
    for block in page.blocks:
        for match in EMAIL.finditer(block.text):
            if not match.group(0).lower().endswith(_IMAGE):
                out.append(Candidate("contact", match.group(0), 0.85, [page.evidence(block.text, 300)]))
                break
    for match in EMAIL.finditer(page.footer):
        if not match.group(0).lower().endswith(_IMAGE):
            quote = _around(page.footer, match)
            out.append(Candidate("contact", match.group(0), 0.8, [page.evidence(quote)]))
            break
    org = page.data.organisation
    if org.get("email"):
        email = org["email"].removeprefix("mailto:")
        out.append(Candidate("contact", email, 0.8, [page.evidence(org["email"])]))
    if org.get("telephone"):
        out.append(Candidate("contact", org["telephone"], 0.5, [page.evidence(org["telephone"])]))
    words = _contact_words()
    for href, text in page.links:
        if href.lower().startswith(("tel:", "mailto:", "javascript:", "#")):
            continue
        if not words.search(f"{text} {href}".casefold()):
            continue
        target = urljoin(page.url, href)
        out.append(Candidate("contact", target, 0.6, [page.evidence(text or href)]))
        break
    for _heading, blocks in section_cache(page).get("contact", []):
        text = " ".join(b.text for b in blocks)[:300]
        if text:
            out.append(Candidate("contact", page.url, 0.55, [page.evidence(text)]))
            break
    return out
