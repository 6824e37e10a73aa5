"""PDF pages (annual reports, statutes): their text is read with pypdf and extracted like any page."""

from __future__ import annotations

from curation import extract_files, extract_pages


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with Helvetica text, written by hand so the test needs no PDF writer."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",  # noqa: E501
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


LINES = [
    "Annual report 2025",
    "",
    "Our mission is to end bribery in port clearance in Ghana and Togo.",
    "The network brings together shipping companies, port authorities and civil society groups.",
    "Contact: secretariat@port-network.example",
]


def test_pdf_body_is_read_and_extracted():
    result = extract_pages(
        [
            {
                "url": "https://ports.example/report.pdf",
                "body": make_pdf(LINES),
                "content_type": "application/pdf",
            }
        ]
    )
    fields = result["fields"]
    assert result["pages"][0]["language"] == "en"
    assert fields["mission"]["value"].startswith("Our mission is to end bribery in port clearance")
    assert set(fields["countries"]["value"]) == {"GH", "TG"}
    assert set(fields["stakeholder_groups"]["value"]) >= {"private_sector", "public_sector", "civil_society"}
    assert fields["contact"]["value"] == "secretariat@port-network.example"


def test_pdf_file_on_the_command_line(tmp_path):
    path = tmp_path / "statutes.pdf"
    path.write_bytes(make_pdf(LINES))
    result = extract_files([str(path)], "https://ports.example")
    assert result["pages"][0]["url"] == "https://ports.example/statutes.pdf"
    assert "mission" in result["fields"]
