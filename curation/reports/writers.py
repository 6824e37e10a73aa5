"""Write a report Document as one self-contained HTML file, CSV files (one per table) or one Markdown file.

HTML goes through Jinja2 with autoescaping on, so every value from the hub or a crawled site is escaped; links
are only made from http(s) URLs. Files are written next to their final name and renamed into place, so a
reader never sees half a report.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from .charts import svg
from .document import Document, Link, Mark, cell_text

FORMATS = ("html", "csv", "md")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("curation.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(svg=svg, is_link=lambda c: isinstance(c, Link), is_mark=lambda c: isinstance(c, Mark))
    env.globals.update(is_list=lambda c: isinstance(c, list), is_number=lambda c: isinstance(c, int | float))
    env.filters["cell"] = cell_text
    return env


def _write(path: Path, text: str) -> Path:
    tmp = path.with_name(path.name + ".partial")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)
    return path


def write_html(doc: Document, out_dir: Path) -> list[Path]:
    page = _environment().get_template("report.html").render(doc=doc)
    return [_write(out_dir / f"{doc.slug}.html", page)]


def write_csv(doc: Document, out_dir: Path) -> list[Path]:
    """One CSV per table, named `<slug>-<table>.csv`, plain values without formatting."""
    paths = []
    for table in doc.tables():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_csv_cell(c) for c in row])
        paths.append(_write(out_dir / f"{doc.slug}-{table.key}.csv", buffer.getvalue()))
    return paths


def _csv_cell(cell: object) -> str:
    text = cell_text(cell)
    # A spreadsheet would run a cell that starts with these as a formula; scraped text must not.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell: no HTML, no table breaks, no link or emphasis syntax."""
    escaped = html.escape(text, quote=False)
    for char in "\\|*_`[]#":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _md_cell(cell: object) -> str:
    if isinstance(cell, Link):
        url = cell.safe_url
        text = md_escape(cell_text(cell.text))
        return (
            f"[{text}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
            if url
            else md_escape(cell_text(cell))
        )
    if isinstance(cell, list):
        return " ".join(_md_cell(c) for c in cell)
    return md_escape(cell_text(cell))


def write_md(doc: Document, out_dir: Path) -> list[Path]:
    lines = [
        f"# {md_escape(doc.title)}",
        "",
        md_escape(doc.subtitle),
        "",
        f"Generated {doc.generated_at}.",
        "",
    ]
    for label, value in doc.headline:
        lines.append(f"- **{md_escape(label)}:** {md_escape(value)}")
    for section in doc.sections:
        lines += ["", f"## {md_escape(section.title)}", ""]
        if section.intro:
            lines += [md_escape(section.intro), ""]
        for table in section.tables:
            lines += [f"### {md_escape(table.title)}", ""]
            if table.note:
                lines += [md_escape(table.note), ""]
            lines.append("| " + " | ".join(md_escape(c) for c in table.columns) + " |")
            lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
            for row in table.rows:
                lines.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
            lines.append("")
    return [_write(out_dir / f"{doc.slug}.md", "\n".join(lines).rstrip() + "\n")]


WRITERS: dict[str, Callable[[Document, Path], list[Path]]] = {
    "html": write_html,
    "csv": write_csv,
    "md": write_md,
}


def write(doc: Document, fmt: str, out_dir: Path) -> list[Path]:
    """Write `doc` in one format (html, csv, md) or `all`; returns the files written."""
    formats = FORMATS if fmt == "all" else (fmt,)
    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        raise ValueError(f"unknown report format {unknown[0]!r}; choose one of {', '.join(FORMATS)} or all")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name in formats:
        paths += WRITERS[name](doc, out_dir)
    return paths
