"""A council without hand-kept visits (Devon) gets one: every visit and judgement from Ofsted's official data stays.

Issue 11: adding two rows to data/seeds/visits.csv used to drop the ten visits Devon had from the official outcome
files, and its report then named a 2020 judgement as the latest although Devon was judged inadequate in the
inspection of September-October 2024 (published May 2025). The row added here is real: the April 2023 monitoring
visit as Ofsted's outcomes file of March 2024 records it, known to the month, as an analyst would first type it.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from analysis import build, db

DEVON = "E10000008"
AS_OF = "2026-03-31"


@pytest.fixture(scope="module")
def devon_db(tmp_path_factory, repo_root: Path, fetched_cache: Path) -> Path:
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(repo_root / "data", root / "data", ignore=shutil.ignore_patterns("build", "cache"))
    visits = root / "data" / "seeds" / "visits.csv"
    with visits.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    row = dict.fromkeys(header, "")
    row.update(
        visit_id=f"{DEVON}-2023-04-mv",
        la_id_gss=DEVON,
        visit_type="monitoring_visit",
        framework="ilacs",
        title="Monitoring visit to Devon children's services, April 2023",
        fieldwork_start="2023-04-01",
        fieldwork_end="2023-04-01",
        fieldwork_precision="month",
        is_uncertain="false",
        note="added in a test: the month as an analyst first typed it",
        source_id="ofsted_la_outcomes_2024",
    )
    with visits.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header, lineterminator="\n").writerow(row)
    target = root / "analysis.duckdb"
    build.build(target, build.BuildContext(repo=root, data=root / "data", cache=fetched_cache, log=lambda m: None))
    return target


@pytest.mark.slow
def test_devon_keeps_its_official_visits_and_judgements(devon_db: Path, built_db: Path) -> None:
    with db.connect(built_db) as before, db.connect(devon_db) as after:
        official = db.query(before, "mart_visit_timeline", la_id_gss=DEVON, as_of=AS_OF)
        merged = db.query(after, "mart_visit_timeline", la_id_gss=DEVON, as_of=AS_OF)
    assert len(official) >= 7 and set(official["origin"]) == {"ofsted_outcomes"}
    # the added visit is the official April 2023 monitoring visit, not a new one: same number of visits
    assert len(merged) == len(official)
    added = merged.set_index("visit_id").loc[f"{DEVON}-2023-04-mv"]
    assert added["origin"] == "seeds" and added["visit_date_precision"] == "day"  # refined by the official date
    assert added["visit_date"].date().isoformat() == "2023-04-18"
    kept = merged[merged["origin"] == "ofsted_outcomes"]
    assert set(kept["visit_id"]) == set(official["visit_id"]) - {f"{DEVON}-2023-04-mv"}
    latest_graded = merged[merged["is_graded"].fillna(False).astype(bool)].sort_values("visit_date").iloc[-1]
    assert latest_graded["visit_id"] == f"{DEVON}-2024-09-ilacs"
    assert latest_graded["grade"] == "inadequate"


@pytest.mark.slow
def test_the_refinement_is_listed_with_both_sources(devon_db: Path) -> None:
    with db.connect(devon_db) as con:
        notes = db.query(con, "mart_visit_corrections", la_id_gss=DEVON, as_of=AS_OF)
    row = notes.set_index(["visit_id", "field"]).loc[(f"{DEVON}-2023-04-mv", "fieldwork_start")]
    assert (row["kind"], row["seed_value"], row["other_value"]) == ("refined", "2023-04-01", "2023-04-18")
    assert row["seed_source_id"] == row["other_source_id"] == "ofsted_la_outcomes_2024"
