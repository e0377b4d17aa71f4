"""The theme measure's marts on one SYNTHETIC corpus: recurring-concern statuses, trajectories, peers and journeys.

Every council, visit, grade and sentence here is made up (GSS codes of the E08000001-4 / E09000001 pattern are used
as opaque keys; nothing is a fact about those councils). Each theme of council C is given three or more sentences
at a visit, so that its reading there is confident, or fewer on purpose:

    visit                     supervision   caseloads        assessment  timeliness  leadership  front door
    C1 2016-01 SIF inadequate 3 concerns    3 concerns       3 concerns  3 concerns  3 concerns  3 strengths
    C2 2017-02 MV             -             3 concerns       3 concerns  3 strengths 2c + 2s     -
    C3 2018-10 ILACS RI       3 concerns    named + 3 s      3 strengths named       3 concerns  -
    C4 2025-10 FV             named + 1 c   2c + 2s          3 strengths -           1 concern   3 concerns

Peers of C: neighbours N1 (a report) and N2 (no report); region R1 also holds N1 and D; G shares C's latest grade.
"""

from __future__ import annotations

import datetime as dt
from itertools import count

import duckdb
import pandas as pd
import pytest

from analysis import db

C, N1, N2, D, G = "E08000001", "E08000002", "E08000003", "E08000004", "E09000001"
LATE = "2026-06-30"
THEMES = ["supervision", "caseloads", "assessment_quality", "timeliness", "leadership", "front_door"]

# visit id -> (council, type, fieldwork start, published, grade or None, {theme: polarities}, named themes)
PLAN = {
    "C1": (C, "sif_inspection", "2016-01-11", "2016-04-05", "inadequate", {
        "supervision": "ccc", "caseloads": "ccc", "assessment_quality": "ccc", "timeliness": "ccc",
        "leadership": "ccc", "front_door": "sss"}, []),
    "C2": (C, "monitoring_visit", "2017-02-21", "2017-03-20", None, {
        "caseloads": "ccc", "assessment_quality": "ccc", "timeliness": "sss", "leadership": "ccss"}, []),
    "C3": (C, "ilacs_standard", "2018-10-29", "2018-12-10", "requires_improvement", {
        "supervision": "ccc", "caseloads": "sss", "assessment_quality": "sss", "leadership": "ccc"},
        ["caseloads", "timeliness"]),
    "C4": (C, "focused_visit", "2025-10-21", "2025-11-20", None, {
        "supervision": "c", "caseloads": "ccss", "assessment_quality": "sss", "leadership": "c", "front_door": "ccc"},
        ["supervision"]),
    "N1a": (N1, "ilacs_standard", "2019-05-01", "2019-06-20", "good", {"supervision": "sss", "caseloads": "ccc"}, []),
    "N2a": (N2, "ilacs_standard", "2020-02-01", "2020-03-20", "requires_improvement", {}, []),
    "Da": (D, "ilacs_standard", "2021-03-01", "2021-04-20", "inadequate", {"supervision": "ccc"}, []),
    "Ga": (G, "ilacs_standard", "2022-06-01", "2022-07-20", "requires_improvement", {"caseloads": "cc"}, []),
}  # fmt: skip
POLARITY = {"c": "concern", "s": "strength", "i": "improving", "n": "neutral"}


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    columns = con.table(table).columns
    db.append(con, table, pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns))


def _corpus(plan: dict | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    _insert(con, "sources", [{"source_id": "syn", "kind": "reference", "title": "synthetic", "publisher": "test",
                              "licence": "test"}])  # fmt: skip
    _insert(con, "grades", [
        {"grade": g, "label": g.replace("_", " ").capitalize(), "grade_rank": r}
        for g, r in [("outstanding", 1), ("good", 2), ("requires_improvement", 3), ("inadequate", 4)]
    ])  # fmt: skip
    _insert(con, "councils", [
        {"la_id_gss": la, "la_id_dfe": i, "la_name": f"Council {la[-1]}", "region_id_gss": region,
         "region_name": f"Region {region[-1]}", "source_id": "syn"}
        for i, (la, region) in enumerate([(C, "E12000001"), (N1, "E12000001"), (N2, "E12000002"),
                                          (D, "E12000001"), (G, "E12000002")], start=1)
    ])  # fmt: skip
    _insert(con, "stat_neighbours", [
        {"la_id_gss": C, "model": "2025", "neighbour_rank": r, "neighbour_la_id_gss": n, "source_id": "syn"}
        for r, n in [(1, N1), (2, N2)]
    ])  # fmt: skip
    _insert(con, "themes", [{"theme_id": t, "label": t.replace("_", " ").capitalize(), "definition": "synthetic",
                             "is_core": True} for t in THEMES])  # fmt: skip
    visits, judgements, sources, documents, passages, codings, recommendations, rec_themes = ([] for _ in range(8))
    seq = count(1)
    for visit_id, (la, vtype, start, published, grade, sentences, named) in (plan or PLAN).items():
        doc = f"doc_{visit_id}"
        sources.append(
            {
                "source_id": doc,
                "la_id_gss": la,
                "kind": "inspection_report",
                "title": f"Report {visit_id}",
                "publisher": "test",
                "published_date": _d(published),
                "published_date_precision": "day",
                "url": f"https://example.org/{visit_id}.pdf",
                "licence": "test",
                "visit_id": visit_id,
            }
        )
        visits.append({"visit_id": visit_id, "la_id_gss": la, "visit_type": vtype, "framework": "ilacs",
                       "title": visit_id, "fieldwork_start": _d(start), "fieldwork_end": _d(start),
                       "fieldwork_precision": "day", "published_date": _d(published), "published_precision": "day",
                       "is_uncertain": False, "source_id": doc})  # fmt: skip
        if grade:
            judgements.append({"visit_id": visit_id, "judgement_area": "overall_effectiveness", "grade": grade,
                               "is_overall": True, "source_id": doc})  # fmt: skip
        if not sentences and not named:
            continue
        documents.append(
            {
                "document_id": doc,
                "source_id": doc,
                "la_id_gss": la,
                "visit_id": visit_id,
                "kind": "inspection_report",
                "title": f"Report {visit_id}",
                "published_date": _d(published),
                "path": "p",
                "media_type": "application/pdf",
                "n_chars": 1,
                "sha256": "0",
                "text": "t",
            }
        )
        for theme_id, polarities in sentences.items():
            for polarity in polarities:
                n = next(seq)
                passage = f"{doc}#s{n:04d}"
                passages.append(
                    {
                        "passage_id": passage,
                        "document_id": doc,
                        "passage_kind": "sentence",
                        "seq": n,
                        "page": 1 + n % 5,
                        "char_start": 0,
                        "char_end": 1,
                        "block_kind": "text",
                        "text": f"Synthetic {POLARITY[polarity]} about {theme_id} ({visit_id}).",
                    }
                )
                codings.append(
                    {
                        "passage_id": passage,
                        "document_id": doc,
                        "theme_id": theme_id,
                        "polarity": POLARITY[polarity],
                        "method": "rule",
                        "codebook_version": "syn",
                    }
                )
        for i, theme_id in enumerate(named, start=1):
            rec = f"{visit_id}-r{i}"
            recommendations.append(
                {
                    "recommendation_id": rec,
                    "visit_id": visit_id,
                    "document_id": doc,
                    "seq": i,
                    "text": f"Improve {theme_id}.",
                    "source_id": doc,
                }
            )
            rec_themes.append({"recommendation_id": rec, "theme_id": theme_id})
    for table, rows in [
        ("sources", sources),
        ("visits", visits),
        ("judgements", judgements),
        ("documents", documents),
        ("passages", passages),
        ("codings", codings),
        ("recommendations", recommendations),
        ("recommendation_themes", rec_themes),
    ]:
        _insert(con, table, rows)  # fmt: skip
    db.create_views(con)
    return con


@pytest.fixture(scope="module")
def mem() -> duckdb.DuckDBPyConnection:
    con = _corpus()
    yield con
    con.close()


def test_every_status_of_a_recurring_concern(mem):
    frame = db.query(mem, "mart_recurring_concerns", la_id_gss=C, as_of=LATE).set_index("theme_id")
    assert frame["status"].to_dict() == {
        "supervision": "persistent",  # raised at C1 and C3, named at C4
        "front_door": "new",  # strengths at C1, concerns only at C4
        "caseloads": "improving",  # raised at C1-C3, mixed at C4
        "leadership": "not_revisited",  # raised at C1 and C3; one sentence at C4 is too few
        "timeliness": "not_revisited",  # raised at C1, named at C3, not mentioned at C4
        "assessment_quality": "resolved",  # raised at C1 and C2, mostly strengths at C3 and C4
    }
    assert list(frame.index) == ["supervision", "front_door", "caseloads", "leadership", "timeliness",
                                 "assessment_quality"]  # fmt: skip
    assert frame.loc["caseloads", "visits_raised"] == "C1, C2, C3"
    assert frame.loc["caseloads", "n_visits_named"] == 1
    assert frame.loc["leadership", "reading_latest"] == "not_enough_evidence"
    assert not frame.loc["front_door", "is_recurring"] and frame.loc["supervision", "previous_raised_visit_id"] == "C3"
    assert set(frame["latest_evidence_visit_id"]) == {"C4"}


def test_statuses_as_of_an_earlier_date(mem):
    frame = db.query(mem, "mart_recurring_concerns", la_id_gss=C, as_of="2018-12-31").set_index("theme_id")
    assert set(frame["latest_evidence_visit_id"]) == {"C3"}
    assert frame.loc["assessment_quality", "status"] == "resolved"
    assert frame.loc["timeliness", "status"] == "persistent"  # named at C3, raised at C1
    assert "front_door" not in frame.index


def test_trajectory_compares_each_confident_reading_with_the_last_one(mem):
    frame = db.query(mem, "mart_theme_trajectory", la_id_gss=C, as_of=LATE)
    leadership = frame[frame["theme_id"] == "leadership"].set_index("visit_id")
    assert leadership["reading"].to_dict() == {
        "C1": "mostly_concerns", "C2": "mixed", "C3": "mostly_concerns", "C4": "not_enough_evidence"
    }  # fmt: skip
    assert leadership["reading_change"].tolist()[1:3] == ["better", "worse"]
    assert pd.isna(leadership.loc["C4", "reading_change"]) and leadership.loc["C4", "previous_visit_id"] == "C3"
    timeliness = frame[frame["theme_id"] == "timeliness"].set_index("visit_id")
    assert timeliness.loc["C3", "reading"] == "named_for_improvement" and timeliness.loc["C3", "n_evaluative"] == 0
    assert timeliness.loc["C4", "reading"] == "not_mentioned"
    # another council's visits never enter the grid
    assert set(frame["visit_id"]) == {"C1", "C2", "C3", "C4"}


def test_visit_timeline_says_which_visits_have_text(mem):
    frame = db.query(mem, "mart_visit_timeline", la_id_gss=N2, as_of=LATE)
    assert frame["has_text"].tolist() == [False] and frame["n_text_documents"].tolist() == [0]
    assert frame["is_graded_type"].tolist() == [True]
    own = db.query(mem, "mart_visit_timeline", la_id_gss=C, as_of=LATE)
    assert own["has_text"].all()


def test_peer_groups_and_the_inspection_each_member_is_read_from(mem):
    frame = db.query(mem, "mart_peer_councils", la_id_gss=C, as_of=LATE)
    members = {g: sorted(rows["la_id_gss"]) for g, rows in frame.groupby("group_id")}
    assert members == {"council": [C], "neighbours": [N1, N2], "region": [N1, D], "same_grade": [N2, G]}
    own = frame[frame["group_id"] == "council"].iloc[0]
    assert (own["text_visit_id"], own["latest_grade"], own["n_text_documents"]) == ("C3", "requires_improvement", 1)
    n2 = frame[(frame["group_id"] == "neighbours") & (frame["la_id_gss"] == N2)].iloc[0]
    assert not n2["has_text"] and n2["latest_grade"] == "requires_improvement"
    # as of 2019, C's latest grade is still that of C3, but G is not inspected yet
    early = db.query(mem, "mart_peer_councils", la_id_gss=C, as_of="2019-12-31")
    assert sorted(early.loc[early["group_id"] == "same_grade", "la_id_gss"]) == []


def test_peer_themes_count_councils_and_pool_sentences(mem):
    frame = db.query(mem, "mart_peer_themes", la_id_gss=C, as_of=LATE).set_index(["group_id", "theme_id"])
    council = frame.loc["council"]
    assert council["reading"].to_dict() == {
        "assessment_quality": "mostly_strengths", "caseloads": "named_for_improvement", "leadership": "mostly_concerns",
        "supervision": "mostly_concerns", "timeliness": "named_for_improvement",
    }  # fmt: skip
    neighbours = frame.loc["neighbours"]
    assert set(neighbours["n_councils"]) == {2} and set(neighbours["n_councils_with_text"]) == {1}
    assert neighbours.loc["caseloads", "n_councils_mostly_concerns"] == 1
    assert (neighbours.loc["supervision", "n_concern_or_improving"], neighbours.loc["supervision", "n_evaluative"]) == (
        0,
        3,
    )
    region = frame.loc[("region", "supervision")]
    assert (region["n_councils_mentioning"], region["n_councils_raised"], region["n_councils_mostly_strengths"]) == (
        2,
        1,
        1,
    )
    assert region["concern_share"] == pytest.approx(0.5) and region["n_documents"] == 2
    same = frame.loc[("same_grade", "caseloads")]
    assert (same["n_councils"], same["n_councils_with_text"], same["n_councils_not_enough_evidence"]) == (2, 1, 1)
    assert pd.isna(frame.loc[("neighbours", "caseloads"), "reading"])  # groups have counts, not one reading


def test_improvement_journey_and_when_each_theme_stopped(mem):
    frame = db.query(mem, "mart_improvement_journeys", as_of=LATE).set_index("theme_id")
    assert set(frame["journey_id"]) == {"C1>C3"}  # D was inadequate but has no later inspection
    assert frame["status"].to_dict() == {
        "timeliness": "stopped", "leadership": "stopped", "assessment_quality": "stopped",
        "caseloads": "still_raised", "supervision": "still_raised",
    }  # fmt: skip
    assert frame.loc["timeliness", "stopped_visit_id"] == "C2" and frame.loc["timeliness", "months_to_stop"] == 13
    assert frame.loc["leadership", "stopped_reading"] == "mixed" and frame.loc["leadership", "is_raised_again"]
    assert frame.loc["assessment_quality", "stopped_visit_id"] == "C3"
    assert (
        frame.loc["assessment_quality", "months_to_stop"] == 33 and frame.loc["assessment_quality", "stop_order"] == 2
    )
    assert frame.loc["timeliness", "stop_order"] == frame.loc["leadership", "stop_order"] == 1
    row = frame.loc["timeliness"]
    assert row["from_evidence_text"] == "Synthetic concern about timeliness (C1)."
    assert row["stopped_evidence_text"] == "Synthetic strength about timeliness (C2)."
    assert row["from_evidence_url"].startswith("https://example.org/C1.pdf#page=")
    assert (row["from_grade"], row["to_grade"], row["months_to_next_grade"]) == (
        "inadequate",
        "requires_improvement",
        33,
    )
    assert len(db.query(mem, "mart_improvement_journeys", as_of="2018-06-30")) == 0  # C3 not published yet


def test_journey_themes_summarise_across_journeys(mem):
    frame = db.query(mem, "mart_journey_themes", as_of=LATE).set_index("theme_id")
    assert frame.loc["timeliness", "n_journeys_first"] == 1 and frame.loc["timeliness", "median_months_to_stop"] == 13
    assert frame.loc["supervision", "n_journeys_still_raised"] == 1
    assert frame.loc["supervision", "councils"] == "Council 1"
    assert list(frame.index[:2]) == ["leadership", "timeliness"]  # first to stop, then by name


def test_a_theme_raised_after_the_inadequate_inspection_but_not_read_at_the_next_is_still_raised():
    # front door, made a concern at C2 (3 concerns) on top of C1, and not mentioned at C3: its last reading raised it
    plan = {**PLAN, "C1": (*PLAN["C1"][:5], {**PLAN["C1"][5], "front_door": "ccc"}, PLAN["C1"][6])}
    plan["C2"] = (*PLAN["C2"][:5], {**PLAN["C2"][5], "front_door": "ccc"}, PLAN["C2"][6])
    con = _corpus(plan)
    try:
        frame = db.query(con, "mart_improvement_journeys", as_of=LATE).set_index("theme_id")
    finally:
        con.close()
    assert frame.loc["front_door", "status"] == "still_raised"
    assert frame.loc["caseloads", "status"] == "still_raised"
