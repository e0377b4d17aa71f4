"""Measure charts on small synthetic frames shaped like the marts' output (made up, not real figures)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from analysis.charts import measures as charts
from analysis.charts import theme


def _bench() -> pd.DataFrame:
    rows = []
    for year, value, mean in [(2023, 17.8, 16.0), (2024, 17.6, 16.2), (2025, 19.5, 16.5)]:
        rows.append({
            "la_id_gss": "E08000027", "la_name": "Testshire", "measure": "caseload_per_fte", "label": "Caseload",
            "unit": "cases per FTE", "is_higher_better": False, "period_end": dt.date(year, 9, 30), "value": value,
            "neighbour_mean": mean, "n_neighbours_with_data": 10, "region_name": "West Midlands",
            "region_value": 15.3, "england_value": 15.2, "rank_position": 144, "n_ranked": 149, "quartile_band": "D",
        })  # fmt: skip
    return pd.DataFrame(rows)


def test_benchmark_title_states_the_finding_and_keeps_data() -> None:
    chart = charts.benchmark(_bench())
    spec = chart.to_dict()
    assert spec["title"]["text"].startswith("Testshire: caseload 19.5 in 2025, above its neighbours' 16.5")
    assert "England's 15.2" in spec["title"]["text"]
    assert spec["description"]
    data = theme.table(chart)
    assert set(data["series"]) == {"Council", "Statistical neighbours (mean)", "Region", "England"}
    assert len(data) == 12


def test_comparators_counts_better_neighbours() -> None:
    areas = (
        [("Testshire", "council", 0, 20.0, "ok")]
        + [
            (f"N{i}", "neighbour", i, v, s)
            for i, (v, s) in enumerate([(10, "ok"), (25, "ok"), (None, "suppressed")], 1)
        ]
        + [("Region", "region", 11, 16.0, "ok"), ("England", "england", 12, 15.0, "ok")]
    )
    frame = pd.DataFrame(
        [{"measure": "m", "label": "Caseload", "unit": "cases", "is_higher_better": False,
          "period_end": dt.date(2025, 9, 30), "area_name": a, "area_role": r, "area_order": o, "value": v, "status": s}
         for a, r, o, v, s in areas]
    )  # fmt: skip
    spec = charts.comparators(frame).to_dict()
    assert spec["title"]["text"].endswith("1 of 2 neighbours with data do better")
    assert "not published (suppressed)" in json.dumps(spec)


def _theme_rows(dates: list[dt.date], concern: list[int], judging: list[int], readings: list[str]) -> pd.DataFrame:
    """Synthetic mart_theme_trajectory rows of one theme (made-up counts, intervals roughly as Wilson 90%)."""
    shares = [k / n for k, n in zip(concern, judging, strict=True)]
    return pd.DataFrame({
        "theme_id": "caseloads", "theme_label": "Caseloads", "visit_id": [f"v{i}" for i in range(len(dates))],
        "visit_date": dates, "visit_title": [f"visit {i}" for i in range(len(dates))], "is_mentioned": True,
        "n_concern_or_improving": concern, "n_evaluative": judging, "n_concern": concern,
        "n_improving": 0, "n_strength": [n - k for k, n in zip(concern, judging, strict=True)], "n_neutral": 0,
        "n_recommendations": 0, "concern_share": shares, "concern_share_low": [max(0, p - 0.3) for p in shares],
        "concern_share_high": [min(1, p + 0.3) for p in shares], "reading": readings, "evidence_basis": "sentences",
    })  # fmt: skip


def test_triangulation_puts_both_on_one_date_axis() -> None:
    themes = _theme_rows(
        [dt.date(2016, 1, 8), dt.date(2022, 11, 11), dt.date(2025, 10, 10)],
        [2, 4, 5],
        [3, 4, 5],
        ["mixed", "mostly_concerns", "mostly_concerns"],
    )
    measures = pd.concat(
        [_bench(), _bench().assign(measure="turnover", label="Turnover", unit="%", value=[31.7, 24.6, 34.9])]
    )
    chart = charts.triangulation(themes, measures)
    spec = chart.to_dict()
    assert len(spec["vconcat"]) == 3  # theme panel + one per measure
    assert spec["resolve"]["scale"]["x"] == "shared"
    assert "reading mostly concerns in October 2025 (5 of 5 sentences not yet good)" in spec["title"]["text"]
    domains = json.dumps(spec)
    assert '"year": 2016' in domains and '"year": 2025' in domains
    assert '"field": "concern_share_low"' in domains  # the interval is drawn


def test_triangulation_without_anything_is_an_error() -> None:
    with pytest.raises(ValueError):
        charts.triangulation(pd.DataFrame(columns=["theme_id", "visit_date", "concern_share"]), _bench().iloc[0:0])


def test_local_targets_title_names_the_target() -> None:
    frame = pd.DataFrame({
        "measure": ["supervision_in_timescale_pct"] * 2, "team": ["All teams"] * 2,
        "period_end": [dt.date(2025, 12, 31), dt.date(2026, 3, 31)], "value": [78.0, 81.5], "target": [90.0, 90.0],
    })  # fmt: skip
    spec = charts.local_targets(frame).to_dict()
    assert spec["title"]["text"] == "Supervision in timescale pct: 81.5 at 31 March 2026 against a target of 90"


def test_triangulation_data_table_holds_both_series():
    """Synthetic rows: the table behind the chart has the inspection points, with counts, and every measure value."""
    trajectory = _theme_rows(
        [dt.date(2018, 11, 9), dt.date(2025, 10, 22)], [1, 4], [4, 5], ["mixed", "mostly_concerns"]
    )
    values = pd.DataFrame(
        {
            "measure": ["caseload_fte"] * 3,
            "label": ["Caseload per FTE"] * 3,
            "unit": ["cases"] * 3,
            "period_end": ["2023-09-30", "2024-09-30", "2025-09-30"],
            "value": [17.8, 17.6, 19.5],
        }
    )
    data = theme.table(charts.triangulation(trajectory, values, theme_id="caseloads"))
    assert len(data) == 5
    assert sorted(data["value"].round(2)) == [0.25, 0.8, 17.6, 17.8, 19.5]
    assert set(data["count"].dropna()) == {"1/4", "4/5"}
