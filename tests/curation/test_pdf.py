"""PDF pages (annual reports, statutes): their text is read with pypdf and extracted like any page."""

from __future__ import annotations

from curation import extract_files, extract_pages

LINES = [
    "Annual report 2025",
    "",
    "Our mission is to end bribery in port clearance in Ghana and Togo.",
    "The network brings together shipping companies, port authorities and civil society groups.",
    "Contact: secretariat@port-network.example",
]


def test_pdf_body_is_read_and_extracted(make_pdf):
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


def test_pdf_file_on_the_command_line(tmp_path, make_pdf):
    path = tmp_path / "statutes.pdf"
    path.write_bytes(make_pdf(LINES))
    result = extract_files([str(path)], "https://ports.example")
    assert result["pages"][0]["url"] == "https://ports.example/statutes.pdf"
    assert "mission" in result["fields"]
