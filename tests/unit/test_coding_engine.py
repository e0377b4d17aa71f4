"""The coding engine on hand-written sentences (made up for the test, in the style of Ofsted letters)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding import codebook, engine


@pytest.fixture(scope="module")
def book():
    return codebook.load()


def _polarity(book, text: str, theme: str, heading: str | None = None) -> str | None:
    coded = engine.code_sentences([text], book, None if heading is None else [heading])
    rows = coded[coded["theme_id"] == theme]
    return None if rows.empty else rows["polarity"].iloc[0]


@pytest.mark.parametrize(
    ("text", "theme", "expected"),
    [
        ("The supervision of social workers is too irregular and lacks reflection.", "supervision", "concern"),
        ("Children receive a timely and effective response from the front door.", "front_door", "strength"),
        ("Caseloads are beginning to reduce but remain high.", "caseloads", "improving"),
        ("Strategy meetings are not timely.", "child_protection", "concern"),
        ("Assessments are not yet consistently good.", "assessment_quality", "concern"),
        ("Leaders have a strong understanding of their services.", "leadership", "strength"),
        ("Most assessments are thorough; however, care plans are not specific.", "planning_drift", "concern"),
        ("Most assessments are thorough; however, care plans are not specific.", "assessment_quality", "strength"),
        ("Although supervision is regular, caseloads remain too high.", "caseloads", "concern"),
        ("Although supervision is regular, caseloads remain too high.", "supervision", "strength"),
        ("Children are seen without delay.", "timeliness", "strength"),
        ("The virtual school was visited by inspectors.", "children_in_care", "neutral"),
        ("The quality of assessments needs to be more consistent.", "assessment_quality", "concern"),
    ],
)
def test_polarity_rules(book, text, theme, expected):
    assert _polarity(book, text, theme) == expected


def test_items_under_what_needs_to_improve_are_concerns(book):
    text = "Keeping in touch with care leavers aged 18 to 21."
    assert _polarity(book, text, "care_leavers") != "concern"
    assert _polarity(book, text, "care_leavers", heading="What needs to improve?") == "concern"


def test_rows_and_matched_words(book):
    texts = ["Dear Mr Jones", "Caseloads and workloads are high, and supervision is irregular."]
    coded = engine.code_sentences(texts, book)
    assert list(coded.columns) == ["sentence_index", "theme_id", "polarity", "matched"]
    assert 0 not in set(coded["sentence_index"])  # no theme, no row
    caseloads = coded[coded["theme_id"] == "caseloads"].iloc[0]
    assert caseloads["matched"] == "Caseloads; workloads"
    # themes come out in codebook order within a sentence
    order = [book.theme_ids.index(t) for t in coded["theme_id"]]
    assert order == sorted(order)


def test_duckdb_and_python_loop_agree(book):
    texts = [
        "Although leaders have improved the front door, too many referrals wait too long for a decision.",
        "The child\u2019s voice is captured well in assessments, but plans are not SMART.",
        "Care leavers are not all visited in a timely way; personal advisers are committed.",
        "When children go missing, return home interviews are offered promptly.",
        "There has been investment in staffing, and caseloads are reducing.",
        "Nothing here.",
    ]
    headings = [None, "Main findings", None, None, "Areas for improvement", None]
    left = engine.code_sentences(texts, book, headings)
    right = engine.code_sentences_python(texts, book, headings)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)
    assert len(left) >= 10


def test_normalise_straightens_quotes_and_spaces():
    assert engine.normalise("  the child\u2019s\u00a0 world\n ") == "the child's world"
