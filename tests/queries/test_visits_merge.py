"""Hand-kept visits add to Ofsted's official facts, never replace them (int_visit_matches, int_visits, int_judgements,
int_visit_corrections) against small inline tables.

Every row below is SYNTHETIC, made up to exercise the SQL; none is a fact about a council. Council X (E06000901, a
made-up code) has official outcomes, a report the outcomes do not cover, and a few hand-kept visits; council Y
(E06000902) has official outcomes only.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import db

X, Y = "E06000901", "E06000902"


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.strip() for c in columns.split(",")])


GRADES = _frame(
    "grade, label, grade_rank",
    [("outstanding", "Outstanding", 1), ("good", "Good", 2), ("requires_improvement", "RI", 3), ("inadequate", "I", 4)],
)
SOURCES = _frame(
    "source_id, la_id_gss, kind, title, publisher, published_date, published_date_precision, licence",
    [
        ("outcomes", None, "official_statistics", "Outcomes", "Ofsted", _d("2025-03-31"), "day", "OGL v3.0"),
        ("letter_x", X, "news", "A paper on the June 2022 visit", "Paper", _d("2022-08-01"), "month", "© Paper"),
        ("council_x", X, "council_report", "A council paper", "Council", _d("2024-12-01"), "day", "© Council"),
        ("rep_x_2016", X, "inspection_report", "X SIF report", "Ofsted", _d("2016-04-01"), "day", "OGL v3.0"),
    ],
)


def _outcome(la, kind, start, end, published, area, grade):
    return (la, 1, kind, None, _d(start), _d(end), _d(published), area, grade, "outcomes")


OUTCOMES = _frame(
    "la_id_gss, la_urn_ofsted, inspection_type, visit_theme, inspection_start, inspection_end, published_date, "
    "judgement_area, grade, source_id",
    [
        _outcome(X, "ILACS standard", "2020-01-20", "2020-01-31", "2020-03-17", "overall_effectiveness", "RI"),
        _outcome(X, "Monitoring visit", "2022-06-21", None, None, None, None),
        _outcome(X, "ILACS standard", "2024-09-30", "2024-10-11", "2025-05-13", "overall_effectiveness", "Inadequate"),
        _outcome(X, "ILACS standard", "2024-09-30", "2024-10-11", "2025-05-13", "leaders", "Requires improvement"),
        _outcome(Y, "ILACS short", "2019-02-04", "2019-02-08", "2019-03-20", "overall_effectiveness", "Good"),
    ],
)
OUTCOMES["grade"] = OUTCOMES["grade"].replace({"RI": "Requires improvement"})
VISITS = _frame(
    "visit_id, la_id_gss, visit_type, framework, title, fieldwork_start, fieldwork_end, fieldwork_precision, "
    "published_date, published_precision, is_uncertain, note, source_id",
    [
        # known only to the month from a newspaper: the official visit's exact date refines it
        (
            f"{X}-2022-06-mv",
            X,
            "monitoring_visit",
            "ilacs",
            "MV",
            _d("2022-06-01"),
            None,
            "month",
            None,
            None,
            False,
            None,
            "letter_x",
        ),  # fmt: skip
        # the same inspection as the official 2024 one, with exact dates
        (
            f"{X}-2024-09-ilacs",
            X,
            "ilacs_standard",
            "ilacs",
            "ILACS",
            _d("2024-09-30"),
            _d("2024-10-11"),
            "day",
            _d("2025-05-13"),
            "day",
            False,
            None,
            "council_x",
        ),  # fmt: skip
        # a visit nothing official knows of
        (
            f"{X}-2023-fv1",
            X,
            "focused_visit",
            "ilacs",
            "FV",
            None,
            None,
            None,
            None,
            None,
            True,
            "undated",
            "council_x",
        ),
    ],
)
JUDGEMENTS = _frame(
    "visit_id, judgement_area, grade, is_overall, note, source_id",
    # deliberately different from the official grade, to show the correction is listed with both sources
    [(f"{X}-2024-09-ilacs", "overall_effectiveness", "requires_improvement", True, None, "council_x")],
)
DOCUMENTS = _frame(
    "document_id, source_id, la_id_gss, visit_id, kind, title, published_date, path, media_type, n_chars, sha256, text",
    [("rep_x_2016", "rep_x_2016", X, None, "inspection_report", "X SIF", _d("2016-04-01"), "x.pdf", "pdf", 1, "0", "")],
)
FACTS = _frame(
    "document_id, la_id_gss, framework, visit_type, inspection_start, inspection_end, parser_version",
    [("rep_x_2016", X, "sif", "sif_inspection", _d("2016-01-11"), _d("2016-02-04"), "test")],
)
# the report's improvement point, read by the coding stage before any visit is known (visit_id NULL)
RECOMMENDATIONS = _frame(
    "recommendation_id, visit_id, document_id, seq, text, source_id",
    [("rep_x_2016#r0001", None, "rep_x_2016", 1, "Improve supervision.", "rep_x_2016")],
)
READ = _frame(
    "document_id, judgement_area, grade, grade_text",
    [("rep_x_2016", "overall_effectiveness", "inadequate", "Inadequate")],
)


@pytest.fixture(scope="module")
def mem() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    for table, frame in [
        ("grades", GRADES),
        ("sources", SOURCES),
        ("ofsted_outcomes", OUTCOMES),
        ("visits", VISITS),
        ("judgements", JUDGEMENTS),
        ("documents", DOCUMENTS),
        ("report_facts", FACTS),
        ("report_judgements", READ),
        ("recommendations", RECOMMENDATIONS),
        ("recommendation_themes", _frame("recommendation_id, theme_id", [("rep_x_2016#r0001", "supervision")])),
    ]:
        db.append(con, table, frame)
    db.create_views(con)
    yield con
    con.close()


def _rows(con, sql_relation: str, la: str) -> pd.DataFrame:
    return con.table(sql_relation).filter(f"la_id_gss = '{la}'").order("visit_id").df()


def test_every_official_visit_stays_beside_the_hand_kept_ones(mem):
    visits = _rows(mem, "int_visits", X)
    assert dict(zip(visits["visit_id"], visits["origin"], strict=True)) == {
        f"{X}-2016-01-sif": "report",
        f"{X}-2020-01-ilacs": "ofsted_outcomes",
        f"{X}-2022-06-mv": "seeds",
        f"{X}-2023-fv1": "seeds",
        f"{X}-2024-09-ilacs": "seeds",
    }
    assert list(_rows(mem, "int_visits", Y)["origin"]) == ["ofsted_outcomes"]


def test_a_coarse_hand_kept_date_is_refined_by_the_official_one(mem):
    visit = _rows(mem, "int_visits", X).set_index("visit_id").loc[f"{X}-2022-06-mv"]
    assert visit["fieldwork_start"].date() == dt.date(2022, 6, 21) and visit["fieldwork_precision"] == "day"
    assert visit["paired_visit_id"] == f"{X}-2022-06-mv" and visit["paired_origin"] == "ofsted_outcomes"
    assert visit["source_id"] == "letter_x"  # the hand-kept source stays the visit's citation


def test_official_judgements_enrich_and_hand_kept_ones_win(mem):
    judgements = _rows(mem, "int_judgements", X)
    latest = judgements[judgements["visit_id"] == f"{X}-2024-09-ilacs"].set_index("judgement_area")
    assert latest.loc["overall_effectiveness", "grade"] == "requires_improvement"  # hand-kept wins...
    assert latest.loc["overall_effectiveness", "origin"] == "seeds"
    assert latest.loc["leaders", "grade"] == "requires_improvement"  # ...and the official area it lacked is added
    assert latest.loc["leaders", "source_id"] == "outcomes"
    sif = judgements[judgements["visit_id"] == f"{X}-2016-01-sif"].set_index("judgement_area")
    assert (
        sif.loc["overall_effectiveness", "grade"] == "inadequate"
        and sif.loc["overall_effectiveness", "origin"] == "report"
    )


def test_corrections_list_both_sources(mem):
    corrections = mem.table("int_visit_corrections").df().set_index(["visit_id", "field"])
    refined = corrections.loc[(f"{X}-2022-06-mv", "fieldwork_start")]
    assert (refined["kind"], refined["seed_value"], refined["other_value"]) == ("refined", "2022-06-01", "2022-06-21")
    assert (refined["seed_source_id"], refined["other_source_id"]) == ("letter_x", "outcomes")
    differs = corrections.loc[(f"{X}-2024-09-ilacs", "overall_effectiveness")]
    assert (differs["kind"], differs["seed_value"], differs["other_value"]) == (
        "differs",
        "requires_improvement",
        "inadequate",
    )
    assert (differs["seed_source_id"], differs["other_source_id"]) == ("council_x", "outcomes")
    assert len(corrections) == 2  # the exact 2024 dates agree: nothing to list


def test_a_reports_improvement_points_belong_to_the_visit_its_report_is_linked_to(mem):
    rows = mem.table("int_recommendations").df()
    assert rows[["recommendation_id", "visit_id", "la_id_gss", "theme_id"]].values.tolist() == [
        ["rep_x_2016#r0001", f"{X}-2016-01-sif", X, "supervision"]
    ]
