"""The official importers over the real files in ../shared/data/official, the committed extract, and the benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import build, config, db
from analysis.ingest import official

# PUDL-style baselines: council rows per published year, counted in the files (CSWW combines four councils into
# two rows: 'E06000061 / E06000062' North and West Northamptonshire, 'E09000021 / E09000027' Kingston and Richmond).
CSWW_LA_ROWS = {2017: 151, 2018: 151, 2019: 150, 2020: 150, 2021: 150, 2022: 150, 2023: 151, 2024: 151, 2025: 151}
CIN_LA_ROWS = {2013: 152, 2019: 152, 2020: 151, 2021: 151, 2022: 152, 2023: 152, 2024: 153, 2025: 153}
CLA_LA_ROWS = {2021: 155, 2022: 155, 2023: 155, 2024: 155, 2025: 155}
CSWW = ["caseload_per_fte", "turnover_rate_fte", "agency_rate_fte", "vacancy_rate_fte", "absence_rate_fte"]


@pytest.fixture(scope="module")
def measures(shared_dir: Path) -> pd.DataFrame:
    return official.import_measures(shared_dir / "data" / "official")


def _la_rows_per_year(frame: pd.DataFrame, measure: str) -> dict[int, int]:
    rows = frame[(frame["measure"] == measure) & (frame["geographic_level"] == "la")]
    return rows.groupby(pd.to_datetime(rows["period_end"]).dt.year).size().to_dict()


@pytest.mark.parametrize("measure", CSWW)
def test_csww_every_council_every_year(measures: pd.DataFrame, measure: str) -> None:
    assert _la_rows_per_year(measures, measure) == CSWW_LA_ROWS


def test_cin_and_cla_rows_per_year(measures: pd.DataFrame) -> None:
    cin = _la_rows_per_year(measures, "rereferral_rate")
    assert {y: cin[y] for y in CIN_LA_ROWS} == CIN_LA_ROWS and set(cin) == set(range(2013, 2026))
    assert _la_rows_per_year(measures, "placement_moves_3plus_rate") == CLA_LA_ROWS


def test_every_current_council_has_a_value_or_a_reason(measures: pd.DataFrame, repo_root: Path) -> None:
    councils = set(pd.read_csv(repo_root / "data" / "seeds" / "councils.csv", dtype=str)["la_id_gss"])
    latest = measures[(measures["measure"] == "rereferral_rate") & (measures["period_end"] == dt.date(2025, 3, 31))]
    assert councils <= set(latest["la_id_gss"])
    csww = set(
        measures[(measures["measure"] == "caseload_per_fte") & (measures["period_end"] == dt.date(2025, 9, 30))][
            "la_id_gss"
        ]
    )
    assert councils - csww == {"E06000061", "E06000062", "E09000021", "E09000027"}  # published combined


@pytest.mark.parametrize(
    ("area", "measure", "value"),
    [
        ("E08000027", "caseload_per_fte", 19.5),
        ("E08000027", "turnover_rate_fte", 34.9),
        ("E08000027", "agency_rate_fte", 14.5),
        ("E92000001", "caseload_per_fte", 15.2),
        ("E92000001", "turnover_rate_fte", 11.8),
        ("E92000001", "agency_rate_fte", 13.0),
        ("E12000005", "caseload_per_fte", 15.3),
    ],
)
def test_known_2025_workforce_figures(measures: pd.DataFrame, area: str, measure: str, value: float) -> None:
    row = measures[(measures["la_id_gss"] == area) & (measures["measure"] == measure)]
    assert row.set_index("period_end").loc[dt.date(2025, 9, 30), "value"] == value


def test_known_cin_and_cla_figures(measures: pd.DataFrame) -> None:
    dudley = measures[measures["la_id_gss"] == "E08000027"].set_index(["measure", "period_end"])["value"]
    assert dudley[("rereferral_rate", dt.date(2025, 3, 31))] == 22.5
    assert dudley[("repeat_cp_plan_rate", dt.date(2025, 3, 31))] == 27.6
    assert dudley[("s47_enquiries", dt.date(2025, 3, 31))] == 1309
    assert dudley[("cla_per_10k", dt.date(2025, 3, 31))] == 81
    assert dudley[("cin_at_31_march", dt.date(2025, 3, 31))] == 2443


def test_suppressed_values_stay_missing(measures: pd.DataFrame) -> None:
    not_ok = measures[measures["status"] != "ok"]
    assert len(not_ok) > 100 and not_ok["value"].isna().all()
    assert set(not_ok["status"]) >= {"suppressed", "not_available", "not_applicable"}
    assert (measures.loc[measures["status"] == "suppressed", "status_code"] == "c").all()
    assert measures.loc[measures["status"] == "ok", "value"].notna().all()


def test_ofsted_outcomes_cover_every_council(shared_dir: Path) -> None:
    outcomes = official.import_outcomes(shared_dir / "data" / "official")
    ilacs = outcomes[outcomes["inspection_type"].isin(["ilacs_standard", "ilacs_short"])]
    assert ilacs["la_id_gss"].nunique() >= 150
    dudley = ilacs[(ilacs["la_id_gss"] == "E08000027") & (ilacs["judgement_area"] == "overall_effectiveness")]
    assert dudley.set_index("inspection_start")["grade"].to_dict() == {
        dt.date(2018, 10, 29): "requires_improvement",
        dt.date(2022, 10, 31): "requires_improvement",
    }
    fv = outcomes[(outcomes["la_id_gss"] == "E08000027") & (outcomes["inspection_type"] == "focused_visit")]
    assert fv[["inspection_start", "visit_theme"]].values.tolist() == [[dt.date(2024, 2, 1), "Children in care"]]
    assert outcomes["visit_theme"].notna().sum() > 150


def test_extract_equals_what_the_importers_produce(shared_dir: Path, repo_root: Path, tmp_path: Path) -> None:
    official.write_extract(shared_dir / "data" / "official", tmp_path)
    for name in ("measures.csv", "ofsted_outcomes.csv", "catalogue.csv"):
        committed = (repo_root / "data" / "official_extract" / name).read_text(encoding="utf-8")
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, f"{name}: rerun the --extract command"


def test_registry_files_exist_with_their_sha256(shared_dir: Path, repo_root: Path) -> None:
    import hashlib

    registry = pd.read_csv(repo_root / "data" / "sources" / "official.csv", dtype=str)
    for row in registry.itertuples():
        path = shared_dir / "data" / row.cache_path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256, row.source_id


@pytest.fixture(scope="module")
def stage_db(shared_dir: Path) -> duckdb.DuckDBPyConnection:
    """Stages 1-3 and 7 only, from the full official files (the rest of the build is other engineers' stages)."""
    con = duckdb.connect()
    # use_cache=False: the build cache would otherwise be written into ../shared/data, which is read-only input
    ctx = build.BuildContext(cache=shared_dir / "data", log=lambda msg: None, use_cache=False)
    stages = [(n, t) for n, t in build.STAGES if n in ("sources", "councils", "official")]
    build.populate(con, ctx, stages=stages)
    yield con
    con.close()


def test_benchmark_mart_gives_dudley_neighbours_rank_and_quartile(stage_db) -> None:
    frame = db.query(stage_db, "mart_measure_benchmarks", la_id_gss="E08000027", as_of="2026-11-01")
    row = frame[(frame["measure"] == "caseload_per_fte") & frame["is_latest"]].iloc[0]
    assert pd.Timestamp(row["period_end"]).date() == dt.date(2025, 9, 30)
    assert row["neighbour_mean"] == pytest.approx(16.49)  # mean of the ten 2025 neighbours' published values
    assert (row["n_neighbours_with_data"], row["n_neighbours_missing"]) == (10, 0)
    assert (row["rank_position"], row["n_ranked"], row["quartile_band"]) == (144, 149, "D")
    assert (row["region_value"], row["england_value"]) == (15.3, 15.2)
    assert row["change_on_year"] == pytest.approx(1.9) and row["direction_of_travel"] == "worsening"


def test_stage_uses_the_extract_when_nothing_is_fetched(tmp_path: Path) -> None:
    con = duckdb.connect()
    logs: list[str] = []
    ctx = build.BuildContext(cache=tmp_path, log=logs.append)
    build.populate(con, ctx, stages=[(n, t) for n, t in build.STAGES if n in ("sources", "councils", "official")])
    assert any("0 measure(s) from the full files" in line for line in logs)
    frame = db.query(con, "mart_measure_benchmarks", la_id_gss=config.DEFAULT_LA, as_of="2026-11-01")
    row = frame[(frame["measure"] == "turnover_rate_fte") & frame["is_latest"]].iloc[0]
    assert row["value"] == 34.9 and row["england_value"] == 11.8 and row["n_neighbours_with_data"] == 10
    assert pd.isna(row["rank_position"]) and pd.isna(row["quartile_band"])  # 11 councils are not the whole field
    con.close()


def test_d2i_history_adds_only_inspections_published_after_the_official_files(shared_dir: Path) -> None:
    outcomes = official.import_outcomes(shared_dir / "data" / "official")
    d2i = outcomes[outcomes["source_id"] == official.D2I_SOURCE]
    # counted in the file: 53 inspections published 2025-06-25 to 2026-08-20 that Ofsted's files (to 31 March 2025)
    # do not list; every earlier report matched an official inspection by publication or start date
    assert d2i.groupby(["la_id_gss", "published_date"]).ngroups == 53 and len(d2i) == 254
    assert d2i["published_date"].min() == dt.date(2025, 6, 25) and d2i["published_date"].max() == dt.date(2026, 8, 20)
    rotherham = d2i[d2i["la_id_gss"] == "E08000018"].set_index("judgement_area")
    assert rotherham["grade"].to_dict() == {
        "care_leavers": "good",
        "children_in_care": "outstanding",
        "help_and_protection": "outstanding",
        "leaders": "outstanding",
        "overall_effectiveness": "outstanding",
    }
    assert set(rotherham["published_date"]) == {dt.date(2025, 12, 16)}
    assert set(rotherham["inspection_type"]) == {"ilacs_short"}
    assert d2i[d2i["la_id_gss"] == "E08000027"].empty  # Dudley's 2026 report is not in this copy (see PROVENANCE)


def test_stage_takes_d2i_rows_from_the_extract_when_nothing_is_fetched(tmp_path: Path) -> None:
    con = duckdb.connect()
    ctx = build.BuildContext(cache=tmp_path, log=lambda msg: None)
    build.populate(con, ctx, stages=[(n, t) for n, t in build.STAGES if n in ("sources", "councils", "official")])
    outcomes = con.table("ofsted_outcomes").df()
    con.close()
    rotherham = outcomes[(outcomes["la_id_gss"] == "E08000018") & (outcomes["source_id"] == official.D2I_SOURCE)]
    assert rotherham.set_index("judgement_area").loc["overall_effectiveness", "grade"] == "outstanding"
    assert (rotherham["la_urn_ofsted"] == 80543).all()  # filled from councils as for the official rows
