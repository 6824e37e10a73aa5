"""The shape every report takes before it is written: sections of charts and tables of plain cells.

Building a report once as data and handing it to three writers (HTML, CSV, Markdown) is what guarantees the
three formats carry the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_TEXT = 300  # scraped or hub text shown in a cell is cut to this many characters


@dataclass(frozen=True)
class Link:
    """A link to a page; only http(s) URLs are ever made clickable (scraped URLs are hostile input)."""

    text: str
    url: str

    @property
    def safe_url(self) -> str | None:
        try:
            scheme = urlsplit(self.url).scheme.lower()
        except ValueError:
            return None
        return self.url if scheme in ("http", "https") else None


@dataclass(frozen=True)
class Mark:
    """A cell with a state the HTML styles (`ok`, `gap`, `warn`), such as "published" or "missing"."""

    text: str
    state: str


Cell = Any  # str | int | float | None | Link | Mark | list[Link]


@dataclass
class Table:
    key: str  # also the CSV file suffix
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    merge_columns: int = 0  # HTML: leading columns shown once per block of rows with the same first cell


@dataclass
class Chart:
    title: str
    bars: list[tuple[str, float]]
    unit: str = "%"
    max_value: float | None = None  # None: scale to the largest bar
    note: str = ""


@dataclass
class Section:
    title: str
    intro: str = ""
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    slug: str  # file name stem: gap-report, hub-stats
    title: str
    subtitle: str
    generated_at: str
    headline: list[tuple[str, str]]
    sections: list[Section]

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


def clip(text: Any, limit: int = MAX_TEXT) -> str:
    """Text for a cell: white space folded, bounded in length."""
    folded = " ".join(str(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"


def cell_text(cell: Cell) -> str:
    """The plain-text form of a cell, as CSV and Markdown carry it."""
    if cell is None:
        return ""
    if isinstance(cell, Link):
        return clip(cell.url, 2000)
    if isinstance(cell, Mark):
        return cell.text
    if isinstance(cell, list):
        return " ".join(cell_text(c) for c in cell)
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return clip(cell)


def percent(part: int, whole: int) -> float:
    """A share in percent with one decimal; 0 when there is nothing to share."""
    return round(100.0 * part / whole, 1) if whole else 0.0
