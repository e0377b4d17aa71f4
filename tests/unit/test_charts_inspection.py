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


def theme_frame() -> pd.DataFrame:
    rows = []
    for visit_id, date, vtype, balances in [
        ("v1", "2016-01-11", "sif_inspection", {"supervision": -0.5, "caseloads": -0.25}),
        ("v3", "2018-10-29", "ilacs_standard", {"supervision": 0.2, "caseloads": -0.1}),
        ("v4", "2025-10-21", "focused_visit", {"supervision": -0.1}),
    ]:
        for theme_id, net in balances.items():
            rows.append(
                {
                    "la_id_gss": "E08000027",
                    "visit_id": visit_id,
                    "visit_date": TS(date),
                    "visit_type": vtype,
                    "visit_title": vtype,
                    "theme_id": theme_id,
                    "theme_label": theme_id.capitalize(),
                    "n_strength": 1,
                    "n_improving": 0,
                    "n_concern": 2,
                    "n_neutral": 0,
                    "n_coded": 3,
                    "n_units_in_visit": 10,
                    "n_recommendations": 0,
                    "net_balance": net,
                    "evidence_basis": "sentences",
                    "is_mentioned": True,
                }
            )
    return pd.DataFrame(rows)


def trajectory_frame() -> pd.DataFrame:
    frame = theme_frame()
    extra = frame.iloc[[0]].assign(
        theme_id="caseloads", theme_label="Caseloads", visit_id="v4", visit_date=TS("2025-10-21"), is_mentioned=False
    )
    extra["net_balance"] = None
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
            "n_concern_total": [5, 2, 1],
            "n_recommendations_total": [1, 0, 0],
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
    assert "2 visits were not graded" in reading


def test_timeline_keeps_ungraded_visits():
    data = theme.table(inspection.visit_timeline(timeline_frame()))
    assert set(data["grade"]) == {"inadequate", "ungraded", "requires_improvement"}


def test_heatmap_reading():
    text = inspection.reading_theme_by_visit(theme_frame())
    assert text.startswith("At the latest visit (Oct 2025), concerns outweighed strengths on 1 of 1 themes")
    assert inspection.title_theme_by_visit(theme_frame()) == (
        "Oct 2025: concerns outweighed strengths on 1 of 1 themes mentioned"
    )


def test_trajectory_readings_count_direction():
    assert inspection.title_trajectories(trajectory_frame()) == (
        "2 of 2 themes moved towards strengths across visits, 0 towards concerns"
    )
    sentence = inspection.reading_theme(trajectory_frame(), "supervision")
    assert sentence == (
        "Supervision was mentioned at 3 visits: more concerns than strengths in Jan 2016 (-0.50), "
        "more concerns than strengths in Oct 2025 (-0.10)."
    )


def test_recurring_reading():
    assert inspection.reading_recurring(recurring_frame()) == (
        "2 themes were raised as concerns at two or more visits; 1 persists with no improvement at the latest visit "
        "(supervision)."
    )


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
