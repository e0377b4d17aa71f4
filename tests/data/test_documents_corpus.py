"""Extraction over the real corpus: every Ofsted PDF in ../shared/data/ofsted-reports and the seed documents."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from analysis.errors import InputError
from analysis.ingest.documents import extract, read_document, split

HTML_SAVED_AS_PDF = "80543_rotherham/2012-08-10.pdf"
FURNITURE = re.compile(
    r"^(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$|\bpage \d+ of \d+\b|©\s*crown copyright|piccadilly gate"
    r"|enquiries@ofsted|textphone|you may reuse this information|the office for standards in education",
    re.I,
)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _running_lines(path: Path) -> set[str]:
    """Lines (digits masked) that open or close at least half the pages: headers and footers, found independently."""
    document = pdfium.PdfDocument(str(path))
    try:
        seen: Counter[str] = Counter()
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            lines = [ln.strip() for ln in textpage.get_text_range().splitlines() if ln.strip()]
            seen.update({_key(ln) for ln in lines[:3] + lines[-3:]})
        return {key for key, n in seen.items() if n >= max(3, len(document) / 2)}
    finally:
        document.close()


# What must never reach the coder (issue 11), each defined by its shape, independently of the extraction code:
NOISE_IN_CODED = {
    "grade-table cell": re.compile(
        r"^(?:overall effectiveness|(?:the )?experiences and progress of (?:children|care leavers)(?: who need help "
        r"and protection| in care(?: and care leavers)?| looked after and achieving permanence)?|children who need "
        r"help and protection|children looked after(?: and achieving(?: permanence)?)?|adoption performance|"
        r"leadership, management and governance|the impact of leaders on (?:social work )?practice with children and "
        r"families)?"
        r"\s*:?\s*(?:outstanding|good|requires? improvement(?: to be good)?|inadequate)?\.?$",
        re.I,
    ),
    "recommendation label": re.compile(r"\(\s*recommendations?\s*\.?\s*\)", re.I),
    "inspection metadata": re.compile(
        r"^(?:lead inspector|deputy lead inspector|inspection dates?|report published)\s*:", re.I
    ),
    "footnote mark": re.compile(r"\b[a-z]{3,}\d{1,2}\b"),
    "running glue": re.compile(r"\b[a-z]{3,}[A-Z][a-z]{2,}\b|\b[a-z]{2,}[.][A-Z][a-z]{2,}"),
}
# Words with a digit that the PDFs print at body size on the baseline: names, not footnote marks.
NAMES_WITH_DIGITS = {"Foster4"}


@pytest.fixture(scope="module")
def report_pdfs(shared_dir: Path) -> list[Path]:
    root = shared_dir / "data" / "ofsted-reports"
    with (root / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        files = [row["file"] for row in csv.DictReader(handle)]
    paths = [root / name for name in files]
    assert files and all(path.is_file() for path in paths)
    return sorted(paths)


def test_every_report_pdf(report_pdfs: list[Path]) -> None:
    started = time.perf_counter()
    totals = Counter()
    for path in report_pdfs:
        name = f"{path.parent.name}/{path.name}"
        if name == HTML_SAVED_AS_PDF:
            continue
        extracted, paragraphs, sentences = read_document(path, name)
        running = _running_lines(path)
        assert extracted.pages and extracted.pages[-1][1] == len(extracted.text), name
        for row in paragraphs + sentences:
            assert extracted.text[row["char_start"] : row["char_end"]] == row["text"], (name, row["passage_id"])
            assert row["text"] and any(ch.isalnum() for ch in row["text"]), (name, row["passage_id"])
            assert "\n" not in row["text"], (name, row["passage_id"])
            assert not FURNITURE.search(row["text"]), (name, row["passage_id"], row["text"][:80])
            assert 1 <= row["page"] <= len(extracted.pages), (name, row["passage_id"])
            # a running header may only be the report's title on its first page
            if row["page"] > 1:
                assert _key(row["text"]) not in running, (name, row["passage_id"], row["text"][:80])
        for sentence in sentences:
            assert len(sentence["text"]) < 1500, (name, sentence["passage_id"], "sentences glued together?")
            if sentence["noise_kind"] is None:
                text = sentence["text"]
                for what, shape in NOISE_IN_CODED.items():
                    found = [m.group(0) for m in shape.finditer(text) if m.group(0) not in NAMES_WITH_DIGITS]
                    assert not found, (name, sentence["passage_id"], what, text[:120])
                totals.update(coded=1)
        assert sum(p["block_kind"] == "heading" for p in paragraphs) >= 5, name
        assert len(sentences) >= 120, name  # the shortest, ILACS short inspections of 2018, have about 140
        totals.update(pages=len(extracted.pages), paragraphs=len(paragraphs), sentences=len(sentences), files=1)
    elapsed = time.perf_counter() - started
    print(
        f"\n{totals['files']} PDFs: {totals['pages']} pages, {totals['paragraphs']} paragraphs, "
        f"{totals['sentences']} sentences ({totals['coded']} to be coded) in {elapsed:.1f} s (with an independent "
        "header scan)"
    )


def test_html_saved_as_pdf_is_named(shared_dir: Path) -> None:
    path = shared_dir / "data" / "ofsted-reports" / HTML_SAVED_AS_PDF
    with pytest.raises(InputError) as err:
        extract(path)
    assert "2012-08-10.pdf" in str(err.value) and "HTML page saved with a .pdf name" in str(err.value)


def test_ilacs_what_needs_to_improve(shared_dir: Path) -> None:
    path = shared_dir / "data" / "ofsted-reports" / "80464_dudley" / "2018-12-10.pdf"
    _, _, sentences = read_document(path, "dudley_2018")
    items = [s for s in sentences if s["heading"] == "What needs to improve"]
    assert len(items) == 7 and all(s["block_kind"] == "item" and s["page"] == 2 for s in items)
    assert items[0]["text"].startswith("The timeliness of strategy meetings in assessment teams")
    numbered = [s for s in sentences if s["text"].startswith("There is a well-developed early help offer")]
    assert len(numbered) == 1 and numbered[0]["page"] == 3  # paragraph "1." without its number


def test_sif_recommendations_and_run_on_paragraph(shared_dir: Path) -> None:
    path = shared_dir / "data" / "ofsted-reports" / "80464_dudley" / "2016-04-05.pdf"
    _, paragraphs, sentences = read_document(path, "dudley_2016")
    recommendations = [p for p in paragraphs if p["heading"] == "Recommendations" and p["block_kind"] == "text"]
    # 22 for the local authority (page 7-8), 8 for the safeguarding board (paragraphs 133-140, page 39)
    assert len(recommendations) == 30 and recommendations[0]["text"].startswith("1. Urgently implement")
    assert recommendations[21]["text"].startswith("22. ") and recommendations[22]["text"].startswith("133. ")
    # the executive summary's paragraph runs from page 1 onto page 2 past a footnote
    glued = [
        s for s in sentences if "since the last inspection of safeguarding and children and young people" in s["text"]
    ]
    assert len(glued) == 1 and glued[0]["page"] == 1
    assert not any(s["text"].startswith("Ofsted produces this report under its power") for s in sentences)


SEEDS = {
    "2025-11-20_ofsted_dudley_focused-visit-letter.md": "text/markdown",
    "2020-11-27_dudleycouncil_dudley_assurance-visit-release.txt": "text/plain",
    "2025-11-26_expressandstar_dudley_focused-visit-high-caseloads.txt": "text/plain",
    "2026-02-03_expressandstar_dudley_council-response-priorities.txt": "text/plain",
    "undated_blackcountryradio_dudley_feb-2017-monitoring-visit.txt": "text/plain",
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_documents(repo_root: Path, name: str) -> None:
    path = repo_root / "data" / "raw" / name
    extracted = extract(path)
    assert extracted.media_type == SEEDS[name]
    paragraphs, sentences = split(extracted, "seed")
    assert sentences
    for row in paragraphs + sentences:
        assert extracted.text[row["char_start"] : row["char_end"]] == row["text"]
        assert row["page"] is None


def test_focused_visit_letter_sentences(repo_root: Path) -> None:
    """The 2025 letter feeds the coding gold set: its structure and tricky sentences must come out exactly."""
    path = repo_root / "data" / "raw" / "2025-11-20_ofsted_dudley_focused-visit-letter.md"
    extracted, paragraphs, sentences = read_document(path, "letter")
    texts = [s["text"] for s in sentences]
    headings = [p["text"] for p in paragraphs if p["block_kind"] == "heading"]
    assert headings == [
        "Focused visit to Dudley Metropolitan Borough children's services",
        "Headline findings",
        "What needs to improve in this area of social work practice",
        "Main findings",
    ]
    improve = [s["text"] for s in sentences if s["heading"] == headings[2]]
    assert improve == [
        "The quality of analysis within social work assessment work. (outcome 1, national framework)",
        "The regularity and quality of supervision of social workers. (enabler 2, national framework)",
        "The sufficiency of frontline workers across the safeguarding service. (enabler 2, national framework)",
    ]
    assert len([s for s in sentences if s["heading"] == "Headline findings"]) == 9
    # a paragraph cut by a stray blank line in the transcription is joined again
    assert (
        "Financial investment has supported Children's Services to progress from a period of challenge to one in "
        "which the workforce is becoming more stable, and caseloads for some workers are beginning to become more "
        "manageable."
    ) in texts
    assert (
        "When children need early help (EH), EH workers undertake timely and sensitive work with children and "
        "their families to understand the child's world."
    ) in texts
    for gone in ("Piccadilly Gate", "0300 123 1231", "enquiries@ofsted.gov.uk", "**", "###"):
        assert gone not in extracted.text
    assert len(texts) == len(set(texts)) and len(texts) >= 75
