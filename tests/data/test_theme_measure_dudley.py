"""The theme measure on Dudley's real documents (the session's `built_db`): each reading is checked against the
sentence of the letter or report that justifies it, quoted in a comment (data/raw/ and the 2016 SIF report PDF,
../shared/data/ofsted-reports/80464_dudley/2016-04-05.pdf)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import db

DUDLEY = "E08000027"
AS_OF = "2026-03-31"
FOCUSED_VISIT = "E08000027-2025-10-fv"
SIF = "E08000027-2016-01-sif"
RAISED = {"named_for_improvement", "mostly_concerns"}


@pytest.fixture(scope="module")
def readings(built_db) -> pd.DataFrame:
    with db.connect(built_db) as con:
        frame = db.query(con, "mart_theme_by_visit", la_id_gss=DUDLEY, as_of=AS_OF)
    return frame.set_index(["visit_id", "theme_id"])


def _reading(readings: pd.DataFrame, visit_id: str, theme_id: str) -> pd.Series:
    assert (visit_id, theme_id) in readings.index, f"{theme_id} has no reading at {visit_id}"
    return readings.loc[(visit_id, theme_id)]


def test_assessment_quality_is_a_concern_at_the_october_2025_focused_visit(readings):
    # Letter of 20 November 2025, "What needs to improve": "The quality of analysis within social work assessment
    # work." and "for too many assessments the analysis is superficial".
    row = _reading(readings, FOCUSED_VISIT, "assessment_quality")
    assert row["reading"] in RAISED
    assert row["is_named_for_improvement"]  # the first improvement point, whatever the sentence counts say


def test_supervision_is_a_concern_at_the_october_2025_focused_visit(readings):
    # Letter: "The supervision of social workers is too irregular and lacks reflection." and the improvement point
    # "The regularity and quality of supervision of social workers."
    row = _reading(readings, FOCUSED_VISIT, "supervision")
    assert row["reading"] in RAISED and row["n_strength"] == 0


def test_caseloads_are_a_concern_at_the_october_2025_focused_visit(readings):
    # Letter, headline findings: "This, alongside high caseloads for some social workers, impacts on the ability of
    # the local authority to deliver consistently effective services"; main findings: "The caseloads for workers
    # across safeguarding teams are beginning to reduce but remain high."
    row = _reading(readings, FOCUSED_VISIT, "caseloads")
    assert row["reading"] in RAISED


def test_homeless_16_17_year_olds_are_a_strength_at_the_october_2025_focused_visit(readings):
    # Letter: "Children aged 16 and 17 who are homeless receive responsive and effective support." and "Children who
    # are aged 16 or 17 and are homeless receive a timely, sensitive and effective response".
    row = _reading(readings, FOCUSED_VISIT, "homeless_16_17")
    assert row["reading"] == "mostly_strengths"


def test_management_oversight_is_a_concern_at_the_2016_sif_inspection(readings):
    # 2016 report, page 2: "Weak management oversight, supervision and quality assurance processes mean that poor
    # practice has gone unchallenged and children's and young people's needs have not been met."
    row = _reading(readings, SIF, "management_oversight")
    assert row["reading"] in RAISED


def test_supervision_is_a_concern_at_the_2016_sif_inspection(readings):
    # 2016 report, page 10: "Management oversight and supervision of staff is weak and leaves poor practice
    # unchallenged."; page 2: "Weak management oversight, supervision and quality assurance processes ...".
    row = _reading(readings, SIF, "supervision")
    assert row["reading"] in RAISED


def test_the_measure_counts_only_sentences_that_judge_the_theme(readings):
    # A check of the measure's arithmetic on real rows: shares and intervals agree with their counts.
    frame = readings[readings["n_evaluative"] > 0]
    assert (frame["n_evaluative"] == frame["n_strength"] + frame["n_improving"] + frame["n_concern"]).all()
    share = frame["n_concern_or_improving"] / frame["n_evaluative"]
    assert (frame["concern_share"] - share).abs().max() < 1e-12
    assert (
        (frame["concern_share_low"] <= frame["concern_share"]) & (frame["concern_share"] <= frame["concern_share_high"])
    ).all()
    few = readings[(readings["n_evaluative"] < 3) & ~readings["is_named_for_improvement"].astype(bool)]
    assert set(few["reading"]) == {"not_enough_evidence"}
