"""Inspection charts build from mart-shaped frames, validate against Vega-Lite, state findings, carry alt text.

The frames below are SYNTHETIC (shaped like the marts' output); no row is a fact about a council.
"""

from __future__ import annotations

import json

import altair as alt
import jsonschema
import pandas as pd
import pytest
from altair.vegalite.v6.schema import load_schema

from analysis.charts import inspection, theme

TS = pd.Timestamp


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def timeline_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_id_gss": ["E08000027"] * 4,
            "la_name": ["Dudley"] * 4,
            "visit_id": ["v1", "v2", "v3", "v4"],
            "visit_type": ["sif_inspection", "monitoring_visit", "ilacs_standard", "focused_visit"],
            "title": ["SIF", "MV </script><b>x</b>", "ILACS", "FV"],
            "visit_date": [TS("2016-01-11"), TS("2017-02-21"), TS("2018-10-29"), TS("2025-10-21")],
            "published_date": [TS("2016-04-05"), None, TS("2018-12-10"), TS("2025-11-20")],
            "visible_from": [TS("2016-04-05"), TS("2017-03-31"), TS("2018-12-10"), TS("2025-11-20")],
            "grade": ["inadequate", "ungraded", "requires_improvement", "ungraded"],
            "grade_rank": [4, None, 3, None],
            "grade_label": ["Inadequate", "Not graded", "Requires improvement", "Not graded"],
            "is_graded": [True, False, True, False],
            "judgements": ["overall_effectiveness: inadequate", None, "leaders: good", None],
            "is_uncertain": [False, True, False, False],
            "url": ["https://example.org/a.pdf", None, "https://example.org/b.pdf", "https://example.org/c"],
        }
    )


# (reading, concerns, improving, strengths, recommendations) per theme and visit: the measure the marts compute
THEME_CELLS = {
    ("v1", "supervision"): ("mostly_concerns", 4, 0, 0, 0),
    ("v1", "caseloads"): ("named_for_improvement", 1, 0, 2, 1),
    ("v3", "supervision"): ("mostly_strengths", 0, 0, 5, 0),
    ("v3", "caseloads"): ("mixed", 2, 1, 2, 0),
    ("v4", "supervision"): ("not_enough_evidence", 1, 0, 1, 0),
}
# Wilson 90% intervals of the shares above, as asof_theme_readings computes them (two decimals are enough here)
INTERVALS = {(4, 4): (0.60, 1.0), (1, 3): (0.08, 0.75), (0, 5): (0.0, 0.35), (3, 5): (0.27, 0.86), (1, 2): (0.12, 0.88)}


def theme_frame() -> pd.DataFrame:
    rows = []
    visits = {"v1": ("2016-01-11", "sif_inspection"), "v3": ("2018-10-29", "ilacs_standard")}
    visits["v4"] = ("2025-10-21", "focused_visit")
    for (visit_id, theme_id), (reading, concern, improving, strength, recs) in THEME_CELLS.items():
        date, vtype = visits[visit_id]
        n = concern + improving + strength
        low, high = INTERVALS[(concern + improving, n)]
        rows.append(
            {
                "la_id_gss": "E08000027",
                "visit_id": visit_id,
                "visit_date": TS(date),
                "visit_type": vtype,
                "visit_title": vtype,
                "theme_id": theme_id,
                "theme_label": theme_id.capitalize(),
                "n_strength": strength,
                "n_improving": improving,
                "n_concern": concern,
                "n_neutral": 0,
                "n_coded": n,
                "n_evaluative": n,
                "n_concern_or_improving": concern + improving,
                "concern_share": (concern + improving) / n,
                "concern_share_low": low,
                "concern_share_high": high,
                "n_recommendations": recs,
                "is_named_for_improvement": recs > 0,
                "reading": reading,
                "reading_rank": {"named_for_improvement": 3, "mostly_concerns": 3, "mixed": 2}.get(
                    reading, 1 if reading == "mostly_strengths" else None
                ),
                "evidence_basis": "sentences",
                "is_mentioned": True,
            }
        )
    return pd.DataFrame(rows)


def trajectory_frame() -> pd.DataFrame:
    frame = theme_frame()
    extra = frame.iloc[[0]].assign(
        theme_id="caseloads",
        theme_label="Caseloads",
        visit_id="v4",
        visit_date=TS("2025-10-21"),
        visit_type="focused_visit",
        is_mentioned=False,
        reading="not_mentioned",
        reading_rank=None,
        concern_share=None,
        concern_share_low=None,
        concern_share_high=None,
        n_evaluative=0,
        n_concern_or_improving=0,
    )
    return pd.concat([frame, extra], ignore_index=True)


def recurring_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "la_id_gss": ["E08000027"] * 3,
            "theme_id": ["supervision", "caseloads", "front_door"],
            "theme_label": ["Supervision", "Caseloads", "Front door"],
            "status": ["persistent", "resolved", "new"],
            "is_recurring": [True, True, False],
            "n_visits_raised": [3, 2, 1],
            "visits_raised": ["v1, v2, v4", "v1, v2", "v4"],
            "visit_dates_raised": ["2016-01-11, 2017-02-21, 2025-10-21", "2016-01-11, 2017-02-21", "2025-10-21"],
            "n_visits_named": [1, 0, 0],
            "n_concern_total": [5, 2, 1],
            "n_recommendations_total": [1, 0, 0],
            "is_raised_at_latest": [True, False, True],
            "reading_latest": ["mostly_concerns", "mostly_strengths", "named_for_improvement"],
            "latest_evidence_visit_id": ["v4"] * 3,
            "latest_evidence_visit_date": [TS("2025-10-21")] * 3,
        }
    )


def evidence_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "visit_id": ["v1", "v1", "v3", "v4"],
            "visit_date": [TS("2016-01-11"), TS("2016-01-11"), TS("2018-10-29"), TS("2025-10-21")],
            "visit_title": ["SIF", "SIF", "ILACS", "FV"],
            "theme_id": ["supervision"] * 4,
            "polarity": ["concern", "concern", "strength", "concern"],
            "evidence_kind": ["sentence", "sentence", "sentence", "analyst_finding"],
            "text": [
                "Supervision is infrequent.",
                "Managers do not record supervision " + "x" * 400,
                "Supervision is regular and reflective.",
                "Supervision still patchy.",
            ],
            "document_id": ["d1", "d1", "d3", None],
            "document_title": ["SIF report", "SIF report", "ILACS report", "News"],
            "page": [5, 6, 3, None],
            "passage_id": ["d1#s1", "d1#s2", "d3#s1", None],
            "url": ["https://e.org/d1.pdf#page=5", "https://e.org/d1.pdf#page=6", "https://e.org/d3#page=3", None],
            "is_counted": [True, True, True, True],
        }
    )


def all_charts() -> dict[str, alt.TopLevelMixin]:
    return {
        "timeline": inspection.visit_timeline(timeline_frame()),
        "timeline_events": inspection.visit_timeline(
            timeline_frame(),
            pd.DataFrame({"event_date": [TS("2016-04-05")], "title": ["Direction issued"]}),
        ),
        "heatmap": inspection.theme_by_visit_heatmap(theme_frame()),
        "trajectories": inspection.theme_trajectories(trajectory_frame()),
        "recurring": inspection.recurring_concerns(recurring_frame()),
        "theme_evidence": inspection.theme_evidence(trajectory_frame(), evidence_frame(), "supervision"),
    }


@pytest.mark.parametrize("name", list(all_charts()))
def test_chart_validates_against_vega_lite(name, validator):
    spec = all_charts()[name].to_dict()  # altair validates here too
    validator.validate(spec)
    assert "$schema" in spec and spec["$schema"] == alt.SCHEMA_URL
    assert "url" not in json.dumps(spec.get("data", {}))  # data inline, never fetched


@pytest.mark.parametrize("name", list(all_charts()))
def test_chart_has_finding_title_description_and_table(name):
    chart = all_charts()[name]
    spec = chart.to_dict()
    assert spec["title"]["text"] and spec["description"]
    assert any(ch.isdigit() for ch in spec["title"]["text"] + spec["description"])  # a finding carries a number
    assert len(theme.table(chart)) > 0


def test_document_text_cannot_break_a_page():
    spec = json.dumps(inspection.visit_timeline(timeline_frame()).to_dict())
    assert "</script>" not in spec and "<b>" not in spec


def test_timeline_title_states_the_latest_judgement():
    chart = inspection.visit_timeline(timeline_frame())
    title = chart.to_dict()["title"]["text"]
    assert title == "Latest graded inspection (Oct 2018): requires improvement, up from inadequate in Jan 2016"
    reading = inspection.reading_timeline(timeline_frame())
    assert reading.startswith("Dudley had 4 visits between Jan 2016 and Oct 2025")
    assert "2 visits gave no grade" in reading


def test_a_grade_not_read_is_neither_ungraded_nor_hidden_behind_an_older_grade():
    frame = timeline_frame()
    # the 2025 visit made a graded inspection whose grade was not read (synthetic)
    frame.loc[3, ["visit_type", "grade", "grade_label"]] = ["ilacs_standard", "not_recorded", "Grade not read"]
    reading = inspection.reading_timeline(frame)
    assert "1 visit gave no grade; the grade of 1 graded inspection was not read" in reading
    assert "the latest inspection with a grade read (Oct 2018) found it requires improvement" in reading
    title = inspection.title_timeline(frame)
    assert title.startswith("Latest graded inspection (Oct 2025): grade not read; before it (Oct 2018)")


def test_timeline_keeps_ungraded_visits():
    data = theme.table(inspection.visit_timeline(timeline_frame()))
    assert set(data["grade"]) == {"inadequate", "ungraded", "requires_improvement"}


def test_heatmap_reading_lists_what_it_counts():
    text = inspection.reading_theme_by_visit(theme_frame())
    assert text == (
        "At the latest visit, the focused visit of Oct 2025, 1 theme was mentioned: 1 had too few judging "
        "sentences to read."
    )
    v3 = theme_frame()[lambda f: f["visit_id"] != "v4"]
    assert inspection.reading_theme_by_visit(v3) == (
        "At the latest visit, the ILACS standard inspection of Oct 2018, 2 themes were mentioned: 1 read mixed and "
        "1 read mostly strengths."
    )
    assert inspection.title_theme_by_visit(v3) == (
        "Oct 2018 ILACS: 0 of 2 themes raised as concerns (0 named for improvement), 1 mostly strengths"
    )


def test_heatmap_names_the_latest_visit_apart_when_it_has_no_evidence():
    timeline = timeline_frame()  # its latest visit, v4 (Oct 2025), is not in the theme frame below
    early = theme_frame()[lambda f: f["visit_id"] == "v1"]
    text = inspection.reading_theme_by_visit(early, timeline)
    assert text.startswith(
        "The latest visit, the focused visit of Oct 2025, has no coded text or analysts' findings yet. At the latest "
        "visit with evidence, the single inspection framework (SIF) inspection of Jan 2016, 2 themes were mentioned: "
        "1 named in the visit's improvement points (caseloads) and 1 read mostly concerns (supervision)."
    )
    assert inspection.title_theme_by_visit(early, timeline).startswith("Latest visit with evidence (Jan 2016 SIF):")


def test_heatmap_cells_show_counts_and_mark_named_themes():
    spec = inspection.theme_by_visit_heatmap(theme_frame()).to_dict()
    # the text's colour scale is its own: shared with the fills, the counts were drawn in the fill colour, unseen
    assert spec["resolve"]["scale"]["color"] == "independent"
    data = theme.table(inspection.theme_by_visit_heatmap(theme_frame()))
    cells = dict(zip(zip(data["visit_id"], data["theme_id"], strict=True), data["cell_text"], strict=True))
    assert cells[("v1", "caseloads")] == "1/3!"  # named for improvement, whatever its count
    assert cells[("v1", "supervision")] == "4/4"
    assert set(data.loc[data["reading"] == "not_enough_evidence", "share_text"]) == {"too few to say"}


def test_trajectory_readings_count_direction():
    assert inspection.title_trajectories(trajectory_frame()) == (
        "2 of 2 themes read fewer concerns at their latest reading than their first, 0 more"
    )
    sentence = inspection.reading_theme(trajectory_frame(), "supervision")
    assert sentence == (
        "Supervision was read at 2 visits; 1 more mentioned it with too few judging sentences to read. At the single "
        "inspection framework (SIF) inspection of Jan 2016: mostly concerns: 4 of 4 sentences judging it found it not "
        "yet good (4 concerns). At the ILACS standard inspection of Oct 2018: mostly strengths: 0 of 5 sentences "
        "judging it found it not yet good."
    )


def test_a_named_theme_is_never_called_a_strength():
    sentence = inspection.reading_theme(trajectory_frame(), "caseloads")
    assert "named in the visit's improvement points; 1 of 3 sentences" in sentence
    assert "strength" not in sentence.split("Oct 2018")[0]


def test_recurring_reading_lists_every_persistent_theme():
    assert inspection.reading_recurring(recurring_frame()) == (
        "2 themes were raised as concerns at two or more visits; 1 is still raised at the latest visit with evidence "
        "(Oct 2025) (supervision)."
    )


def test_trajectories_draw_the_interval_and_the_count():
    spec = json.dumps(inspection.theme_trajectories(trajectory_frame()).to_dict())
    assert '"field": "concern_share_low"' in spec and '"field": "concern_share_high"' in spec
    assert '"field": "count_text"' in spec
    data = theme.table(inspection.theme_trajectories(trajectory_frame()))
    assert "not_mentioned" not in set(data["reading"])  # silence is not plotted as a score


def test_theme_evidence_tooltips_carry_the_sentences():
    spec = inspection.theme_evidence(trajectory_frame(), evidence_frame(), "supervision").to_dict()
    rows = [row for values in spec["datasets"].values() for row in values]
    quotes = [row["quote"] for row in rows if "quote" in row]
    assert "Supervision is infrequent." in quotes
    long_quote = next(q for q in quotes if q.startswith("Managers"))
    assert len(long_quote) <= inspection.TOOLTIP_CHARS and long_quote.endswith("\u2026")
    tooltip_fields = json.dumps(spec["vconcat"][1])
    assert '"field": "quote"' in tooltip_fields and '"href"' in tooltip_fields
    where = {row["where"] for row in rows if "where" in row}
    assert "SIF report, page 5" in where


def test_empty_frames_still_build():
    empty_timeline = timeline_frame().iloc[0:0]
    assert "No graded inspection" in inspection.visit_timeline(empty_timeline).to_dict()["title"]["text"]
    assert inspection.reading_recurring(recurring_frame().iloc[0:0]).startswith("No theme")
    inspection.theme_by_visit_heatmap(theme_frame().iloc[0:0]).to_dict()
