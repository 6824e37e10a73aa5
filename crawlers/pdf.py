"""Text of PDF documents (charters, codes of conduct, annual reports), read with pypdf, bounded."""

from __future__ import annotations

import io
import logging

MAX_PDF_PAGES = 60
MAX_TEXT_CHARS = 400_000


def pdf_text(body: bytes) -> tuple[str, str | None, str | None]:
    """(text, title from the document info, problem) of a PDF; never raises on a broken file."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PDF_PAGES]:
            chunk = page.extract_text() or ""
            parts.append(chunk)
            size += len(chunk)
            if size >= MAX_TEXT_CHARS:
                break
        title = None
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title)[:500]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, NotImplementedError) as exc:
        return "", None, f"PDF text could not be read: {exc}"[:500]
    text = "\n".join(parts)[:MAX_TEXT_CHARS]
    return text, title, None
