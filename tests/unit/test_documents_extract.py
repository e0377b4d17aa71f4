"""extract(): PDFs (synthetic, made here with pypdfium2) and every kind of bad input named in issue 2 item 8."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from analysis.errors import InputError
from analysis.ingest.documents import extract, read_document

# (x, y, font size, font name, text) per line; y is the baseline in points from the page bottom.
PageSpec = list[tuple[float, float, float, str, str]]


def make_pdf(path: Path, pages: list[PageSpec]) -> Path:
    """Write a SYNTHETIC PDF (test data only) with the given lines in PDF standard fonts."""
    document = pdfium.PdfDocument.new()
    for lines in pages:
        page = document.new_page(595, 842)
        for x, y, size, font, text in lines:
            obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, font.encode(), ctypes.c_float(size))
            buf = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    document.save(str(path))
    return path


def _report_page(number: int, body: list[str], heading: str | None = None) -> PageSpec:
    lines: PageSpec = [
        (72, 805, 8, "Helvetica-Bold", "Inspection of Testshire local authority children's services"),
        (72, 795, 8, "Helvetica-Bold", f"1 to 5 March 2026 {number}"),
        (300, 30, 9, "Helvetica", f"Page {number} of 3"),
    ]
    y = 740.0
    if heading:
        lines.append((72, y, 14, "Helvetica-Bold", heading))
        y -= 30
    for text in body:
        if text == "":
            y -= 12  # a paragraph gap
            continue
        lines.append((72, y, 12, "Helvetica", text))
        y -= 14.5
    return lines


def test_pdf_furniture_paragraphs_and_pages(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "report.pdf",
        [
            _report_page(
                1,
                ["Children are seen quickly. Their plans are", "reviewed by multi-", "agency partners."],
                "Headline findings",
            ),
            _report_page(
                2, ["Social workers value supervision.", "", "Leaders know the service well. They have not yet"]
            ),
            _report_page(3, ["improved the quality of audits.", "", "12. Managers oversee plans."]),
        ],
    )
    extracted, paragraphs, sentences = read_document(path, "r")
    assert extracted.media_type == "application/pdf" and len(extracted.pages) == 3
    # page spans are contiguous and cover the text
    assert extracted.pages[0][0] == 0 and extracted.pages[-1][1] == len(extracted.text)
    assert all(a[1] == b[0] for a, b in zip(extracted.pages, extracted.pages[1:], strict=False))
    assert "Page 1 of 3" not in extracted.text and "Inspection of Testshire" not in extracted.text
    assert "March 2026" not in extracted.text
    texts = [(p["page"], p["block_kind"], p["text"]) for p in paragraphs]
    assert texts == [
        (1, "heading", "Headline findings"),
        (1, "text", "Children are seen quickly. Their plans are reviewed by multi-agency partners."),
        (2, "text", "Social workers value supervision."),
        # the paragraph runs over the page break: it stopped mid-sentence and the next page goes on in lower case
        (2, "text", "Leaders know the service well. They have not yet improved the quality of audits."),
        (3, "text", "12. Managers oversee plans."),
    ]
    assert [(s["page"], s["text"]) for s in sentences] == [
        (1, "Children are seen quickly."),
        (1, "Their plans are reviewed by multi-agency partners."),
        (2, "Social workers value supervision."),
        (2, "Leaders know the service well."),
        (2, "They have not yet improved the quality of audits."),
        (3, "Managers oversee plans."),
    ]
    for row in paragraphs + sentences:
        assert extracted.text[row["char_start"] : row["char_end"]] == row["text"]
        assert row["heading"] == ("Headline findings" if row["block_kind"] != "heading" else None)
    # the run-on paragraph started on page 2; its continuation lies in page 3's span
    run_on = extracted.text.index("improved the quality")
    assert extracted.page_of(run_on) == 3


def test_pdf_without_a_text_layer(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[], []])  # SYNTHETIC: two pages with no text objects
    with pytest.raises(InputError) as err:
        extract(path)
    assert "scan.pdf" in str(err.value) and "no text layer" in str(err.value) and "page 1" in str(err.value)


def test_html_saved_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "2012-08-10.pdf"
    path.write_text("<!DOCTYPE html>\n<html><head><title>Report not found</title></head><body>x</body></html>")
    with pytest.raises(InputError) as err:
        extract(path)
    message = str(err.value)
    assert "2012-08-10.pdf" in message and "HTML page" in message and "Report not found" in message


def test_pdf_name_on_other_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(InputError, match="x.pdf: not a PDF"):
        extract(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<<")
    with pytest.raises(InputError, match="cut.pdf: not a readable PDF"):
        extract(path)


def test_undecodable_text_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_bytes("Children’s services".encode("cp1252"))
    with pytest.raises(InputError) as err:
        extract(path)
    assert "letter.txt" in str(err.value) and "not UTF-8" in str(err.value) and "byte 8" in str(err.value)


@pytest.mark.parametrize("content", [b"", b"  \n\n \t"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty.md: the file is empty"):
        extract(path)


def test_only_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "footer.txt"
    path.write_text("© Crown copyright 2025\nenquiries@ofsted.gov.uk\n")
    with pytest.raises(InputError, match="no text is left"):
        extract(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        extract(tmp_path / "nope.txt")
