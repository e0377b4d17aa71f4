"""int_report_reconciliation and mart_report_disagreements against small inline tables.

Every row below is SYNTHETIC, made up to exercise the SQL: council A (E08000027) has an ILACS report that an
official outcome file grades too, a SIF report nobody else grades, and a report that only D2I's history (a
reference, not official) lists; council B (E09000099, a made-up code) has one disagreement of its own.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import db

A, B = "E08000027", "E09000099"


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _source(source_id: str, la: str | None, kind: str, published: str | None) -> dict:
    return {
        "source_id": source_id, "la_id_gss": la, "kind": kind, "title": source_id, "publisher": "Test",
        "published_date": _d(published), "published_date_precision": "day" if published else None,
        "licence": "OGL v3.0",
    }  # fmt: skip


SOURCES = pd.DataFrame(
    [
        _source("rep_a_ilacs", A, "inspection_report", "2024-03-01"),
        _source("rep_a_sif", A, "inspection_report", "2016-04-05"),
        _source("rep_a_d2i", A, "inspection_report", "2025-08-01"),
        _source("fv_a", A, "focused_visit_letter", "2025-11-20"),
        _source("rep_b", B, "inspection_report", "2023-05-01"),
        _source("ods", None, "official_statistics", "2025-09-25"),
        _source("d2i", None, "reference", None),
    ]
)
GRADES = pd.DataFrame(
    [("outstanding", "Outstanding", 1), ("good", "Good", 2), ("requires_improvement", "RI", 3), ("inadequate", "I", 4)],
    columns=["grade", "label", "grade_rank"],
)
FACTS = pd.DataFrame(
    [
        ("rep_a_ilacs", A, "ilacs", "ilacs_standard", _d("2024-01-08"), _d("2024-01-19")),
        ("rep_a_sif", A, "sif", "sif_inspection", _d("2016-01-11"), _d("2016-02-08")),
        ("rep_a_d2i", A, "ilacs", "ilacs_short", _d("2025-06-02"), _d("2025-06-06")),
        ("fv_a", A, "ilacs", "focused_visit", _d("2025-10-21"), _d("2025-10-22")),
        ("rep_b", B, "ilacs", "ilacs_standard", _d("2023-03-06"), _d("2023-03-17")),
    ],
    columns=["document_id", "la_id_gss", "framework", "visit_type", "inspection_start", "inspection_end"],
).assign(parser_version="test")
JUDGEMENTS = pd.DataFrame(
    [
        ("rep_a_ilacs", "overall_effectiveness", "good", "Good", "rep_a_ilacs#p0011"),
        ("rep_a_ilacs", "leaders", "good", "Good", "rep_a_ilacs#p0006"),
        ("rep_a_ilacs", "help_and_protection", None, "Not judged", "rep_a_ilacs#p0008"),
        ("rep_a_ilacs", "children_in_care", "good", "Good", "rep_a_ilacs#p0010"),
        ("rep_a_sif", "overall_effectiveness", "inadequate", "inadequate", "rep_a_sif#p0007"),
        ("rep_a_sif", "lscb", "inadequate", "inadequate", "rep_a_sif#p0246"),
        ("rep_a_d2i", "overall_effectiveness", "outstanding", "Outstanding", "rep_a_d2i#p0012"),
        ("rep_b", "leaders", "inadequate", "Inadequate", "rep_b#p0006"),
    ],
    columns=["document_id", "judgement_area", "grade", "grade_text", "passage_id"],
)
OUTCOMES = pd.DataFrame(
    [
        # the ILACS report of A, matched on the first day of fieldwork (published a day apart)
        (A, "ilacs_standard", _d("2024-01-08"), _d("2024-03-02"), "overall_effectiveness", "Good", "ods"),
        (A, "ilacs_standard", _d("2024-01-08"), _d("2024-03-02"), "leaders", "Outstanding", "ods"),
        (A, "ilacs_standard", _d("2024-01-08"), _d("2024-03-02"), "help_and_protection", "good", "ods"),
        (A, "ilacs_standard", _d("2024-01-08"), _d("2024-03-02"), "care_leavers", "good", "ods"),
        # D2I's row for the 2025 report, matched on the publication day (its start date differs)
        (A, "ilacs_short", _d("2025-06-03"), _d("2025-08-01"), "overall_effectiveness", "good", "d2i"),
        # a focused visit: no judgement, never paired with a report
        (A, "focused_visit", _d("2025-10-21"), _d("2025-11-20"), None, None, "ods"),
        (B, "ilacs_standard", _d("2023-03-06"), _d("2023-05-01"), "leaders", "good", "ods"),
    ],
    columns="la_id_gss inspection_type inspection_start published_date judgement_area grade source_id".split(),
)


@pytest.fixture(scope="module")
def mem() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    for table, frame in [
        ("sources", SOURCES),
        ("grades", GRADES),
        ("report_facts", FACTS),
        ("report_judgements", JUDGEMENTS),
        ("ofsted_outcomes", OUTCOMES),
    ]:
        db.append(con, table, frame)
    db.create_views(con)
    yield con
    con.close()


def _status(mem) -> dict[tuple[str, str], tuple]:
    return {
        (r["document_id"], r["judgement_area"]): (
            r["status"],
            r["report_grade"],
            r["official_grade"],
            r["official_source_kind"],
        )
        for r in db.records(mem, "int_report_reconciliation")
    }


def test_every_pairing_has_its_status(mem) -> None:
    assert _status(mem) == {
        ("rep_a_ilacs", "overall_effectiveness"): ("agree", "good", "good", "official_statistics"),
        ("rep_a_ilacs", "leaders"): ("disagree", "good", "outstanding", "official_statistics"),
        ("rep_a_ilacs", "help_and_protection"): ("disagree", None, "good", "official_statistics"),
        ("rep_a_ilacs", "children_in_care"): ("report_only", "good", None, None),
        ("rep_a_ilacs", "care_leavers"): ("official_only", None, "good", "official_statistics"),
        ("rep_a_sif", "overall_effectiveness"): ("report_only", "inadequate", None, None),
        ("rep_a_sif", "lscb"): ("report_only", "inadequate", None, None),
        ("rep_a_d2i", "overall_effectiveness"): ("disagree", "outstanding", "good", "reference"),
        ("rep_b", "leaders"): ("disagree", "inadequate", "good", "official_statistics"),
    }


def test_letters_are_not_reconciled(mem) -> None:
    assert "fv_a" not in set(db.query(mem, "int_report_reconciliation")["document_id"])


def test_visible_from_waits_for_the_official_file(mem) -> None:
    frame = db.query(mem, "int_report_reconciliation").set_index(["document_id", "judgement_area"])
    # the report was out on 1 March 2024, but the outcome file that disagrees only on 25 September 2025
    assert frame.loc[("rep_a_ilacs", "leaders"), "visible_from"] == pd.Timestamp("2025-09-25")
    assert frame.loc[("rep_a_sif", "lscb"), "visible_from"] == pd.Timestamp("2016-04-05")
    # D2I's history has no date of its own: its row counts from its report's publication
    assert frame.loc[("rep_a_d2i", "overall_effectiveness"), "visible_from"] == pd.Timestamp("2025-08-01")


def test_mart_lists_one_councils_differences_known_on_the_day(mem) -> None:
    late = db.query(mem, "mart_report_disagreements", la_id_gss=A, as_of="2025-12-31")
    assert list(zip(late["document_id"], late["judgement_area"], late["status"], strict=True)) == [
        ("rep_a_ilacs", "care_leavers", "official_only"),
        ("rep_a_ilacs", "help_and_protection", "disagree"),
        ("rep_a_ilacs", "leaders", "disagree"),
        ("rep_a_d2i", "overall_effectiveness", "disagree"),
    ]
    assert set(late["official_publisher"]) == {"Test"}
    early = db.query(mem, "mart_report_disagreements", la_id_gss=A, as_of="2025-09-01")
    assert list(early["document_id"]) == ["rep_a_d2i"]
    assert db.query(mem, "mart_report_disagreements", la_id_gss=B, as_of="2025-12-31")["document_id"].tolist() == [
        "rep_b"
    ]
