"""The exploration marts against small inline tables.

Every row below is SYNTHETIC, made up to exercise the SQL (dates, grades, sentences); none is a fact about a council.
Council A (E08000027) has hand-kept visits; council B (E09000099, a made-up code) has only Ofsted's official outcomes
and one report PDF, so the marts must rebuild its visits.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import db
from analysis.errors import QueryParameterError

A = "E08000027"
B = "E09000099"
LATE = "2026-06-30"


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.strip() for c in columns.split(",")])


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


SOURCES = _frame(
    "source_id, la_id_gss, kind, title, publisher, published_date, published_date_precision, url, licence",
    [
        (
            "rep_a_2016",
            A,
            "inspection_report",
            "SIF report",
            "Ofsted",
            _d("2016-04-05"),
            "day",
            "https://x/a2016.pdf",
            "OGL",
        ),
        ("news_a_2017", A, "news", "MV2 coverage", "Paper", _d("2017-03-01"), "month", "https://x/news", "cited"),
        (
            "rep_a_2018",
            A,
            "inspection_report",
            "ILACS report",
            "Ofsted",
            _d("2018-12-10"),
            "day",
            "https://x/a2018",
            "OGL",
        ),
        ("fv_a_2025", A, "focused_visit_letter", "FV letter", "Ofsted", _d("2025-11-20"), "day", "https://x/fv", "OGL"),
        ("none_a", A, "news", "Undated note", "Paper", None, None, None, "cited"),
        (
            "outcomes",
            None,
            "official_statistics",
            "Outcomes",
            "Ofsted",
            _d("2025-03-31"),
            "day",
            "https://x/out",
            "OGL",
        ),
        ("rep_b_2019", B, "inspection_report", "B report", "Ofsted", _d("2019-03-20"), "day", "https://x/b.pdf", "OGL"),
        ("council_a_2026", A, "council_report", "Response", "Council", _d("2026-02-04"), "day", "https://x/c", "OGL"),
        ("rep_b_2016", B, "inspection_report", "B SIF", "Ofsted", _d("2016-07-01"), "day", "https://x/b16.pdf", "OGL"),
    ],
)
SOURCES["licence"] = SOURCES["licence"].astype(str)

GRADES = _frame(
    "grade, label, grade_rank",
    [
        ("outstanding", "Outstanding", 1),
        ("good", "Good", 2),
        ("adequate", "Adequate", 3),
        ("requires_improvement", "Requires improvement", 3),
        ("inadequate", "Inadequate", 4),
    ],
)

VISITS = _frame(
    "visit_id, la_id_gss, visit_type, framework, title, fieldwork_start, fieldwork_end, fieldwork_precision, "
    "published_date, published_precision, is_uncertain, source_id",
    [
        (
            "A-2016-01-sif",
            A,
            "sif_inspection",
            "sif",
            "SIF",
            _d("2016-01-11"),
            _d("2016-02-08"),
            "day",
            _d("2016-04-05"),
            "day",
            False,
            "rep_a_2016",
        ),
        # published date unknown: the source's month-precision date counts from 2017-03-31
        (
            "A-2017-02-mv",
            A,
            "monitoring_visit",
            "sif",
            "MV2",
            _d("2017-02-21"),
            _d("2017-02-22"),
            "day",
            None,
            None,
            False,
            "news_a_2017",
        ),
        (
            "A-2018-10-ilacs",
            A,
            "ilacs_standard",
            "ilacs",
            "ILACS",
            _d("2018-10-29"),
            _d("2018-11-09"),
            "day",
            _d("2018-12-10"),
            "day",
            False,
            "rep_a_2018",
        ),
        ("A-2016-mv1", A, "monitoring_visit", "sif", "MV1", None, None, None, None, None, True, "none_a"),
        (
            "A-2025-10-fv",
            A,
            "focused_visit",
            "ilacs",
            "FV",
            _d("2025-10-21"),
            _d("2025-10-22"),
            "day",
            _d("2025-11-20"),
            "day",
            False,
            "fv_a_2025",
        ),
    ],
)

JUDGEMENTS = _frame(
    "visit_id, judgement_area, grade, is_overall, source_id",
    [
        ("A-2016-01-sif", "overall_effectiveness", "inadequate", True, "rep_a_2016"),
        ("A-2016-01-sif", "care_leavers", "requires_improvement", False, "rep_a_2016"),
        ("A-2018-10-ilacs", "overall_effectiveness", "requires_improvement", True, "rep_a_2018"),
        ("A-2018-10-ilacs", "leaders", "good", False, "rep_a_2018"),
    ],
)

OUTCOMES = _frame(
    "la_id_gss, la_urn_ofsted, inspection_type, visit_theme, inspection_start, inspection_end, published_date, "
    "judgement_area, grade, source_id",
    [
        (
            B,
            99,
            "ILACS standard",
            None,
            _d("2019-02-04"),
            _d("2019-02-15"),
            _d("2019-03-20"),
            "overall_effectiveness",
            "Good",
            "outcomes",
        ),
        (
            B,
            99,
            "ILACS standard",
            None,
            _d("2019-02-04"),
            _d("2019-02-15"),
            _d("2019-03-20"),
            "help_and_protection",
            "requires improvement",
            "outcomes",
        ),
        (
            B,
            99,
            "Focused visit",
            "front door",
            _d("2021-05-10"),
            _d("2021-05-11"),
            _d("2021-06-15"),
            None,
            None,
            "outcomes",
        ),
        # council A has seeds, so its official rows must not add visits
        (
            A,
            80464,
            "ILACS standard",
            None,
            _d("2018-10-29"),
            _d("2018-11-09"),
            _d("2018-12-10"),
            "overall_effectiveness",
            "requires improvement",
            "outcomes",
        ),
    ],
)

THEMES = _frame(
    "theme_id, label, definition, is_core",
    [
        (t, t.replace("_", " ").capitalize(), "synthetic", True)
        for t in ("supervision", "caseloads", "assessment_quality", "timeliness", "front_door")
    ],
)

DOCUMENTS = _frame(
    "document_id, source_id, la_id_gss, visit_id, kind, title, published_date, path, media_type, n_pages, n_chars, "
    "sha256, text",
    [
        (
            "rep_a_2016",
            "rep_a_2016",
            A,
            "A-2016-01-sif",
            "inspection_report",
            "SIF report",
            _d("2016-04-05"),
            "p",
            "application/pdf",
            40,
            1,
            "0",
            "t",
        ),
        (
            "rep_a_2018",
            "rep_a_2018",
            A,
            "A-2018-10-ilacs",
            "inspection_report",
            "ILACS report",
            _d("2018-12-10"),
            "p",
            "application/pdf",
            30,
            1,
            "0",
            "t",
        ),
        (
            "fv_a_2025",
            "fv_a_2025",
            A,
            "A-2025-10-fv",
            "focused_visit_letter",
            "FV letter",
            _d("2025-11-20"),
            "p",
            "text/markdown",
            None,
            1,
            "0",
            "t",
        ),
        (
            "council_a_2026",
            "council_a_2026",
            A,
            None,
            "council_report",
            "Response",
            _d("2026-02-04"),
            "p",
            "text/markdown",
            None,
            1,
            "0",
            "t",
        ),
        # council B's report has no visit_id: the marts must find its visit by date
        (
            "rep_b_2019",
            "rep_b_2019",
            B,
            None,
            "inspection_report",
            "B report",
            _d("2019-03-20"),
            "p",
            "application/pdf",
            20,
            1,
            "0",
            "t",
        ),
        # ... and this one predates the official series: it becomes a visit of its own
        (
            "rep_b_2016",
            "rep_b_2016",
            B,
            None,
            "inspection_report",
            "B SIF",
            _d("2016-07-01"),
            "p",
            "application/pdf",
            20,
            1,
            "0",
            "t",
        ),
    ],
)

# (passage_id, document_id, page, text, [(theme, polarity), ...])
SENTENCES = [
    (
        "rep_a_2016#s0001",
        "rep_a_2016",
        5,
        "Supervision is infrequent and lacks reflection.",
        [("supervision", "concern")],
    ),
    ("rep_a_2016#s0002", "rep_a_2016", 6, "Caseloads are too high.", [("caseloads", "concern")]),
    ("rep_a_2016#s0003", "rep_a_2016", 7, "Assessments lack analysis of risk.", [("assessment_quality", "concern")]),
    ("rep_a_2016#s0004", "rep_a_2016", 7, "Children wait too long for visits.", [("timeliness", "concern")]),
    ("rep_a_2018#s0001", "rep_a_2018", 3, "Supervision is now regular.", [("supervision", "strength")]),
    ("rep_a_2018#s0002", "rep_a_2018", 4, "Some plans drift.", []),
    ("fv_a_2025#s0001", "fv_a_2025", None, "Supervision is not yet consistent.", [("supervision", "concern")]),
    ("fv_a_2025#s0002", "fv_a_2025", None, "Supervision is reflective in most teams.", [("supervision", "strength")]),
    ("fv_a_2025#s0003", "fv_a_2025", None, "Caseloads are manageable.", [("caseloads", "strength")]),
    ("fv_a_2025#s0004", "fv_a_2025", None, "Assessments remain weak.", [("assessment_quality", "concern")]),
    ("fv_a_2025#s0005", "fv_a_2025", None, "The FRONT DOOR is slow to respond.", [("front_door", "concern")]),
    ("fv_a_2025#s0006", "fv_a_2025", None, "Assessments are improving.", [("assessment_quality", "improving")]),
    ("council_a_2026#s0001", "council_a_2026", None, "We will improve supervision.", [("supervision", "neutral")]),
    ("rep_b_2019#s0001", "rep_b_2019", 9, "Supervision is strong and regular.", [("supervision", "strength")]),
    ("rep_b_2016#s0001", "rep_b_2016", 2, "Supervision is rare.", [("supervision", "concern")]),
]

FINDINGS = _frame(
    "finding_id, visit_id, theme_id, polarity, paraphrase, coder, is_inferred, source_id",
    [
        ("f1", "A-2017-02-mv", "supervision", "concern", "Supervision still patchy.", "analyst", False, "news_a_2017"),
        ("f2", "A-2017-02-mv", "caseloads", "concern", "Caseloads remain high.", "analyst", False, "news_a_2017"),
        ("f3", "A-2017-02-mv", "assessment_quality", "concern", "Assessments weak.", "analyst", True, "news_a_2017"),
        (
            "f4",
            "A-2017-02-mv",
            "supervision",
            "improving",
            "Supervision more frequent.",
            "analyst",
            False,
            "news_a_2017",
        ),
        # a visit with coded text: its finding is evidence but is not counted
        ("f5", "A-2016-01-sif", "supervision", "concern", "Weak supervision.", "analyst", False, "rep_a_2016"),
    ],
)

RECOMMENDATIONS = _frame(
    "recommendation_id, visit_id, document_id, passage_id, seq, text, source_id",
    [("r1", "A-2018-10-ilacs", "rep_a_2018", "rep_a_2018#s0002", 1, "Reduce drift in timeliness.", "rep_a_2018")],
)
RECOMMENDATION_THEMES = _frame("recommendation_id, theme_id", [("r1", "timeliness")])


def _passages() -> tuple[pd.DataFrame, pd.DataFrame]:
    passages, codings = [], []
    for seq, (pid, doc, page, text, codes) in enumerate(SENTENCES, start=1):
        passages.append((pid, doc, "sentence", None, seq, page, 0, len(text), None, "text", text))
        codings.extend((pid, doc, theme, polarity, "rule", "test", None) for theme, polarity in codes)
    return (
        _frame(
            "passage_id, document_id, passage_kind, paragraph_id, seq, page, char_start, char_end, heading, "
            "block_kind, text",
            passages,
        ),
        _frame("passage_id, document_id, theme_id, polarity, method, codebook_version, matched", codings),
    )


def synthetic_db() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema, the synthetic rows above and the views."""
    con = duckdb.connect()
    db.create_schema(con)
    passages, codings = _passages()
    for table, frame in [
        ("sources", SOURCES),
        ("grades", GRADES),
        ("visits", VISITS),
        ("judgements", JUDGEMENTS),
        ("ofsted_outcomes", OUTCOMES),
        ("themes", THEMES),
        ("documents", DOCUMENTS),
        ("passages", passages),
        ("codings", codings),
        ("findings", FINDINGS),
        ("recommendations", RECOMMENDATIONS),
        ("recommendation_themes", RECOMMENDATION_THEMES),
    ]:
        db.append(con, table, frame)
    db.create_views(con)
    return con


@pytest.fixture(scope="module")
def mem() -> duckdb.DuckDBPyConnection:
    con = synthetic_db()
    yield con
    con.close()


def test_views_are_created(mem):
    # views, or tables should the build materialise the intermediate layer
    views = set(mem.sql("select view_name from duckdb_views() where not internal").df()["view_name"])
    tables = set(mem.sql("select table_name from duckdb_tables()").df()["table_name"])
    names = views | tables
    assert {"stg_visits", "int_visits", "int_theme_evidence", "int_search_passages"} <= names


# --- visit timeline ---------------------------------------------------------------------------------------------


def test_timeline_as_of_cut_off(mem):
    early = db.query(mem, "mart_visit_timeline", la_id_gss=A, as_of="2016-12-31")
    assert list(early["visit_id"]) == ["A-2016-01-sif"]
    before_source_month_ends = db.query(mem, "mart_visit_timeline", la_id_gss=A, as_of="2017-03-30")
    assert "A-2017-02-mv" not in set(before_source_month_ends["visit_id"])
    # the source's publication is known to the month only: it counts from the month's last day
    at_month_end = db.query(mem, "mart_visit_timeline", la_id_gss=A, as_of=dt.date(2017, 3, 31))
    assert "A-2017-02-mv" in set(at_month_end["visit_id"])


def test_timeline_grades_and_undated_visit(mem):
    frame = db.query(mem, "mart_visit_timeline", la_id_gss=A, as_of=LATE).set_index("visit_id")
    assert list(frame.index) == ["A-2016-01-sif", "A-2017-02-mv", "A-2018-10-ilacs", "A-2025-10-fv"]
    assert frame.loc["A-2016-01-sif", "grade"] == "inadequate"
    assert frame.loc["A-2016-01-sif", "grade_rank"] == 4
    assert frame.loc["A-2018-10-ilacs", "grade_rank"] == 3
    assert frame.loc["A-2018-10-ilacs", "leaders"] == "good"
    assert frame.loc["A-2017-02-mv", "grade"] == "ungraded"
    assert not frame.loc["A-2017-02-mv", "is_graded"]
    assert frame.loc["A-2017-02-mv", "visible_from_basis"] == "source_published_date"
    assert frame.loc["A-2016-01-sif", "url"] == "https://x/a2016.pdf"
    notes = db.query(mem, "mart_data_notes", la_id_gss=A, as_of=LATE).set_index("note_id")
    assert notes.loc["undated_visits", "n"] == 1
    assert "A-2016-mv1" in notes.loc["undated_visits", "note"]


def test_timeline_for_a_council_without_seeds(mem):
    frame = db.query(mem, "mart_visit_timeline", la_id_gss=B, as_of=LATE)
    assert list(frame["visit_id"]) == [f"{B}-2016-sif1", f"{B}-2019-02-ilacs", f"{B}-2021-05-fv"]
    assert list(frame["grade"]) == ["not_recorded", "good", "ungraded"]
    assert list(frame["origin"]) == ["report", "ofsted_outcomes", "ofsted_outcomes"]
    assert frame["help_and_protection"].iloc[1] == "requires_improvement"
    assert frame["focus"].iloc[2] == "front door"
    assert bool(frame["is_uncertain"].iloc[0]) and not frame["is_graded"].iloc[0]
    early = db.query(mem, "mart_visit_timeline", la_id_gss=B, as_of="2019-03-19")
    assert list(early["visit_id"]) == [f"{B}-2016-sif1"]


def test_official_rows_do_not_duplicate_seeded_visits(mem):
    frame = db.query(mem, "mart_visit_timeline", la_id_gss=A, as_of=LATE)
    assert set(frame["origin"]) == {"seeds"}


# --- theme by visit and trajectory ------------------------------------------------------------------------------


def test_theme_by_visit_counts(mem):
    frame = db.query(mem, "mart_theme_by_visit", la_id_gss=A, as_of=LATE)
    sif = frame[frame["visit_id"] == "A-2016-01-sif"].set_index("theme_id")
    # one coded sentence per theme; the analyst's finding f5 is not added to a visit with text
    assert sif.loc["supervision", "n_concern"] == 1 and sif.loc["supervision", "n_evaluative"] == 1
    assert sif.loc["supervision", "concern_share"] == pytest.approx(1.0)
    assert set(sif["reading"]) == {"not_enough_evidence"}  # a single sentence never reads as anything
    assert set(sif["evidence_basis"]) == {"sentences"}
    mv = frame[frame["visit_id"] == "A-2017-02-mv"].set_index("theme_id")
    assert set(mv["evidence_basis"]) == {"analyst_findings"}
    assert mv.loc["supervision", "n_improving"] == 1 and mv.loc["supervision", "n_concern_or_improving"] == 2
    fv = frame[frame["visit_id"] == "A-2025-10-fv"].set_index("theme_id")
    assert fv.loc["supervision", "concern_share"] == pytest.approx(0.5)
    assert fv.loc["assessment_quality", "concern_share"] == pytest.approx(1.0)  # a concern and an improving one
    ilacs = frame[frame["visit_id"] == "A-2018-10-ilacs"].set_index("theme_id")
    # a recommendation names timeliness with no coded sentence: a concern at that visit all the same
    assert ilacs.loc["timeliness", "n_coded"] == 0
    assert ilacs.loc["timeliness", "reading"] == "named_for_improvement"
    # council reports are not Ofsted text: never counted
    assert "council_a_2026" not in set(frame["visit_id"])


def test_theme_by_visit_as_of_hides_later_evidence(mem):
    frame = db.query(mem, "mart_theme_by_visit", la_id_gss=A, as_of="2018-12-09")
    assert set(frame["visit_id"]) == {"A-2016-01-sif", "A-2017-02-mv"}


def test_theme_by_visit_for_a_council_without_seeds(mem):
    frame = db.query(mem, "mart_theme_by_visit", la_id_gss=B, as_of=LATE)
    assert list(frame["visit_id"]) == [f"{B}-2016-sif1", f"{B}-2019-02-ilacs"]
    assert frame["concern_share"].tolist() == pytest.approx([1.0, 0.0])
    # one sentence each: too few to raise anything, so nothing recurs
    assert len(db.query(mem, "mart_recurring_concerns", la_id_gss=B, as_of=LATE)) == 0


def test_theme_trajectory_grid(mem):
    frame = db.query(mem, "mart_theme_trajectory", la_id_gss=A, as_of=LATE)
    supervision = frame[frame["theme_id"] == "supervision"]
    assert list(supervision["visit_id"]) == ["A-2016-01-sif", "A-2017-02-mv", "A-2018-10-ilacs", "A-2025-10-fv"]
    assert list(supervision["is_mentioned"]) == [True, True, True, True]
    assert supervision["concern_share"].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.5])
    assert set(supervision["reading"]) == {"not_enough_evidence"}
    front = frame[frame["theme_id"] == "front_door"].set_index("visit_id")
    assert not front.loc["A-2016-01-sif", "is_mentioned"]
    assert front.loc["A-2016-01-sif", "reading"] == "not_mentioned"
    assert pd.isna(front.loc["A-2016-01-sif", "concern_share"])
    assert front.loc["A-2016-01-sif", "n_concern"] == 0
    # the 2018 report names timeliness in a recommendation with no sentence: the grid has its visit all the same
    assert "A-2018-10-ilacs" in set(frame.loc[frame["theme_id"] == "timeliness", "visit_id"])
    assert set(frame["la_id_gss"]) == {A}


# --- recurring concerns (the statuses are tested on richer synthetic data in test_marts_themes.py) ---------------


def test_single_sentences_never_make_a_concern_recur(mem):
    assert len(db.query(mem, "mart_recurring_concerns", la_id_gss=A, as_of=LATE)) == 0


def test_recurring_concerns_as_of_uses_the_latest_visit_then(mem):
    frame = db.query(mem, "mart_recurring_concerns", la_id_gss=A, as_of="2019-01-01").set_index("theme_id")
    assert set(frame["latest_evidence_visit_id"]) == {"A-2018-10-ilacs"}
    assert list(frame.index) == ["timeliness"]  # named in the 2018 recommendation, not raised before
    assert frame.loc["timeliness", "status"] == "new"


# --- evidence and search ----------------------------------------------------------------------------------------


def test_evidence_filters_and_links(mem):
    every = db.query(mem, "mart_evidence", la_id_gss=A, as_of=LATE, theme_id=None, polarity=None, visit_id=None)
    assert {"sentence", "analyst_finding"} == set(every["evidence_kind"])
    sup = db.query(
        mem, "mart_evidence", la_id_gss=A, as_of=LATE, theme_id="supervision", polarity="concern", visit_id=None
    )
    assert set(sup["polarity"]) == {"concern"}
    first = sup.iloc[0]
    assert first["text"] == "Supervision is infrequent and lacks reflection."
    assert first["url"] == "https://x/a2016.pdf#page=5"
    assert first["page"] == 5
    f5 = sup[sup["text"] == "Weak supervision."]
    assert not f5["is_counted"].iloc[0]
    one_visit = db.query(
        mem, "mart_evidence", la_id_gss=A, as_of=LATE, theme_id=None, polarity=None, visit_id="A-2025-10-fv"
    )
    assert set(one_visit["visit_id"]) == {"A-2025-10-fv"}
    assert one_visit["url"].iloc[0] == "https://x/fv"  # not a PDF: no page anchor
    early = db.query(mem, "mart_evidence", la_id_gss=A, as_of="2016-12-31", theme_id=None, polarity=None, visit_id=None)
    assert set(early["visit_id"]) == {"A-2016-01-sif"}


def _search(mem, **overrides):
    params = dict(la_id_gss=A, as_of=LATE, pattern=None, is_regex=False, theme_id=None, date_from=None, date_to=None)
    params.update(overrides)
    return db.query(mem, "mart_evidence_search", **params)


def test_evidence_search(mem):
    words = _search(mem, pattern="front door")
    assert list(words["text"]) == ["The FRONT DOOR is slow to respond."]
    regex = _search(mem, pattern=r"^assessments (lack|are)", is_regex=True)
    assert list(regex["text"]) == ["Assessments lack analysis of risk.", "Assessments are improving."]
    by_theme = _search(mem, theme_id="caseloads")
    assert set(by_theme["text"]) == {"Caseloads are too high.", "Caseloads are manageable.", "Caseloads remain high."}
    in_range = _search(mem, pattern="supervision", date_from="2017-01-01", date_to="2018-12-31")
    assert set(in_range["text"]) == {
        "Supervision still patchy.",
        "Supervision more frequent.",
        "Supervision is now regular.",
    }
    # council documents not linked to a visit are searchable, dated by their publication
    assert "We will improve supervision." in set(_search(mem, pattern="improve")["text"])
    assert "We will improve supervision." not in set(_search(mem, pattern="improve", as_of="2026-01-01")["text"])
    everywhere = _search(mem, la_id_gss=None, pattern="strong and regular")
    assert set(everywhere["la_id_gss"]) == {B}
    assert everywhere["url"].iloc[0] == "https://x/b.pdf#page=9"


def test_recommendations_by_theme(mem):
    frame = db.query(mem, "mart_recommendations", la_id_gss=A, as_of=LATE, theme_id="timeliness")
    assert list(frame["recommendation_id"]) == ["r1"]
    assert frame["url"].iloc[0] == "https://x/a2018#page=4"
    assert len(db.query(mem, "mart_recommendations", la_id_gss=A, as_of=LATE, theme_id="caseloads")) == 0


# --- parameters -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["mart_visit_timeline", "mart_theme_by_visit", "mart_theme_trajectory", "mart_recurring_concerns", "mart_events"],
)
def test_missing_and_extra_parameters_raise(mem, name):
    with pytest.raises(QueryParameterError, match=r"missing \$as_of"):
        db.query(mem, name, la_id_gss=A)
    with pytest.raises(QueryParameterError, match=r"unexpected \$theme"):
        db.query(mem, name, la_id_gss=A, as_of=LATE, theme="supervision")


def test_evidence_requires_its_filters(mem):
    with pytest.raises(QueryParameterError, match=r"missing \$polarity, \$visit_id"):
        db.query(mem, "mart_evidence", la_id_gss=A, as_of=LATE, theme_id="supervision")


def test_unknown_council_gives_empty_frames(mem):
    for name in (
        "mart_visit_timeline",
        "mart_theme_by_visit",
        "mart_theme_trajectory",
        "mart_recurring_concerns",
        "mart_peer_themes",
        "mart_peer_councils",
    ):
        assert len(db.query(mem, name, la_id_gss="E06000999", as_of=LATE)) == 0
