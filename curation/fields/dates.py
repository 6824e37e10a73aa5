"""Dates: the start year (founded in / since / JSON-LD foundingDate) and the latest sign of activity,
which gives the status signal (active when something is dated within the last two years)."""

from __future__ import annotations

import datetime
import re

from ..lexicon import months
from ..page import Page, sentences
from . import Candidate

_ISO = re.compile(r"\b(20\d\d|19\d\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])")
_NUMERIC = re.compile(r"\b([0-2]?\d|3[01])[./]([01]?\d)[./](20\d\d)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_WORDY = re.compile(
    r"(?:\b([0-3]?\d)(?:\.|º|er|st|nd|rd|th)?\s+(?:de\s+)?([^\W\d_]{3,12})\.?,?\s+(?:de\s+)?(20\d\d|19\d\d))"
    r"|(?:\b([^\W\d_]{3,12})\.?\s+([0-3]?\d)(?:st|nd|rd|th)?,?\s+(20\d\d|19\d\d))",
    re.UNICODE,
)
ACTIVE_YEARS = 2
_LETTERS = re.compile(r"[^\W\d_]{3,12}", re.UNICODE)


def _valid(y: int, m: int, d: int) -> datetime.date | None:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        return None


def dates_in(text: str, langs: tuple[str, ...]) -> list[tuple[datetime.date, str]]:
    """Full dates (day, month, year) written as ISO, numeric or with month names in the lexicon languages."""
    names = months(langs)
    out = []
    for m in _ISO.finditer(text):
        if (d := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))) is not None:
            out.append((d, m.group(0)))
    for m in _NUMERIC.finditer(text):
        if (d := _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))) is not None:
            out.append((d, m.group(0)))
    if not any(w.casefold() in names for w in set(_LETTERS.findall(text))):
        return out
    for m in _WORDY.finditer(text):
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(4), m.group(5), m.group(6)
        number = names.get(month.casefold())
        if number and (d := _valid(int(year), number, int(day))) is not None:
            out.append((d, m.group(0)))
    return out


def reference_date(page: Page) -> datetime.date:
    """The day the page was fetched (so re-reading an old crawl gives the same status), else today."""
    if page.fetched_at:
        try:
            return datetime.date.fromisoformat(page.fetched_at[:10])
        except ValueError:
            pass
    return datetime.datetime.now(datetime.UTC).date()


def extract(page: Page) -> list[Candidate]:
    out: list[Candidate] = []
    ref = reference_date(page)
    found: list[tuple[datetime.date, str, str]] = []
    for block in page.blocks:
        if not _YEAR.search(block.text):
            continue
        for d, words in dates_in(block.text, page.langs):
            found.append((d, words, block.text))
    for raw in page.data.dates:
        match = _ISO.search(raw)
        day = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None
        if day is not None:
            found.append((day, raw, raw))
    found = [f for f in found if f[0] <= ref + datetime.timedelta(days=366)]
    if found:
        d, words, context = max(found, key=lambda f: f[0])
        quote = next((s for s in sentences(context) if words in s), context)
        ev = [page.evidence(quote)]
        out.append(Candidate("last_activity", d.isoformat(), 0.7, ev))
        recent = d >= ref - datetime.timedelta(days=365 * ACTIVE_YEARS)
        out.append(Candidate("status", "active" if recent else "inactive", 0.7 if recent else 0.45, ev))
    for block in page.blocks:
        hits = page.hits(block, "phrases", "ended") if block.kind != "heading" else []
        if hits:
            out.append(
                Candidate("status", "inactive", 0.8, [page.evidence(page.sentence_at(block, hits[0].start))])
            )
            break
    out.extend(_start(page))
    return out


BARE_CUE_CHARS = 6  # "since", "desde", "seit", "dal", "с": a date, not necessarily a founding
MEMBERSHIP_REACH = 40


def _membership(page: Page, block, cue_start: int) -> bool:
    """ "signatory since 2024", "участник с 2025 года": the year a member joined, not the initiative began."""
    return any(
        cue_start - MEMBERSHIP_REACH <= h.start < cue_start for h in page.hits(block, "phrases", "membership")
    )


def _start(page: Page) -> list[Candidate]:
    founding = page.data.organisation.get("foundingDate")
    this_year = reference_date(page).year
    out = []
    if founding and (m := _YEAR.search(founding)) and int(m.group(1)) <= this_year:
        out.append(Candidate("start_year", int(m.group(1)), 0.8, [page.evidence(founding)]))
    for block in page.blocks:
        # a list entry "Company X (since 2019)" dates a member, not the initiative
        if block.kind in ("item", "cell") or not _YEAR.search(block.text):
            continue
        for hit in page.hits(block, "phrases", "start"):
            # a bare "since"/"desde"/"с" must be followed closely by the year and is weaker than a founding
            # cue; "founded in" may name a place first
            bare = hit.end - hit.start <= BARE_CUE_CHARS
            year = _YEAR.search(block.text[hit.end : hit.end + (12 if bare else 40)])
            if not year or int(year.group(1)) > this_year or _membership(page, block, hit.start):
                continue  # a start year is never in the future, nor the year a member joined
            out.append(
                Candidate(
                    "start_year",
                    int(year.group(1)),
                    0.6 if bare else 0.8,
                    [page.evidence(page.sentence_at(block, hit.start))],
                )
            )
            break  # one start phrase a block; the site keeps the founding one
    return out
