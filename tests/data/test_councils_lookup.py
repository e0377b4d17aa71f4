"""The committed councils lookup: derived from the official lookups in ../shared/data/official, and right."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.ingest import councils, sources

SEEDS = config.DATA / "seeds"
DUDLEY = "E08000027"


@pytest.fixture(scope="module")
def committed() -> tuple[pd.DataFrame, pd.DataFrame]:
    return councils.read_seeds(SEEDS)


@pytest.fixture(scope="module")
def derived(shared_dir) -> tuple[pd.DataFrame, pd.DataFrame]:
    return councils.derive(shared_dir / "data" / "official")


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(str).reset_index(drop=True)


def test_derive_reproduces_the_committed_csvs(committed, derived):
    for mine, theirs in zip(committed, derived, strict=True):
        pd.testing.assert_frame_equal(_as_text(mine), _as_text(theirs))


def test_153_councils_with_unique_codes(committed):
    frame = committed[0]
    assert len(frame) == councils.N_COUNCILS
    for column in ("la_id_gss", "la_id_dfe", "la_urn_ofsted", "la_name"):
        assert frame[column].notna().all() and frame[column].is_unique, column
    assert frame["la_type"].notna().all()


def test_dudley_identifiers(committed):
    row = committed[0].set_index("la_id_gss").loc[DUDLEY]
    assert (row.la_id_dfe, row.la_urn_ofsted, row.la_name) == (332, 80464, "Dudley")
    assert (row.region_id_gss, row.region_name, row.la_type) == ("E12000005", "West Midlands", "metropolitan_district")


def _neighbour_names(committed, model: str) -> list[str]:
    names = dict(zip(committed[0]["la_id_gss"], committed[0]["la_name"], strict=True))
    links = committed[1]
    mine = links[(links["la_id_gss"] == DUDLEY) & (links["model"] == model)].sort_values("neighbour_rank")
    return [names.get(code, code) for code in mine["neighbour_la_id_gss"]]


def test_dudley_2025_neighbours_in_order(committed):
    assert _neighbour_names(committed, "2025") == [
        "Wakefield",
        "Telford and Wrekin",
        "Stockton-on-Tees",
        "Rotherham",
        "Barnsley",
        "Medway",
        "Tameside",
        "Lancashire",
        "Darlington",
        "Lincolnshire",
    ]


def test_dudley_2021_neighbours_in_order(committed):
    # As listed in ../shared/data/official/la-lookup-stat-neighbours/PROVENANCE.md
    assert _neighbour_names(committed, "2021") == [
        "Rotherham",
        "Telford and Wrekin",
        "Medway",
        "Wigan",
        "Doncaster",
        "Lancashire",
        "North Lincolnshire",
        "Derbyshire",
        "Tameside",
        "Nottinghamshire",
    ]


def test_every_council_has_ten_2025_neighbours_among_the_councils(committed):
    frame, links = committed
    latest = links[links["model"] == "2025"]
    assert latest.groupby("la_id_gss").size().eq(10).all()
    assert set(latest["la_id_gss"]) == set(frame["la_id_gss"])
    assert set(latest["neighbour_la_id_gss"]) <= set(frame["la_id_gss"])
    assert not (latest["la_id_gss"] == latest["neighbour_la_id_gss"]).any()


def test_one_region_code_per_region(committed):
    frame = committed[0]
    assert frame.groupby("region_name")["region_id_gss"].nunique().eq(1).all()
    assert frame["region_id_gss"].nunique() == 9


def test_sources_resolve(committed):
    registry = set(sources.read_registry()["source_id"])
    for frame in committed:
        assert set(frame["source_id"]) <= registry
