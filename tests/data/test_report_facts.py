"""report_facts and report_judgements over every report of the corpus manifest (the session's real build)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis import config, db
from analysis.ingest import corpus, reportfacts

HTML_SAVED_AS_PDF = "ofsted_80543_2012-08-10"
SIF_AREAS = {"overall_effectiveness", "help_and_protection", "children_in_care", "adoption", "care_leavers", "leaders"}
ILACS_AREAS = {"help_and_protection", "children_in_care", "leaders"}
D2I = Path("official") / "ofsted-ilacs-judgements" / "ofsted_csc_ilacs_history.csv"


@pytest.fixture(scope="module")
def manifest(shared_dir: Path) -> dict[str, dict[str, str]]:
    with (shared_dir / "data" / corpus.MANIFEST_CACHE_PATH).open(encoding="utf-8", newline="") as handle:
        return {f"ofsted_{r['urn']}_{r['publication_date']}": r for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def facts(built_db) -> pd.DataFrame:
    connection = db.connect(built_db)
    try:
        frame = connection.table("report_facts").df().set_index("document_id")
    finally:
        connection.close()
    for column in ("inspection_start", "inspection_end", "published_date"):
        frame[column] = frame[column].dt.date
    return frame.astype(object).where(frame.notna(), None)


@pytest.fixture(scope="module")
def judgements(built_db) -> pd.DataFrame:
    connection = db.connect(built_db)
    try:
        return connection.table("report_judgements").df()
    finally:
        connection.close()


def _areas(judgements: pd.DataFrame) -> dict[str, set[str]]:
    return judgements.groupby("document_id")["judgement_area"].agg(set).to_dict()


def test_every_report_has_its_facts(manifest, facts) -> None:
    assert set(manifest) - set(facts.index) == {HTML_SAVED_AS_PDF}
    reports = facts.loc[[sid for sid in manifest if sid != HTML_SAVED_AS_PDF]]
    assert reports["framework"].notna().all() and reports["visit_type"].notna().all()
    assert reports["lead_inspector"].notna().all() and set(reports["parser_version"]) == {reportfacts.PARSER_VERSION}


def test_dates_parse_and_come_before_publication(manifest, facts) -> None:
    for source_id, row in facts.loc[[sid for sid in manifest if sid != HTML_SAVED_AS_PDF]].iterrows():
        published = dt.date.fromisoformat(manifest[source_id]["publication_date"])
        start, end = row["inspection_start"], row["inspection_end"]
        assert start is not None and end is not None, source_id
        assert start <= end < published, (source_id, start, end, published)
        assert (end - start).days <= 40, source_id  # SIF fieldwork ran four weeks at most


def test_every_ilacs_report_has_its_overall_grade_or_is_2026_framework(facts, judgements) -> None:
    areas = _areas(judgements)
    ilacs = facts[(facts["framework"] == "ilacs") & facts["visit_type"].str.startswith("ilacs_")]
    assert len(ilacs) > 0
    for source_id, row in ilacs.iterrows():
        got = areas.get(source_id, set())
        assert ILACS_AREAS <= got, (source_id, got)
        if "overall_effectiveness" not in got:
            assert "2026 framework" in row["note"] and row["inspection_start"] >= dt.date(2026, 1, 1), source_id
            assert "care_leavers" in got, source_id
        # children in care and care leavers became two judgements in January 2023
        if row["inspection_start"] < dt.date(2022, 12, 1):
            assert "care_leavers" not in got, source_id


def test_sif_reports_have_their_judgements(facts, judgements) -> None:
    areas = _areas(judgements)
    sif = facts[facts["framework"] == "sif"]
    assert len(sif) > 0
    for source_id, row in sif.iterrows():
        got = areas.get(source_id, set())
        if row["note"] and "review of the LSCB only" in row["note"]:
            assert got == {"lscb"}, source_id
        else:
            assert SIF_AREAS <= got <= SIF_AREAS | {"lscb"}, (source_id, got)


def test_every_grade_is_read_where_the_passage_says_so(built_db, judgements) -> None:
    assert judgements["grade"].notna().all()
    connection = db.connect(built_db)
    try:
        passages = connection.table("passages").df().set_index("passage_id")["text"]
    finally:
        connection.close()
    for row in judgements.itertuples():
        # the grade's words start in that passage (a PDF line break may carry "... to be" / "good" over)
        first_word = row.grade_text.split()[0].lower()
        assert first_word in passages[row.passage_id].lower(), row


def test_what_the_scraper_could_not_read_is_read(shared_dir, manifest, judgements) -> None:
    """D2I's history leaves the pre-2018 reports untyped with their judgements `data_unreadable`; their text gives
    the overall grade (or, for an LSCB review or a looked-after children inspection, the one judgement)."""
    with (shared_dir / "data" / D2I).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_link = {entry["official_link"]: source_id for source_id, entry in manifest.items()}
    unreadable = {
        by_link[r["inspection_link"]]
        for r in rows
        if r["inspection_link"] in by_link and r["inspection_framework"] == "" and "data_unreadable" in r.values()
    }
    assert "ofsted_80464_2016-04-05" in unreadable and len(unreadable) > 50
    areas = _areas(judgements)
    for source_id in unreadable - {HTML_SAVED_AS_PDF}:
        got = areas.get(source_id, set())
        assert "overall_effectiveness" in got or got in ({"lscb"}, {"looked_after_children"}), (source_id, got)


def test_dudleys_reports_say_what_the_hand_kept_timeline_says(facts, judgements) -> None:
    """The hand-compiled seeds (data/seeds) were checked against these reports: the parser must agree with them."""
    visits = pd.read_csv(config.DATA / "seeds" / "visits.csv", dtype=str).set_index("visit_id")
    seeded = pd.read_csv(config.DATA / "seeds" / "judgements.csv", dtype=str)
    for source_id, visit_id in {
        "ofsted_80464_2016-04-05": "E08000027-2016-01-sif",
        "ofsted_80464_2018-12-10": "E08000027-2018-10-ilacs",
        "ofsted_80464_2023-01-13": "E08000027-2022-10-ilacs",
        "ofsted_80464_2025-11-20": "E08000027-2025-10-fv",
    }.items():
        row, visit = facts.loc[source_id], visits.loc[visit_id]
        assert (row["visit_type"], row["framework"]) == (visit["visit_type"], visit["framework"]), source_id
        assert str(row["inspection_start"]) == visit["fieldwork_start"], source_id
        assert str(row["inspection_end"]) == visit["fieldwork_end"], source_id
        assert row["lead_inspector"] == visit["lead_inspector"], source_id
        read = judgements[judgements["document_id"] == source_id]
        kept = seeded[seeded["visit_id"] == visit_id]
        assert dict(zip(read["judgement_area"], read["grade"], strict=True)) == dict(
            zip(kept["judgement_area"], kept["grade"], strict=True)
        ), source_id
    assert facts.loc["ofsted_80464_2016-04-05", "inspectors"] == visits.loc["E08000027-2016-01-sif", "inspectors"]


def test_reconciliation_with_the_outcome_files(con, facts) -> None:
    frame = db.query(con, "int_report_reconciliation")
    assert set(frame["status"]) <= {"agree", "disagree", "report_only", "official_only"}
    assert set(frame["document_id"]) <= set(facts.index)
    # SIF reports are in no outcome file: all theirs are the report's alone
    sif = frame[frame["document_id"].isin(facts.index[facts["framework"] == "sif"])]
    assert len(sif) and set(sif["status"]) == {"report_only"}
    # every ILACS report since 2018 is in Ofsted's files or D2I's history
    ilacs = frame[frame["visit_type"].str.startswith("ilacs_")]
    assert ilacs.groupby("document_id")["official_source_id"].count().gt(0).all()
    counts = Counter(zip(frame["status"], frame["official_source_kind"].fillna("-"), strict=True))
    print("\nreconciliation:", dict(sorted(counts.items())))


def test_info_checks_prints_counts_and_every_disagreement(built_db, capsys) -> None:
    from analysis import cli

    assert cli.main(["info", "--db", str(built_db), "--checks"]) == 0
    out = capsys.readouterr().out
    assert "report judgements against Ofsted's outcome files" in out
    assert "agree          official_statistics" in out and "report_only" in out
    connection = db.connect(built_db)
    try:
        differences = db.records(connection, "chk_report_disagreements")
    finally:
        connection.close()
    assert f"disagreements and official-only grades: {len(differences) or 'none'}" in out
    for row in differences:
        assert f"{row['document_id']} {row['judgement_area']}" in out


def test_info_shows_coded_text_for_every_council_of_the_manifest(built_db, shared_dir, capsys) -> None:
    # issue 10: `analysis info` shows documents and coded sentences for every council the corpus has reports of
    from analysis import cli

    with (shared_dir / "data" / "ofsted-reports" / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        urns = {row["urn"] for row in csv.DictReader(handle)}
    with (config.REPO / "data" / "seeds" / "councils.csv").open(encoding="utf-8", newline="") as handle:
        gss_of = {row["la_urn_ofsted"]: row["la_id_gss"] for row in csv.DictReader(handle)}
    expected = {gss_of[urn] for urn in urns}
    assert cli.main(["info", "--db", str(built_db), "--councils"]) == 0
    out = capsys.readouterr().out
    assert f"{len(expected)} of {len(gss_of)} councils have coded Ofsted text" in out
    listed = {line.split()[-5]: line for line in out.splitlines() if re.search(r"\sE\d{8}\s", line)}
    for gss in expected:
        assert int(listed[gss].split()[-2].replace(",", "")) > 0, listed[gss]  # coded sentences of that council
