"""Improvement journeys of the real corpus (the session's `built_db`), checked against the report PDFs they cite.

Skipped, saying why, while the build holds fewer than two journeys (a council judged inadequate whose next graded
inspection is better, with the inadequate inspection's report coded); it runs by itself once the corpus has them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest

from analysis import db
from analysis.charts import theme

AS_OF = "2030-12-31"  # everything the build holds


def _squash(text: str) -> str:
    # PDF text and the database's clean text differ in line breaks, hyphens and quote marks: compare letters only
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("\u2019", "'"))


@pytest.fixture(scope="module")
def journeys(built_db) -> pd.DataFrame:
    with db.connect(built_db) as con:
        frame = db.query(con, "mart_improvement_journeys", as_of=AS_OF)
        documents = db.query(con, "mart_report_document_paths")[["document_id", "path"]]
    n = frame["journey_id"].nunique()
    assert n >= 2, f"only {n} improvement journey(s) in the build of the whole corpus; the checks need two"
    cited = documents.rename(columns={"document_id": "from_evidence_document_id"})
    return frame.merge(cited, on="from_evidence_document_id", how="left")


def _pdf_pages(cache: Path, path: str, pages: range | None = None) -> str:
    """The text of some pages of a PDF (all when `pages` is None), read independently of the build's extraction."""
    document = pdfium.PdfDocument(str(cache / path))
    try:
        numbers = pages if pages is not None else range(1, len(document) + 1)
        return " ".join(document[n - 1].get_textpage().get_text_range() for n in numbers if n <= len(document))
    finally:
        document.close()


def test_every_journey_goes_from_inadequate_to_a_better_grade(journeys):
    per = journeys.drop_duplicates("journey_id")
    assert set(per["from_grade"]) == {"inadequate"}
    assert (per["to_grade"].map(theme.GRADE_RANK) < 4).all()
    assert (per["to_visit_date"] > per["from_visit_date"]).all()
    stopped = journeys[journeys["status"] == "stopped"]
    assert (stopped["stopped_visit_date"] <= stopped["to_visit_date"]).all()
    assert stopped["stopped_reading"].isin(["mixed", "mostly_strengths"]).all()


def test_a_journeys_evidence_is_on_the_page_of_the_report_it_cites(journeys, fetched_cache):
    cited = journeys.dropna(subset=["from_evidence_page", "path"])
    assert len(cited), "no journey cites a page of a report"
    checked = 0
    for row in cited.to_dict("records"):
        page = int(row["from_evidence_page"])
        assert str(row["from_evidence_url"]).endswith(f"#page={page}")
        on_page = _squash(_pdf_pages(fetched_cache, row["path"], range(page, page + 1)))
        sentence = _squash(row["from_evidence_text"])
        # the quoted sentence raised the theme at the inadequate inspection: it starts on that page of that report,
        # its first 20 letters there, or (a sentence that starts at the foot of the page and runs on past the
        # page's footer) the page ends with at least its first 10
        starts_here = sentence[:20] in on_page or any(on_page.endswith(sentence[:k]) for k in range(10, 21))
        assert starts_here, (row["journey_id"], row["theme_id"], page)
        checked += 1
    assert checked >= 2


def test_the_inadequate_report_says_inadequate(journeys, fetched_cache):
    for row in journeys.dropna(subset=["path"]).drop_duplicates("journey_id").to_dict("records"):
        # SIF and ILACS reports print the grade on page 1; the 2012-13 looked-after-children inspections further in
        assert "inadequate" in _pdf_pages(fetched_cache, row["path"]).lower(), row["journey_id"]
