"""The macros of queries/macros (the as-of blocks the marts share) against small inline tables.

Every row below is SYNTHETIC, made up to exercise the SQL; none is a fact about a council. The intermediate tables the
macros read are registered as pandas frames, so only the macros and the marts that call them are under test.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import config, db

LA = "E08000027"
OTHER = "E09000099"  # a made-up code
THIRD = "E09000098"  # another made-up code


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _frame(columns: str, rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[c.strip() for c in columns.split(",")])


VISITS = _frame(
    "visit_id, la_id_gss, visit_type, framework, title, visit_date, visit_date_precision, visible_from",
    [
        # V1 has a coded report and an analyst's finding: only the sentences count.
        ("V1", LA, "sif_inspection", "sif", "SIF", _d("2016-01-10"), "day", _d("2016-04-05")),
        # V2's letter is published after its finding: before the letter the finding counts, after it the sentences.
        ("V2", LA, "monitoring_visit", "sif", "MV", _d("2017-02-01"), "day", _d("2017-03-01")),
        # V3 is published after every as-of date used below.
        ("V3", LA, "focused_visit", "ilacs", "FV", _d("2025-10-01"), "day", _d("2025-11-20")),
        ("W1", OTHER, "sif_inspection", "sif", "SIF", _d("2016-01-10"), "day", _d("2016-04-05")),
        # T1: one council's visit whose themes exercise every reading of asof_theme_readings
        ("T1", THIRD, "ilacs_standard", "ilacs", "ILACS", _d("2019-01-10"), "day", _d("2019-03-01")),
    ],
)

EVIDENCE_COLUMNS = (
    "evidence_id, evidence_kind, la_id_gss, visit_id, visit_date, visit_type, theme_id, theme_label, polarity, text,"
    " document_id, document_title, page, passage_id, url, source_id, coded_by, confidence, is_inferred, visible_from"
)


def _sentence(visit: str, passage: str, theme: str, polarity: str, visible: str, la: str = LA) -> tuple:
    return (
        f"{passage}|{theme}",
        "sentence",
        la,
        visit,
        None,
        None,
        theme,
        theme.title(),
        polarity,
        "synthetic sentence",
        "doc",
        "Doc",
        1,
        passage,
        None,
        "doc",
        "rule",
        None,
        False,
        _d(visible),
    )


def _finding(visit: str, finding: str, theme: str, polarity: str, visible: str) -> tuple:
    return (
        finding,
        "analyst_finding",
        LA,
        visit,
        None,
        None,
        theme,
        theme.title(),
        polarity,
        "synthetic finding",
        None,
        "Source",
        None,
        None,
        None,
        "src",
        "analyst",
        None,
        False,
        _d(visible),
    )


# T1's themes: (theme, polarities of its sentences) -> the reading asof_theme_readings must give
READING_CASES = {
    "all_concerns": (["concern"] * 3, "mostly_concerns"),  # 3 of 3: interval 0.53 to 1
    "two_of_three": (["concern", "improving", "strength"], "mixed"),  # improving counts as not yet good
    # 5 of 6: the 90% interval (0.497 to 0.96) touches one half, but a one-sided 90% test says more than half
    "five_of_six": (["concern"] * 5 + ["strength"], "mostly_concerns"),
    "four_of_six": (["concern"] * 4 + ["strength"] * 2, "mixed"),
    "all_strengths": (["strength"] * 3 + ["neutral"] * 4, "mostly_strengths"),  # neutral mentions do not judge
    "two_only": (["concern", "concern", "neutral"], "not_enough_evidence"),  # 2 judging sentences are too few
    "named_but_praised": (["strength"] * 5, "named_for_improvement"),  # a recommendation names it (r9)
}
READING_SENTENCES = [
    _sentence("T1", f"t{i}-{theme}", theme, polarity, "2019-03-01", la=THIRD)
    for theme, (polarities, _) in READING_CASES.items()
    for i, polarity in enumerate(polarities)
]

EVIDENCE = _frame(
    EVIDENCE_COLUMNS,
    [
        # V1: two sentences; p1 carries two themes, so the visit has 2 units, not 3 codings.
        _sentence("V1", "p1", "leadership", "strength", "2016-04-05"),
        _sentence("V1", "p1", "timeliness", "concern", "2016-04-05"),
        _sentence("V1", "p2", "leadership", "concern", "2016-04-05"),
        _finding("V1", "f1", "leadership", "concern", "2016-04-05"),
        # V2: a finding known from news in March 2017, the letter's sentences only from June 2017.
        _finding("V2", "f2", "timeliness", "concern", "2017-03-01"),
        _sentence("V2", "p3", "timeliness", "strength", "2017-06-15"),
        _sentence("V3", "p4", "leadership", "strength", "2025-11-20"),
        _sentence("W1", "q1", "leadership", "concern", "2016-04-05", la=OTHER),
        *READING_SENTENCES,
    ],
)

RECOMMENDATIONS = _frame(
    "recommendation_id, visit_id, theme_id, la_id_gss, visible_from",
    [
        ("r1", "V1", "timeliness", LA, _d("2016-04-05")),
        ("r1", "V1", "leadership", LA, _d("2016-04-05")),
        ("r2", "V1", "timeliness", LA, _d("2016-04-05")),
        ("r3", "V1", None, LA, _d("2016-04-05")),  # uncoded: left out of the counts
        ("r9", "T1", "named_but_praised", THIRD, _d("2019-03-01")),
        ("r9", "T1", "named_only", THIRD, _d("2019-03-01")),  # named with no coded sentence at all
    ],
)

THEMES = _frame("theme_id, theme_label", [("leadership", "Leadership"), ("timeliness", "Timeliness")])
# The macros that grade visits and compare councils read these; their tests are in tests/queries/test_marts_peers.py.
EMPTY_JUDGEMENTS = _frame("visit_id, la_id_gss, judgement_area, grade, grade_rank, is_overall, visible_from", [])
EMPTY_DOCUMENTS = _frame("document_id, visit_id, document_title, url, is_inspection_text, visible_from", [])
EMPTY_GRADES = _frame("grade, grade_label, grade_rank", [])
EMPTY_COUNCILS = _frame("la_id_gss, la_name, region_id_gss, region_name", [])


@pytest.fixture()
def mem(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The macros over the inline frames: only queries/macros is linked into the query root."""
    con = duckdb.connect()
    db.create_schema(con)  # empty base tables, for the macros that read them directly
    for name, frame in [
        ("int_visits", VISITS),
        ("int_theme_evidence", EVIDENCE),
        ("int_recommendations", RECOMMENDATIONS),
        ("stg_themes", THEMES),
        ("int_judgements", EMPTY_JUDGEMENTS),
        ("int_documents", EMPTY_DOCUMENTS),
        ("stg_grades", EMPTY_GRADES),
        ("stg_councils", EMPTY_COUNCILS),
    ]:
        con.register(name, frame)
    (tmp_path / "macros").symlink_to(config.QUERIES / "macros", target_is_directory=True)
    created = db.create_views(con, tmp_path)
    assert {"asof_visits", "asof_evidence", "asof_theme_counts", "asof_theme_readings"} <= set(created)
    yield con
    con.close()


def _by_visit(con: duckdb.DuckDBPyConnection, as_of: str) -> pd.DataFrame:
    frame = db.query(con, "mart_theme_by_visit", la_id_gss=LA, as_of=as_of)
    return frame.set_index(["visit_id", "theme_id"])


def test_sentences_outrank_findings(mem):
    frame = _by_visit(mem, "2016-12-31")
    assert set(frame.index) == {("V1", "leadership"), ("V1", "timeliness")}
    leadership = frame.loc[("V1", "leadership")]
    # the finding f1 is not counted: V1 has coded text
    assert (leadership.n_strength, leadership.n_concern, leadership.n_coded, leadership.n_evaluative) == (1, 1, 2, 2)
    assert leadership.concern_share == 0.5
    assert set(frame.evidence_basis) == {"sentences"}


def test_recommendation_counts_are_distinct_per_theme_and_name_the_theme(mem):
    frame = _by_visit(mem, "2016-12-31")
    assert frame.loc[("V1", "timeliness")].n_recommendations == 2
    assert frame.loc[("V1", "leadership")].n_recommendations == 1
    assert set(frame.reading) == {"named_for_improvement"}  # both named, whatever their sentences say


def test_a_visit_counts_its_findings_until_its_text_is_visible(mem):
    before = _by_visit(mem, "2017-04-30").loc[("V2", "timeliness")]
    after = _by_visit(mem, "2017-06-30").loc[("V2", "timeliness")]
    assert (before.evidence_basis, before.n_concern, before.concern_share) == ("analyst_findings", 1, 1.0)
    assert (after.evidence_basis, after.n_strength, after.n_concern, after.concern_share) == ("sentences", 1, 0, 0.0)
    # one finding or one sentence is never enough to read
    assert before.reading == after.reading == "not_enough_evidence"


def _wilson(k: int, n: int, z: float = 1.6448536269514722) -> tuple[float, float]:
    """The Wilson score interval, written out independently of the SQL (Wilson 1927)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def test_every_reading_follows_its_rule(mem):
    frame = db.query(mem, "mart_theme_by_visit", la_id_gss=THIRD, as_of="2019-12-31").set_index("theme_id")
    for theme_id, (_, reading) in READING_CASES.items():
        assert frame.loc[theme_id, "reading"] == reading, theme_id
    assert frame.loc["named_only", "reading"] == "named_for_improvement"
    assert frame.loc["named_only", "n_evaluative"] == 0 and pd.isna(frame.loc["named_only", "concern_share"])
    assert frame.loc["all_strengths", "n_neutral"] == 4 and frame.loc["all_strengths", "n_evaluative"] == 3
    two = frame.loc["two_of_three"]
    assert (two.n_concern_or_improving, two.n_evaluative) == (2, 3)
    assert (two.concern_share_low, two.concern_share_high) == pytest.approx(_wilson(2, 3))
    assert frame.loc["all_concerns", "concern_share_low"] == pytest.approx(_wilson(3, 3)[0])
    assert frame.loc["all_concerns", "concern_share_low"] > 0.5  # why 3 sentences are enough
    # the reading's one-sided test is the 80% interval's bound; the 90% interval shown is wider
    assert frame.loc["five_of_six", "concern_share_low"] == pytest.approx(_wilson(5, 6)[0])
    assert frame.loc["five_of_six", "concern_share_low"] < 0.5
    assert _wilson(5, 6, z=1.2815515655446004)[0] > 0.5 > _wilson(4, 6, z=1.2815515655446004)[0]
    assert set(frame.is_raised[frame.is_raised].index) == {
        "all_concerns",
        "five_of_six",
        "named_but_praised",
        "named_only",
    }


def test_evidence_flags_what_is_counted(mem):
    frame = db.query(
        mem, "mart_evidence", la_id_gss=LA, as_of="2017-06-30", theme_id=None, polarity=None, visit_id=None
    )
    not_counted = frame.loc[~frame.is_counted.astype(bool)]
    assert sorted(zip(not_counted.visit_id, not_counted.evidence_kind, strict=True)) == [
        ("V1", "analyst_finding"),
        ("V2", "analyst_finding"),
    ]
    assert frame.loc[frame.evidence_kind == "sentence", "is_counted"].astype(bool).all()
    assert "V3" not in set(frame.visit_id)  # published after the as-of date
    assert set(frame.la_id_gss) == {LA}  # the other council's sentence stays out
    assert "confidence" in frame.columns


def test_trajectory_grid_marks_silence(mem):
    frame = db.query(mem, "mart_theme_trajectory", la_id_gss=LA, as_of="2017-06-30")
    assert len(frame) == 4  # 2 themes x 2 visits with evidence
    silent = frame[(frame.visit_id == "V2") & (frame.theme_id == "leadership")].iloc[0]
    assert not silent.is_mentioned and pd.isna(silent.concern_share) and silent.reading == "not_mentioned"


def test_every_council_at_once(mem):
    frame = db.query(mem, "mart_peer_themes", la_id_gss=LA, as_of="2016-12-31")
    assert frame.empty  # no council in the (empty) councils table: no comparison, and no error
    every = mem.sql("select distinct la_id_gss from asof_theme_readings(null, '2019-12-31')").df()
    assert set(every.la_id_gss) == {LA, OTHER, THIRD}


@pytest.mark.parametrize(
    ("known", "precision", "expected"),
    [
        ("2017-03-14", "day", "2017-03-14"),
        ("2017-02-01", "month", "2017-02-28"),
        ("2016-01-01", "year", "2016-12-31"),
        (None, "month", None),
    ],
)
def test_a_date_counts_from_the_end_of_its_precision_period(mem, known, precision, expected):
    events = _frame(
        "event_id, la_id_gss, event_type, event_date, event_precision, title, note, source_id, is_uncertain",
        [("e1", LA, "other", _d(known), precision, "t", None, "src", False)],
    )
    events["event_date"] = pd.to_datetime(events["event_date"])  # typed, as in the real table, even when NULL
    mem.register("events", events)
    frame = db.query(mem, "stg_events")
    got = frame.visible_from.iloc[0]
    if expected is None:
        assert pd.isna(got)
    else:
        assert pd.Timestamp(got) == pd.Timestamp(expected)
