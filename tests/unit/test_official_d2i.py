"""D2I's ILACS history rows to `ofsted_outcomes` rows (synthetic rows made up in the test, not real judgements)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.ingest import official

URNS = {"99001": "E08000099"}


def _history(**overrides: str) -> pd.DataFrame:
    row = {
        "urn": "99001",
        "local_authority": "testshire",
        "publication_date": "16/12/25",
        "inspection_framework": "short",
        "inspection_start_date": "03/11/2025",
        "inspection_end_date": "07/11/2025",
        "overall_effectiveness_grade": "good",
        "impact_of_leaders_grade": "outstanding",
        "help_and_protection_grade": "requires improvement",
        "in_care_grade": "inadequate",
        "care_leavers_grade": "inspection_pre_dates_judgement",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_a_report_gives_one_row_per_graded_judgement_and_skips_special_values() -> None:
    rows = official.d2i_rows(_history(), "h.csv", URNS)
    assert {(r["judgement_area"], r["grade"]) for r in rows} == {
        ("overall_effectiveness", "good"),
        ("leaders", "outstanding"),
        ("help_and_protection", "requires_improvement"),
        ("children_in_care", "inadequate"),
    }  # care_leavers: inspection_pre_dates_judgement is not a grade
    row = rows[0]
    assert (row["la_id_gss"], row["la_urn_ofsted"], row["inspection_type"], row["source_id"]) == (
        "E08000099",
        99001,
        "ilacs_short",
        official.D2I_SOURCE,
    )
    assert (row["inspection_start"], row["inspection_end"], row["published_date"]) == (
        dt.date(2025, 11, 3),
        dt.date(2025, 11, 7),
        dt.date(2025, 12, 16),
    )


def test_standard_framework_and_post_reform_overall() -> None:
    rows = official.d2i_rows(
        _history(inspection_framework="standard", overall_effectiveness_grade="not_reported_post_reform"),
        "h.csv",
        URNS,
    )
    assert {r["inspection_type"] for r in rows} == {"ilacs_standard"}
    assert "overall_effectiveness" not in {r["judgement_area"] for r in rows}


def test_an_inspection_with_no_judgement_read_keeps_one_ungraded_row() -> None:
    unread = {c: "data_unreadable" for c in official.D2I_AREAS if c != "overall_effectiveness_grade"}
    rows = official.d2i_rows(_history(overall_effectiveness_grade="not_reported_post_reform", **unread), "h.csv", URNS)
    assert [(r["inspection_type"], r["judgement_area"], r["grade"]) for r in rows] == [("ilacs_short", None, None)]


def test_sif_reports_and_column_shifted_rows_are_skipped() -> None:
    sif = _history(inspection_framework="", **{c: "data_unreadable" for c in official.D2I_AREAS})
    shifted = _history(overall_effectiveness_grade="", help_and_protection_grade="to requires improvement")
    assert official.d2i_rows(pd.concat([sif, shifted], ignore_index=True), "h.csv", URNS) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"in_care_grade": "satisfactory"}, "in_care_grade"),
        ({"inspection_framework": "joint targeted"}, "inspection_framework"),
        ({"urn": "12345"}, "urn"),
        ({"publication_date": "2025-12-16"}, "publication_date"),
        ({"inspection_start_date": "3 Nov 2025"}, "inspection_start_date"),
    ],
)
def test_bad_cells_name_file_row_and_field(overrides: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        official.d2i_rows(_history(**overrides), "h.csv", URNS)
    assert (err.value.file, err.value.row, err.value.field) == ("h.csv", 2, field)


def _outcomes(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=official.OUTCOME_COLUMNS)


def test_the_official_row_wins_by_publication_or_start_date() -> None:
    d2i = official.d2i_rows(_history(), "h.csv", URNS)
    later = official.d2i_rows(
        _history(publication_date="20/08/26", inspection_start_date="11/05/2026", inspection_end_date="22/05/2026"),
        "h.csv",
        URNS,
    )
    same_published = {
        **d2i[0],
        "inspection_start": dt.date(2025, 11, 4),  # a different start date, the same report
        "inspection_end": None,
        "source_id": "ofsted_la_outcomes_2025",
        "la_urn_ofsted": None,
    }
    out = official._tidy_outcomes(_outcomes([same_published, *d2i, *later]))
    assert set(out["source_id"]) == {"ofsted_la_outcomes_2025", official.D2I_SOURCE}
    assert set(out.loc[out["source_id"] == official.D2I_SOURCE, "published_date"]) == {dt.date(2026, 8, 20)}

    same_start = {**same_published, "inspection_start": dt.date(2025, 11, 3), "published_date": dt.date(2025, 12, 1)}
    out = official._tidy_outcomes(_outcomes([same_start, *d2i]))
    assert list(out["source_id"]) == ["ofsted_la_outcomes_2025"]


def test_an_official_visit_of_another_kind_does_not_hide_an_inspection() -> None:
    d2i = official.d2i_rows(_history(), "h.csv", URNS)
    visit = {**d2i[0], "inspection_type": "focused_visit", "judgement_area": None, "grade": None}
    visit["source_id"] = "ofsted_la_outcomes_2025"
    out = official._tidy_outcomes(_outcomes([visit, *d2i]))
    assert (out["source_id"] == official.D2I_SOURCE).sum() == 4
