"""The macros of queries/macros (the as-of blocks the marts share) against small inline tables.

Every row below is SYNTHETIC, made up to exercise the SQL; none is a fact about a council. The intermediate tables the
macros read are registered as pandas frames, so only the macros and the marts that call them are under test.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import config, db

LA = "E08000027"
OTHER = "E09000099"  # a made-up code


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
    ],
)

EVIDENCE_COLUMNS = (
    "evidence_id, evidence_kind, la_id_gss, visit_id, visit_date, visit_type, theme_id, theme_label, polarity, text,"
    " document_id, document_title, page, passage_id, url, source_id, coded_by, is_inferred, visible_from, unit_id"
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
        False,
        _d(visible),
        passage,
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
        False,
        _d(visible),
        finding,
    )


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
    ],
)

RECOMMENDATIONS = _frame(
    "recommendation_id, visit_id, theme_id, la_id_gss, visible_from",
    [
        ("r1", "V1", "timeliness", LA, _d("2016-04-05")),
        ("r1", "V1", "leadership", LA, _d("2016-04-05")),
        ("r2", "V1", "timeliness", LA, _d("2016-04-05")),
        ("r3", "V1", None, LA, _d("2016-04-05")),  # uncoded: left out of the counts
    ],
)

THEMES = _frame("theme_id, theme_label", [("leadership", "Leadership"), ("timeliness", "Timeliness")])


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
    ]:
        con.register(name, frame)
    (tmp_path / "macros").symlink_to(config.QUERIES / "macros", target_is_directory=True)
    created = db.create_views(con, tmp_path)
    assert {"asof_visits", "asof_evidence", "asof_theme_counts", "asof_recommendation_counts"} <= set(created)
    yield con
    con.close()


def _by_visit(con: duckdb.DuckDBPyConnection, as_of: str) -> pd.DataFrame:
    frame = db.query(con, "mart_theme_by_visit", la_id_gss=LA, as_of=as_of)
    return frame.set_index(["visit_id", "theme_id"])


def test_sentences_outrank_findings_and_units_are_sentences(mem):
    frame = _by_visit(mem, "2016-12-31")
    assert set(frame.index) == {("V1", "leadership"), ("V1", "timeliness")}
    leadership = frame.loc[("V1", "leadership")]
    # the finding f1 is not counted: V1 has coded text
    assert (leadership.n_strength, leadership.n_concern, leadership.n_coded) == (1, 1, 2)
    assert leadership.n_units_in_visit == 2
    assert leadership.net_balance == 0.0
    assert frame.loc[("V1", "timeliness")].net_balance == -0.5
    assert set(frame.evidence_basis) == {"sentences"}


def test_recommendation_counts_are_distinct_per_theme(mem):
    frame = _by_visit(mem, "2016-12-31")
    assert frame.loc[("V1", "timeliness")].n_recommendations == 2
    assert frame.loc[("V1", "leadership")].n_recommendations == 1


def test_a_visit_counts_its_findings_until_its_text_is_visible(mem):
    before = _by_visit(mem, "2017-04-30").loc[("V2", "timeliness")]
    after = _by_visit(mem, "2017-06-30").loc[("V2", "timeliness")]
    assert (before.evidence_basis, before.n_concern, before.net_balance) == ("analyst_findings", 1, -1.0)
    assert (after.evidence_basis, after.n_strength, after.n_concern, after.net_balance) == ("sentences", 1, 0, 1.0)


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


def test_trajectory_grid_uses_the_visit_units(mem):
    frame = db.query(mem, "mart_theme_trajectory", la_id_gss=LA, as_of="2017-06-30")
    assert len(frame) == 4  # 2 themes x 2 visits with evidence
    silent = frame[(frame.visit_id == "V2") & (frame.theme_id == "leadership")].iloc[0]
    assert not silent.is_mentioned and pd.isna(silent.net_balance) and silent.n_units_in_visit == 1


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
