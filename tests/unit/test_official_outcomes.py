"""Rows of Ofsted's outcome sheets to `ofsted_outcomes` rows (synthetic sheet rows made up in the test)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.ingest import official


def _sheet(**overrides: object) -> pd.DataFrame:
    row = {
        "Local authority name": "Testshire",
        "Inspection/Visit type": "ILACS Focused Visit",
        "Inspection/Visit date": pd.Timestamp("2024-02-01"),
        "Overall effectiveness": None,
        "Impact of leaders": None,
        "Visit Theme": "Children in care",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_a_visit_without_judgements_keeps_its_theme_and_gets_the_code_by_name() -> None:
    rows = official._outcome_rows(_sheet(), "s", "f.ods", "src", {"testshire": "E08000099"}, inspections=False)
    assert len(rows) == 1
    row = rows[0]
    assert (row["la_id_gss"], row["inspection_type"], row["visit_theme"]) == (
        "E08000099",
        "focused_visit",
        "Children in care",
    )
    assert row["inspection_start"] == dt.date(2024, 2, 1) and row["judgement_area"] is None


def test_an_inspection_gives_one_row_per_judgement() -> None:
    sheet = _sheet(
        **{
            "Inspection/Visit type": "ILACS Standard Inspection",
            "Overall effectiveness": "Requires improvement to be good",
            "Impact of leaders": "Good",
        }
    )
    sheet = sheet.rename(
        columns={"Inspection/Visit type": "Inspection type", "Inspection/Visit date": "Inspection date"}
    )
    rows = official._outcome_rows(sheet, "s", "f.ods", "src", {"testshire": "E08000099"}, inspections=True)
    assert {(r["judgement_area"], r["grade"]) for r in rows} == {
        ("overall_effectiveness", "requires_improvement"),
        ("leaders", "good"),
    }


def test_in_year_sheets_leave_inspections_to_the_history_sheet() -> None:
    sheet = _sheet(**{"Inspection/Visit type": "ILACS Short Inspection", "Overall effectiveness": "Good"})
    assert official._outcome_rows(sheet, "s", "f.ods", "src", {"testshire": "E1"}, inspections=False) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"Overall effectiveness": "Satisfactory-ish", "Inspection/Visit type": "LA Monitoring visit"},
            "Overall effectiveness",
        ),
        ({"Inspection/Visit type": "Joint targeted area inspection"}, "Inspection/Visit type"),
        ({"Local authority name": "Atlantis"}, "Local authority name"),
        ({"Inspection/Visit date": "next Tuesday"}, "Inspection/Visit date"),
    ],
)
def test_bad_cells_name_sheet_row_and_field(overrides: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        official._outcome_rows(_sheet(**overrides), "s", "f.ods", "src", {"testshire": "E1"}, inspections=False)
    assert (err.value.file, err.value.row, err.value.field) == ("f.ods [s]", 4, field)
