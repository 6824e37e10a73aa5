"""Text of PDF pages (annual reports, statutes) and the cutting of plain text into blocks.

PDF text has no markup, so headings are guessed the way a reader would: short lines without a final stop.
"""

from __future__ import annotations

import io
import re

from .html import MAX_BLOCK_CHARS, Block

MAX_PDF_PAGES = 60
_STOP = re.compile(r"[.!?:;,]$")


def text(body: bytes, problems: list[str]) -> str:
    """The extracted text of a PDF body; an unreadable PDF is a recorded problem and gives ''."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        parts = []
        for index, pdf_page in enumerate(reader.pages):
            if index >= MAX_PDF_PAGES:
                problems.append(f"PDF read up to page {MAX_PDF_PAGES}")
                break
            parts.append(pdf_page.extract_text() or "")
        return "\n\n".join(parts)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds of errors on broken files
        problems.append(f"PDF text could not be read: {type(exc).__name__}: {exc}"[:300])
        return ""


def blocks(plain: str) -> list[Block]:
    """Paragraphs split at blank lines; a short line without a final stop is a heading."""
    out: list[Block] = []
    for chunk in re.split(r"\n\s*\n", plain):
        lines = [ln.strip() for ln in chunk.splitlines() if ln.strip()]
        if not lines:
            continue
        if len(lines) > 1 and len(lines[0]) < 70 and not _STOP.search(lines[0]):
            out.append(Block("heading", lines[0], 2))
            lines = lines[1:]
        joined = " ".join(lines)
        if len(lines) == 1 and len(joined) < 70 and not _STOP.search(joined):
            out.append(Block("heading", joined, 2))
        else:
            out.append(Block("para", joined[:MAX_BLOCK_CHARS]))
    return out
