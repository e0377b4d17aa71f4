"""mart_measure_benchmarks and mart_measure_comparators on small inline tables (synthetic figures, not real ones)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from analysis import db

A, B = "E08000001", "E08000002"  # the councils under test; N1..N4 their neighbours, X others
N = ["E08000011", "E08000012", "E08000013", "E08000014"]
X = ["E08000021", "E08000022", "E08000023"]
REGION, ENGLAND = "E12000005", "E92000001"


def _measure(measure: str, area: str, year: int, value: float | None, level: str = "la") -> dict:
    end = dt.date(year, 9, 30)
    return {
        "measure": measure, "la_id_gss": area, "geographic_level": level, "period_start": end, "period_end": end,
        "value": value, "numerator": None, "denominator": None, "status": "ok" if value is not None else "suppressed",
        "status_code": None if value is not None else "c", "source_id": "synthetic",
    }  # fmt: skip


STABILITY = {A: 70, N[0]: 60, X[0]: 80, B: 90, N[1]: 65, N[2]: 75}


def _connect(stability: dict[str, float]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    councils = [
        {"la_id_gss": c, "la_id_dfe": 900 + i, "la_urn_ofsted": None, "la_name": c, "region_id_gss": REGION,
         "region_name": "West Midlands", "la_type": "metropolitan_district", "source_id": "synthetic"}
        for i, c in enumerate([A, B, *N, *X])
    ]  # fmt: skip
    db.append(con, "councils", pd.DataFrame(councils))
    neighbours = [
        {"la_id_gss": A, "model": "2025", "neighbour_rank": i + 1, "neighbour_la_id_gss": n, "closeness": None,
         "source_id": "synthetic"}
        for i, n in enumerate(N)
    ] + [{"la_id_gss": A, "model": "2021", "neighbour_rank": 1, "neighbour_la_id_gss": X[0], "closeness": None,
          "source_id": "synthetic"}]  # fmt: skip
    db.append(con, "stat_neighbours", pd.DataFrame(neighbours))
    catalogue = [
        {"measure": "caseload", "label": "Caseload", "unit": "cases", "is_higher_better": False, "publication": "p",
         "source_id": "synthetic", "theme_ids": "caseloads"},
        {"measure": "stability", "label": "Stability", "unit": "%", "is_higher_better": True, "publication": "p",
         "source_id": "synthetic", "theme_ids": "children_in_care"},
        {"measure": "count", "label": "Count", "unit": "n", "is_higher_better": None, "publication": "p",
         "source_id": "synthetic", "theme_ids": ""},
    ]  # fmt: skip
    db.append(con, "measure_catalogue", pd.DataFrame(catalogue))
    rows = []
    # 2025 caseloads: A=20, neighbours 10, 20, 30 and one suppressed; X 5, 20, 40; B 12
    values = {A: 20, N[0]: 10, N[1]: 20, N[2]: 30, N[3]: None, X[0]: 5, X[1]: 20, X[2]: 40, B: 12}
    rows += [_measure("caseload", k, 2025, v) for k, v in values.items()]
    rows += [_measure("caseload", A, 2024, 18), _measure("caseload", REGION, 2025, 16, "region")]
    rows += [_measure("caseload", ENGLAND, 2025, 15, "national"), _measure("caseload", A, 2026, 99)]
    rows += [_measure("stability", k, 2025, v) for k, v in stability.items()]
    rows += [_measure("count", A, 2025, 100), _measure("count", A, 2024, 120)]
    db.append(con, "measures", pd.DataFrame(rows))
    return con


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = _connect(STABILITY)
    yield con
    con.close()


def _bench(con, la: str = A, as_of: str = "2026-01-01") -> pd.DataFrame:
    frame = db.query(con, "mart_measure_benchmarks", la_id_gss=la, as_of=as_of)
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame.set_index(["measure", "period_end"])


def test_neighbour_mean_excludes_and_counts_missing(con) -> None:
    row = _bench(con).loc[("caseload", dt.date(2025, 9, 30))]
    assert row["neighbour_mean"] == pytest.approx(20.0)  # (10 + 20 + 30) / 3, the suppressed one left out
    assert (row["n_neighbours_with_data"], row["n_neighbours_missing"]) == (3, 1)
    assert (row["region_value"], row["england_value"]) == (16, 15)


def test_rank_respects_direction_and_ties(con) -> None:
    row = _bench(con).loc[("caseload", dt.date(2025, 9, 30))]
    # lower is better: 5, 10, 12, then A, N1 and X1 tie on 20 -> all rank 4 of 8 with data
    assert (row["rank_position"], row["n_ranked"]) == (4, 8)
    assert row["quartile_band"] == "B"  # (4 - 1) / 8 = 0.375
    stab = _bench(con).loc[("stability", dt.date(2025, 9, 30))]
    assert (stab["rank_position"], stab["n_ranked"], stab["quartile_band"]) == (4, 6, "C")  # higher is better
    tied = _bench(con, la=X[1]).loc[("caseload", dt.date(2025, 9, 30))]
    assert tied["rank_position"] == 4


def test_change_and_direction_of_travel(con) -> None:
    frame = _bench(con)
    row = frame.loc[("caseload", dt.date(2025, 9, 30))]
    assert (row["previous_value"], row["change_on_year"], row["direction_of_travel"]) == (18, 2, "worsening")
    count = frame.loc[("count", dt.date(2025, 9, 30))]
    assert (
        count["direction_of_travel"] == "down" and pd.isna(count["rank_position"]) and pd.isna(count["quartile_band"])
    )


def test_as_of_hides_later_periods_and_marks_latest(con) -> None:
    frame = _bench(con, as_of="2026-01-01")
    assert dt.date(2026, 9, 30) not in frame.index.get_level_values("period_end")
    assert frame.loc[("caseload", dt.date(2025, 9, 30)), "is_latest"]
    later = _bench(con, as_of="2026-12-31")
    assert later.loc[("caseload", dt.date(2026, 9, 30)), "is_latest"]
    early = _bench(con, as_of="2025-06-30")
    assert set(early.index.get_level_values("period_end")) == {dt.date(2024, 9, 30)}


def test_another_council_without_neighbours(con) -> None:
    row = _bench(con, la=B).loc[("caseload", dt.date(2025, 9, 30))]
    assert pd.isna(row["neighbour_mean"]) and row["n_neighbours_with_data"] == 0
    assert (row["rank_position"], row["quartile_band"]) == (3, "B")  # 12 is third lowest of 8


def test_comparators_list_every_area_with_gaps(con) -> None:
    frame = db.query(con, "mart_measure_comparators", la_id_gss=A, as_of="2026-01-01")
    one = frame[(frame["measure"] == "caseload") & (pd.to_datetime(frame["period_end"]) == "2025-09-30")]
    assert one["area_role"].tolist() == ["council", *["neighbour"] * 4, "region", "england"]
    missing = one[one["area_id_gss"] == N[3]].iloc[0]
    assert pd.isna(missing["value"]) and missing["status"] == "suppressed"


def test_no_rank_without_the_whole_field() -> None:
    con = _connect({k: v for k, v in STABILITY.items() if k not in (N[1], N[2])})
    stab = _bench(con).loc[("stability", dt.date(2025, 9, 30))]
    assert pd.isna(stab["rank_position"]) and pd.isna(stab["quartile_band"])  # 4 of 9 councils have a value
