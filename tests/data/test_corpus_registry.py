"""The report registry is generated from the corpus manifest: committed output current, every report fetchable."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import config, db
from analysis.errors import InputError
from analysis.ingest import corpus, sources

DUDLEY_REPORTS = {
    "ofsted_80464_2016-04-05": "E08000027-2016-01-sif",
    "ofsted_80464_2018-12-10": "E08000027-2018-10-ilacs",
    "ofsted_80464_2023-01-13": "E08000027-2022-10-ilacs",
}


@pytest.fixture(scope="module")
def manifest(shared_dir: Path) -> Path:
    return shared_dir / "data" / corpus.MANIFEST_CACHE_PATH


def test_committed_registry_is_the_generated_one(manifest: Path) -> None:
    """A stale data/sources/ofsted_reports.csv (the manifest or an annotation changed) fails here."""
    committed = (config.DATA / corpus.REGISTRY_FILE).read_text(encoding="utf-8")
    assert corpus.generate(manifest) == committed, "run `analysis sources sync` and commit the result"


def test_every_manifest_row_is_registered_once(manifest: Path) -> None:
    with manifest.open(encoding="utf-8", newline="") as handle:
        entries = list(csv.DictReader(handle))
    registry = sources.read_file(config.DATA / corpus.REGISTRY_FILE).set_index("source_id")
    reports = registry[registry["kind"] == "inspection_report"]
    assert len(reports) == len(entries) and reports.index.is_unique
    for entry in entries:
        row = reports.loc[f"ofsted_{entry['urn']}_{entry['publication_date']}"]
        assert row.cache_path == f"ofsted-reports/{entry['file']}" and row.sha256 == entry["sha256"]
    assert registry.loc[corpus.MANIFEST_SOURCE_ID, "kind"] == "reference"
    # the hand-typed rows that the generated ones replaced are gone from documents.csv
    typed = sources.read_file(config.DATA / "sources" / "documents.csv")
    assert not typed["cache_path"].dropna().str.startswith("ofsted-reports/").any()


def test_annotations_keep_what_the_manifest_cannot_say() -> None:
    registry = sources.read_file(config.DATA / corpus.REGISTRY_FILE).set_index("source_id")
    for source_id, visit_id in DUDLEY_REPORTS.items():
        assert registry.loc[source_id, "visit_id"] == visit_id
    assert "HTML page" in registry.loc["ofsted_80543_2012-08-10", "note"]


def test_dudley_reports_find_their_visits(con) -> None:
    linked = db.query(con, "int_documents").set_index("document_id")["visit_id"]
    assert {source_id: linked[source_id] for source_id in DUDLEY_REPORTS} == DUDLEY_REPORTS


def test_every_report_but_the_html_copy_is_a_document(con, manifest: Path) -> None:
    with manifest.open(encoding="utf-8", newline="") as handle:
        expected = {f"ofsted_{e['urn']}_{e['publication_date']}" for e in csv.DictReader(handle)}
    documents = set(db.query(con, "int_documents")["document_id"])
    assert expected - documents == {"ofsted_80543_2012-08-10"}


def _manifest(tmp_path: Path, urn: str, date: str, file: str) -> Path:
    """A SYNTHETIC one-report manifest (made-up link and hashes)."""
    path = tmp_path / "MANIFEST.csv"
    path.write_text(
        "urn,local_authority,publication_date,file,official_link,source_repo,source_path,source_commit,sha256\n"
        f"{urn},somewhere,{date},{file},https://example.org/1,a/b,x.pdf,{'0' * 40},{'1' * 64}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("urn", "date", "file", "field"),
    [
        ("1", "2020-01-02", "1_nowhere/2020-01-02.pdf", "urn"),  # no council has URN 1
        ("80464", "5 April 2016", "80464_dudley/x.pdf", "publication_date"),
        ("80464", "2016-04-05", "80464_dudley/report.pdf", "file"),  # not named by its date
    ],
)
def test_a_bad_manifest_row_names_row_and_field(tmp_path: Path, urn: str, date: str, file: str, field: str) -> None:
    with pytest.raises(InputError) as err:
        corpus.generate(_manifest(tmp_path, urn, date, file))
    assert (err.value.row, err.value.field) == (2, field)
