"""The committed timeline: it loads, its facts are sourced, and it holds what the compiled timeline records."""

from __future__ import annotations

import csv
import hashlib

import duckdb
import pandas as pd
import pytest

from analysis import build, config, db
from analysis.ingest import sources, timeline

SEEDS = config.DATA / "seeds"
DUDLEY = "E08000027"
SIF_2016 = f"{DUDLEY}-2016-01-sif"
ILACS_2018 = f"{DUDLEY}-2018-10-ilacs"
ILACS_2022 = f"{DUDLEY}-2022-10-ilacs"
# Visits with no known finding: monitoring visits 1 and 6 are known only by their numbers, the February 2024
# focused visit's findings were not found, and the area SEND visits are not children's social care inspections.
NO_KNOWN_FINDINGS = {
    f"{DUDLEY}-2016-mv1",
    f"{DUDLEY}-2018-mv6",
    f"{DUDLEY}-2024-fv1",
    f"{DUDLEY}-2019-05-send",
    f"{DUDLEY}-2022-01-sendrv",
    f"{DUDLEY}-2025-01-send",
}


@pytest.fixture(scope="module")
def registry() -> pd.DataFrame:
    return sources.read_registry()


@pytest.fixture(scope="module")
def seeds(registry) -> dict[str, pd.DataFrame]:
    councils = set(pd.read_csv(SEEDS / "councils.csv", dtype=str)["la_id_gss"])
    return timeline.read_seeds(SEEDS, registry=set(registry["source_id"]), council_ids=councils)


@pytest.fixture(scope="module")
def loaded() -> duckdb.DuckDBPyConnection:
    """Stages 2-4 on a fresh in-memory database, with the views and the source check."""
    con = duckdb.connect()
    ctx = build.BuildContext(log=lambda msg: None)
    build.populate(con, ctx, stages=[s for s in build.STAGES if s[0] in {"sources", "councils", "timeline"}])
    yield con
    con.close()


def test_stages_load_and_every_source_resolves(loaded):
    summary = build.summary(loaded).set_index("table_name")["n_rows"]
    assert summary["visits"] >= 13 and summary["councils"] == 153 and summary["findings"] > 100
    assert len(db.query(loaded, "chk_unresolved_sources")) == 0


def test_at_least_13_dudley_visits_2011_to_2025_with_sources(seeds, registry):
    visits = seeds["visits"]
    dudley = visits[visits["la_id_gss"] == DUDLEY]
    years = dudley["visit_id"].str.slice(10, 14).astype(int)
    assert ((years >= 2011) & (years <= 2025)).sum() >= 13
    assert dudley["source_id"].isin(set(registry["source_id"])).all()
    # The frameworks the issue names are all there.
    assert {"pre_sif_inspection", "sif_inspection", "monitoring_visit", "ilacs_standard", "focused_visit"} <= set(
        dudley["visit_type"]
    )


def test_every_judgement_of_the_three_reports(seeds):
    got = {(r.visit_id, r.judgement_area): r.grade for r in seeds["judgements"].itertuples()}
    expected = {
        (SIF_2016, "overall_effectiveness"): "inadequate",
        (SIF_2016, "help_and_protection"): "inadequate",
        (SIF_2016, "children_in_care"): "inadequate",
        (SIF_2016, "adoption"): "inadequate",
        (SIF_2016, "care_leavers"): "requires_improvement",
        (SIF_2016, "leaders"): "inadequate",
        (SIF_2016, "lscb"): "inadequate",
        (ILACS_2018, "overall_effectiveness"): "requires_improvement",
        (ILACS_2018, "leaders"): "good",
        (ILACS_2018, "help_and_protection"): "requires_improvement",
        (ILACS_2018, "children_in_care"): "good",
        (ILACS_2022, "overall_effectiveness"): "requires_improvement",
        (ILACS_2022, "leaders"): "requires_improvement",
        (ILACS_2022, "help_and_protection"): "requires_improvement",
        (ILACS_2022, "children_in_care"): "requires_improvement",
    }
    assert {k: v for k, v in got.items() if k[0] in {SIF_2016, ILACS_2018, ILACS_2022}} == expected
    overall = seeds["judgements"][seeds["judgements"]["is_overall"]]
    assert sorted(overall["visit_id"]) == sorted([SIF_2016, ILACS_2018, ILACS_2022])


def test_judgements_of_each_report_cite_that_report(seeds, registry):
    by_visit = registry.dropna(subset=["visit_id"])
    reports = by_visit[by_visit["kind"] == "inspection_report"].set_index("visit_id")["source_id"]
    for row in seeds["judgements"].itertuples():
        if row.visit_id in reports.index:
            assert row.source_id == reports[row.visit_id], row


def test_pre_sif_2011_grades(seeds):
    pre = seeds["judgements"][seeds["judgements"]["visit_id"] == f"{DUDLEY}-2011-11-presif"]
    assert dict(zip(pre["judgement_area"], pre["grade"], strict=True)) == {
        "safeguarding": "adequate",
        "looked_after_children": "good",
    }


def test_every_visit_2016_to_2025_has_themed_findings(seeds):
    visits, findings = seeds["visits"], seeds["findings"]
    years = visits["visit_id"].str.slice(10, 14).astype(int)
    in_range = set(visits[(years >= 2016) & (years <= 2025)]["visit_id"])
    themed = set(findings.dropna(subset=["theme_id"])["visit_id"])
    assert in_range - NO_KNOWN_FINDINGS - themed == set()
    assert NO_KNOWN_FINDINGS <= set(visits["visit_id"])
    assert not NO_KNOWN_FINDINGS & set(findings["visit_id"])


def test_findings_are_short_paraphrases_by_the_compiler(seeds):
    findings = seeds["findings"]
    assert findings["coder"].eq("timeline-compiler").all()
    assert findings["paraphrase"].str.len().le(250).all()
    assert set(findings["polarity"]) <= {"strength", "concern", "improving"}
    # One row per (finding, theme).
    assert not findings.duplicated(["finding_id"]).any()


def test_undated_visits_are_flagged_uncertain_with_a_note(seeds):
    visits = seeds["visits"]
    undated = visits[visits["fieldwork_start"].isna() & visits["published_date"].isna()]
    assert set(undated["visit_id"]) >= {f"{DUDLEY}-2016-mv1", f"{DUDLEY}-2018-mv6"}
    assert undated["is_uncertain"].all()
    assert undated["note"].notna().all()


def test_dfe_directions_and_the_council_response(seeds):
    events = seeds["events"].set_index("event_id")
    assert str(events.loc[f"{DUDLEY}-2016-04-dfe-direction", "event_date"]) == "2016-04-05"
    assert str(events.loc[f"{DUDLEY}-2016-08-dfe-direction", "event_date"]) == "2016-08-05"
    response = events.loc[f"{DUDLEY}-2026-02-council-response"]
    assert (str(response.event_date), response.event_type) == ("2026-02-04", "council_response")
    assert "Social Care and Wellbeing Scrutiny Committee" in response.title


def test_council_priorities_map_to_themes(seeds):
    priorities, themes = seeds["council_priorities"], seeds["council_priority_themes"]
    assert set(priorities["priority_id"]) == set(themes["priority_id"])
    confirmed = priorities[priorities["is_uncertain"].eq(False)]
    mapped = set(themes[themes["priority_id"].isin(confirmed["priority_id"])]["theme_id"])
    assert {"management_oversight", "caseloads"} <= mapped


def test_raw_files_are_registered_with_their_sha256(registry):
    committed = registry.dropna(subset=["local_path"])
    on_disk = sorted(
        p.relative_to(config.REPO).as_posix() for p in (config.DATA / "raw").iterdir() if p.name != "README.md"
    )
    assert sorted(committed["local_path"]) == on_disk
    for row in committed.itertuples():
        assert hashlib.sha256((config.REPO / row.local_path).read_bytes()).hexdigest() == row.sha256


def test_every_shared_report_pdf_is_registered(registry, shared_dir):
    with open(shared_dir / "data" / "ofsted-reports" / "MANIFEST.csv", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    by_path = registry.dropna(subset=["cache_path"]).set_index("cache_path")
    reports = {path for path in by_path.index if path.startswith("ofsted-reports/") and path.endswith(".pdf")}
    assert manifest and reports == {f"ofsted-reports/{entry['file']}" for entry in manifest}
    for entry in manifest:
        row = by_path.loc[f"ofsted-reports/{entry['file']}"]
        assert (row.sha256, row.url, str(row.published_date)) == (
            entry["sha256"],
            entry["official_link"],
            entry["publication_date"],
        )


def test_registry_visit_ids_and_councils_exist(registry, seeds):
    councils = set(pd.read_csv(SEEDS / "councils.csv", dtype=str)["la_id_gss"])
    assert set(registry["visit_id"].dropna()) <= set(seeds["visits"]["visit_id"])
    assert set(registry["la_id_gss"].dropna()) <= councils
