"""The data notes that set a hand-kept fact against Ofsted's, and a report's grade against the outcome file's, say
both values and both sources (synthetic rows)."""

from __future__ import annotations

from analysis.reporting import text

CORRECTION = {
    "visit_id": "E06000099-2023-04-mv",
    "subject": "visit",
    "field": "fieldwork_start",
    "seed_value": "2023-04-01",
    "other_value": "2023-04-18",
    "seed_source_id": "seed_letter",
    "seed_source_title": "A council's press release",
    "other_source_id": "ofsted_la_outcomes_2024",
    "other_source_title": None,
}


def test_a_refined_date_names_both_sources_and_the_value_used():
    note = text.correction_note({**CORRECTION, "kind": "refined"})
    assert note == (
        "Visit E06000099-2023-04-mv, visit fieldwork start: the hand-kept source (A council's press release) gives it "
        "only roughly (2023-04-01); ofsted_la_outcomes_2024 gives 2023-04-18, which is used."
    )


def test_a_differing_grade_keeps_the_hand_kept_one_and_says_so():
    row = {**CORRECTION, "kind": "differs", "subject": "judgement", "field": "overall_effectiveness"}
    row |= {"seed_value": "good", "other_value": "requires_improvement"}
    note = text.correction_note(row)
    assert "good in A council's press release, requires_improvement in ofsted_la_outcomes_2024" in note
    assert note.endswith("the hand-kept value is used: check which is right.")


def test_a_disagreement_gives_both_grades_and_picks_neither():
    row = {
        "document_id": "ofsted_1_2020-01-01",
        "judgement_area": "children_in_care",
        "status": "disagree",
        "report_grade_text": "Good",
        "official_grade": "inadequate",
        "official_source_id": "ofsted_la_outcomes_2025",
    }
    assert text.disagreement_note(row) == (
        "Report ofsted_1_2020-01-01, children in care: the report's text says Good, the outcome file "
        "(ofsted_la_outcomes_2025) inadequate; neither is picked."
    )
    only = text.disagreement_note({**row, "status": "official_only", "report_grade_text": None})
    assert "gives inadequate; the grade was not read from the report's text" in only
