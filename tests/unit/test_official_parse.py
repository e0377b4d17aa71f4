"""The official importers on small synthetic EES tables (made up in the tests, not real figures)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.ingest import official
from analysis.ingest.official import Councils, MeasureSpec

HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,new_la_code,la_name"
)


def _write(tmp_path: Path, name: str, extra_header: str, rows: list[str]) -> Path:
    path = tmp_path / "official" / "dfe-test" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([f"{HEADER},{extra_header}", *rows]) + "\n", encoding="utf-8")
    return path


def _row(year: str, level: str, code: str, old: str, values: str) -> str:
    region = "E12000005" if level != "National" else ""
    new = code if level == "Local authority" else ""
    return f"{year},Reporting year,{level},E92000001,England,{region},West Midlands,{old},{new},Synthetic,{values}"


def test_symbols_stay_missing_with_their_reason() -> None:
    frame = pd.DataFrame({"v": ["19.5", "c", "x", "z", "u", "low", "..", "", "1,181"]})
    value, status, code = official.parse_cells(frame, "v", "f.csv")
    assert value.iloc[0] == 19.5 and value.iloc[8] == 1181
    assert value.iloc[1:8].isna().all()  # never zero
    assert list(status) == [
        "ok", "suppressed", "not_available", "not_applicable", "low_reliability", "low", "not_available",
        "not_available", "ok",
    ]  # fmt: skip
    assert code.iloc[1] == "c" and code.iloc[7] is None and code.iloc[0] is None


def test_unparseable_cell_names_file_row_and_field() -> None:
    frame = pd.DataFrame({"v": ["1", "2", "n/a"]})
    with pytest.raises(InputError) as err:
        official.parse_cells(frame, "v", "f.csv")
    assert (err.value.file, err.value.row, err.value.field) == ("f.csv", 4, "v")


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("sep30", dt.date(2025, 9, 30), dt.date(2025, 9, 30)),
        ("year", dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
        ("mar31", dt.date(2025, 3, 31), dt.date(2025, 3, 31)),
    ],
)
def test_period_conventions(period: str, start: dt.date, end: dt.date) -> None:
    assert official.period_bounds(2025, period) == (start, end)


def test_import_measure_reads_levels_numerators_and_recodes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "w.csv",
        "caseload_fte,cases,case_holders",
        [
            _row("2025", "National", "", "", "15.2,300,20"),
            _row("2025", "Regional", "", "", "15.3,30,2"),
            _row("2025", "Local authority", "E08000016", "370", "c,c,c"),  # an old code, recoded below
            _row("2024", "Local authority", "E08000027", "332", "17.6,1594,90.6"),
        ],
    )
    spec = MeasureSpec(
        "caseload_per_fte", "src", "sep30", "caseload_fte", numerator="cases", denominator="case_holders"
    )
    councils = Councils({"370": "E08000038", "332": "E08000027"}, {}, frozenset({"E08000038", "E08000027"}))
    out = official.import_measure(tmp_path / "official", spec, {"src": "official/dfe-test/w.csv"}, councils)
    by_area = out.set_index("la_id_gss")
    assert set(by_area.index) == {"E92000001", "E12000005", "E08000038", "E08000027"}
    assert by_area.loc["E92000001", "geographic_level"] == "national"
    assert by_area.loc["E12000005", "geographic_level"] == "region"
    assert pd.isna(by_area.loc["E08000038", "value"]) and by_area.loc["E08000038", "status"] == "suppressed"
    assert by_area.loc["E08000027", ["value", "numerator", "denominator"]].tolist() == [17.6, 1594, 90.6]
    assert by_area.loc["E08000027", "period_end"] == dt.date(2024, 9, 30)


def test_denominator_from_a_total_row_and_rate_per_10k(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "p.csv",
        "group,breakdown,count,percent",
        [
            _row("2025", "Local authority", "E08000027", "332", "g,Moved,40,7"),
            _row("2025", "Local authority", "E08000027", "332", "g,Total children,575,100"),
        ],
    )
    spec = MeasureSpec(
        "moves", "src", "year", "percent", where=(("breakdown", "Moved"),), numerator="count",
        denominator="count", total_where=(("breakdown", "Total children"),),
    )  # fmt: skip
    out = official.import_measure(tmp_path / "official", spec, {"src": "official/dfe-test/p.csv"})
    assert out[["value", "numerator", "denominator"]].iloc[0].tolist() == [7, 40, 575]
    assert (out["period_start"].iloc[0], out["period_end"].iloc[0]) == (dt.date(2024, 4, 1), dt.date(2025, 3, 31))

    _write(tmp_path, "r.csv", "referral_count", [_row("2025", "Local authority", "E08000027", "332", "3412")])
    _write(
        tmp_path,
        "pop.csv",
        "age_group,population_estimate",
        [_row("2024", "Local authority", "E08000027", "332", "0-17,71124")],
    )
    registry = {"src": "official/dfe-test/r.csv", official.POPULATION_SOURCE: "official/dfe-test/pop.csv"}
    spec = MeasureSpec("referrals_per_10k", "src", "year", "referral_count", per_10k_of="population_0_17")
    out = official.import_measure(tmp_path / "official", spec, registry)
    # the year to 31 March 2025 uses the mid-2024 population, as DfE does
    assert out[["value", "numerator", "denominator"]].iloc[0].tolist() == [479.7, 3412, 71124]


def test_bad_time_period_and_unknown_level_are_named(tmp_path: Path) -> None:
    _write(tmp_path, "b.csv", "v", [_row("2025/26", "Local authority", "E08000027", "332", "1")])
    spec = MeasureSpec("m", "src", "year", "v")
    with pytest.raises(InputError) as err:
        official.import_measure(tmp_path / "official", spec, {"src": "official/dfe-test/b.csv"})
    assert (err.value.row, err.value.field) == (2, "time_period")
    _write(tmp_path, "l.csv", "v", [_row("2025", "Ward", "E08000027", "332", "1")])
    with pytest.raises(InputError, match="geographic_level"):
        official.import_measure(tmp_path / "official", spec, {"src": "official/dfe-test/l.csv"})


def test_catalogue_rejects_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.yaml"
    path.write_text(
        "measures:\n  - measure: m\n    label: M\n    unit: u\n    is_higher_better: false\n    publication: P\n"
        "    source_id: s\n    theme_ids: [caseloads]\n    import: {period: year, value: v}\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        official.read_catalogue(path)
    assert err.value.field == "measures[0]" and "colour" in err.value.message


def test_committed_catalogue_is_valid() -> None:
    catalogue, specs = official.read_catalogue()
    assert len(catalogue) == len(specs) >= 20
    assert catalogue.set_index("measure").loc["caseload_per_fte", "theme_ids"] == "caseloads"
    assert not catalogue.set_index("measure").loc["turnover_rate_fte", "is_higher_better"]
