"""Report blocks and sentences: escaped output, safe links, and text computed from (synthetic) mart rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis.reporting import blocks, text


def test_escape_and_links():
    assert blocks.esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert blocks.esc(None) == "" and blocks.esc(float("nan")) == ""
    assert blocks.link("doc", "javascript:alert(1)") == "doc"
    assert blocks.link("<doc>", "https://x.example/a?b=1&c=2") == (
        '<a href="https://x.example/a?b=1&amp;c=2" rel="noopener">&lt;doc&gt;</a>'
    )


def test_table_escapes_cells_and_links_them():
    rows = [{"t": "<i>x</i>", "u": "https://x.example/", "n": 3}, {"t": "y", "u": None, "n": None}]
    out = blocks.table_html(rows, {"t": "Title", "n": "N"}, caption="<c>", links={"t": "u"})
    assert "<caption>&lt;c&gt;</caption>" in out
    assert '<a href="https://x.example/" rel="noopener">&lt;i&gt;x&lt;/i&gt;</a>' in out
    assert "<td>y</td><td></td>" in out


def test_empty_table_says_so():
    assert blocks.table([], {"a": "A"}, empty="None here.")["html"] == '<p class="note">None here.</p>'


def test_blocks_keep_headings_below_h2():
    assert blocks.heading("x", 3)["html"] == "<h3>x</h3>"
    with pytest.raises(ValueError):
        blocks.heading("x", 2)


def test_quotes_cite_their_source():
    rows = pd.DataFrame(
        {"q": ["</blockquote><script>"], "c": ["Report, page 3"], "u": ["https://x.example/r.pdf#page=3"]}
    )
    out = blocks.quotes(rows, text="q", cite="c", url="u")["html"]
    assert "<p>&lt;/blockquote&gt;&lt;script&gt;</p>" in out
    assert 'href="https://x.example/r.pdf#page=3"' in out


def test_jsonable_makes_dates_and_nan_plain():
    assert blocks._jsonable({"d": dt.date(2026, 1, 2), "n": float("nan"), "l": (1, 2)}) == {
        "d": "2026-01-02",
        "n": None,
        "l": [1, 2],
    }


def test_dates_in_words_at_their_precision():
    assert text.format_date(dt.date(2016, 4, 5)) == "5 April 2016"
    assert text.format_date(pd.Timestamp("2016-04-05"), "month") == "April 2016"
    assert text.format_date("2016-04-05", "year") == "2016"
    assert text.format_date(None) == "date unknown"
    assert text.format_date(pd.NaT) == "date unknown"


def test_number():
    assert (
        text.number(12.34, "%") == "12.3%" and text.number(1500.0) == "1,500" and text.number(None) == "not published"
    )


def _timeline(**changes: list) -> pd.DataFrame:
    """Synthetic rows shaped like mart_visit_timeline; keyword arguments replace whole columns."""
    frame = pd.DataFrame(
        {
            "visit_id": ["v1", "v2", "v3"],
            "visit_type": ["sif_inspection", "ilacs_standard", "focused_visit"],
            "title": ["SIF", "ILACS", "Focused"],
            "visit_date": pd.to_datetime(["2016-01-26", "2019-11-05", "2026-01-12"]),
            "visit_date_precision": ["day", "day", "day"],
            "published_date": pd.to_datetime(["2016-04-05", "2020-01-10", "2026-02-20"]),
            "visible_from": pd.to_datetime(["2016-04-05", "2020-01-10", "2026-02-20"]),
            "grade": ["inadequate", "requires_improvement", "ungraded"],
            "grade_basis": ["overall_effectiveness", "overall_effectiveness", "ungraded"],
            "is_graded": [True, True, False],
            "is_graded_type": [True, True, False],
            "has_text": [True, True, True],
        }
    )
    for column, values in changes.items():
        frame[column] = values
    return frame


def test_headline_names_latest_judgement_and_visit():
    lines = text.headline(_timeline(), "Borough", "January to March 2026")
    assert lines[0] == (
        "The latest overall judgement of Borough's children's services is Requires improvement, "
        "from the ILACS standard inspection published 10 January 2020."
    )
    assert lines[1] == "The latest visit was a focused visit (12 January 2026), published 20 February 2026."


def test_headline_without_visits():
    assert text.headline(_timeline().iloc[0:0], "Borough", "Q") == [
        "No inspection or visit of Borough had been published by the end of Q."
    ]


def test_new_in_quarter_lists_only_the_quarter():
    events = pd.DataFrame({"title": ["Response"], "event_date": [dt.date(2026, 2, 27)], "event_precision": ["day"]})
    docs = [
        {"title": "Old", "published_date": "2020-01-10", "is_new_in_quarter": False},
        {
            "title": "Letter",
            "published_date": "2026-02-20",
            "published_date_precision": "day",
            "is_new_in_quarter": True,
        },
    ]
    lines = text.new_in_quarter(_timeline(), docs, events, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert lines == [
        "Visit: Focused (focused visit), published 20 February 2026.",
        "Document: Letter, 20 February 2026.",
        "Event: Response, 27 February 2026.",
    ]


def test_trajectory_sentence_lists_every_reading():
    rows = pd.DataFrame(
        {
            "visit_id": ["v1", "v2", "v3", "v4"],
            "visit_type": ["sif_inspection", "monitoring_visit", "ilacs_standard", "focused_visit"],
            "visit_date": pd.to_datetime(["2016-01-26", "2017-02-01", "2019-11-05", "2026-01-12"]),
            "is_mentioned": [True, True, False, True],
            "reading": ["mostly_concerns", "not_enough_evidence", "not_mentioned", "named_for_improvement"],
            "n_evaluative": [4, 1, 0, 3],
            "n_concern_or_improving": [4, 1, 0, 1],
            "n_concern": [3, 1, 0, 1],
            "n_improving": [1, 0, 0, 0],
            "evidence_basis": ["sentences", "analyst_findings", "sentences", "sentences"],
        }
    )
    assert text.trajectory(rows, "Supervision") == (
        "Supervision was mentioned at 3 of the 4 visits with coded evidence, 1 of them with too few sentences "
        "judging it to read it. Its 2 readings: at the single inspection framework (SIF) inspection of January 2016, "
        "mostly concerns: 4 of 4 sentences judging it found it not yet good (3 concerns, 1 improving but not yet "
        "good); at the focused visit of January 2026, named in the visit's improvement points; 1 of 3 sentences "
        "judging it found it not yet good (1 concern)."
    )


def test_measures_for_themes_picks_one_per_theme_once():
    latest = pd.DataFrame({"measure": ["m1", "m2", "m3"], "theme_list": [["caseloads"], ["caseloads"], ["x"]]})
    assert text.measures_for_themes(latest, ["caseloads", "supervision", "x"]) == ["m1", "m3"]


def test_period_of_a_snapshot_is_one_month():
    assert text.period(dt.date(2025, 9, 30), dt.date(2025, 9, 30)) == "September 2025"
    assert text.period(dt.date(2024, 4, 1), dt.date(2025, 3, 31)) == "April 2024 to March 2025"


def test_trajectory_sentence_without_coded_visits():
    empty = pd.DataFrame({"visit_id": [], "visit_type": [], "visit_date": [], "is_mentioned": [], "reading": []})
    assert text.trajectory(empty, "Caseloads") == (
        "No visit has coded text or analysts' findings yet, so caseloads cannot be followed across visits."
    )


def test_data_note_sentence():
    assert text.data_note("events with no date are not shown", 3) == "Events with no date are not shown (count: 3)."
