"""Build stage 5 (documents.load) on a fresh DuckDB: synthetic registries in a temporary repo, then the real one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import build, db
from analysis.errors import InputError
from analysis.ingest import documents

SOURCE_COLUMNS = [
    "source_id", "la_id_gss", "kind", "title", "publisher", "published_date", "published_date_precision", "url",
    "licence", "sha256", "local_path", "cache_path", "visit_id", "note",
]  # fmt: skip
LETTER = "### Headline findings\n\nChildren are seen quickly. Plans are clear.\n\n- Supervision, e.g. its regularity.\n"


def _source(source_id: str, kind: str, local_path: str | None = None, cache_path: str | None = None, sha256=None):
    # SYNTHETIC registry rows for a temporary repo
    return {
        "source_id": source_id, "la_id_gss": "E08000027", "kind": kind, "title": f"Title of {source_id}",
        "publisher": "Test", "published_date": pd.Timestamp("2025-11-20").date(), "published_date_precision": "day",
        "url": None, "licence": "OGL v3.0", "sha256": sha256, "local_path": local_path, "cache_path": cache_path,
        "visit_id": None, "note": None,
    }  # fmt: skip


def _run(tmp_path: Path, rows: list[dict]) -> tuple[duckdb.DuckDBPyConnection, list[str]]:
    con = duckdb.connect()
    db.create_schema(con)
    db.append(con, "sources", pd.DataFrame(rows, columns=SOURCE_COLUMNS))
    logs: list[str] = []
    ctx = build.BuildContext(repo=tmp_path, data=tmp_path / "data", cache=tmp_path / "cache", log=logs.append)
    documents.load(con, ctx)
    return con, logs


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "letter.md").write_text(LETTER, encoding="utf-8")
    (tmp_path / "cache" / "news").mkdir(parents=True)
    (tmp_path / "cache" / "news" / "item.html").write_text(
        "<html><body><p>Staff praised. More to do.</p></body></html>"
    )
    return tmp_path


def _rows(repo: Path, sha256: str | None = None) -> list[dict]:
    return [
        _source("letter_1", "focused_visit_letter", local_path="data/raw/letter.md", sha256=sha256),
        _source("news_1", "news", cache_path="news/item.html"),
        _source("report_absent", "inspection_report", cache_path="ofsted-reports/x/2016-04-05.pdf"),
        _source("cited_only", "news"),
        _source("stats_1", "official_statistics", cache_path="news/item.html"),  # not a document kind
    ]


def test_load_fills_documents_and_passages(repo: Path) -> None:
    sha = hashlib.sha256((repo / "data" / "raw" / "letter.md").read_bytes()).hexdigest()
    con, logs = _run(repo, _rows(repo, sha))
    docs = con.table("documents").df().sort_values("document_id")
    assert list(docs["document_id"]) == ["letter_1", "news_1"]
    assert list(docs["media_type"]) == ["text/markdown", "text/html"]
    assert list(docs["path"]) == ["data/raw/letter.md", "news/item.html"]
    assert docs["sha256"].iloc[0] == sha and docs["n_pages"].isna().all()
    passages = con.table("passages").df()
    texts = dict(zip(docs["document_id"], docs["text"], strict=True))
    for row in passages.itertuples():
        assert texts[row.document_id][row.char_start : row.char_end] == row.text
    letter = passages[(passages.document_id == "letter_1") & (passages.passage_kind == "sentence")]
    assert list(letter["text"]) == [
        "Children are seen quickly.",
        "Plans are clear.",
        "Supervision, e.g. its regularity.",
    ]
    assert set(letter["heading"]) == {"Headline findings"}
    assert list(letter["passage_id"]) == ["letter_1#s0001", "letter_1#s0002", "letter_1#s0003"]
    assert any("not fetched: report_absent" in line for line in logs)
    assert not any("cited_only" in line for line in logs)


def test_load_is_deterministic(repo: Path) -> None:
    first, _ = _run(repo, _rows(repo))
    second, _ = _run(repo, list(reversed(_rows(repo))))
    for table in ("documents", "passages"):
        a = first.table(table).df()
        b = second.table(table).df()
        pd.testing.assert_frame_equal(a, b)


def test_sha256_mismatch_names_file_and_field(repo: Path) -> None:
    with pytest.raises(InputError) as err:
        _run(repo, _rows(repo, sha256="0" * 64))
    assert err.value.field == "sha256" and err.value.file.endswith("letter.md")
    assert "letter_1" in str(err.value)


def test_bad_document_aborts_with_its_name(repo: Path) -> None:
    (repo / "cache" / "news" / "item.html").write_bytes(b"\xff\xfe broken")
    with pytest.raises(InputError, match=r"item.html: not UTF-8 text \(invalid start byte at byte 0\)"):
        _run(repo, _rows(repo))


def test_real_registry_with_fetched_reports(fetched_cache: Path, repo_root: Path) -> None:
    """Stages sources + documents on the committed registry and the cache fetched from ../shared."""
    con = duckdb.connect()
    logs: list[str] = []
    ctx = build.BuildContext(cache=fetched_cache, log=logs.append)
    stages = [("sources", "analysis.ingest.sources:load"), ("documents", "analysis.ingest.documents:load")]
    build.populate(con, ctx, stages=stages)
    docs = con.table("documents").df().set_index("document_id")
    for source_id in ("ofsted_80464_2016-04-05", "ofsted_80464_2018-12-10", "ofsted_80464_2023-01-13"):
        assert docs.loc[source_id, "media_type"] == "application/pdf", source_id
        assert docs.loc[source_id, "n_pages"] >= 10
    assert docs.loc["ofsted_80464_2025-11-20", "media_type"] == "text/markdown"
    passages = con.table("passages").df()
    dudley = passages[passages.document_id == "ofsted_80464_2018-12-10"]
    assert (dudley.passage_kind == "sentence").sum() > 150
    assert set(passages.document_id) <= set(docs.index)
    assert passages.passage_id.is_unique
