"""The words of Dudley's rendered report (the real build) agree with the marts behind them, and with the letters.

Read as a reader would: the page's visible text, split into sentences and the clauses a semicolon separates.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import db
from analysis.reporting import render

pytestmark = pytest.mark.slow

DUDLEY = "E08000027"
QUARTER_END = "2026-03-31"


def visible_text(page: str) -> str:
    """The report as text: scripts, styles and the data tables' <details> kept out, entities decoded."""
    body = page.split("<body", 1)[1]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"</(p|li|h\d|td|th|figcaption|blockquote|caption)>", ". ", body)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def clauses(text: str) -> list[tuple[str, str]]:
    """(sentence, clause) pairs: sentences end at '. ', clauses at '; '."""
    out = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        out.extend((sentence, clause) for clause in sentence.split("; "))
    return out


def date_words(day: pd.Timestamp) -> list[str]:
    return [f"{day:%B %Y}", f"{day:%b %Y}"]


def calls_it_a_strength(text: str, label: str, day: pd.Timestamp) -> list[str]:
    """The clauses of sentences about `label` that speak of the visit of `day` and call something a strength."""
    found = []
    for sentence, clause in clauses(text):
        if label.lower() not in sentence.lower():
            continue
        if any(words in clause for words in date_words(day)) and re.search(r"\bstrengths?\b", clause, re.I):
            if not re.search(r"\b0 strengths\b", clause):
                found.append(clause)
    return found


def test_the_detector_catches_a_strength_claim():
    # a made-up sentence of the kind the old report printed: the check must be able to fail
    bad = "Assessment quality: more strengths than concerns in Oct 2025 (+0.04)."
    assert calls_it_a_strength(bad, "Assessment quality", pd.Timestamp("2025-10-21"))
    fine = "Assessment quality: named for improvement in Oct 2025; mostly strengths in Jan 2016."
    assert not calls_it_a_strength(fine, "Assessment quality", pd.Timestamp("2025-10-21"))


@pytest.fixture(scope="module")
def page(built_db, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("dudley")
    path = render.render({"la_id_gss": DUDLEY, "quarter": "2026Q1"}, db_path=built_db, out_dir=out)
    return Path(path).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def marts(built_db) -> dict[str, pd.DataFrame]:
    with db.connect(built_db) as con:
        return {
            "by_visit": db.query(con, "mart_theme_by_visit", la_id_gss=DUDLEY, as_of=QUARTER_END),
            "timeline": db.query(con, "mart_visit_timeline", la_id_gss=DUDLEY, as_of=QUARTER_END),
            "themes": db.query(con, "mart_report_themes"),
        }


def test_no_sentence_calls_a_theme_a_strength_where_the_visit_named_it_for_improvement(page, marts):
    text = visible_text(page)
    named = marts["by_visit"][marts["by_visit"]["is_named_for_improvement"].astype(bool)]
    assert len(named), "Dudley's visits name themes for improvement (the October 2025 letter names three)"
    wrong = {
        (row.theme_label, row.visit_id): calls_it_a_strength(text, row.theme_label, pd.Timestamp(row.visit_date))
        for row in named.itertuples()
    }
    assert {key: found for key, found in wrong.items() if found} == {}
    assert "more strengths than concerns" not in text.lower()
    assert "net balance" not in text.lower()


def test_the_latest_visit_is_the_latest_visit(page, marts):
    text = visible_text(page)
    latest = marts["timeline"].sort_values(["visit_date", "visit_id"]).iloc[-1]
    day = pd.Timestamp(latest["visit_date"])
    for sentence in re.findall(r"[^.]*\bthe latest visit\b(?! with)[^.]*", text, re.I):
        if "was a" in sentence or "At the latest visit," in sentence:
            assert any(words in sentence for words in [f"{day.day} {day:%B %Y}", *date_words(day)]), sentence


def test_no_table_row_appears_twice(page):
    for table in re.findall(r"<table>.*?</table>", page, re.S):
        rows = [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
        doubled = [row for row, n in Counter(rows).items() if n > 1]
        assert doubled == [], doubled[:2]


def test_counts_in_a_sentence_equal_the_themes_listed_after_them(page, marts):
    text = visible_text(page).lower()
    labels = sorted((str(label).lower() for label in marts["themes"]["label"]), key=len, reverse=True)
    checked = 0
    patterns = [
        r"\b(\d+) (?:named in the visit's improvement points|read mostly concerns) \(([^)]*)\)",
        r"\b(\d+) (?:is|are) still raised at the latest visit with evidence \([^)]*\) \(([^)]*)\)",
    ]
    for n, listed in [found for pattern in patterns for found in re.findall(pattern, text)]:
        rest, found = listed, 0
        for label in labels:
            if label in rest:
                found += rest.count(label)
                rest = rest.replace(label, "")
        assert found == int(n), (n, listed)
        checked += 1
    assert checked >= 2
