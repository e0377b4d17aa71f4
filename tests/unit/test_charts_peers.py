"""Peers and journeys charts build from mart-shaped frames, validate against Vega-Lite and carry their counts.

The frames below are SYNTHETIC (shaped like mart_peer_themes, mart_peer_councils, mart_improvement_journeys).
"""

from __future__ import annotations

import json

import jsonschema
import pandas as pd
import pytest
from altair.vegalite.v6.schema import load_schema

from analysis.charts import peers, theme

TS = pd.Timestamp


def groups() -> pd.DataFrame:
    rows = [("council", "A", "Alpha </script>", True, 1), ("neighbours", "N1", "Near", True, 1)]
    rows += [("neighbours", "N2", "Far", False, 0), ("region", "R1", "Rim", True, 2)]
    return pd.DataFrame(
        [
            {
                "group_id": g, "la_id_gss": la, "la_name": name, "region_name": "Midlands", "neighbour_rank": 1,
                "latest_grade": "good", "latest_grade_date": TS("2024-01-01"),
                "text_visit_type": "ilacs_standard" if has else None, "text_visit_date": TS("2024-01-01"),
                "text_visit_grade": "good", "text_document_title": "Report", "n_text_documents": docs,
                "has_text": has,
            }
            for g, la, name, has, docs in rows
        ]
    )  # fmt: skip


def themes() -> pd.DataFrame:
    def row(group: str, theme_id: str, k: int, n: int, reading: str | None, raised: int, mentioning: int) -> dict:
        return {
            "group_id": group, "theme_id": theme_id, "theme_label": theme_id.title(), "reading": reading,
            "n_evaluative": n, "n_concern_or_improving": k, "n_concern": k, "concern_share": k / n,
            "concern_share_low": max(0.0, k / n - 0.3), "concern_share_high": min(1.0, k / n + 0.3),
            "n_councils_raised": raised, "n_councils_mentioning": mentioning, "n_councils_with_text": 1,
            "n_councils_named": raised, "n_councils_mostly_concerns": 0, "n_councils_mixed": mentioning - raised,
            "n_councils_mostly_strengths": 0, "n_councils_not_enough_evidence": 0,
        }  # fmt: skip

    return pd.DataFrame(
        [
            row("council", "supervision", 4, 4, "mostly_concerns", 1, 1),
            row("council", "caseloads", 1, 5, "mostly_strengths", 0, 1),
            row("neighbours", "supervision", 3, 10, None, 1, 1),
            row("region", "caseloads", 2, 4, None, 0, 1),
        ]
    )


def journeys() -> pd.DataFrame:
    base = {
        "la_id_gss": "A", "la_name": "Alpha", "journey_id": "j1", "from_visit_date": TS("2018-01-01"),
        "to_visit_date": TS("2021-01-01"), "to_grade": "good", "months_to_next_grade": 36,
        "stopped_visit_id": "v2", "stopped_evidence_document": "Letter", "stopped_evidence_page": 2,
    }  # fmt: skip
    return pd.DataFrame(
        [
            {**base, "theme_label": "Supervision", "status": "stopped", "months_to_stop": 12, "stop_order": 1,
             "stopped_reading": "mixed"},
            {**base, "theme_label": "Caseloads", "status": "still_raised", "months_to_stop": None,
             "stop_order": None, "stopped_reading": None},
        ]
    )  # fmt: skip


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("name", ["peers", "journeys"])
def test_chart_validates_and_states_its_finding(name, validator):
    chart = peers.peer_themes(themes(), groups()) if name == "peers" else peers.journey_stops(journeys())
    spec = chart.to_dict()
    validator.validate(spec)
    assert spec["title"]["text"] and spec["description"]
    assert "</script>" not in json.dumps(spec)
    assert len(theme.table(chart)) > 0


def test_peer_chart_shows_the_counts_and_how_many_councils_each_group_has():
    chart = peers.peer_themes(themes(), groups())
    data = theme.table(chart)
    assert set(data["group_label"]) == {
        "Alpha \uff1c/script\uff1e",
        "Neighbours: 1 of 2 with a report",
        "Region: 1 of 1 with a report",
    }
    labels = dict(zip(zip(data["group_id"], data["theme_id"], strict=True), data["count_text"], strict=True))
    assert labels[("council", "supervision")] == "4/4" and labels[("neighbours", "supervision")] == "1 of 1 raise"
    assert chart.to_dict()["title"]["text"] == (
        "Alpha \uff1c/script\uff1e raised 1 of 2 themes at its latest inspection with text; its neighbours raised 1 "
        "of those too"
    )


def test_journey_reading_names_each_journey():
    sentence = peers.reading_journeys(journeys())
    assert sentence.startswith("1 journey in the database went from inadequate to a better grade at the next "
                               "inspection: Alpha (Jan 2018 to Jan 2021, good after 36 months).")  # fmt: skip
    assert "(1 of 1 journeys): supervision." in sentence
    assert peers.reading_journeys(journeys().iloc[0:0]).startswith("No council in the database went from inadequate")
