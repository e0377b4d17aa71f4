"""mart_theme_measures on small inline tables: synthetic visits, analyst findings and measures, not real ones."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import db

LA, OTHER = "E08000001", "E08000002"


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    columns = con.table(table).columns
    db.append(con, table, pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns))


def _visit(visit_id: str, la: str, published: dt.date) -> dict:
    return {
        "visit_id": visit_id, "la_id_gss": la, "visit_type": "monitoring_visit", "framework": "ilacs",
        "title": visit_id, "fieldwork_start": published - dt.timedelta(days=30),
        "fieldwork_end": published - dt.timedelta(days=29), "fieldwork_precision": "day",
        "published_date": published, "published_precision": "day", "is_uncertain": False, "source_id": "syn",
    }  # fmt: skip


def _finding(n: int, visit_id: str, theme: str, polarity: str) -> dict:
    return {
        "finding_id": f"f{n}", "visit_id": visit_id, "theme_id": theme, "polarity": polarity,
        "paraphrase": "synthetic", "coder": "test", "is_inferred": False, "source_id": "syn",
    }  # fmt: skip


def _measure(measure: str, la: str, year: int, value: float) -> dict:
    end = dt.date(year, 9, 30)
    return {
        "measure": measure, "la_id_gss": la, "geographic_level": "la", "period_start": end, "period_end": end,
        "value": value, "status": "ok", "source_id": "syn",
    }  # fmt: skip


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    _insert(
        con,
        "sources",
        [
            {
                "source_id": "syn",
                "kind": "reference",
                "title": "synthetic",
                "publisher": "test",
                "licence": "test",
                "url": "https://example.org",
            }
        ],
    )
    _insert(con, "themes", [
        {"theme_id": t, "label": t.title(), "definition": "d", "is_core": True}
        for t in ("caseloads", "workforce_stability")
    ])  # fmt: skip
    _insert(con, "visits", [
        _visit("v1", LA, dt.date(2024, 3, 1)), _visit("v2", LA, dt.date(2025, 11, 20)),
        _visit("w1", OTHER, dt.date(2025, 1, 1)),
    ])  # fmt: skip
    polarities = {
        # v1: caseloads 3 concerns of 3 -> mostly concerns; v2: 3 strengths of 3 -> mostly strengths
        ("v1", "caseloads"): ["concern"] * 3,
        ("v2", "caseloads"): ["strength"] * 3,
        # one strength and one neutral mention: not enough evidence, so no reading and no direction
        ("v1", "workforce_stability"): ["strength", "neutral"],
        ("w1", "caseloads"): ["strength"] * 3,
    }
    findings = [
        _finding(n, visit_id, theme, polarity)
        for n, ((visit_id, theme), polarity) in enumerate(
            ((key, polarity) for key, values in polarities.items() for polarity in values), start=1
        )
    ]
    _insert(con, "findings", findings)
    _insert(con, "measure_catalogue", [
        {"measure": "caseload", "label": "Caseload", "unit": "cases", "is_higher_better": False, "publication": "p",
         "source_id": "syn", "theme_ids": "caseloads"},
        {"measure": "turnover", "label": "Turnover", "unit": "%", "is_higher_better": False, "publication": "p",
         "source_id": "syn", "theme_ids": "workforce_stability,caseloads"},
    ])  # fmt: skip
    _insert(con, "measures", [
        _measure("caseload", LA, 2024, 22), _measure("caseload", LA, 2025, 19.5),
        _measure("turnover", LA, 2024, 20), _measure("turnover", LA, 2025, 30),
    ])  # fmt: skip
    db.create_views(con)
    yield con
    con.close()


def _mart(con, la: str = LA, as_of: str = "2026-06-30") -> pd.DataFrame:
    return db.query(con, "mart_theme_measures", la_id_gss=la, as_of=as_of).set_index(["theme_id", "measure"])


def test_both_directions_of_travel(con) -> None:
    frame = _mart(con)
    row = frame.loc[("caseloads", "caseload")]
    assert (row["latest_reading"], row["previous_reading"]) == ("mostly_strengths", "mostly_concerns")
    assert row["latest_concern_share"] == pytest.approx(0.0) and row["previous_concern_share"] == pytest.approx(1.0)
    assert row["inspection_direction"] == "improving"
    assert (row["change_on_year"], row["measure_direction"]) == (pytest.approx(-2.5), "improving")
    assert row["agreement"] == "agree"
    turnover = frame.loc[("caseloads", "turnover")]
    assert (turnover["measure_direction"], turnover["agreement"]) == ("worsening", "differ")


def test_too_little_evidence_gives_no_inspection_direction(con) -> None:
    row = _mart(con).loc[("workforce_stability", "turnover")]
    assert row["n_visits_mentioning"] == 1 and row["n_visits_read"] == 0 and pd.isna(row["latest_reading"])
    assert pd.isna(row["inspection_direction"]) and pd.isna(row["agreement"])


def test_as_of_hides_later_visits_and_years(con) -> None:
    row = _mart(con, as_of="2025-06-30").loc[("caseloads", "caseload")]
    assert row["n_visits_read"] == 1 and pd.isna(row["inspection_direction"])
    assert row["latest_value"] == 22 and pd.isna(row["change_on_year"])


def test_another_council_sees_only_its_own(con) -> None:
    frame = _mart(con, la=OTHER)
    row = frame.loc[("caseloads", "caseload")]
    assert row["latest_reading"] == "mostly_strengths" and pd.isna(row["latest_value"])
