"""`analysis add`: one command registers a real report or letter, and the build passes after it.

Each test works on a temporary repo (a copy of data/ and queries/, empty fetch cache) so that the committed files
are never touched. The served letter of the URL test is SYNTHETIC (made-up inspectors and dates); the report
and the Dudley letter are the real files of ../shared.
"""

from __future__ import annotations

import csv
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from analysis import config
from analysis.errors import InputError
from analysis.ingest import add

BRADFORD_2026 = "ofsted_80449_2026-05-21"  # registered in the corpus registry; the tests unregister it first
LETTER = "ofsted_80464_2025-11-20"
LETTER_VISIT = "E08000027-2025-10-fv"
LETTER_FILE = "2025-11-20_ofsted_dudley_focused-visit-letter.md"
MONITORING_LETTER = "\n\n".join(
    [
        "4 August 2025",
        "Dear Ms Director",
        "Monitoring visit to Wakefield local authority children’s services",
        "This letter summarises the findings of the monitoring visit to Wakefield local authority children’s "
        "services on 1 and 2 July 2025. This was the first monitoring visit since the local authority was judged "
        "inadequate in January 2025. The inspectors were Una Made-Up, His Majesty’s Inspector, and Vic Invented, "
        "His Majesty’s Inspector.",
        "Areas covered by the visit",
        "Inspectors reviewed the progress made for children in need of help and protection.",
        "Yours sincerely",
        "Una Made-Up",
        "His Majesty’s Inspector",
    ]
)


def _drop_rows(path: Path, column: str, value: str) -> list[dict[str, str]]:
    """Remove the rows whose `column` is `value`, keeping every other line as it is; return the removed rows."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    kept, removed = [lines[0]], []
    for line in lines[1:]:
        row = dict(zip(header, next(csv.reader([line])), strict=True))
        if row[column] == value:
            removed.append(row)
        else:
            kept.append(line)
    path.write_text("".join(kept), encoding="utf-8")
    return removed


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A temporary checkout: data/ (without the cache and the build) and queries/."""
    root = tmp_path / "repo"
    shutil.copytree(config.DATA, root / "data", ignore=shutil.ignore_patterns("cache", "build"))
    shutil.copytree(config.QUERIES, root / "queries")
    return root


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANALYSIS_REPO": str(repo)}
    for name in ("ANALYSIS_CACHE", "ANALYSIS_DB"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env)


def _build(repo: Path) -> duckdb.DuckDBPyConnection:
    result = _run(repo, "build")
    assert result.returncode == 0, result.stderr[-2000:]
    return duckdb.connect(str(repo / "data" / "build" / "analysis.duckdb"), read_only=True)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_real_report_in_one_command(repo: Path, shared_dir: Path) -> None:
    data = repo / "data"
    _drop_rows(data / "sources" / "ofsted_reports.csv", "source_id", BRADFORD_2026)
    before = {name: (data / name).read_bytes() for name in ("sources/documents.csv", "seeds/visits.csv")}
    pdf = shared_dir / "data" / "ofsted-reports" / "80449_bradford" / "2026-05-21.pdf"
    result = _run(repo, "add", str(pdf), "--la", "E08000032")
    assert result.returncode == 0, result.stderr
    # every existing row is kept byte for byte; the new ones follow
    for name, old in before.items():
        assert (data / name).read_bytes().startswith(old), name
    source = _rows(data / "sources" / "documents.csv")[-1]
    assert source["source_id"] == "ofsted_80449_2026-01-23"  # no publication date printed: the last fieldwork day
    assert source["local_path"] == "data/raw/undated_ofsted_bradford_inspection-report.pdf"
    assert (repo / source["local_path"]).read_bytes() == pdf.read_bytes()
    assert source["published_date"] == "" and "to fill in: published_date" in source["note"]
    visit = _rows(data / "seeds" / "visits.csv")[-1]
    assert (visit["visit_id"], visit["visit_type"], visit["framework"]) == (
        "E08000032-2026-01-ilacs",
        "ilacs_standard",
        "ilacs",
    )
    assert (visit["fieldwork_start"], visit["fieldwork_end"]) == ("2026-01-12", "2026-01-23")
    assert visit["title"] == "Inspection of Bradford Children and Families Trust"
    assert visit["lead_inspector"] and "the publication date" in visit["note"]
    judgements = [j for j in _rows(data / "seeds" / "judgements.csv") if j["visit_id"] == visit["visit_id"]]
    assert {j["judgement_area"]: j["grade"] for j in judgements} == {
        "overall_effectiveness": "requires_improvement",
        "leaders": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care": "requires_improvement",
        "care_leavers": "good",
    }
    assert {j["source_id"] for j in judgements} == {source["source_id"]}
    con = _build(repo)
    try:
        facts = con.sql("select visit_type from report_facts where document_id = 'ofsted_80449_2026-01-23'")
        assert facts.fetchall() == [("ilacs_standard",)]
    finally:
        con.close()


def test_the_dudley_letter_in_one_command(repo: Path, shared_dir: Path) -> None:
    """The letter is in data/raw already: unregister it (and the visit it holds) in the copy, then add it back."""
    data = repo / "data"
    (original_source,) = _drop_rows(data / "sources" / "documents.csv", "source_id", LETTER)
    (original_visit,) = _drop_rows(data / "seeds" / "visits.csv", "visit_id", LETTER_VISIT)
    _drop_rows(data / "seeds" / "findings.csv", "visit_id", LETTER_VISIT)
    (data / "raw" / LETTER_FILE).unlink()
    result = _run(repo, "add", str(shared_dir / "seeds" / "002_e8ec4b788805ad88.txt"), "--la", "E08000027")
    assert result.returncode == 0, result.stderr
    source = _rows(data / "sources" / "documents.csv")[-1]
    same = ("source_id", "kind", "title", "published_date", "sha256", "local_path", "visit_id")
    assert {k: source[k] for k in same} == {k: original_source[k] for k in same}
    assert (data / "raw" / LETTER_FILE).read_bytes() == (config.DATA / "raw" / LETTER_FILE).read_bytes()
    visit = _rows(data / "seeds" / "visits.csv")[-1]
    same = (
        "visit_id",
        "visit_type",
        "framework",
        "title",
        "focus",
        "fieldwork_start",
        "fieldwork_end",
        "published_date",
        "inspectors",
        "lead_inspector",
        "source_id",
    )
    assert {k: visit[k] for k in same} == {k: original_visit[k] for k in same}
    assert "signatory" in visit["note"]  # the lead is the letter's signatory: said, not hidden
    assert not [j for j in _rows(data / "seeds" / "judgements.csv") if j["visit_id"] == LETTER_VISIT]
    con = _build(repo)
    try:
        assert con.sql(f"select kind from documents where document_id = '{LETTER}'").fetchall() == [
            ("focused_visit_letter",)
        ]
    finally:
        con.close()


def test_a_dry_run_writes_nothing(repo: Path, shared_dir: Path) -> None:
    _drop_rows(repo / "data" / "sources" / "ofsted_reports.csv", "source_id", BRADFORD_2026)
    before = _snapshot(repo)
    pdf = shared_dir / "data" / "ofsted-reports" / "80449_bradford" / "2026-05-21.pdf"
    result = _run(repo, "add", str(pdf), "--la", "E08000032", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "E08000032-2026-01-ilacs,E08000032,ilacs_standard" in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert _snapshot(repo) == before


def test_a_registered_file_is_refused_naming_its_row(repo: Path, shared_dir: Path) -> None:
    before = _snapshot(repo)
    pdf = shared_dir / "data" / "ofsted-reports" / "80464_dudley" / "2016-04-05.pdf"
    result = _run(repo, "add", str(pdf), "--la", "E08000027")
    assert result.returncode == 2
    assert "already registered as 'ofsted_80464_2016-04-05' (data/sources/ofsted_reports.csv, row " in result.stderr
    assert _snapshot(repo) == before


def test_a_council_not_in_the_lookup_is_refused(repo: Path) -> None:
    result = _run(repo, "add", str(repo / "data" / "raw" / LETTER_FILE), "--la", "E99999999")
    assert result.returncode == 2 and "--la: 'E99999999' is not a council" in result.stderr


@pytest.fixture()
def web(tmp_path: Path):
    """A local HTTP server serving one SYNTHETIC letter."""
    root = tmp_path / "web"
    root.mkdir()
    (root / "letter.txt").write_text(MONITORING_LETTER, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_url_is_downloaded_into_the_cache(repo: Path, web: str) -> None:
    data, cache = repo / "data", repo / "data" / "cache"
    url = f"{web}/letter.txt"
    before = _snapshot(repo)
    add.add(url, "E08000036", dry_run=True, data_dir=data, cache=cache)
    assert _snapshot(repo) == before  # a dry run downloads into a temporary folder only
    addition, written = add.add(url, "E08000036", data_dir=data, cache=cache)
    source = _rows(data / "sources" / "documents.csv")[-1]
    assert (source["source_id"], source["kind"]) == ("ofsted_80451_2025-08-04", "monitoring_visit_letter")
    assert (source["url"], source["download_url"], source["local_path"]) == (url, url, "")
    assert source["cache_path"] == "added/2025-08-04_ofsted_wakefield_monitoring-visit-letter.txt"
    assert (cache / source["cache_path"]).read_text(encoding="utf-8") == MONITORING_LETTER
    assert source["sha256"] == addition.sha256 and cache / source["cache_path"] in written
    visit = _rows(data / "seeds" / "visits.csv")[-1]
    assert (visit["visit_id"], visit["visit_type"], visit["framework"]) == (
        "E08000036-2025-07-mv",
        "monitoring_visit",
        "ilacs",
    )
    assert (visit["inspectors"], visit["lead_inspector"]) == ("Una Made-Up; Vic Invented", "Una Made-Up")
    con = _build(repo)
    try:
        rows = con.sql(
            "select visit_type, inspection_start from report_facts where document_id = 'ofsted_80451_2025-08-04'"
        )
        assert rows.fetchall()[0][0] == "monitoring_visit"
    finally:
        con.close()


def test_a_failed_download_names_the_url(repo: Path, web: str) -> None:
    with pytest.raises(InputError, match="download failed"):
        add.add(f"{web}/missing.pdf", "E08000036", dry_run=True, data_dir=repo / "data", cache=repo / "data" / "cache")
