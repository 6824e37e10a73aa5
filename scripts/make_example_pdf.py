#!/usr/bin/env python3
"""Write a small, valid, text-bearing PDF without any dependency.

Why: the bundled example website of the Copperbelt Fair Dealing Compact states its mission only in a PDF charter
(a common real-world situation the extractors must handle), and the fixture must be reproducible from this
repository with the standard library alone. The PDF is written by hand: a catalog, a page tree, one or more
pages, the standard Helvetica font with WinAnsiEncoding, and one content stream per page; text outside Latin-1
is refused rather than silently garbled.

Usage:
    python scripts/make_example_pdf.py                     # regenerate the bundled charter
    python scripts/make_example_pdf.py --text notes.txt --out notes.pdf --title "Notes"
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "examples" / "sites" / "copperbelt-fair-dealing-compact" / "charter.pdf"

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 64
FONT_SIZE = 11
LEADING = 15
WRAP = 88  # characters per line: Helvetica 11 pt averages about 5.3 pt per character
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING

CHARTER = """\
# Charter of the Copperbelt Fair Dealing Compact
Adopted by the founding signatories in Kitwe on 9 March 2021. Consolidated version of 2024.

# Article 1 - Mission
The mission of the Copperbelt Fair Dealing Compact is to make the supply of goods and services to the copper mines \
of Zambia free of bribery, kickbacks and favouritism, so that local suppliers of every size can win contracts on \
quality, safety and price alone, and so that the wealth of the Copperbelt Province reaches the communities that \
live beside the mines.

# Article 2 - Goals
(a) Every signatory operates an anti-bribery programme proportionate to its size and reports on it each year.
(b) Mining companies publish their procurement rules, the criteria of each tender and the names of winning suppliers.
(c) Small and medium suppliers receive training and mentoring on integrity and on tender requirements.
(d) Requests for improper payments are reported through a shared, confidential reporting line.

# Article 3 - Signatories and partners
The Compact is open to mining companies, their contractors and suppliers, and the business associations that \
represent them. The Ministry of Mines and the provincial administration take part as observers. Civil society \
organisations and the Copperbelt School of Mines of the University of Kitwe are partners for monitoring and training.

# Article 4 - Governance
The Compact is convened by the Copperbelt Suppliers' Integrity Network, a business association that hosts the \
secretariat in Kitwe. A steering group of eight members, with equal seats for mining companies, suppliers, public \
observers and civil society, meets every quarter and decides on the admission and suspension of signatories.

# Article 5 - Verification
Each signatory is reviewed every two years by an independent reviewer chosen by the steering group. A summary of \
every review is published.

# Article 6 - Contact
Secretariat of the Compact: compact@copperbelt-fair.example
"""


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsiEncoding (Latin-1 printable range), with the delimiters escaped."""
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"character {text[exc.start]!r} cannot be written with the standard Helvetica font (Latin-1 only)"
        ) from None
    out = bytearray(b"(")
    for byte in raw:
        if byte in (0x5C, 0x28, 0x29):  # \ ( )
            out += b"\\" + bytes([byte])
        elif 0x20 <= byte <= 0x7E:
            out.append(byte)
        elif byte >= 0xA0:  # WinAnsi agrees with Latin-1 here
            out += b"\\%03o" % byte
        else:
            raise ValueError(f"control or C1 character 0x{byte:02x} in PDF text")
    out += b")"
    return bytes(out)


def layout(text: str) -> list[list[tuple[bool, str]]]:
    """Wrap the text into pages of (is_heading, line); lines starting with '# ' are headings."""
    lines: list[tuple[bool, str]] = []
    for paragraph in text.splitlines():
        if not paragraph.strip():
            lines.append((False, ""))
            continue
        heading = paragraph.startswith("# ")
        body = paragraph[2:] if heading else paragraph
        for piece in textwrap.wrap(body, WRAP) or [""]:
            lines.append((heading, piece))
    pages = [lines[i : i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)]
    return pages or [[]]


def content_stream(lines: list[tuple[bool, str]]) -> bytes:
    """The drawing operators of one page: one text object, one line per row, headings in bold."""
    ops = [b"BT", b"%d TL" % LEADING, b"%d %d Td" % (MARGIN, PAGE_HEIGHT - MARGIN)]
    current = None
    for heading, line in lines:
        font = b"/F2" if heading else b"/F1"
        if font != current:
            ops.append(font + b" %d Tf" % (FONT_SIZE + 2 if heading else FONT_SIZE))
            current = font
        ops.append(pdf_string(line) + b" '")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def build_pdf(text: str, title: str) -> bytes:
    """The bytes of a complete PDF 1.4 file holding `text`."""
    pages = layout(text)
    n_pages = len(pages)
    # Object numbers: 1 catalog, 2 page tree, 3 Helvetica, 4 Helvetica-Bold, 5 info, then page/content pairs.
    page_ids = [6 + 2 * i for i in range(n_pages)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % p for p in page_ids)
        + b"] /Count %d >>" % n_pages,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        5: b"<< /Title " + pdf_string(title) + b" /Producer (cahub scripts/make_example_pdf.py) >>",
    }
    for page_id, lines in zip(page_ids, pages, strict=True):
        stream = content_stream(lines)
        objects[page_id] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (
            PAGE_WIDTH,
            PAGE_HEIGHT,
        ) + b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n" % size + b"0000000000 65535 f \n"
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", type=Path, help="UTF-8 text file to write (default: the bundled charter)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output PDF (default: {DEFAULT_OUT})")
    parser.add_argument("--title", default="Charter of the Copperbelt Fair Dealing Compact")
    args = parser.parse_args(argv)
    text = args.text.read_text(encoding="utf-8") if args.text else CHARTER
    try:
        data = build_pdf(text, args.title)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
