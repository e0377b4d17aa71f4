"""The report's words follow the marts: latest visit, grades not read, counts that match their lists, evidence order.

Every frame below is SYNTHETIC, shaped like a mart's output; no row is a fact about a council.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from test_report_blocks import _timeline  # noqa: I001  (tests/unit is on sys.path: one synthetic timeline for both)

from analysis.charts import peers, readings
from analysis.reporting import text


def test_the_latest_visit_without_text_is_named_and_the_latest_with_text_apart():
    lines = text.headline(_timeline(has_text=[True, True, False]), "Borough", "Q")
    assert lines[-1] == (
        "The latest visit was a focused visit (12 January 2026), published 20 February 2026. No report or letter of it "
        "with coded text is in the database yet; the latest visit with coded text is the ILACS standard inspection "
        "of 5 November 2019."
    )
    none = text.headline(_timeline(has_text=[False, False, False]), "Borough", "Q")
    assert none[-1].endswith("No report or letter of it with coded text is in the database yet, nor of any other "
                             "visit of Borough.")  # fmt: skip


def test_a_later_grade_not_read_is_said_before_the_older_grade():
    frame = _timeline(
        grade=["inadequate", "requires_improvement", "not_recorded"],
        visit_type=["sif_inspection", "ilacs_standard", "ilacs_standard"],
        is_graded_type=[True, True, True],
    )
    lines = text.headline(frame, "Borough", "Q")
    assert lines[0] == (
        "The latest graded inspection of Borough's children's services, the ILACS standard inspection published "
        "20 February 2026, is in the database but its grade was not read."
    )
    assert lines[1].startswith("The latest overall judgement read of Borough's children's services is Requires")
    assert text.grade("not_recorded") == "Grade not read" and text.grade("ungraded") == "Not graded"


def test_missing_documents_lists_every_visit_it_counts():
    sentence = text.missing_documents(_timeline(has_text=[False, False, False]), "Borough")
    assert "It lacks the reports of its 2 graded inspections (" in sentence
    assert "(ILACS standard inspection, 5 November 2019; single inspection framework (SIF) inspection, 26 January " in (
        sentence
    )
    assert "the letters or reports of its 1 other visit (focused visit, 12 January 2026)" in sentence


def test_concerns_summary_counts_every_row_of_the_table():
    frame = pd.DataFrame(
        {
            "status": ["persistent", "improving", "new", "new"],
            "is_recurring": [True, True, False, False],
            "latest_evidence_visit_date": pd.to_datetime(["2025-10-21"] * 4),
        }
    )
    assert text.concerns_summary(frame) == (
        "2 themes raised in two or more visits (1 persistent, 1 improving) and 2 themes raised for the first time "
        "at the latest visit with evidence (October 2025); the table lists all 4."
    )


def test_evidence_is_counted_only_latest_first_then_most_confident():
    frame = pd.DataFrame(
        {
            "visit_date": pd.to_datetime(["2025-10-21", "2025-10-21", "2025-10-21", "2016-01-11", "2025-10-21"]),
            "polarity": ["strength", "concern", "concern", "concern", "concern"],
            "passage_id": ["p3", "p1", "p2", "p0", None],
            "confidence": [0.99, 0.4, 0.8, 1.0, None],
            "is_counted": [True, True, True, True, False],  # the last is an analyst's finding of a visit with text
            "evidence_kind": ["sentence"] * 4 + ["analyst_finding"],
            "document_title": ["Letter"] * 4 + ["News"],
            "page": [None] * 5,
        }
    )
    picked = text.pick_evidence(frame, n=4)
    assert list(picked["passage_id"]) == ["p3", "p2", "p1", "p0"]
    assert picked["citation"].iloc[0] == "Letter, October 2025, strength, coder's confidence 0.99"
    without = text.pick_evidence(frame.assign(confidence=None), n=3)
    assert list(without["passage_id"]) == ["p1", "p2", "p3"]  # concerns first, as before confidence existed


def test_an_analysts_paraphrase_is_never_cited_as_the_document():
    row = {"evidence_kind": "analyst_finding", "document_title": "News story", "visit_date": "2017-02-01"}
    assert text.evidence_citation({**row, "polarity": "concern"}).startswith("analysts' paraphrase of News story")


def test_a_reading_is_never_a_bare_number():
    row = {"reading": "not_enough_evidence", "n_evaluative": 2, "n_concern_or_improving": 2}
    assert readings.reading_phrase(row) == "not enough evidence: 2 sentences judged it"
    named = {"reading": "named_for_improvement", "n_evaluative": 11, "n_concern_or_improving": 4, "n_concern": 4}
    assert readings.reading_phrase(named).startswith("named in the visit's improvement points; 4 of 11")


def _groups() -> pd.DataFrame:
    rows = [("council", "A", "Alpha", True, 1)]
    rows += [("neighbours", f"N{i}", f"Near {i}", i <= 2, 1 if i <= 2 else 0) for i in range(1, 4)]
    rows += [("region", "R1", "Rim", False, 0), ("same_grade", "N1", "Near 1", True, 1)]
    return pd.DataFrame(
        [
            {
                "group_id": g, "la_id_gss": la, "la_name": name, "region_name": "Midlands", "neighbour_rank": None,
                "latest_grade": "requires_improvement", "latest_grade_date": pd.Timestamp("2024-01-01"),
                "text_visit_type": "ilacs_standard" if has else None,
                "text_visit_date": pd.Timestamp("2024-01-01") if has else None,
                "text_visit_grade": "requires_improvement" if has else None, "text_document_title": None,
                "n_text_documents": docs, "has_text": has,
            }
            for g, la, name, has, docs in rows
        ]
    )  # fmt: skip


def test_every_comparison_says_how_many_councils_and_documents_it_rests_on():
    sentence = peers.reading_groups(_groups())
    assert "2 of the 3 statistical neighbours of DfE's 2025 model (2 documents)" in sentence
    assert "0 of the 1 other councils of the Midlands (0 documents)" in sentence
    assert "1 of the 1 other councils whose latest grade is requires improvement (1 document)" in sentence


def test_group_counts_add_up_to_the_councils_mentioning_the_theme():
    themes = pd.DataFrame(
        [
            {"group_id": "council", "theme_id": "t", "theme_label": "T", "reading": "mostly_concerns",
             "n_evaluative": 4, "n_concern_or_improving": 4, "n_concern": 4},
            {"group_id": "neighbours", "theme_id": "t", "theme_label": "T", "reading": None, "n_councils_with_text": 2,
             "n_councils_mentioning": 2, "n_councils_named": 1, "n_councils_mostly_concerns": 0,
             "n_councils_mixed": 0, "n_councils_mostly_strengths": 1, "n_councils_not_enough_evidence": 0,
             "n_councils_raised": 1, "n_evaluative": 10, "n_concern_or_improving": 3, "concern_share": 0.3,
             "concern_share_low": 0.13, "concern_share_high": 0.56},
        ]
    )  # fmt: skip
    sentence = peers.reading_peer_theme(themes, _groups(), "t")
    assert "of 2 with a report, 2 mentioned it (1 named it for improvement, 1 mostly strengths)" in sentence
    assert "pooled, 3 of 10 of their judging sentences found it not yet good (30%, 90% interval 13% to 56%)" in sentence
    assert "none of the other councils of the Midlands with a report mentions it" in sentence


def test_journey_table_lists_every_journey_once_per_first_theme():
    base = {
        "la_name": "Alpha", "from_grade": "inadequate", "to_grade": "good", "months_to_next_grade": 30,
        "from_visit_date": pd.Timestamp("2018-01-01"), "to_visit_date": pd.Timestamp("2020-07-01"),
        "stopped_visit_type": "monitoring_visit", "stopped_visit_date": pd.Timestamp("2019-01-01"),
        "stopped_reading": "mixed", "months_to_stop": 12, "from_evidence_document": "Report", "from_evidence_page": 3,
        "from_evidence_url": "https://x.example/r.pdf#page=3", "stopped_evidence_document": "Letter",
        "from_evidence_kind": "sentence", "stopped_evidence_kind": "sentence",
        "stopped_evidence_page": None, "stopped_evidence_url": "https://x.example/l",
    }  # fmt: skip
    journeys = pd.DataFrame(
        [
            {**base, "journey_id": "j1", "theme_label": "Supervision", "stop_order": 1},
            {
                **base,
                "journey_id": "j1",
                "theme_label": "Caseloads",
                "stop_order": 1,
                "stopped_evidence_kind": "analyst_finding",
                "stopped_evidence_document": "News",
            },
            {**base, "journey_id": "j2", "la_name": "Beta", "theme_label": "Caseloads", "stop_order": None},
        ]
    )
    table = text.journey_table(journeys)
    assert list(zip(table["council"], table["theme"], strict=True)) == [
        ("Alpha", "Caseloads"),
        ("Alpha", "Supervision"),
        ("Beta", "none stopped being raised"),
    ]
    assert table["after"].iloc[0] == "analysts' paraphrase of News"  # an analyst's words are never the document's
    first = table.iloc[1]
    assert first["journey"] == "Inadequate January 2018 to good July 2020 (30 months)"
    assert first["then"] == "Report, page 3" and first["after"] == "Letter"
    assert first["stopped"] == "the monitoring visit of January 2019 (12 months): mixed"


def test_a_visit_whose_publication_is_unknown_says_what_it_counts_from():
    day = dt.date(2024, 11, 21)
    assert text.published_words(day, "published_date") == "21 November 2024"
    assert text.published_words(day, "source_published_date") == "not known; first reported 21 November 2024"
    assert text.published_words(day, "fieldwork") == "not known; fieldwork ended 21 November 2024"
    assert text.published_words(None, None) == "not known"
