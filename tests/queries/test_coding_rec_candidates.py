"""Recommendations: rec_candidates.sql on small inline tables, and the item rules on hand-made sections.

Every document and paragraph here is synthetic, made up to exercise the layouts seen in real Ofsted reports
(ILACS bullet lists, SIF numbered recommendations with sub-bullets, sub-headings, "there are no ..." lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pytest

from analysis import db
from analysis.coding import recommendations as rec


@dataclass
class Ctx:
    messages: list[str] = field(default_factory=list)

    def log(self, message: str) -> None:
        self.messages.append(message)


def _paragraphs(document_id: str, blocks: list[tuple[str | None, str, str]]) -> list[dict]:
    """Paragraph passages from (heading, block_kind, text), with exact offsets in a joined text."""
    rows, start = [], 0
    for seq, (heading, kind, text) in enumerate(blocks, start=1):
        rows.append(
            {
                "passage_id": f"{document_id}#p{seq:04d}",
                "document_id": document_id,
                "passage_kind": "paragraph",
                "paragraph_id": None,
                "seq": seq,
                "page": None,
                "char_start": start,
                "char_end": start + len(text),
                "heading": heading,
                "block_kind": kind,
                "text": text,
            }
        )
        start += len(text) + 2
    return rows


ILACS = [
    (None, "heading", "Headline findings"),
    ("Headline findings", "text", "Leaders need to improve supervision, which is too irregular."),
    ("Headline findings", "heading", "What needs to improve in this area of social work practice"),
    ("What needs to improve in this area of social work practice", "item", "The quality of assessments."),
    ("What needs to improve in this area of social work practice", "item", "the regularity of supervision"),
    ("What needs to improve in this area of social work practice", "heading", "Main findings"),
    ("Main findings", "text", "Caseloads remain high."),
]
SIF = [
    (None, "heading", "Recommendations"),
    ("Recommendations", "text", "Immediate action"),
    ("Recommendations", "text", "1. Ensure that caseloads are manageable (paragraph 4)."),
    ("Recommendations", "text", "2. Ensure that:"),
    ("Recommendations", "item", "plans are timely"),
    ("Recommendations", "item", "visits are regular."),
    ("Recommendations", "text", "3. Improve the quality of supervision."),
    ("Recommendations", "heading", "Summary for children and young people"),
    ("Summary for children and young people", "text", "4. Not a recommendation."),
]


def _database(documents: list[dict], paragraphs: list[dict]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    base = {"path": "x", "media_type": "text/plain", "n_chars": 1, "sha256": "0" * 64, "text": "x", "title": "t"}
    db.append(con, "documents", pd.DataFrame([{**base, **d} for d in documents]))
    db.append(con, "passages", pd.DataFrame(paragraphs))
    return con


DOCUMENTS = [
    {"document_id": "ilacs", "source_id": "ilacs", "visit_id": "E1-2025-10-fv", "kind": "focused_visit_letter"},
    {"document_id": "sif", "source_id": "sif_src", "visit_id": "E1-2016-01-sif", "kind": "inspection_report"},
    # Same layout but not linked to a visit: its items are found, with no visit (int_recommendations finds it later);
    # a news page linked to one gives none.
    {"document_id": "unlinked", "source_id": "unlinked", "visit_id": None, "kind": "inspection_report"},
    {"document_id": "news", "source_id": "news", "visit_id": "E1-2016-01-sif", "kind": "news"},
]


@pytest.fixture()
def con():
    paragraphs = (
        _paragraphs("ilacs", ILACS)
        + _paragraphs("sif", SIF)
        + _paragraphs("unlinked", ILACS)
        + _paragraphs("news", ILACS)
    )
    connection = _database(DOCUMENTS, paragraphs)
    yield connection
    connection.close()


def test_candidates_are_paragraphs_under_improvement_headings_of_ofsted_documents(con):
    frame = db.query(con, "rec_candidates", heading_pattern=rec.HEADING_PATTERN)
    assert set(frame["document_id"]) == {"ilacs", "sif", "unlinked"}
    assert frame.loc[frame["document_id"] == "unlinked", "visit_id"].isna().all()
    assert set(frame["heading"]) == {"What needs to improve in this area of social work practice", "Recommendations"}
    assert frame.loc[frame["document_id"] == "sif", "source_id"].unique().tolist() == ["sif_src"]
    assert len(frame) == 3 + 7 + 3  # with the heading blocks that end each section


def test_load_fills_recommendations_and_their_themes(con):
    def coder(texts, codebook):
        # A stand-in for engine.code_sentences: one theme per keyword, polarity irrelevant here.
        rows = []
        for i, text in enumerate(texts):
            for word, theme in (("supervision", "supervision"), ("caseload", "caseloads"), ("plans", "planning")):
                if word in text.lower():
                    rows.append((i, theme, "concern", word))
        return pd.DataFrame(rows, columns=["sentence_index", "theme_id", "polarity", "matched"])

    ctx = Ctx()
    assert rec.load(con, ctx, codebook=None, coder=coder) == 7
    rows = con.table("recommendations").df()
    assert rows.loc[rows["document_id"] == "unlinked", "visit_id"].isna().all()
    rows = rows[rows["document_id"] != "unlinked"].sort_values("recommendation_id")
    assert rows["recommendation_id"].tolist() == [
        "ilacs#r0001",
        "ilacs#r0002",
        "sif#r0001",
        "sif#r0002",
        "sif#r0003",
    ]
    assert rows["text"].tolist() == [
        "The quality of assessments.",
        "the regularity of supervision",
        "Ensure that caseloads are manageable (paragraph 4).",
        "Ensure that: plans are timely visits are regular.",
        "Improve the quality of supervision.",
    ]
    assert rows["visit_id"].tolist()[2:] == ["E1-2016-01-sif"] * 3
    assert set(rows["source_id"]) == {"ilacs", "sif_src"}
    assert rows["passage_id"].tolist()[2] == "sif#p0003"
    themes = con.table("recommendation_themes").df().sort_values(["recommendation_id", "theme_id"])
    themes = themes[~themes["recommendation_id"].str.startswith("unlinked")]
    assert themes.values.tolist() == [
        ["ilacs#r0002", "supervision"],
        ["sif#r0001", "caseloads"],
        ["sif#r0002", "planning"],
        ["sif#r0003", "supervision"],
    ]


def _section(*blocks: tuple[str, str]) -> list[dict]:
    return [{"passage_id": f"p{i}", "block_kind": kind, "text": text} for i, (kind, text) in enumerate(blocks)]


def test_unnumbered_text_section_skips_introductions_and_none_given():
    items = rec.section_items(
        _section(
            ("text", "The local authority should:"),
            ("text", "The inspection did not find any areas for priority and immediate action."),
            ("text", "Improve the timeliness of assessments."),
            ("text", "continued after a page break."),
            ("text", "Ensure that plans are clear."),
        )
    )
    assert items == [
        ("p2", "Improve the timeliness of assessments. continued after a page break."),
        ("p4", "Ensure that plans are clear."),
    ]


def test_lower_case_list_items_are_items_not_continuations():
    items = rec.section_items(_section(("item", "managers' oversight"), ("item", "recruitment of social workers")))
    assert [text for _, text in items] == ["managers' oversight", "recruitment of social workers"]


def test_numbered_section_drops_sub_headings_and_keeps_numbers_out_of_the_text():
    items = rec.section_items(
        _section(
            ("text", "Leadership and management"),
            ("text", "133. The Board should act."),
            ("text", "Social work practice"),
            ("text", "134. Ensure that the board is resourced."),
        )
    )
    assert items == [("p1", "The Board should act."), ("p3", "Ensure that the board is resourced.")]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("What needs to improve", True),
        ("What needs to improve?", True),
        ("What needs to improve in this area of social work practice", True),
        ("WHAT NEEDS TO IMPROVE:", True),
        ("Recommendations", True),
        ("Areas for improvement", True),
        ("Areas for priority action", True),
        ("Priority and immediate action", True),
        ("The experiences and progress of children who need help and protection: requires improvement", False),
        ("Leadership, management and governance Requires improvement", False),
        ("Summary for children and young people", False),
        (None, False),
    ],
)
def test_improvement_headings(heading, expected):
    assert rec.is_improvement_heading(heading) is expected


def test_duckdb_and_python_read_the_heading_pattern_alike():
    headings = [
        "What needs to improve?1",
        "Recommendations",
        "recommendation",
        "Recommended practice",
        "  Areas for improvement",
        "Area for priority action",
        "Headline findings",
        "Capacity to improve",
    ]
    paragraphs = _paragraphs("ilacs", [(h, "item", f"Item under {h!r}") for h in headings])
    con = _database(DOCUMENTS[:1], paragraphs)
    frame = db.query(con, "rec_candidates", heading_pattern=rec.HEADING_PATTERN)
    assert sorted(frame["heading"]) == sorted(h for h in headings if re.search(rec.HEADING_PATTERN, h))
    assert len(frame) == 5


def test_no_documents_no_recommendations():
    con = _database([], [])
    assert rec.load(con, Ctx(), codebook=None, coder=lambda texts, codebook: None) == 0
    assert con.table("recommendations").df().empty
